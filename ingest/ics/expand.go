package ics

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/ingest/recur"
)

// occurrence is one original start of a series, before overrides.
type occurrence struct {
	when
	length    time.Duration
	hasLength bool
}

// series is everything a file says under one UID.
type series struct {
	master    *vevent
	overrides []*vevent
}

// expandAll resolves every UID's master and overrides into the instances
// that overlap the window, in start order.
func (p *parser) expandAll(vs []*vevent) ([]cal.Event, []error, error) {
	byUID := map[string]*series{}
	var order []string
	for _, v := range vs {
		s, ok := byUID[v.uid]
		if !ok {
			s = &series{}
			byUID[v.uid] = s
			order = append(order, v.uid)
		}
		if v.recurrenceID != nil {
			s.overrides = append(s.overrides, v)
			continue
		}
		// Of two masters with one UID, the higher SEQUENCE wins; on a tie
		// the first, as the reference expander does.
		if s.master == nil || v.sequence > s.master.sequence {
			s.master = v
		}
	}
	if err := p.zones.fatal; err != nil {
		return nil, nil, err
	}
	byID := map[string]cal.Event{}
	var problems []error
	for i, uid := range order {
		if err := p.check(i); err != nil {
			return nil, nil, err
		}
		if err := p.expandSeries(byUID[uid], byID); err != nil {
			if errors.Is(err, recur.ErrBudget) {
				return nil, nil, fmt.Errorf("%w (stopped at UID %q): export a shorter date range, or drop old recurring series from the file", recur.ErrBudget, uid)
			}
			problems = append(problems, err)
		}
	}
	events := make([]cal.Event, 0, len(byID))
	for _, e := range byID {
		events = append(events, e)
	}
	slices.SortFunc(events, func(a, b cal.Event) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.ID, b.ID))
	})
	return events, problems, nil
}

func (p *parser) expandSeries(s *series, out map[string]cal.Event) (err error) {
	slices.SortStableFunc(s.overrides, func(a, b *vevent) int {
		return cmp.Or(a.recurrenceID.t.Compare(b.recurrenceID.t), cmp.Compare(a.sequence, b.sequence))
	})
	// exact[k] is the override of the occurrence keyed k; the last one
	// (highest SEQUENCE) wins.
	exact := map[string]*vevent{}
	var future []*vevent
	for _, o := range s.overrides {
		exact[p.matchKey(s.master, *o.recurrenceID)] = o
		if o.thisAndFuture {
			future = append(future, o)
		}
	}
	m := s.master
	if m == nil || m.cancelled && len(m.rrules) == 0 && len(m.rdates) == 0 {
		// Overrides without their series (an export of changed instances
		// only) are events of their own.
		for _, o := range s.overrides {
			p.emit(out, o, o.uid+"_"+o.recurrenceID.key(), o.start.t, o.end(o.start.t))
		}
		return nil
	}
	if len(m.rrules) == 0 && len(m.rdates) == 0 {
		if o, ok := exact[p.matchKey(m, m.start)]; ok {
			p.emit(out, o, m.uid, o.start.t, o.end(o.start.t))
			return nil
		}
		p.emit(out, m, m.uid, m.start.t, m.end(m.start.t))
		return nil
	}
	occs, err := p.occurrences(m)
	if err != nil {
		return &Problem{File: p.file, Line: m.block.line, Component: "VEVENT", UID: m.uid, Err: err}
	}
	// The instances the series adds to the window are paid for as they
	// will be stored; a series has at most recur.MaxOccurrences.
	kept, attendees := p.kept, p.keptAttendees
	defer func() {
		if err == nil {
			err = p.zones.budget.Keep(p.kept-kept, p.keptAttendees-attendees)
		}
	}()
	// A RECURRENCE-ID given as a date on a timed series names the
	// occurrence on that local date.
	byDate := false
	for _, o := range s.overrides {
		byDate = byDate || o.recurrenceID.allDay && !m.start.allDay
	}
	seen := map[string]bool{}
	for _, occ := range occs {
		k := p.matchKey(m, occ.when)
		seen[k] = true
		id := m.uid + "_" + occ.key()
		o, ok := exact[k]
		if !ok && byDate {
			dk := occ.t.In(m.start.t.Location()).Format("20060102")
			if o, ok = exact[dk]; ok && o.recurrenceID.allDay {
				seen[dk] = true
			} else {
				ok = false
			}
		}
		if ok {
			p.emit(out, o, id, o.start.t, o.end(o.start.t))
			continue
		}
		if m.cancelled {
			continue
		}
		src := m
		// The latest THISANDFUTURE override at or before this occurrence
		// moves it by the same offset and lends it its properties (future
		// is sorted by RECURRENCE-ID, then SEQUENCE: a binary search keeps
		// a file of many such overrides linear).
		if i := sort.Search(len(future), func(i int) bool { return future[i].recurrenceID.t.After(occ.t) }); i > 0 {
			src = future[i-1]
		}
		start := occ.t
		if src != m {
			start = shift(occ.when, *src.recurrenceID, src.start)
		}
		end := src.end(start)
		if occ.hasLength && src == m {
			end = start.Add(occ.length)
		}
		p.emit(out, src, id, start, end)
	}
	// An override whose RECURRENCE-ID is no occurrence of the rule still
	// says the event happens; calendars show it, unless a newer version of
	// the series no longer has that instance.
	ex := p.exclusions(m)
	for _, o := range s.overrides {
		if k := p.matchKey(m, *o.recurrenceID); !seen[k] && exact[k] == o && !p.superseded(m, o, ex) {
			p.emit(out, o, m.uid+"_"+o.recurrenceID.key(), o.start.t, o.end(o.start.t))
		}
	}
	return nil
}

// superseded reports whether the master, in a version at least as new as
// the override o (SEQUENCE), drops the instance o changes, which is no
// occurrence of the master: by an EXDATE, or, in a strictly newer version,
// by rules that no longer produce it (an UNTIL moved before it). RFC 5545
// (3.8.7.4) has the organizer increment SEQUENCE with each significant
// revision, so the instance was deleted after it was changed. Occurrences
// are known up to the window's end only; a later RECURRENCE-ID stays.
func (p *parser) superseded(m, o *vevent, ex exclusions) bool {
	rid := *o.recurrenceID
	if m.sequence >= o.sequence && ex.excludes(p.matchKey(m, rid), rid.t.In(m.start.t.Location()).Format("20060102")) {
		return true
	}
	return m.sequence > o.sequence && rid.t.Before(p.opts.To)
}

// shift moves an occurrence by the distance between a THISANDFUTURE
// override's RECURRENCE-ID and its new start, in calendar days and
// wall-clock time in the occurrence's zone, so that a series moved by a
// day keeps its 09:00 across a DST change.
func shift(occ, rid, newStart when) time.Time {
	if occ.allDay {
		days := int(newStart.t.Sub(rid.t).Round(24*time.Hour) / (24 * time.Hour))
		return occ.t.AddDate(0, 0, days)
	}
	loc := occ.t.Location()
	r, n := rid.t.In(loc), newStart.t.In(loc)
	days := civilDay(n) - civilDay(r)
	secs := (n.Hour()*3600 + n.Minute()*60 + n.Second()) - (r.Hour()*3600 + r.Minute()*60 + r.Second())
	o := occ.t
	return time.Date(o.Year(), o.Month(), o.Day()+days, o.Hour(), o.Minute(), o.Second()+secs, o.Nanosecond(), loc)
}

// civilDay numbers t's date, whatever its zone.
func civilDay(t time.Time) int {
	return int(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// matchKey keys an occurrence or RECURRENCE-ID in the series' own terms:
// by date for an all-day series, by instant otherwise (a date given for a
// timed series matches by local date).
func (p *parser) matchKey(m *vevent, w when) string {
	if m != nil && m.start.allDay {
		// A date-time names the day as written, in its own zone.
		return w.t.Format("20060102")
	}
	return w.key()
}

// exclusions are a master's EXDATEs, looked up by key: by the series' own
// key (matchKey), and, for a date given on a timed series, by local date.
type exclusions struct{ keys, dates map[string]bool }

func (p *parser) exclusions(m *vevent) exclusions {
	ex := exclusions{keys: map[string]bool{}, dates: map[string]bool{}}
	for _, x := range m.exdates {
		if x.allDay && !m.start.allDay {
			ex.dates[x.t.Format("20060102")] = true
			continue
		}
		ex.keys[p.matchKey(m, x)] = true
	}
	return ex
}

// excludes reports whether an EXDATE names the occurrence of key k on the
// local date d (in the series' zone).
func (ex exclusions) excludes(k, d string) bool { return ex.keys[k] || ex.dates[d] }

// occurrences lists the series' original starts before the window's end.
// A rule that can never produce one adds none, and the series keeps its
// DTSTART, as calendar apps show it.
func (p *parser) occurrences(m *vevent) ([]occurrence, error) {
	s := recur.Series{Start: m.start.t, AllDay: m.start.allDay, Rules: m.rrules}
	for _, rd := range m.rdates {
		s.RDates = append(s.RDates, recur.Date{Time: rd.t, AllDay: rd.allDay, Length: rd.length, HasLength: rd.hasLength})
	}
	for _, x := range m.exdates {
		s.ExDates = append(s.ExDates, recur.Date{Time: x.t, AllDay: x.allDay})
	}
	occs, err := s.Expand(p.opts.To, p.zones.budget)
	if err != nil && !errors.Is(err, recur.ErrNeverYields) {
		return nil, err
	}
	out := make([]occurrence, len(occs))
	for i, o := range occs {
		out[i] = occurrence{when: when{t: o.Start, allDay: m.start.allDay, floating: m.start.floating}, length: o.Length, hasLength: o.HasLength}
	}
	return out, nil
}

// emit stores one instance if it is not cancelled and overlaps the window.
func (p *parser) emit(out map[string]cal.Event, v *vevent, id string, start, end time.Time) {
	if v.cancelled {
		return
	}
	if v.start.allDay {
		start = time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)
		end = time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, time.UTC)
	}
	// The window first: most of a long series' occurrences lie outside it.
	if !cal.Overlaps(start, end, p.opts.From, p.opts.To) {
		return
	}
	// Instances share their component's attendee list and categories
	// (read-only from here on): a master with a long list would otherwise
	// be copied into memory once per instance.
	e := v.base
	e.ID = id
	if id != v.uid {
		e.RecurringEventID = v.uid
	}
	e.Start, e.End = start, end
	if v.start.allDay {
		e.AllDay = true
		e.StartDate, e.EndDate = e.Start.Format(time.DateOnly), e.End.Format(time.DateOnly)
	} else {
		if name := v.start.t.Location().String(); !v.start.floating && name != "UTC" && loadIANA(name) != nil {
			e.TimeZone = name
		}
	}
	if old, dup := out[id]; dup && old.Updated.After(e.Updated) {
		return
	}
	out[id] = e
	p.kept++
	p.keptAttendees += len(e.Attendees)
}
