package report

import (
	"bytes"
	"fmt"
	"strconv"
)

// Gap is what a team's suppressed week says in place of its figures:
// "fewer than 5 people with data". It says no more than that, not how
// many fewer.
func (r Report) Gap() string {
	return "fewer than " + strconv.Itoa(r.MinGroupSize) + " people with data"
}

// FewerThan is what a suppressed week says in place of its count of
// members: "< 5".
func (r Report) FewerThan() string { return "< " + strconv.Itoa(r.MinGroupSize) }

// view is the team as a PersonReport of its weeks and summaries, for the
// layouts people and teams share; suppressed weeks are weeks without data
// there, and the caller names them with Gap.
func (t TeamReport) view() PersonReport {
	return PersonReport{Name: t.Name, Weeks: t.WeekReports(), Summary: t.Summary, Periods: t.Periods}
}

// TeamCalendars says how current a team's calendars are, without naming
// any: "7 calendars, all current", "7 calendars, 1 not current (its last
// sync failed or is stale)".
func TeamCalendars(t TeamReport) string {
	switch {
	case t.Calendars == 0:
		return "no calendars"
	case t.NotCurrent == 0:
		return plural(t.Calendars, "calendar") + ", all current"
	}
	return fmt.Sprintf("%s, %d not current (the last sync failed or is stale)", plural(t.Calendars, "calendar"), t.NotCurrent)
}

// TeamSize says who a team is and when its week shows: "7 people; a week
// shows when at least 5 of them have data".
func (r Report) TeamSize(t TeamReport) string {
	return fmt.Sprintf("%s; a week shows when at least %d of them have data", plural(t.Size, "person"), r.MinGroupSize)
}

func plural(n int, thing string) string {
	switch {
	case n == 1:
		return "1 " + thing
	case thing == "person":
		return strconv.Itoa(n) + " people"
	}
	return strconv.Itoa(n) + " " + thing + "s"
}

// writeTeamText writes a team as WriteText writes a person: its weeks with
// the members who had data in each, a suppressed week saying only Gap,
// and how the time went. It has no recurring series and no people met:
// those are about the members' own meetings.
func writeTeamText(b *bytes.Buffer, t TeamReport, order []string, r Report) {
	fmt.Fprintf(b, "\nTeam %s (hours; %s; %s)\n", t.Name, r.TeamSize(t), TeamCalendars(t))
	writeTable(b, teamWeekRows(t, order, r))
	fmt.Fprintf(b, "\nHow the time went (hours): meetings of 2, 3–8 and 9+ people, events alone, unscheduled time; recurring and one-off events; %s booked\n", r.FocusCategory)
	writeTable(b, splitRows(t.view(), r, r.Gap()))
}

// teamWeekRows lays out a team like weekRows a person, with the members
// who had data in each week.
func teamWeekRows(t TeamReport, order []string, r Report) [][]string {
	header := append(append([]string{"week"}, order...), "total", "off", "share", "change", "people", "")
	rows := [][]string{header}
	var prev *float64
	for _, w := range t.Weeks {
		row := []string{w.Week}
		if w.Suppressed() {
			for range order {
				row = append(row, "")
			}
			rows = append(rows, append(row, "", "", "", "", r.FewerThan(), r.Gap()))
			continue
		}
		h := r.RoundWeek(w.WeekReport)
		for _, cat := range order {
			row = append(row, FormatTenths(h.Categories[cat]))
		}
		share, change := shareCells(w.DesignShare, &prev)
		rows = append(rows, append(row, FormatTenths(h.Total), FormatTenths(h.TimeOff), share, change, strconv.Itoa(w.Members), weekNote(w.WeekReport, r)))
	}
	for _, s := range summaries(t.view()) {
		row := []string{s.Label}
		if s.WeeksWithData == 0 {
			for range order {
				row = append(row, "")
			}
			rows = append(rows, append(row, "", "", "", "", "", "no week shown ("+r.Gap()+" in each)"))
			continue
		}
		h := r.RoundSummary(s)
		for _, cat := range order {
			row = append(row, FormatTenths(h.Categories[cat]))
		}
		share := "–"
		if s.DesignShare != nil {
			share = percent(*s.DesignShare, 1)
		}
		note := fmt.Sprintf("%d of %d weeks shown below %s", s.WeeksBelow, s.WeeksWithData, percent(r.Target.MinShare, -1))
		if hidden := s.Weeks - s.WeeksWithData; hidden > 0 {
			note += fmt.Sprintf("; %d not shown (%s)", hidden, r.Gap())
		}
		rows = append(rows, append(row, FormatTenths(h.Total), FormatTenths(h.TimeOff), share, "", "", note))
	}
	return rows
}
