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
)

// WriteText writes r as a table a person reads at a glance: one line naming
// the target, then per calendar one row per week with hours per category,
// the total and the share, and a marker on weeks below the target.
func WriteText(w io.Writer, r Report) error {
	order := r.Categories
	if len(order) == 0 {
		order = cal.BuiltinWork()
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, "Target: %s ≥ %s of work time · weeks in %s\n",
		strings.Join(r.Target.Categories, " + "), percent(r.Target.MinShare, -1), r.Timezone)
	if len(r.People) == 0 {
		b.WriteString("\nNo one to report.\n")
	}
	for _, p := range r.People {
		fmt.Fprintf(&b, "\n%s (hours; calendars: %s)\n", p.Name, strings.Join(p.Calendars, ", "))
		writeTable(&b, weekRows(p, order, r))
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
		row := []string{w.Week}
		for _, cat := range order {
			row = append(row, hours(w.Seconds[cat]))
		}
		share, change := "–", ""
		if w.DesignShare != nil {
			share = percent(*w.DesignShare, 1)
			if prev != nil {
				change = points(*w.DesignShare - *prev)
			}
			prev = w.DesignShare
		}
		rows = append(rows, append(row, hours(w.TotalSeconds), hours(w.TimeOffSeconds), share, change, weekNote(w, r)))
	}
	for _, s := range summaries(p) {
		row := []string{s.Label}
		for _, cat := range order {
			row = append(row, hours(s.Seconds[cat]))
		}
		share := "no data"
		if s.DesignShare != nil {
			share = percent(*s.DesignShare, 1)
		}
		note := fmt.Sprintf("%d of %d weeks with data below %s", s.WeeksBelow, s.WeeksWithData, percent(r.Target.MinShare, -1))
		rows = append(rows, append(row, hours(s.TotalSeconds), hours(s.TimeOffSeconds), share, "", note))
	}
	return rows
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

func hours(seconds int64) string { return strconv.FormatFloat(float64(seconds)/3600, 'f', 1, 64) }

// percent formats a ratio; prec -1 gives the shortest form, for settings
// like 0.2 that should read "20%", not "20.0%". Rounding to hundredths of a
// percent first keeps binary noise (0.07*100 = 7.000000000000001) out.
func percent(ratio float64, prec int) string {
	return strconv.FormatFloat(math.Round(ratio*1e4)/100, 'f', prec, 64) + "%"
}
