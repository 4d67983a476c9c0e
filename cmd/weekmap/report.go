package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/spf13/cobra"
	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/internal/atomicfile"
	"github.com/weekmap/weekmap/report"
	"github.com/weekmap/weekmap/report/chart"
	"github.com/weekmap/weekmap/report/metrics"
)

// reportWriter returns the writer of a --format, or nil. Every format
// honours --redact, which strips the report of titles and addresses before
// any of them sees it (see runReport): markdown and html then name meetings
// and events by category and rule; json and text leave out the people met;
// csv and openmetrics never hold titles or addresses.
func reportWriter(format string) func(w io.Writer, r report.Report) error {
	switch format {
	case "text":
		return report.WriteText
	case "json":
		return report.WriteJSON
	case "csv":
		return report.WriteCSV
	case "markdown":
		return func(w io.Writer, r report.Report) error {
			return report.WriteMarkdown(w, r, report.MarkdownOptions{Redact: r.Redacted})
		}
	case "html":
		return func(w io.Writer, r report.Report) error {
			// r holds only the --person or --team asked for, if any.
			return chart.Render(w, r, chart.Options{Inline: true, AllPeople: true})
		}
	case "openmetrics":
		return func(w io.Writer, r report.Report) error {
			return metrics.WriteOpenMetrics(w, r, r.GeneratedAt)
		}
	}
	return nil
}

const reportFormatList = "text, json, csv, markdown, html or openmetrics"

type reportOptions struct {
	person, team, week, from, to, period, format, out string
	weeks                                             int
	redact                                            bool
}

func newReportCmd(a *app) *cobra.Command {
	var o reportOptions
	cmd := &cobra.Command{
		Use:   "report [--person NAME | --team NAME] [--weeks N | --week 2026-W47 | --from W --to W] [--period week|month|quarter] [--format FORMAT] [--out FILE] [--redact]",
		Short: "Print the weekly report from the store",
		Long: `report accounts each person's synced events week by week (ISO weeks in the
configured time zone), all their calendars together, and prints hours per
category, time off, the design share (design + review + alignment over all work
time) and whether each week is below the target; weeks no calendar has data for
say "no data". Several weeks get a summary row; --period month or quarter adds
one per month or quarter (a week belongs to the month of its Thursday) and, with
no range given, reports the current one.
Each also says how the time went: meetings by size (1:1, 3-8, 9+), events
alone and unscheduled time, recurring or one-off, the booked part of
implementation, and the people met most.
People with a team (people[].team) are added up into it: a team's week sums
its members' weeks that have data, and shows only when at least
teams.min_group_size (5) of them had data; --team reports one team alone.
With privacy.person_metrics: false only teams are reported, and --person is
refused.
Formats: text (a table, the default), json, csv, markdown (a summary to paste
into a note), html (one self-contained page whose charts work offline, with
the table of numbers and the events behind each one) and openmetrics (history
to backfill Prometheus with promtool).
--redact makes a report to share: no event title and no attendee address in
any format (markdown and html name meetings and events by category and rule;
json, csv, text and openmetrics hold no titles in any case).`,
		Example: `  weekmap report
  weekmap report --weeks 12 --format csv
  weekmap report --from 2026-W40 --to 2026-W52
  weekmap report --period quarter --person ann
  weekmap report --team payments --weeks 12
  weekmap report --format html --out week.html
  weekmap report --format html --redact --out for-my-manager.html`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !cmd.Flags().Changed("weeks") {
				o.weeks = 0
			}
			return runReport(cmd.Context(), a, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.person, "person", "", "report only the person `NAME` (default: everyone)")
	f.StringVar(&o.team, "team", "", "report only the team `NAME`, from its members' weeks")
	f.IntVar(&o.weeks, "weeks", 4, "the last `N` ISO weeks, ending with the current one")
	f.StringVar(&o.week, "week", "", "one ISO `week`, like 2026-W47")
	f.StringVar(&o.from, "from", "", "the first ISO `week` of a range, like 2026-W40 (with --to)")
	f.StringVar(&o.to, "to", "", "the last ISO `week` of a range, like 2026-W52 (with --from)")
	f.StringVar(&o.period, "period", "week", "summarise by `period`: week, month or quarter")
	f.StringVar(&o.format, "format", "text", "output `format`: "+reportFormatList)
	f.StringVar(&o.out, "out", "", "write to `FILE` instead of standard output")
	f.BoolVar(&o.redact, "redact", false, "leave event titles and attendee addresses out, to share the report")
	return cmd
}

func runReport(ctx context.Context, a *app, o reportOptions) error {
	write := reportWriter(o.format)
	if write == nil {
		return usagef("--format %q is not supported: use %s", o.format, reportFormatList)
	}
	p, err := a.openPipeline(ctx)
	if err != nil {
		return err
	}
	defer p.store.Close()
	now := a.now()
	weeks, err := selectWeeks(now, p.loc, o)
	if err != nil {
		return err
	}
	scope, err := reportScope(p.cfg, o)
	if err != nil {
		return err
	}
	// Only the page lists the events behind its numbers.
	scope.WithoutEvents = o.format != "html"
	r, err := p.report(ctx, scope, weeks, now, true)
	if err != nil {
		return err
	}
	if err := r.Summarize(o.period); err != nil {
		return usagef("--period: %w", err)
	}
	if o.redact {
		r = r.Redact()
	}
	var buf bytes.Buffer
	if err := write(&buf, r); err != nil {
		return fmt.Errorf("render %s: %w", o.format, err)
	}
	if o.out == "" {
		_, err := a.stdout.Write(buf.Bytes())
		return err
	}
	// A report holds titles and hours: only its owner reads it.
	return atomicfile.Write(o.out, buf.Bytes(), 0o600)
}

// reportScope turns --person and --team into whom to report, refusing a
// person when person reports are off.
func reportScope(cfg *config.Config, o reportOptions) (report.Scope, error) {
	teams := report.Teams(cfg)
	switch {
	case o.person != "" && o.team != "":
		return report.Scope{}, usagef("use --person or --team, not both")
	case o.person != "":
		if _, ok := cfg.Person(o.person); !ok {
			return report.Scope{}, usagef("--person %q is not in the config (people: %s)", o.person, personList(cfg))
		}
		if !cfg.Privacy.PersonMetrics {
			return report.Scope{}, usagef("--person %q: person reports are off (privacy.person_metrics: false), so weekmap reports only teams; use --team NAME (teams: %s)", o.person, orNone(teams))
		}
		return report.Scope{Person: o.person}, nil
	case o.team != "":
		if !slices.Contains(teams, o.team) {
			return report.Scope{}, usagef("--team %q is not a team of the config (teams, from people[].team: %s)", o.team, orNone(teams))
		}
		return report.Scope{Team: o.team}, nil
	case !cfg.Privacy.PersonMetrics && len(teams) == 0:
		return report.Scope{}, usagef("nothing to report: person reports are off (privacy.person_metrics: false) and no person has a team (people[].team)")
	}
	return report.Scope{}, nil
}

// selectWeeks turns --week, --from/--to, --weeks or --period into the weeks
// to report; by default the last 4.
func selectWeeks(now time.Time, loc *time.Location, o reportOptions) ([]report.Week, error) {
	ranges := 0
	for _, set := range []bool{o.week != "", o.from != "" || o.to != "", o.weeks != 0} {
		if set {
			ranges++
		}
	}
	if ranges > 1 {
		return nil, usagef("use one of --weeks, --week or --from/--to")
	}
	switch {
	case o.week != "":
		w, err := report.ParseWeek(o.week, loc)
		if err != nil {
			return nil, usagef("--week: %w", err)
		}
		return []report.Week{w}, nil
	case o.from != "" || o.to != "":
		if o.from == "" || o.to == "" {
			return nil, usagef("--from and --to go together")
		}
		first, err := report.ParseWeek(o.from, loc)
		if err != nil {
			return nil, usagef("--from: %w", err)
		}
		last, err := report.ParseWeek(o.to, loc)
		if err != nil {
			return nil, usagef("--to: %w", err)
		}
		if last.Start.Before(first.Start) {
			return nil, usagef("--to %s is before --from %s", o.to, o.from)
		}
		weeks := report.WeeksBetween(first, last)
		if len(weeks) > 520 {
			return nil, usagef("--from %s --to %s is %d weeks: report at most 520", o.from, o.to, len(weeks))
		}
		return weeks, nil
	case o.weeks != 0:
		if o.weeks < 1 || o.weeks > 520 {
			return nil, usagef("--weeks %d: use a number from 1 to 520", o.weeks)
		}
		return report.LastWeeks(now, o.weeks, loc), nil
	case o.period == report.PeriodMonth || o.period == report.PeriodQuarter:
		return report.WeeksOfPeriod(now, o.period, loc)
	}
	return report.LastWeeks(now, 4, loc), nil
}

func personList(cfg *config.Config) string {
	var names []string
	for _, p := range cfg.Persons() {
		names = append(names, p.Name)
	}
	return orNone(names)
}
