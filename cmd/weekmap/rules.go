package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"os"
	"slices"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"github.com/weekmap/weekmap/classify"
	"github.com/weekmap/weekmap/ingest/googleevent"
	"github.com/weekmap/weekmap/ingest/jsonfile"
)

func newRulesCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules check | eval --in EVENTS --labels LABELS | default",
		Short: "Check the rules, measure them against labeled events, or print the built-in ones",
		Long: `rules works on the classification rules: your rules_file, tried first, then
the built-in rules (unless use_default_rules is false).`,
		Example: `  weekmap rules check
  weekmap rules eval --in events.jsonl --labels labels.jsonl
  weekmap rules default > my-rules.yaml`,
		Args: parentArgs,
		RunE: parentRun,
	}
	var in, labels string
	eval := &cobra.Command{
		Use:   "eval --in EVENTS --labels LABELS",
		Short: "Measure the rules against labeled events",
		Long: `eval classifies labeled events and prints per-category precision, recall and
F1, macro-F1, a confusion matrix and every misclassified title with the rule
that took it. LABELS is {"id": ..., "category": ...} one a line: the output of
weekmap classify, corrected by hand, is a labels file.`,
		Example: "  weekmap rules eval --in events.jsonl --labels labels.jsonl",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRulesEval(cmd.Context(), a, in, labels)
		},
	}
	eval.Flags().StringVar(&in, "in", "", "events `FILE`: Google Calendar v3 Event resources (a JSON array, one a line, or an events.list response)")
	eval.Flags().StringVar(&labels, "labels", "", "labels `FILE`: {\"id\": ..., \"category\": ...} one a line")
	cmd.AddCommand(&cobra.Command{
		Use:   "check",
		Short: "Validate the rules and list them in the order they are tried",
		Long: `check reads and compiles your rules and the built-in ones, and lists them in
the order they are tried with the file and line of each. A bad regexp, an
unknown category or key, or a duplicate name is an error naming the file, the
line and the rule.`,
		Example: "  weekmap rules check --config weekmap.yaml",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRulesCheck(cmd.Context(), a)
		},
	}, eval, &cobra.Command{
		Use:     "default",
		Short:   "Print the built-in rules, a commented YAML file to copy and edit",
		Example: "  weekmap rules default > rules.yaml",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			_, err := a.stdout.Write(classify.DefaultRules())
			return err
		},
	})
	return cmd
}

// runRulesCheck validates the rules and lists them in the order they are tried.
func runRulesCheck(_ context.Context, a *app) error {
	cls, err := a.classifier()
	if err != nil {
		return err
	}
	rules := cls.Rules()
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "#\tRULE\tCATEGORY\tDEFINED AT")
	for i, r := range rules {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s:%d\n", i+1, r.Name, r.Category, r.File, r.Line)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err = fmt.Fprintf(a.stdout, "%d rules OK; tried in this order, first match decides\n", len(rules))
	return err
}

// runRulesEval measures the rules against labeled events.
func runRulesEval(_ context.Context, a *app, in, labelsPath string) error {
	if in == "" || labelsPath == "" {
		return usagef("both --in EVENTS and --labels LABELS are needed")
	}
	cls, err := a.classifier()
	if err != nil {
		return err
	}
	ldata, err := os.ReadFile(labelsPath)
	if err != nil {
		return err
	}
	labels, err := classify.ReadLabels(labelsPath, ldata)
	if err != nil {
		return err
	}
	f, err := os.Open(in)
	if err != nil {
		return err
	}
	defer f.Close()
	dec := jsonfile.NewDecoder(in, f)
	var items []classify.Labeled
	for {
		r, line, err := dec.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		want, ok := labels[r.Id]
		if !ok {
			return fmt.Errorf("event %q in %s has no label in %s", r.Id, in, labelsPath)
		}
		ev, err := googleevent.Map("", r)
		if err != nil {
			return fmt.Errorf("%s, line %d: %w", in, line, err)
		}
		items = append(items, classify.Labeled{Event: ev, Want: want})
		delete(labels, r.Id)
	}
	if len(labels) > 0 {
		// The first in id order, so that the message does not change from
		// run to run.
		ids := slices.Sorted(maps.Keys(labels))
		return fmt.Errorf("label for %q in %s matches no event in %s (%d labels match none)", ids[0], labelsPath, in, len(ids))
	}
	return classify.Evaluate(cls, items).WriteText(a.stdout)
}
