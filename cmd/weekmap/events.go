package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/internal/textsafe"
	"github.com/weekmap/weekmap/report"
)

// eventRow is one line of `weekmap events`; the README documents its JSON.
type eventRow struct {
	ID       string `json:"id"`
	Person   string `json:"person"`
	Calendar string `json:"calendar"`
	Title    string `json:"title"`
	Start    string `json:"start"`
	End      string `json:"end"`
	AllDay   bool   `json:"all_day"`
	Category string `json:"category"`
	Rule     string `json:"rule"`
	Counted  bool   `json:"counted"`
	Reason   string `json:"reason"`

	start time.Time
}

type eventsOptions struct {
	person, calendar, week, from, to, format string
}

func newEventsCmd(a *app) *cobra.Command {
	var o eventsOptions
	cmd := &cobra.Command{
		Use:   "events [--person NAME] [--calendar SOURCE] [--week W | --from DATE --to DATE] [--format text|json]",
		Short: "List the stored events with their category, rule and whether they count",
		Long: `events lists the stored events that overlap a range (by default the current
week), recurring ones expanded, each with the category the rules gave it, the
rule that decided, and whether it counts as work and why not (cancelled,
declined, all-day, free, tentative, unanswered, time off, ignored, duplicate:
the same meeting in another of the person's calendars). Use it to see why a
week adds up the way it does.`,
		Example: `  weekmap events
  weekmap events --week 2026-W47 --format json
  weekmap events --calendar work --from 2026-11-16 --to 2026-11-18`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runEvents(cmd.Context(), a, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.person, "person", "", "only the events of person `NAME`")
	f.StringVar(&o.calendar, "calendar", "", "only the events of the source `NAME`")
	f.StringVar(&o.week, "week", "", "events of one ISO `week`, like 2026-W47 (default: the current week)")
	f.StringVar(&o.from, "from", "", "events overlapping [from, to): first `DATE` (YYYY-MM-DD)")
	f.StringVar(&o.to, "to", "", "events overlapping [from, to): `DATE` after the last (YYYY-MM-DD)")
	f.StringVar(&o.format, "format", "text", "output `format`: text or json")
	return cmd
}

func runEvents(ctx context.Context, a *app, o eventsOptions) error {
	if o.format != "text" && o.format != "json" {
		return usagef("--format %q is not supported: use text or json", o.format)
	}
	p, err := a.openPipeline(ctx)
	if err != nil {
		return err
	}
	defer p.store.Close()
	from, to, err := eventRange(a.now(), p.loc, o.week, o.from, o.to)
	if err != nil {
		return err
	}
	people, err := selectPeople(p.cfg, o.person, o.calendar)
	if err != nil {
		return err
	}
	names, err := calendarNames(p.cfg.Sources, o.calendar)
	if err != nil {
		return err
	}
	if err := p.warnUnsynced(ctx, a, "events", names); err != nil {
		return err
	}
	var rows []eventRow
	for _, person := range people {
		r, err := p.eventRows(ctx, person, o.calendar, from, to)
		if err != nil {
			return err
		}
		rows = append(rows, r...)
	}
	if o.format == "json" {
		enc := json.NewEncoder(a.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if rows == nil {
			rows = []eventRow{}
		}
		return enc.Encode(rows)
	}
	return writeEventsText(a.stdout, rows, p.loc)
}

// eventRange turns --week or --from/--to into [from, to) in loc; by default
// the current week.
func eventRange(now time.Time, loc *time.Location, week, from, to string) (time.Time, time.Time, error) {
	if week != "" && (from != "" || to != "") {
		return time.Time{}, time.Time{}, usagef("use either --week or --from/--to, not both")
	}
	if week != "" {
		w, err := report.ParseWeek(week, loc)
		if err != nil {
			return time.Time{}, time.Time{}, usagef("--week: %w", err)
		}
		return w.Start, w.End, nil
	}
	if from == "" && to == "" {
		w := report.WeekOf(now, loc)
		return w.Start, w.End, nil
	}
	if from == "" || to == "" {
		return time.Time{}, time.Time{}, usagef("--from and --to go together")
	}
	f, err := time.ParseInLocation(time.DateOnly, from, loc)
	if err != nil {
		return time.Time{}, time.Time{}, usagef("--from %q: want a date like 2026-11-16", from)
	}
	t, err := time.ParseInLocation(time.DateOnly, to, loc)
	if err != nil {
		return time.Time{}, time.Time{}, usagef("--to %q: want a date like 2026-11-23", to)
	}
	if !t.After(f) {
		return time.Time{}, time.Time{}, usagef("--to %s must be after --from %s", to, from)
	}
	return f, t, nil
}

// selectPeople returns the people whose events to list: the one asked for,
// the owner of the source asked for, or everyone.
func selectPeople(cfg *config.Config, person, source string) ([]string, error) {
	if person != "" {
		if _, ok := cfg.Person(person); !ok {
			return nil, usagef("--person %q is not in the config (people: %s)", person, personList(cfg))
		}
		if src, ok := cfg.Source(source); source != "" && ok && src.Person != person {
			return nil, usagef("--calendar %s belongs to %s, not %s", source, src.Person, person)
		}
		return []string{person}, nil
	}
	if src, ok := cfg.Source(source); ok {
		return []string{src.Person}, nil
	}
	var out []string
	for _, p := range cfg.Persons() {
		out = append(out, p.Name)
	}
	return out, nil
}

// eventRows lists person's events overlapping [from, to) (of one source if
// source is set) with their category, rule and verdict, ordered by start.
// Verdicts are the report's: they look at all the person's calendars.
func (p *pipeline) eventRows(ctx context.Context, person, source string, from, to time.Time) ([]eventRow, error) {
	loc := p.loc
	pe, err := report.LoadPerson(ctx, p.store, p.cfg, p.classify, person, from, to)
	if err != nil {
		return nil, err
	}
	verdicts := report.Verdicts(p.cfg.Week, pe.Calendars, pe.Events)
	var rows []eventRow
	for i := range pe.Events {
		e := &pe.Events[i]
		if source != "" && e.Calendar != source {
			continue
		}
		row := eventRow{ID: e.ID, Person: person, Calendar: e.Calendar, Title: e.Title, AllDay: e.AllDay}
		start, end := e.Start.In(loc), e.End.In(loc)
		if e.AllDay {
			start, err = time.ParseInLocation(time.DateOnly, e.StartDate, loc)
			if err == nil {
				end, err = time.ParseInLocation(time.DateOnly, e.EndDate, loc)
			}
			if err != nil {
				return nil, fmt.Errorf("event %q: bad all-day dates: %w", e.ID, err)
			}
			row.Start, row.End = e.StartDate, e.EndDate
		} else {
			row.Start, row.End = start.Format(time.RFC3339), end.Format(time.RFC3339)
		}
		if !cal.Overlaps(start, end, from, to) {
			continue
		}
		row.Category, row.Rule = e.Category, e.Rule
		row.Counted, row.Reason = verdicts[i].Counted, verdicts[i].Reason
		row.start = start
		rows = append(rows, row)
	}
	slices.SortStableFunc(rows, func(a, b eventRow) int {
		if c := a.start.Compare(b.start); c != 0 {
			return c
		}
		return strings.Compare(a.Calendar+"\x00"+a.ID, b.Calendar+"\x00"+b.ID)
	})
	return rows, nil
}

func writeEventsText(w io.Writer, rows []eventRow, loc *time.Location) error {
	if len(rows) == 0 {
		_, err := fmt.Fprintln(w, "no events in that range")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "DAY\tTIME\tPERSON\tCALENDAR\tCATEGORY\tRULE\tCOUNTED\tTITLE")
	for _, r := range rows {
		day := r.start.Format("Mon 2006-01-02")
		when := "all day"
		if !r.AllDay {
			end, _ := time.Parse(time.RFC3339, r.End)
			when = r.start.Format("15:04") + "-" + end.In(loc).Format("15:04")
		}
		counted := "yes"
		if !r.Counted {
			counted = "no: " + r.Reason
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", day, when, r.Person, r.Calendar, r.Category, r.Rule, counted, textsafe.Terminal(r.Title))
	}
	return tw.Flush()
}
