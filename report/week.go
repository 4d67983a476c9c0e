package report

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Week is an ISO week in a time zone: Monday 00:00 local to the next Monday
// 00:00 local, so 167 or 169 hours long when a DST change falls inside it.
type Week struct {
	Year, Num  int
	Start, End time.Time
}

// String formats the week as ISO 8601 does: "2026-W47".
func (w Week) String() string { return fmt.Sprintf("%04d-W%02d", w.Year, w.Num) }

// Contains reports whether t falls in [Start, End).
func (w Week) Contains(t time.Time) bool { return !t.Before(w.Start) && t.Before(w.End) }

// WeekOf returns the ISO week in loc that contains t.
func WeekOf(t time.Time, loc *time.Location) Week {
	t = t.In(loc)
	back := (int(t.Weekday()) + 6) % 7 // days since Monday
	return weekFrom(t.Year(), t.Month(), t.Day()-back, loc)
}

// weekFrom builds the week starting on the given (normalised) Monday.
// Boundaries come from time.Date rather than adding 168h, which would drift
// by an hour across a DST change.
func weekFrom(year int, month time.Month, monday int, loc *time.Location) Week {
	start := time.Date(year, month, monday, 0, 0, 0, 0, loc)
	end := time.Date(year, month, monday+7, 0, 0, 0, 0, loc)
	y, n := start.ISOWeek()
	return Week{Year: y, Num: n, Start: start, End: end}
}

// ParseWeek parses an ISO week like "2026-W47" in loc.
func ParseWeek(s string, loc *time.Location) (Week, error) {
	bad := func() (Week, error) {
		return Week{}, fmt.Errorf("%q is not an ISO week like 2026-W47", s)
	}
	ys, ns, ok := strings.Cut(strings.ToUpper(strings.TrimSpace(s)), "-W")
	if !ok || len(ys) != 4 || len(ns) != 2 {
		return bad()
	}
	y, errY := strconv.Atoi(ys)
	n, errN := strconv.Atoi(ns)
	if errY != nil || errN != nil || y < 1 || n < 1 || n > 53 || strings.ContainsAny(ys+ns, "+-") {
		return bad()
	}
	// 4 January is always in week 1, so week 1 starts on the Monday before
	// or on it.
	jan4 := time.Date(y, time.January, 4, 12, 0, 0, 0, loc)
	back := (int(jan4.Weekday()) + 6) % 7
	w := weekFrom(y, time.January, 4-back+7*(n-1), loc)
	if w.Year != y || w.Num != n {
		return Week{}, fmt.Errorf("%d has no week %d", y, n)
	}
	return w, nil
}

// LastWeeks returns the n weeks in loc that end with the one containing now,
// oldest first.
func LastWeeks(now time.Time, n int, loc *time.Location) []Week {
	if n <= 0 {
		return nil
	}
	cur := WeekOf(now, loc)
	weeks := make([]Week, n)
	for i := range n {
		weeks[i] = weekFrom(cur.Start.Year(), cur.Start.Month(), cur.Start.Day()-7*(n-1-i), loc)
	}
	return weeks
}

// WeeksBetween returns the weeks from first to last, both included.
func WeeksBetween(first, last Week) []Week {
	loc := first.Start.Location()
	var weeks []Week
	for w := first; !w.Start.After(last.Start); {
		weeks = append(weeks, w)
		w = weekFrom(w.Start.Year(), w.Start.Month(), w.Start.Day()+7, loc)
	}
	return weeks
}
