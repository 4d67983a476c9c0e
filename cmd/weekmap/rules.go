package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/weekmap/weekmap/classify"
	"github.com/weekmap/weekmap/ingest/googleevent"
	"github.com/weekmap/weekmap/ingest/jsonfile"
)

func runRules(ctx context.Context, a *app, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(a.stderr, "usage: weekmap rules check | eval --in EVENTS --labels LABELS | default")
		return errUsage
	}
	switch args[0] {
	case "check":
		return runRulesCheck(ctx, a, args[1:])
	case "eval":
		return runRulesEval(ctx, a, args[1:])
	case "default":
		fs := a.newFlags("rules default")
		if err := a.parse(fs, args[1:]); err != nil {
			return err
		}
		_, err := a.stdout.Write(classify.DefaultRules())
		return err
	default:
		fmt.Fprintf(a.stderr, "weekmap rules: unknown subcommand %q: use check, eval or default\n", args[0])
		return errUsage
	}
}

// runRulesCheck validates the rules and lists them in the order they are tried.
func runRulesCheck(_ context.Context, a *app, args []string) error {
	fs := a.newFlags("rules check")
	if err := a.parse(fs, args); err != nil {
		return err
	}
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
func runRulesEval(_ context.Context, a *app, args []string) error {
	fs := a.newFlags("rules eval")
	in := fs.String("in", "", "events `FILE`: Google Calendar v3 Event resources (a JSON array, one a line, or an events.list response)")
	labelsPath := fs.String("labels", "", "labels `FILE`: {\"id\": ..., \"category\": ...} one a line")
	if err := a.parse(fs, args); err != nil {
		return err
	}
	if *in == "" || *labelsPath == "" {
		return fmt.Errorf("both --in EVENTS and --labels LABELS are needed")
	}
	cls, err := a.classifier()
	if err != nil {
		return err
	}
	ldata, err := os.ReadFile(*labelsPath)
	if err != nil {
		return err
	}
	labels, err := classify.ReadLabels(*labelsPath, ldata)
	if err != nil {
		return err
	}
	f, err := os.Open(*in)
	if err != nil {
		return err
	}
	defer f.Close()
	dec := jsonfile.NewDecoder(*in, f)
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
			return fmt.Errorf("event %q in %s has no label in %s", r.Id, *in, *labelsPath)
		}
		ev, err := googleevent.Map("", r)
		if err != nil {
			return fmt.Errorf("%s, line %d: %w", *in, line, err)
		}
		items = append(items, classify.Labeled{Event: ev, Want: want})
		delete(labels, r.Id)
	}
	for id := range labels {
		return fmt.Errorf("label for %q in %s matches no event in %s", id, *labelsPath, *in)
	}
	return classify.Evaluate(cls, items).WriteText(a.stdout)
}
