// Package recur is weekmap's one recurrence engine: it expands a series'
// RRULE, RDATE and EXDATE (RFC 5545) into the original starts of its
// occurrences, for ICS files (events and VTIMEZONE onsets) and for the
// recurring masters of JSON files alike.
//
// Rules are expanded by github.com/teambition/rrule-go. Before rrule-go
// walks a rule, the engine checks that the rule can produce an occurrence
// at all and predicts what the walk will cost, so that one hostile rule
// cannot hang a sync and a file cannot expand without bound: see Budget.
package recur

import (
	"cmp"
	"errors"
	"slices"
	"time"
)

// MaxOccurrences is how many occurrences a series' rules may walk before
// the window's end: ten years of hourly meetings fit, a FREQ=SECONDLY rule
// from 1970 does not and is skipped instead of expanded.
const MaxOccurrences = 100_000

// Series is what a recurring event says about when it happens.
type Series struct {
	// Start is DTSTART. A timed series recurs in Start's Location, so that
	// 09:00 stays 09:00 across daylight-saving changes. An all-day series
	// has AllDay set and recurs on dates: only Start's date counts.
	Start  time.Time
	AllDay bool
	// Rules are the RRULE values ("FREQ=WEEKLY;BYDAY=MO"), without the name.
	Rules []string
	// RDates add occurrences, ExDates remove them.
	RDates, ExDates []Date
	// Limit is how many occurrences the rules may walk before the
	// window's end; zero means MaxOccurrences.
	Limit int
}

// Date is one RDATE or EXDATE value.
type Date struct {
	Time time.Time
	// AllDay marks a DATE value: only Time's date, as written, counts.
	AllDay bool
	// An RDATE PERIOD gives its occurrence its own length.
	Length    time.Duration
	HasLength bool
}

// Occurrence is one original start of a series: what a RECURRENCE-ID or
// Google's originalStartTime names. An all-day series' occurrences are UTC
// midnights; a timed series' are in Start's Location, or an RDATE's own.
type Occurrence struct {
	Start     time.Time
	Length    time.Duration
	HasLength bool
}

// Expand lists the series' occurrences that start before to, sorted, each
// once, without the EXDATEs: DTSTART first, as calendar apps show it, then
// what the rules and the RDATEs add. Each rule is paid for from b before it
// is walked; b is shared by every series of one file.
//
// The semantics are those of calendar apps where RFC 5545 leaves room: a
// date UNTIL on a timed series includes that whole day; a date EXDATE on a
// timed series excludes that local date; a date RDATE in a timed series
// happens at the series' time of day; a series whose rules all end (UNTIL)
// before DTSTART has no DTSTART occurrence either (Confluence deletes a
// series that way).
//
// A rule that can never produce an occurrence adds none: the other
// occurrences are returned with an error wrapping ErrNeverYields, so that
// the caller may keep them (an ICS event keeps its DTSTART) or skip the
// series. Too many occurrences (ErrTooMany) skip the series; an exhausted
// budget (ErrBudget) refuses the file; any other error is a rule that
// cannot be read.
func (s *Series) Expand(to time.Time, b *Budget) ([]Occurrence, error) {
	start := s.Start.Truncate(time.Second)
	if s.AllDay {
		start = dateOf(start)
	}
	rules := make([]*rule, 0, len(s.Rules))
	for _, text := range s.Rules {
		if err := b.pay(costRule + int64(len(text))*costRuleByte); err != nil {
			return nil, err
		}
		r, err := parseRule(text, start, s.AllDay)
		if err != nil {
			return nil, err
		}
		rules = append(rules, r)
	}
	if err := b.pay(int64(len(s.RDates)+len(s.ExDates)+1) * costCandidate); err != nil {
		return nil, err
	}
	x := s.exclusions()
	var occs []Occurrence
	add := func(o Occurrence) {
		if o.Start.Before(to) && !x.excludes(o.Start) {
			occs = append(occs, o)
		}
	}
	if !endsBefore(rules, start) {
		add(Occurrence{Start: start})
	}
	limit := s.Limit
	if limit <= 0 {
		limit = MaxOccurrences
	}
	var never error
	walked := 0
	for _, r := range rules {
		ts, err := r.walk(to, b, limit-walked, limit)
		switch {
		case errors.Is(err, ErrNeverYields):
			never = cmp.Or(never, err)
			continue
		case err != nil:
			return nil, err
		}
		walked += len(ts)
		for _, t := range ts {
			add(Occurrence{Start: t})
		}
	}
	for _, rd := range s.RDates {
		add(s.rdate(rd, start))
	}
	// Of equal starts the first added wins: DTSTART, then the rules' in
	// order, then the RDATEs'.
	slices.SortStableFunc(occs, func(a, b Occurrence) int { return a.Start.Compare(b.Start) })
	occs = slices.CompactFunc(occs, func(a, b Occurrence) bool { return a.Start.Equal(b.Start) })
	// What the caller does with each occurrence is paid before it does it.
	if err := b.pay(int64(len(occs)) * costOccurrence); err != nil {
		return nil, err
	}
	return occs, never
}

// endsBefore reports whether every rule ends (UNTIL) before start.
func endsBefore(rules []*rule, start time.Time) bool {
	for _, r := range rules {
		if r.until.IsZero() || !r.until.Before(start) {
			return false
		}
	}
	return len(rules) > 0
}

// rdate is the occurrence an RDATE adds: on an all-day series its date as
// written; a date on a timed series at the series' time of day.
func (s *Series) rdate(rd Date, start time.Time) Occurrence {
	t := rd.Time
	switch {
	case s.AllDay:
		t = dateOf(t)
	case rd.AllDay:
		loc := start.Location()
		t = time.Date(t.Year(), t.Month(), t.Day(), start.Hour(), start.Minute(), start.Second(), 0, loc)
	}
	return Occurrence{Start: t.Truncate(time.Second), Length: rd.Length, HasLength: rd.HasLength}
}

// dateOf is t's date as written, at UTC midnight.
func dateOf(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// exclusions are a series' EXDATEs, ready to match occurrences.
type exclusions struct {
	loc *time.Location
	// dates are excluded dates: of an all-day series, or DATE values of a
	// timed one (matched by the occurrence's local date).
	dates map[time.Time]bool
	// instants are excluded DATE-TIMEs of a timed series.
	instants map[int64]bool
	allDay   bool
}

func (s *Series) exclusions() exclusions {
	x := exclusions{loc: s.Start.Location(), allDay: s.AllDay, dates: map[time.Time]bool{}, instants: map[int64]bool{}}
	for _, e := range s.ExDates {
		if s.AllDay || e.AllDay {
			x.dates[dateOf(e.Time)] = true
		} else {
			x.instants[e.Time.Unix()] = true
		}
	}
	return x
}

func (x exclusions) excludes(t time.Time) bool {
	if x.allDay {
		return x.dates[dateOf(t)]
	}
	return x.instants[t.Unix()] || len(x.dates) > 0 && x.dates[dateOf(t.In(x.loc))]
}
