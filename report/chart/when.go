package chart

import (
	"time"

	"github.com/weekmap/weekmap/report"
)

// locationOf is the report's time zone: that of its weeks, which Build
// made in it, or failing those the zone it names.
func locationOf(r report.Report) *time.Location {
	for _, p := range r.People {
		for _, w := range p.Weeks {
			if !w.Start.IsZero() {
				return w.Start.Location()
			}
		}
	}
	for _, t := range r.Teams {
		for _, w := range t.Weeks {
			if !w.Start.IsZero() {
				return w.Start.Location()
			}
		}
	}
	if loc, err := time.LoadLocation(r.Timezone); err == nil {
		return loc
	}
	return time.UTC
}

// days writes the days of [start, end) as people read a date range:
// "2 – 8 Nov 2026", "26 Oct – 1 Nov 2026", "29 Dec 2026 – 4 Jan 2027".
func days(start, end time.Time) string {
	last := end.AddDate(0, 0, -1)
	if !last.After(start) {
		return start.Format("2 Jan 2006")
	}
	switch {
	case start.Year() != last.Year():
		return start.Format("2 Jan 2006") + " – " + last.Format("2 Jan 2006")
	case start.Month() != last.Month():
		return start.Format("2 Jan") + " – " + last.Format("2 Jan 2006")
	}
	return start.Format("2") + " – " + last.Format("2 Jan 2006")
}

// period names weeks by ISO week and by date: "2026-W44 – 2026-W47
// (26 Oct – 22 Nov 2026)".
func period(weeks []report.WeekReport) string {
	if len(weeks) == 0 {
		return ""
	}
	first, last := weeks[0], weeks[len(weeks)-1]
	label := first.Week
	if len(weeks) > 1 {
		label += " – " + last.Week
	}
	return label + " (" + days(first.Start, last.End) + ")"
}

// moment writes an instant with its zone: "18 Nov 2026, 19:00 CET".
func moment(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("2 Jan 2006, 15:04 MST")
}

// eventTime writes when an event was: "Mon 16 Nov, 10:00–12:00", "Sun 15
// Nov, 22:00 – Mon 16 Nov, 02:00", "Fri 13 Nov, all day", "Fri 13 – Sun 15
// Nov, all day".
func eventTime(e report.WeekEvent) string {
	const day = "Mon 2 Jan"
	if e.AllDay {
		last := e.End.AddDate(0, 0, -1)
		if !last.After(e.Start) {
			return e.Start.Format(day) + ", all day"
		}
		return e.Start.Format(day) + " – " + last.Format(day) + ", all day"
	}
	y1, m1, d1 := e.Start.Date()
	y2, m2, d2 := e.End.Date()
	if y1 == y2 && m1 == m2 && d1 == d2 {
		return e.Start.Format(day+", 15:04") + "–" + e.End.Format("15:04")
	}
	return e.Start.Format(day+", 15:04") + " – " + e.End.Format(day+", 15:04")
}
