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
// "no data" in its design_share column and leaves its figures empty. When
// the report has teams, two columns follow: a person's team, and the
// members with data of a team's week; each team's weeks come after the
// people's, with the person column empty (see writeTeamCSV). It writes no
// titles and no addresses.
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
	teams := len(r.Teams) > 0
	if teams {
		header = append(header, "team", "members")
	}
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
				row = append(row, weekCells(wk, order)...)
			}
			if teams {
				row = append(row, p.Team, "")
			}
			if err := cw.Write(row); err != nil {
				return fmt.Errorf("write csv report: %w", err)
			}
		}
	}
	for _, t := range r.Teams {
		if err := writeTeamCSV(cw, t, order, r); err != nil {
			return fmt.Errorf("write csv report: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write csv report: %w", err)
	}
	return nil
}

// weekCells are the figures of a week with data, from the categories to
// the splits.
func weekCells(wk WeekReport, order []string) []string {
	var row []string
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
	return row
}

// writeTeamCSV writes a team's weeks as WriteCSV writes a person's: a
// suppressed week says Gap in its design_share column and FewerThan in
// its members column, and has no figure.
func writeTeamCSV(cw *csv.Writer, t TeamReport, order []string, r Report) error {
	for _, wk := range t.Weeks {
		row := []string{"", wk.Week, rfc3339(wk.Start), rfc3339(wk.End)}
		if wk.Suppressed() {
			for range order {
				row = append(row, "")
			}
			row = append(row, "", "", "", r.Gap(), "false", "")
			for range splitColumns {
				row = append(row, "")
			}
			row = append(row, t.Name, r.FewerThan())
		} else {
			row = append(append(row, weekCells(wk.WeekReport, order)...), t.Name, strconv.Itoa(wk.Members))
		}
		if err := cw.Write(row); err != nil {
			return err
		}
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
