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
	"github.com/weekmap/weekmap/ingest/store"
	"github.com/weekmap/weekmap/report"
)

func newRulesCmd(a *app) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "rules check | eval --in EVENTS --labels LABELS | suggest | default",
		Short: "Check the rules, measure them against labeled events, suggest new ones, or print the built-in ones",
		Long: `rules works on the classification rules: your rules_file, tried first, then
the built-in rules (unless use_default_rules is false).`,
		Example: `  weekmap rules check
  weekmap rules eval --in events.jsonl --labels labels.jsonl
  weekmap rules suggest >> suggested.yaml
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
	cmd.AddCommand(newRulesSuggestCmd(a))
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
	if _, err := fmt.Fprintf(a.stdout, "%d rules OK; tried in this order, first match decides\n", len(rules)); err != nil {
		return err
	}
	if n := len(cls.Labels()); n > 0 {
		_, err = fmt.Fprintf(a.stdout, "%d labels OK; they outrank every rule (rule \"label\")\n", n)
	}
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
	items, err := readLabeledEvents(in, labelsPath, cls.Categories())
	if err != nil {
		return err
	}
	return classify.Evaluate(cls, items).WriteText(a.stdout)
}

// readLabeledEvents reads Google Calendar v3 events and their labels ({"id",
// "category"} a line): every event needs a label, every label an event.
func readLabeledEvents(in, labelsPath string, categories []string) ([]classify.Labeled, error) {
	ldata, err := os.ReadFile(labelsPath)
	if err != nil {
		return nil, err
	}
	labels, err := classify.ReadLabels(labelsPath, ldata, categories)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(in)
	if err != nil {
		return nil, err
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
			return nil, err
		}
		want, ok := labels[r.Id]
		if !ok {
			return nil, fmt.Errorf("event %q in %s has no label in %s", r.Id, in, labelsPath)
		}
		ev, err := googleevent.Map("", r)
		if err != nil {
			return nil, fmt.Errorf("%s, line %d: %w", in, line, err)
		}
		items = append(items, classify.Labeled{Event: ev, Want: want})
		delete(labels, r.Id)
	}
	if len(labels) > 0 {
		// The first in id order, so that the message does not change from
		// run to run.
		ids := slices.Sorted(maps.Keys(labels))
		return nil, fmt.Errorf("label for %q in %s matches no event in %s (%d labels match none)", ids[0], labelsPath, in, len(ids))
	}
	return items, nil
}

type suggestOptions struct {
	in, labels string
	weeks      int
	opts       classify.SuggestOptions
}

func newRulesSuggestCmd(a *app) *cobra.Command {
	o := suggestOptions{opts: classify.DefaultSuggestOptions}
	cmd := &cobra.Command{
		Use:   "suggest [--in EVENTS --labels LABELS | --weeks N] [--min-precision P] [--min-support N] [--max N]",
		Short: "Propose title-keyword rules from labeled events, as YAML to paste into your rules_file",
		Long: `suggest looks for words and short phrases of the labeled events' titles that
mostly go with one category, and proposes a rule for each that raises the
number of events the rules get right, tried where you paste it: at the end of
your rules_file, after your rules and before the built-in ones. It prints a
rules file, each rule commented with its precision, recall and support.

The labeled events are --in EVENTS with --labels LABELS, as rules eval takes
them, or else the stored events of the last --weeks N that your labels_file
labels (by event, series or title), measured against the rules alone.`,
		Example: `  weekmap rules suggest
  weekmap rules suggest --in events.jsonl --labels labels.jsonl --min-precision 0.9`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runRulesSuggest(cmd.Context(), a, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.in, "in", "", "events `FILE`, as rules eval takes it (with --labels)")
	f.StringVar(&o.labels, "labels", "", "labels `FILE`: {\"id\": ..., \"category\": ...} one a line (with --in)")
	f.IntVar(&o.weeks, "weeks", 26, "without --in: the stored events of the last `N` ISO weeks")
	f.Float64Var(&o.opts.MinPrecision, "min-precision", o.opts.MinPrecision, "least share `P` of the events a rule matches that must be labeled its category")
	f.IntVar(&o.opts.MinSupport, "min-support", o.opts.MinSupport, "least `N` of events labeled its category a rule must match")
	f.IntVar(&o.opts.Max, "max", o.opts.Max, "at most `N` rules")
	return cmd
}

func runRulesSuggest(ctx context.Context, a *app, o suggestOptions) error {
	switch {
	case (o.in == "") != (o.labels == ""):
		return usagef("--in EVENTS and --labels LABELS go together")
	case !(o.opts.MinPrecision > 0 && o.opts.MinPrecision <= 1):
		return usagef("--min-precision %v: use a number above 0, at most 1", o.opts.MinPrecision)
	case o.opts.MinSupport < 1 || o.opts.Max < 1:
		return usagef("--min-support and --max must be at least 1")
	case o.weeks < 1 || o.weeks > 520:
		return usagef("--weeks %d: use a number from 1 to 520", o.weeks)
	}
	var (
		cls   *classify.Classifier
		items []classify.Labeled
		err   error
	)
	if o.in != "" {
		if cls, err = a.classifier(); err != nil {
			return err
		}
		if items, err = readLabeledEvents(o.in, o.labels, cls.Categories()); err != nil {
			return err
		}
	} else if cls, items, err = storedLabeled(ctx, a, o.weeks); err != nil {
		return err
	}
	s, err := classify.Suggest(cls, items, o.opts)
	if err != nil {
		return err
	}
	return s.WriteYAML(a.stdout)
}

// storedLabeled returns the rules without the labels, and the stored
// events of the last weeks that the labels_file labels, each with its
// label's category.
func storedLabeled(ctx context.Context, a *app, weeks int) (*classify.Classifier, []classify.Labeled, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, nil, err
	}
	if cfg.LabelsFile == "" {
		return nil, nil, fmt.Errorf("%s sets no labels_file: give --in EVENTS --labels LABELS, or set labels_file and run weekmap label", cfg.File)
	}
	labels, err := classify.ReadLabelFile(cfg.LabelsFile)
	if err != nil {
		return nil, nil, err
	}
	if len(labels.Labels()) == 0 {
		return nil, nil, fmt.Errorf("%s has no labels yet: run weekmap label", cfg.LabelsFile)
	}
	rules := cfg.Rules
	rules.LabelsFile = ""
	cls, err := classify.New(rules)
	if err != nil {
		return nil, nil, err
	}
	st, err := store.Open(ctx, cfg.Store)
	if err != nil {
		return nil, nil, err
	}
	defer st.Close()
	w := report.LastWeeks(a.now(), weeks, cfg.Timezone)
	var items []classify.Labeled
	for _, src := range cfg.Sources {
		if src.Holidays {
			continue // time off whatever the labels say
		}
		events, err := st.Events(ctx, src.Name, w[0].Start, w[len(w)-1].End)
		if err != nil {
			return nil, nil, err
		}
		for _, e := range events {
			if l, ok := labels.Lookup(&e); ok {
				items = append(items, classify.Labeled{Event: e, Want: l.Category})
			}
		}
	}
	if len(items) == 0 {
		return nil, nil, fmt.Errorf("no stored event of the last %d weeks has a label in %s", weeks, cfg.LabelsFile)
	}
	return cls, items, nil
}
