package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"

	"github.com/weekmap/weekmap/cal"
)

// WriteCSV writes one row per person and week, one column per category
// (in seconds, like the JSON, so that they add up to total_seconds exactly)
// and the splits after them, for spreadsheets. A week without data says
// "no data" in its design_share column and leaves its figures empty. It
// writes no titles and no addresses.
func WriteCSV(w io.Writer, r Report) error {
	order := r.Categories
	if len(order) == 0 {
		order = cal.BuiltinWork()
	}
	cw := csv.NewWriter(w)
	header := []string{"person", "week", "start", "end"}
	for _, c := range order {
		header = append(header, c+"_seconds")
	}
	header = append(header, "unscheduled_seconds", "total_seconds", "time_off_seconds", "design_share", "below_target", "events_counted")
	header = append(header, splitColumns...)
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("write csv report: %w", err)
	}
	for _, p := range r.People {
		for _, wk := range p.Weeks {
			row := []string{csvSafe(p.Name), wk.Week, rfc3339(wk.Start), rfc3339(wk.End)}
			if wk.NoData {
				for range order {
					row = append(row, "")
				}
				row = append(row, "", "", "", "no data", "false", "")
				for range splitColumns {
					row = append(row, "")
				}
			} else {
				for _, cat := range order {
					row = append(row, strconv.FormatInt(wk.Seconds[cat], 10))
				}
				share := ""
				if wk.DesignShare != nil {
					share = strconv.FormatFloat(*wk.DesignShare, 'f', 4, 64)
				}
				row = append(row, strconv.FormatInt(wk.UnscheduledSeconds, 10), strconv.FormatInt(wk.TotalSeconds, 10),
					strconv.FormatInt(wk.TimeOffSeconds, 10), share, strconv.FormatBool(wk.BelowTarget), strconv.Itoa(wk.EventsCounted))
				sp := wk.Splits
				for _, v := range []int64{sp.OneOnOneSeconds, sp.SmallGroupSeconds, sp.LargeGroupSeconds, sp.SoloSeconds,
					sp.RecurringSeconds, sp.OneOffSeconds, sp.FocusBookedSeconds} {
					row = append(row, strconv.FormatInt(v, 10))
				}
			}
			if err := cw.Write(row); err != nil {
				return fmt.Errorf("write csv report: %w", err)
			}
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv report: %w", err)
	}
	return nil
}

// splitColumns are the splits' columns, in the order of the JSON's splits.
var splitColumns = []string{"one_on_one_seconds", "small_group_seconds", "large_group_seconds", "solo_seconds",
	"recurring_seconds", "one_off_seconds", "focus_booked_seconds"}

// csvSafe keeps a spreadsheet from reading a cell as a formula (CSV
// injection): a leading =, +, - or @ gets a quote mark in front.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}
