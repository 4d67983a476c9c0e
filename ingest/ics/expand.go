package ics

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/teambition/rrule-go"
	"github.com/weekmap/weekmap/cal"
)

// maxOccurrences bounds how many occurrences of one rule are walked from
// the series' start: ten years of hourly meetings fit, a hostile
// FREQ=SECONDLY rule from 1970 fails instead of hanging the sync.
const maxOccurrences = 100_000

// maxFileOccurrences bounds the occurrences walked for a whole file, so
// that many series each just under maxOccurrences cannot hold a sync for
// minutes either. Walking costs about 6 µs an occurrence (22 hourly series
// over ten years, 1.98 million occurrences: 11.5 s on 2 vCPUs), so the
// worst file read takes about 6 s; a real calendar of 500 weekly series
// over five years walks 130,000. A variable for the tests.
var maxFileOccurrences = 1_000_000

// errFileTooLarge ends the reading of a file whose recurrences exceed
// maxFileOccurrences: unlike a broken event, it is not skipped, since
// the file as a whole cannot be read.
var errFileTooLarge = errors.New("the file-wide occurrence limit is reached")

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
	byID := map[string]cal.Event{}
	var problems []error
	for _, uid := range order {
		if err := p.expandSeries(byUID[uid], byID); err != nil {
			if errors.Is(err, errFileTooLarge) {
				return nil, nil, fmt.Errorf("its recurring events expand to more than %d occurrences before the end of the sync window (at UID %q), more than weekmap reads from one file: export a shorter date range, or drop old recurring series from the file", maxFileOccurrences, uid)
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

func (p *parser) expandSeries(s *series, out map[string]cal.Event) error {
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
	seen := map[string]bool{}
	for _, occ := range occs {
		k := p.matchKey(m, occ.when)
		seen[k] = true
		id := m.uid + "_" + occ.key()
		if o, ok := exact[k]; ok {
			p.emit(out, o, id, o.start.t, o.end(o.start.t))
			continue
		}
		if m.cancelled {
			continue
		}
		src := m
		// The latest THISANDFUTURE override at or before this occurrence
		// moves it by the same offset and lends it its properties.
		for _, f := range future {
			if !f.recurrenceID.t.After(occ.t) {
				src = f
			}
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
	// says the event happens; calendars show it, unless a master at least as
	// new (SEQUENCE) excludes that date: then the changed instance was
	// deleted afterwards.
	for _, o := range s.overrides {
		if k := p.matchKey(m, *o.recurrenceID); !seen[k] && exact[k] == o && !(m.sequence >= o.sequence && p.excludes(m, *o.recurrenceID)) {
			p.emit(out, o, m.uid+"_"+o.recurrenceID.key(), o.start.t, o.end(o.start.t))
		}
	}
	return nil
}

// shift moves an occurrence by the distance between a THISANDFUTURE
// override's RECURRENCE-ID and its new start, keeping the wall-clock offset
// in the occurrence's zone.
func shift(occ, rid, newStart when) time.Time {
	if occ.allDay {
		days := int(newStart.t.Sub(rid.t).Round(24*time.Hour) / (24 * time.Hour))
		return occ.t.AddDate(0, 0, days)
	}
	return occ.t.Add(newStart.t.Sub(rid.t))
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

// excludes reports whether one of m's EXDATEs names the occurrence w.
func (p *parser) excludes(m *vevent, w when) bool {
	k := p.matchKey(m, w)
	for _, x := range m.exdates {
		if x.allDay && !m.start.allDay {
			if x.t.Format("20060102") == w.t.In(m.start.t.Location()).Format("20060102") {
				return true
			}
			continue
		}
		if p.matchKey(m, x) == k {
			return true
		}
	}
	return false
}

// occurrences lists the series' original starts before the window's end:
// DTSTART (always the first, as calendars show it), each RRULE's
// occurrences and the RDATEs, less the EXDATEs.
func (p *parser) occurrences(m *vevent) ([]occurrence, error) {
	to := p.opts.To
	loc := m.start.t.Location()
	excluded := map[string]bool{}
	excludedDates := map[string]bool{}
	for _, x := range m.exdates {
		if x.allDay && !m.start.allDay {
			excludedDates[x.t.Format("20060102")] = true
			continue
		}
		excluded[p.matchKey(m, x)] = true
	}
	byKey := map[string]occurrence{}
	add := func(o occurrence) {
		k := p.matchKey(m, o.when)
		if excluded[k] || !m.start.allDay && excludedDates[o.t.In(loc).Format("20060102")] {
			return
		}
		if _, dup := byKey[k]; !dup {
			byKey[k] = o
		}
	}
	add(occurrence{when: m.start})
	for _, r := range m.rrules {
		opt, err := rrule.StrToROptionInLocation(r, loc)
		if err != nil {
			return nil, fmt.Errorf("RRULE %q: %w", r, err)
		}
		opt.Dtstart = m.start.t
		if !opt.Until.IsZero() && untilIsDate(r) && !m.start.allDay {
			// A date UNTIL on a timed series includes that whole day.
			u := opt.Until
			opt.Until = time.Date(u.Year(), u.Month(), u.Day(), 23, 59, 59, 0, loc)
		}
		rule, err := rrule.NewRRule(*opt)
		if err != nil {
			return nil, fmt.Errorf("RRULE %q: %w", r, err)
		}
		if checkYields(*opt) != nil {
			// Such a rule adds nothing to DTSTART, and walking it would hang.
			continue
		}
		next := rule.Iterator()
		for n := 0; ; n++ {
			t, ok := next()
			if !ok || !t.Before(to) {
				break
			}
			if n >= maxOccurrences {
				return nil, fmt.Errorf("RRULE %q has more than %d occurrences before the window ends", r, maxOccurrences)
			}
			if p.walked++; p.walked > maxFileOccurrences {
				return nil, errFileTooLarge
			}
			add(occurrence{when: when{t: t, allDay: m.start.allDay, floating: m.start.floating}})
		}
	}
	for _, rd := range m.rdates {
		w := rd.when
		if m.start.allDay && !w.allDay {
			w = when{t: time.Date(w.t.Year(), w.t.Month(), w.t.Day(), 0, 0, 0, 0, time.UTC), allDay: true}
		}
		if w.allDay && !m.start.allDay {
			// A date in a timed series happens at the series' time of day.
			s := m.start.t
			w = when{t: time.Date(w.t.Year(), w.t.Month(), w.t.Day(), s.Hour(), s.Minute(), s.Second(), 0, loc), floating: m.start.floating}
		}
		add(occurrence{when: w, length: rd.length, hasLength: rd.hasLength})
	}
	occs := make([]occurrence, 0, len(byKey))
	for _, o := range byKey {
		occs = append(occs, o)
	}
	slices.SortFunc(occs, func(a, b occurrence) int { return a.t.Compare(b.t) })
	return occs, nil
}

func untilIsDate(rule string) bool {
	for part := range strings.SplitSeq(strings.ToUpper(rule), ";") {
		if v, ok := strings.CutPrefix(part, "UNTIL="); ok {
			return len(strings.TrimSpace(v)) == 8
		}
	}
	return false
}

// emit stores one instance if it is not cancelled and overlaps the window.
func (p *parser) emit(out map[string]cal.Event, v *vevent, id string, start, end time.Time) {
	if v.cancelled {
		return
	}
	e := v.base
	e.Attendees = slices.Clone(v.base.Attendees)
	e.Categories = slices.Clone(v.base.Categories)
	e.ID = id
	if id != v.uid {
		e.RecurringEventID = v.uid
	}
	if v.start.allDay {
		e.AllDay = true
		e.Start = time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)
		e.End = time.Date(end.Year(), end.Month(), end.Day(), 0, 0, 0, 0, time.UTC)
		e.StartDate, e.EndDate = e.Start.Format(time.DateOnly), e.End.Format(time.DateOnly)
	} else {
		e.Start, e.End = start, end
		if name := v.start.t.Location().String(); !v.start.floating && name != "UTC" && loadIANA(name) != nil {
			e.TimeZone = name
		}
	}
	if !overlaps(e.Start, e.End, p.opts.From, p.opts.To) {
		return
	}
	if old, dup := out[id]; dup && old.Updated.After(e.Updated) {
		return
	}
	out[id] = e
}

// overlaps reports whether [start, end) meets [from, to). A zero-length
// event is a point and counts when from <= start < to. A zero from is open.
func overlaps(start, end, from, to time.Time) bool {
	if !start.Before(to) {
		return false
	}
	if from.IsZero() {
		return true
	}
	if end.Equal(start) {
		return !start.Before(from)
	}
	return end.After(from)
}
