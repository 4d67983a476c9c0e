package main

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/classify"
	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest/store"
	"github.com/weekmap/weekmap/report"
)

// calendarNames returns the configured source names, or only want if set
// (an error if it is not configured).
func calendarNames(sources []config.Source, want string) ([]string, error) {
	var names []string
	for _, s := range sources {
		if want == "" || s.Name == want {
			names = append(names, s.Name)
		}
	}
	if want != "" && len(names) == 0 {
		return nil, fmt.Errorf("no source named %q in the config (sources: %s)", want, sourceList(sources))
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("the config has no sources: add one under sources: (see config.example.yaml)")
	}
	return names, nil
}

func sourceList(sources []config.Source) string {
	names := make([]string, len(sources))
	for i, src := range sources {
		names[i] = src.Name
	}
	return orNone(names)
}

// orNone lists names for a message: "a, b", or "none".
func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// pipeline is what the commands that read the store share: the config, its
// time zone, the compiled rules and the open store.
type pipeline struct {
	cfg   *config.Config
	loc   *time.Location
	cls   *classify.Classifier
	store *store.Store
}

// openPipeline loads the config, compiles the rules and opens the store.
// The caller closes the store.
func (a *app) openPipeline(ctx context.Context) (*pipeline, error) {
	cfg, err := a.config()
	if err != nil {
		return nil, err
	}
	return newPipeline(ctx, cfg)
}

func newPipeline(ctx context.Context, cfg *config.Config) (*pipeline, error) {
	loc := cfg.Timezone
	cls, err := classify.New(cfg.Rules)
	if err != nil {
		return nil, err
	}
	st, err := store.Open(ctx, cfg.Store)
	if err != nil {
		return nil, err
	}
	return &pipeline{cfg: cfg, loc: loc, cls: cls, store: st}, nil
}

// report builds the given weeks of scope; with requireSynced, a person
// never synced is an error.
func (p *pipeline) report(ctx context.Context, scope report.Scope, weeks []report.Week, now time.Time, requireSynced bool) (report.Report, error) {
	return report.Load(ctx, p.store, p.cfg, p.classify, scope, weeks, now, requireSynced)
}

// classify is the pipeline's classifier as report.Load wants it.
func (p *pipeline) classify(e *cal.Event) (category, rule string) {
	res := p.cls.Classify(e)
	return res.Category, res.Rule
}

// warnUnsynced tells the user on stderr about calendars that were never
// synced: their weeks would show only unscheduled working time, which reads
// like a real (and wrong) answer.
func (p *pipeline) warnUnsynced(ctx context.Context, a *app, command string, names []string) error {
	for _, name := range names {
		st, err := p.store.State(ctx, name)
		if err != nil {
			return err
		}
		if st.LastSuccess.IsZero() {
			fmt.Fprintf(a.stderr, "weekmap %s: calendar %q has never been synced, so it has no events yet: run \"weekmap sync\" first\n", command, name)
		}
	}
	return nil
}
