package report

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/internal/textsafe"
)

// WriteText writes r as a table a person reads at a glance: one line naming
// the target, then per person one row per week with hours per category,
// the total and the share, and a marker on weeks below the target; then
// how the time went (meetings by size, time booked alone, unscheduled
// time, recurring and one-off), the recurring series and the people that
// took the most of it, and when each calendar last synced. Each team
// follows in the same shape (see writeTeamText). Hours are
// rounded so that each row adds up to its total (see Rounded). It writes no
// titles: a recurring series is named by its category.
func WriteText(w io.Writer, r Report) error {
	order := r.Categories
	if len(order) == 0 {
		order = cal.BuiltinWork()
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "Target: %s ≥ %s of work time · weeks in %s\n",
		strings.Join(r.Target.Categories, " + "), percent(r.Target.MinShare, -1), r.Timezone)
	if len(r.People) == 0 && len(r.Teams) == 0 {
		b.WriteString("\nNo one to report.\n")
	}
	for _, p := range r.People {
		fmt.Fprintf(&b, "\n%s (hours; calendars: %s)\n", p.Name, strings.Join(p.Calendars, ", "))
		writeTable(&b, weekRows(p, order, r))
		fmt.Fprintf(&b, "\nHow the time went (hours): meetings of 2, 3–8 and 9+ people, events alone, unscheduled time; recurring and one-off events; %s booked\n", r.FocusCategory)
		writeTable(&b, splitRows(p, r, "no data"))
		writeRankings(&b, p)
		fmt.Fprintf(&b, "Last synced: %s\n", lastSynced(p.Sources))
	}
	for _, t := range r.Teams {
		writeTeamText(&b, t, order, r)
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write text report: %w", err)
	}
	return nil
}

// weekRows lays out one person: a header, a row per week, then the
// summary rows. The last cell of a row is a free-form note and is not
// aligned.
func weekRows(p PersonReport, order []string, r Report) [][]string {
	header := append(append([]string{"week"}, order...), "total", "off", "share", "change", "")
	rows := [][]string{header}
	var prev *float64
	for _, w := range p.Weeks {
		if w.NoData {
			row := []string{w.Week}
			for range order {
				row = append(row, "")
			}
			rows = append(rows, append(row, "", "", "no data", "", weekNote(w, r)))
			continue
		}
		h := r.RoundWeek(w)
		row := []string{w.Week}
		for _, cat := range order {
			row = append(row, FormatTenths(h.Categories[cat]))
		}
		share, change := shareCells(w.DesignShare, &prev)
		rows = append(rows, append(row, FormatTenths(h.Total), FormatTenths(h.TimeOff), share, change, weekNote(w, r)))
	}
	for _, s := range summaries(p) {
		h := r.RoundSummary(s)
		row := []string{s.Label}
		for _, cat := range order {
			row = append(row, FormatTenths(h.Categories[cat]))
		}
		share := "no data"
		if s.DesignShare != nil {
			share = percent(*s.DesignShare, 1)
		}
		note := fmt.Sprintf("%d of %d weeks with data below %s", s.WeeksBelow, s.WeeksWithData, percent(r.Target.MinShare, -1))
		rows = append(rows, append(row, FormatTenths(h.Total), FormatTenths(h.TimeOff), share, "", note))
	}
	return rows
}

// splitRows lays out one person's splits like weekRows: a header, a row
// per week, then the summary rows. gap is what a week without figures
// says.
func splitRows(p PersonReport, r Report, gap string) [][]string {
	rows := [][]string{{"week", "1:1", "3–8", "9+", "alone", "unscheduled", "total", "recurring", "one-off", r.FocusCategory + " booked", ""}}
	row := func(label string, h Rounded) []string {
		return []string{label, FormatTenths(h.OneOnOne), FormatTenths(h.SmallGroup), FormatTenths(h.LargeGroup), FormatTenths(h.Solo),
			FormatTenths(h.Unscheduled), FormatTenths(h.Total), FormatTenths(h.Recurring), FormatTenths(h.OneOff), FormatTenths(h.FocusBooked), ""}
	}
	for _, w := range p.Weeks {
		if w.NoData {
			rows = append(rows, []string{w.Week, "", "", "", "", "", "", "", "", "", gap})
			continue
		}
		rows = append(rows, row(w.Week, r.RoundWeek(w)))
	}
	for _, s := range summaries(p) {
		if s.WeeksWithData == 0 {
			rows = append(rows, []string{s.Label, "", "", "", "", "", "", "", "", "", gap})
			continue
		}
		rows = append(rows, row(s.Label, r.RoundSummary(s)))
	}
	return rows
}

// writeRankings writes the recurring series, people and domains that took
// the most meeting time, each on a line; series by category, as text
// holds no titles.
func writeRankings(b *bytes.Buffer, p PersonReport) {
	if len(p.TopMeetings) > 0 {
		var items []string
		for i, m := range p.TopMeetings {
			items = append(items, fmt.Sprintf("%d. %s %s h (%d)", i+1, textsafe.Terminal(m.Category), hours(m.Seconds), m.Count))
		}
		fmt.Fprintf(b, "Recurring series by time (times held): %s\n", strings.Join(items, ", "))
	}
	for _, l := range []struct {
		label string
		top   []Collaborator
	}{{"People met most", p.Collaborators}, {"Domains met most", p.Domains}} {
		if len(l.top) == 0 {
			continue
		}
		var items []string
		for _, c := range l.top {
			items = append(items, fmt.Sprintf("%s %s h (%d)", textsafe.Terminal(c.Key), hours(c.Seconds), c.Meetings))
		}
		fmt.Fprintf(b, "%s, in meetings of 2 to 8 (meetings): %s\n", l.label, strings.Join(items, ", "))
	}
}

// lastSynced lists each calendar with when it last synced, in the report's
// time zone.
func lastSynced(sources []SourceSync) string {
	if len(sources) == 0 {
		return "no calendars"
	}
	var items []string
	for _, s := range sources {
		when := "never"
		if !s.LastSuccess.IsZero() {
			when = s.LastSuccess.Format("2006-01-02 15:04 MST")
		}
		items = append(items, s.Name+" "+when+syncFlag(s))
	}
	return strings.Join(items, ", ")
}

// shareCells are a week's share and its change from the week before with
// a share (*prev, which it then moves on): "–" and "" for a week without.
func shareCells(share *float64, prev **float64) (cell, change string) {
	if share == nil {
		return "–", ""
	}
	if *prev != nil {
		change = points(*share - **prev)
	}
	*prev = share
	return percent(*share, 1), change
}

// syncFlag says, after a calendar's last sync, why its data may not be
// current.
func syncFlag(s SourceSync) string {
	switch {
	case s.Failing != "":
		return " (last sync failed: " + s.Failing + ")"
	case s.Stale && !s.LastSuccess.IsZero():
		return " (stale)"
	}
	return ""
}

// summaries are the summary rows of a person: each period, then the whole
// report when it has more than one week.
func summaries(p PersonReport) []Summary {
	out := slices.Clone(p.Periods)
	if p.Summary != nil && p.Summary.Weeks > 1 && !(len(out) == 1 && out[0].Weeks == p.Summary.Weeks) {
		out = append(out, *p.Summary)
	}
	return out
}

func weekNote(w WeekReport, r Report) string {
	var notes []string
	if w.BelowTarget {
		notes = append(notes, "▼ below "+percent(r.Target.MinShare, -1))
	}
	if !r.GeneratedAt.IsZero() && !r.GeneratedAt.Before(w.Start) && r.GeneratedAt.Before(w.End) {
		notes = append(notes, "(current week, as planned)")
	}
	return strings.Join(notes, "  ")
}

// points formats a change of share in percentage points: "+2.3 pp".
func points(d float64) string {
	v := math.Round(d*1e3) / 10
	sign := "+"
	if v < 0 {
		sign = ""
	}
	return sign + strconv.FormatFloat(v, 'f', 1, 64) + " pp"
}

// writeTable left-aligns the first column, right-aligns the numbers and
// leaves the trailing note as it is.
func writeTable(b *bytes.Buffer, rows [][]string) {
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], utf8.RuneCountInString(cell))
		}
	}
	last := len(widths) - 1
	for _, row := range rows {
		var line strings.Builder
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-utf8.RuneCountInString(cell))
			switch {
			case i == 0:
				line.WriteString(cell + pad)
			case i == last:
				if cell != "" {
					line.WriteString("  " + cell)
				}
			default:
				line.WriteString("  " + pad + cell)
			}
		}
		b.WriteString(line.String() + "\n")
	}
}

// hours writes seconds as hours to a tenth, rounded half up as every table
// rounds them.
func hours(seconds int64) string { return FormatTenths(Tenths(seconds)) }

// percent formats a ratio; prec -1 gives the shortest form, for settings
// like 0.2 that should read "20%", not "20.0%". Rounding to hundredths of a
// percent first keeps binary noise (0.07*100 = 7.000000000000001) out.
func percent(ratio float64, prec int) string {
	return strconv.FormatFloat(math.Round(ratio*1e4)/100, 'f', prec, 64) + "%"
}
