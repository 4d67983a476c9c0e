package report

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Splits divides work time three ways, each of which adds up:
//
//	OneOnOne + SmallGroup + LargeGroup + Solo + unscheduled = total
//	Recurring + OneOff + unscheduled                       = total
//	FocusBooked + unscheduled                               = the focus category's time
//
// where unscheduled and total are the week's (or summary's)
// UnscheduledSeconds and TotalSeconds, and the focus category is the
// report's FocusCategory. Each figure is counted events' time after
// overlaps were resolved, so an instant is in exactly one part of each.
type Splits struct {
	// Meetings are counted events with at least two people: 1:1s (2),
	// small groups (3 to 8) and large ones (9 or more). Solo is counted
	// events of one person: focus blocks, work booked alone.
	OneOnOneSeconds, SmallGroupSeconds, LargeGroupSeconds, SoloSeconds int64
	// RecurringSeconds is counted instances of a series, OneOffSeconds
	// the other counted events.
	RecurringSeconds, OneOffSeconds int64
	// FocusBookedSeconds is counted events' time in the focus category:
	// heads-down time someone booked, as against time nothing was in.
	FocusBookedSeconds int64
}

// MeetingSeconds is the time in meetings of any size.
func (s Splits) MeetingSeconds() int64 {
	return s.OneOnOneSeconds + s.SmallGroupSeconds + s.LargeGroupSeconds
}

func (s *Splits) add(o Splits) {
	s.OneOnOneSeconds += o.OneOnOneSeconds
	s.SmallGroupSeconds += o.SmallGroupSeconds
	s.LargeGroupSeconds += o.LargeGroupSeconds
	s.SoloSeconds += o.SoloSeconds
	s.RecurringSeconds += o.RecurringSeconds
	s.OneOffSeconds += o.OneOffSeconds
	s.FocusBookedSeconds += o.FocusBookedSeconds
}

// Meeting sizes: a meeting has at least two people; up to maxSmallGroup it
// is a small group, and collaborators are counted only up to that size.
const (
	meetingPeople = 2
	maxSmallGroup = 8
)

// credit adds an event's credited seconds to the split it falls in.
func (s *Splits) credit(e *Classified, people int, seconds int64, focus string) {
	switch {
	case people < meetingPeople:
		s.SoloSeconds += seconds
	case people == meetingPeople:
		s.OneOnOneSeconds += seconds
	case people <= maxSmallGroup:
		s.SmallGroupSeconds += seconds
	default:
		s.LargeGroupSeconds += seconds
	}
	if e.Recurring() {
		s.RecurringSeconds += seconds
	} else {
		s.OneOffSeconds += seconds
	}
	if e.Category == focus {
		s.FocusBookedSeconds += seconds
	}
}

// peopleAt counts the people at an event: its attendees that are people
// (rooms and equipment are not), plus the owner when they organize it and
// the attendee list leaves them out, as Google returns some events. An
// event without attendees has one person, its owner.
func peopleAt(e *Classified) int {
	n := e.People()
	if !e.Organizer.Self {
		return n
	}
	listed := 0
	for _, a := range e.Attendees {
		if a.Resource {
			continue
		}
		listed++
		if a.Self || (e.Organizer.Email != "" && strings.EqualFold(a.Email, e.Organizer.Email)) {
			return n
		}
	}
	if listed == 0 {
		return n
	}
	return n + 1
}

// gatherer collects, week after week, what a person's report needs beyond
// the accounting's figures: each week's splits and events, and over all
// weeks the recurring series and the people met.
type gatherer struct {
	events []Classified
	p      *prepared
	loc    *time.Location
	focus  string
	// from and to are every event's span, excluded ones too (prepare
	// leaves those at 0), so that a week can list them with a reason.
	from, to []int64
	people   []int
	// met marks the events whose attendees were already counted as
	// collaborators: an event over a week boundary is one meeting.
	met           []bool
	series        map[string]*seriesTime
	collaborators map[string]*Collaborator
	domains       map[string]*Collaborator
}

func newGatherer(events []Classified, p *prepared, loc *time.Location, focus string) *gatherer {
	t := &gatherer{
		events: events, p: p, loc: loc, focus: focus,
		from: make([]int64, len(events)), to: make([]int64, len(events)),
		people: make([]int, len(events)), met: make([]bool, len(events)),
		series: map[string]*seriesTime{}, collaborators: map[string]*Collaborator{}, domains: map[string]*Collaborator{},
	}
	for i := range events {
		if p.disp[i] != asExcluded {
			t.from[i], t.to[i] = p.from[i], p.to[i]
		} else {
			t.from[i], t.to[i] = eventSpan(&events[i], loc)
		}
		t.people[i] = peopleAt(&events[i])
	}
	return t
}

// week fills r's splits and events from eventSeconds, which accountWeek
// filled for week w, and resets eventSeconds for the next week.
func (t *gatherer) week(w Week, r *WeekReport, eventSeconds []int64) {
	ws, we := w.Start.Unix(), w.End.Unix()
	// Time off as accountWeek sees it: a work event wholly inside it does
	// not count.
	var off []span
	for i, d := range t.p.disp {
		if d == asOff {
			if from, to := max(t.from[i], ws), min(t.to[i], we); from < to {
				off = append(off, span{from, to})
			}
		}
	}
	off = union(off)
	for i := range t.events {
		from, to := max(t.from[i], ws), min(t.to[i], we)
		if from >= to {
			continue // not in this week, or no time at all
		}
		e := &t.events[i]
		seconds := eventSeconds[i]
		eventSeconds[i] = 0
		ev := WeekEvent{
			Title: e.Title, Start: time.Unix(t.from[i], 0).In(t.loc), End: time.Unix(t.to[i], 0).In(t.loc), AllDay: e.AllDay,
			Category: e.Category, Rule: e.Rule, Seconds: seconds, People: t.people[i], seriesID: e.RecurringEventID,
		}
		if !e.AllDay {
			ev.Start, ev.End = e.Start.In(t.loc), e.End.In(t.loc)
		}
		switch d := t.p.disp[i]; {
		case d == asWork && covers(off, from, to):
			ev.Reason = ReasonTimeOff
		case d == asWork:
			ev.Counted = true
		default:
			ev.Reason, ev.Off = t.p.reason[i], d == asOff
		}
		r.Events = append(r.Events, ev)
		if seconds == 0 {
			continue
		}
		r.Splits.credit(e, t.people[i], seconds, t.focus)
		if e.Recurring() {
			addSeriesTime(t.series, e, seconds)
		}
		if t.people[i] >= meetingPeople && t.people[i] <= maxSmallGroup {
			t.meet(i, seconds)
		}
	}
	// Events that look alike to a reader are interchangeable, so the order
	// does not depend on the order the store returned them in.
	slices.SortFunc(r.Events, compareWeekEvents)
}

func compareWeekEvents(a, b WeekEvent) int {
	return cmp.Or(a.Start.Compare(b.Start), a.End.Compare(b.End), strings.Compare(a.Title, b.Title),
		strings.Compare(a.Category, b.Category), strings.Compare(a.Rule, b.Rule), cmpBool(b.Counted, a.Counted),
		cmp.Compare(b.Seconds, a.Seconds), strings.Compare(a.Reason, b.Reason), cmpBool(a.Off, b.Off), cmp.Compare(a.People, b.People),
		strings.Compare(a.seriesID, b.seriesID))
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// meet credits the other people at event i with seconds of shared meeting
// time, by address and by domain.
func (t *gatherer) meet(i int, seconds int64) {
	e := &t.events[i]
	first := !t.met[i]
	t.met[i] = true
	var seen []string
	for _, a := range e.Attendees {
		if a.Resource || a.Self || a.Email == "" || (e.Organizer.Self && strings.EqualFold(a.Email, e.Organizer.Email)) {
			continue
		}
		addr := strings.ToLower(a.Email)
		if slices.Contains(seen, addr) {
			continue
		}
		seen = append(seen, addr)
		credit(t.collaborators, addr, seconds, first)
	}
	var domains []string
	for _, addr := range seen {
		if at := strings.LastIndexByte(addr, '@'); at >= 0 && at < len(addr)-1 && !slices.Contains(domains, addr[at+1:]) {
			domains = append(domains, addr[at+1:])
		}
	}
	for _, d := range domains {
		credit(t.domains, d, seconds, first)
	}
}

func credit(m map[string]*Collaborator, key string, seconds int64, newMeeting bool) {
	c := m[key]
	if c == nil {
		c = &Collaborator{Key: key}
		m[key] = c
	}
	c.Seconds += seconds
	if newMeeting {
		c.Meetings++
	}
}

// How many collaborators and domains a person's report keeps.
const (
	topCollaborators = 10
	topDomains       = 5
)

// finish ranks what the weeks gathered into p and marks each listed event
// with the rank of its series among p's TopMeetings.
func (t *gatherer) finish(p *PersonReport) {
	var ids []string
	p.TopMeetings, ids = rankSeries(t.series)
	p.Collaborators = rankCollaborators(t.collaborators, topCollaborators)
	p.Domains = rankCollaborators(t.domains, topDomains)
	if len(ids) == 0 {
		return
	}
	for w := range p.Weeks {
		for i := range p.Weeks[w].Events {
			ev := &p.Weeks[w].Events[i]
			if ev.seriesID != "" {
				ev.Series = slices.Index(ids, ev.seriesID) + 1
			}
		}
	}
}

func rankCollaborators(m map[string]*Collaborator, n int) []Collaborator {
	all := make([]Collaborator, 0, len(m))
	for _, c := range m {
		all = append(all, *c)
	}
	slices.SortFunc(all, func(a, b Collaborator) int {
		return cmp.Or(cmp.Compare(b.Seconds, a.Seconds), strings.Compare(a.Key, b.Key))
	})
	if len(all) > n {
		all = all[:n]
	}
	if len(all) == 0 {
		return nil
	}
	return all
}
