package main

import (
	"context"
	"fmt"
	"time"

	"github.com/weekmap/weekmap/classify"
	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/report"
)

// buildReport reads the weeks' events of the named calendars from the
// store, classifies them and accounts each calendar's weeks.
func buildReport(ctx context.Context, st *ingest.Store, rc *config.Week, cls *classify.Classifier, calendars []string, weeks []report.Week, now time.Time) (report.Report, error) {
	if len(weeks) == 0 {
		return report.Report{}, fmt.Errorf("no weeks to report")
	}
	// All-day events are stored at UTC midnights: a day on either side
	// catches those that fall in the first or last local day.
	from, to := weeks[0].Start.Add(-24*time.Hour), weeks[len(weeks)-1].End.Add(24*time.Hour)
	input := make([]report.CalendarEvents, 0, len(calendars))
	for _, name := range calendars {
		events, err := st.Events(ctx, name, from, to)
		if err != nil {
			return report.Report{}, err
		}
		ce := report.CalendarEvents{Name: name, Events: make([]report.Classified, len(events))}
		for i := range events {
			res := cls.Classify(&events[i])
			ce.Events[i] = report.Classified{Event: events[i], Category: res.Category, Rule: res.Rule}
		}
		input = append(input, ce)
	}
	return report.Build(*rc, cls.Categories(), now, weeks, input), nil
}

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
	s := ""
	for i, src := range sources {
		if i > 0 {
			s += ", "
		}
		s += src.Name
	}
	if s == "" {
		return "none"
	}
	return s
}

// pipeline is what the commands that read the store share: the config, its
// time zone, the compiled rules and the open store.
type pipeline struct {
	cfg   *config.Config
	loc   *time.Location
	cls   *classify.Classifier
	store *ingest.Store
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
	st, err := ingest.OpenStore(ctx, cfg.Store)
	if err != nil {
		return nil, err
	}
	return &pipeline{cfg: cfg, loc: loc, cls: cls, store: st}, nil
}

// report builds the given weeks of the named calendars.
func (p *pipeline) report(ctx context.Context, names []string, weeks []report.Week, now time.Time) (report.Report, error) {
	return buildReport(ctx, p.store, &p.cfg.Week, p.cls, names, weeks, now)
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
