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
	"github.com/weekmap/weekmap/internal/textsafe"
	"github.com/weekmap/weekmap/report"
)

// eventRow is one line of `weekmap events`; its JSON is SPEC section 1's.
type eventRow struct {
	ID       string `json:"id"`
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
	calendar, week, from, to, format string
}

func newEventsCmd(a *app) *cobra.Command {
	var o eventsOptions
	cmd := &cobra.Command{
		Use:   "events [--calendar NAME] [--week W | --from DATE --to DATE] [--format text|json]",
		Short: "List the stored events with their category, rule and whether they count",
		Long: `events lists the stored events that overlap a range (by default the current
week), recurring ones expanded, each with the category the rules gave it, the
rule that decided, and whether it counts as work and why not (cancelled,
declined, all-day, free, tentative, unanswered, out of office, ignored). Use it
to see why a week adds up the way it does.`,
		Example: `  weekmap events
  weekmap events --week 2026-W47 --format json
  weekmap events --calendar work --from 2026-11-16 --to 2026-11-18`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runEvents(cmd.Context(), a, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.calendar, "calendar", "", "only the calendar (source) `NAME`")
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
	names, err := calendarNames(p.cfg.Sources, o.calendar)
	if err != nil {
		return err
	}
	if err := p.warnUnsynced(ctx, a, "events", names); err != nil {
		return err
	}
	rows, err := p.eventRows(ctx, names, from, to)
	if err != nil {
		return err
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

// eventRows lists the events overlapping [from, to) with their category,
// rule and verdict, ordered by start.
func (p *pipeline) eventRows(ctx context.Context, names []string, from, to time.Time) ([]eventRow, error) {
	loc := p.loc
	var rows []eventRow
	for _, name := range names {
		// All-day events are stored at UTC midnights: widen, then clip.
		events, err := p.store.Events(ctx, name, from.Add(-24*time.Hour), to.Add(24*time.Hour))
		if err != nil {
			return nil, err
		}
		for i := range events {
			e := &events[i]
			row := eventRow{ID: e.ID, Calendar: e.Calendar, Title: e.Title, AllDay: e.AllDay}
			start, end := e.Start.In(loc), e.End.In(loc)
			if e.AllDay {
				start, err = time.ParseInLocation(time.DateOnly, e.StartDate, loc)
				if err == nil {
					end, err = time.ParseInLocation(time.DateOnly, e.EndDate, loc)
				}
				if err != nil {
					return nil, fmt.Errorf("event %s: bad all-day dates: %w", e.ID, err)
				}
				row.Start, row.End = e.StartDate, e.EndDate
			} else {
				row.Start, row.End = start.Format(time.RFC3339), end.Format(time.RFC3339)
			}
			overlaps := start.Before(to) && (end.After(from) || (end.Equal(start) && !start.Before(from)))
			if !overlaps {
				continue
			}
			res := p.cls.Classify(e)
			c := report.Classified{Event: *e, Category: res.Category, Rule: res.Rule}
			row.Category, row.Rule = res.Category, res.Rule
			row.Counted, row.Reason = report.Verdict(p.cfg.Week, &c)
			row.start = start
			rows = append(rows, row)
		}
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
	fmt.Fprintln(tw, "DAY\tTIME\tCALENDAR\tCATEGORY\tRULE\tCOUNTED\tTITLE")
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
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", day, when, r.Calendar, r.Category, r.Rule, counted, textsafe.Terminal(r.Title))
	}
	return tw.Flush()
}
