package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/weekmap/weekmap/classify"
	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest/googleevent"
	"github.com/weekmap/weekmap/ingest/jsonfile"
)

// classifier builds the configured classifier, or the built-in one when no
// config file was given and none exists (classify and rules work without a
// config).
func (a *app) classifier() (*classify.Classifier, error) {
	cfg, err := a.config()
	if errors.Is(err, config.ErrNoFile) {
		return classify.New(config.Default().Rules)
	}
	if err != nil {
		return nil, err
	}
	return classify.New(cfg.Rules)
}

type classifyOutput struct {
	ID       string          `json:"id"`
	Category string          `json:"category"`
	Rule     string          `json:"rule"`
	Explain  []explainOutput `json:"explain,omitempty"`
}

type explainOutput struct {
	Rule     string `json:"rule"`
	Category string `json:"category"`
	Matched  bool   `json:"matched"`
	Why      string `json:"why"`
}

func newClassifyCmd(a *app) *cobra.Command {
	var in string
	var explain bool
	cmd := &cobra.Command{
		Use:   "classify [--in FILE] [--explain]",
		Short: "Classify events: Google Calendar v3 Event resources in, one JSON object a line out",
		Long: `classify gives each event a category with the configured rules (the built-in
ones without a config) and writes {"id", "category", "rule"} one JSON object a
line. --explain adds every rule tried, in order, with whether it matched and
why not (the condition that failed, never the event's text).`,
		Example: "  weekmap classify --in events.jsonl\n  weekmap classify --explain < events.jsonl",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runClassify(cmd.Context(), a, in, explain)
		},
	}
	cmd.Flags().StringVar(&in, "in", "", "read events from `FILE` (default standard input): Google Calendar v3 Event resources as a JSON array, one a line, or an events.list response")
	cmd.Flags().BoolVar(&explain, "explain", false, "add every rule tried and why it did or did not match")
	return cmd
}

func runClassify(_ context.Context, a *app, in string, explain bool) error {
	cls, err := a.classifier()
	if err != nil {
		return err
	}
	var r io.Reader = os.Stdin
	name := "standard input"
	if in != "" {
		f, err := os.Open(in)
		if err != nil {
			return err
		}
		defer f.Close()
		r, name = f, in
	}
	out := bufio.NewWriter(a.stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	enc.SetEscapeHTML(false)
	// Events are classified as they are read, and what is classified is
	// written out before waiting for more input, so a pipe gets its answers
	// while it is still open.
	dec := jsonfile.NewDecoder(name, flushBeforeRead{r: r, w: out})
	for {
		raw, line, err := dec.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		ev, err := googleevent.Map("", raw)
		if err != nil {
			return fmt.Errorf("%s, line %d: %w", name, line, err)
		}
		o := classifyOutput{ID: ev.ID}
		if explain {
			res, traces := cls.Explain(&ev)
			o.Category, o.Rule = res.Category, res.Rule
			for _, t := range traces {
				o.Explain = append(o.Explain, explainOutput{Rule: t.Rule, Category: t.Category, Matched: t.Matched, Why: t.Why})
			}
		} else {
			res := cls.Classify(&ev)
			o.Category, o.Rule = res.Category, res.Rule
		}
		if err := enc.Encode(o); err != nil {
			return err
		}
	}
	return out.Flush()
}

// flushBeforeRead flushes w before each read from r. The decoder reads in
// large chunks, so output is written in batches while input streams in, and
// at once when the input pauses.
type flushBeforeRead struct {
	r io.Reader
	w *bufio.Writer
}

func (f flushBeforeRead) Read(p []byte) (int, error) {
	if err := f.w.Flush(); err != nil {
		return 0, err
	}
	return f.r.Read(p)
}
