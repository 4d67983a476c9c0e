package report

import (
	"bytes"
	"fmt"
	"io"
	"math"
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
	if len(r.Calendars) == 0 {
		b.WriteString("\nNo calendars.\n")
	}
	for _, c := range r.Calendars {
		fmt.Fprintf(&b, "\n%s (hours)\n", c.Name)
		writeTable(&b, weekRows(c, order, r))
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write text report: %w", err)
	}
	return nil
}

// weekRows lays out one calendar: a header, then a row per week. The last
// cell of a row is a free-form note and is not aligned.
func weekRows(c CalendarReport, order []string, r Report) [][]string {
	header := append(append([]string{"week"}, order...), "total", "share", "")
	rows := [][]string{header}
	for _, w := range c.Weeks {
		row := []string{w.Week}
		for _, cat := range order {
			row = append(row, hours(w.Seconds[cat]))
		}
		share := "–"
		if w.DesignShare != nil {
			share = percent(*w.DesignShare, 1)
		}
		row = append(row, hours(w.TotalSeconds), share, weekNote(w, r))
		rows = append(rows, row)
	}
	return rows
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
