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
	// listEvents makes each week list its events (the page's drill-down).
	listEvents bool
	// from and to are every event's span, excluded ones too (prepare
	// leaves those at 0), so that a week can list them with a reason.
	from, to []int64
	people   []int
	// met marks the events whose attendees were already counted as
	// collaborators: an event over a week boundary is one meeting.
	met []bool
	// inWeek[k] lists the events that overlap the k-th week, in index
	// order, so that a week looks at its own events only.
	inWeek        [][]int
	series        map[string]*seriesTime
	collaborators map[string]*Collaborator
	domains       map[string]*Collaborator
}

func newGatherer(events []Classified, p *prepared, loc *time.Location, focus string, weeks []Week) *gatherer {
	t := &gatherer{
		events: events, p: p, loc: loc, focus: focus,
		from: make([]int64, len(events)), to: make([]int64, len(events)),
		people: make([]int, len(events)), met: make([]bool, len(events)),
		series: map[string]*seriesTime{}, collaborators: map[string]*Collaborator{}, domains: map[string]*Collaborator{},
		inWeek: make([][]int, len(weeks)),
	}
	for i := range events {
		if p.disp[i] != asExcluded {
			t.from[i], t.to[i] = p.from[i], p.to[i]
		} else {
			t.from[i], t.to[i] = eventSpan(&events[i], loc)
		}
		t.people[i] = peopleAt(&events[i])
		// Weeks are oldest first: find the first that ends after the
		// event starts, and take every one that starts before it ends.
		k, _ := slices.BinarySearchFunc(weeks, t.from[i], func(w Week, at int64) int { return cmp.Compare(w.End.Unix(), at+1) })
		for ; k < len(weeks) && weeks[k].Start.Unix() < t.to[i]; k++ {
			t.inWeek[k] = append(t.inWeek[k], i)
		}
	}
	return t
}

// week fills r's splits and events from eventSeconds, which accountWeek
// filled for the k-th week, w, and resets eventSeconds for the next week.
func (t *gatherer) week(k int, w Week, r *WeekReport, eventSeconds []int64) {
	ws, we := w.Start.Unix(), w.End.Unix()
	// Time off as accountWeek sees it: a work event wholly inside it does
	// not count.
	var off []span
	for _, i := range t.inWeek[k] {
		if t.p.disp[i] == asOff {
			if from, to := max(t.from[i], ws), min(t.to[i], we); from < to {
				off = append(off, span{from, to})
			}
		}
	}
	off = union(off)
	rows := make([]listed, 0, len(t.inWeek[k]))
	for _, i := range t.inWeek[k] {
		from, to := max(t.from[i], ws), min(t.to[i], we)
		if from >= to {
			continue // not in this week, or no time at all
		}
		row := listed{i: i, from: t.from[i], to: t.to[i], seconds: eventSeconds[i]}
		eventSeconds[i] = 0
		switch d := t.p.disp[i]; {
		case d == asWork && covers(off, from, to):
			row.reason = ReasonTimeOff
		case d == asWork:
			row.counted = true
		default:
			row.reason, row.off = t.p.reason[i], d == asOff
		}
		if t.listEvents {
			rows = append(rows, row)
		}
		if row.seconds == 0 {
			continue
		}
		e := &t.events[i]
		r.Splits.credit(e, t.people[i], row.seconds, t.focus)
		if e.Recurring() {
			addSeriesTime(t.series, e, row.seconds)
		}
		if t.people[i] >= meetingPeople && t.people[i] <= maxSmallGroup {
			t.meet(i, row.seconds)
		}
	}
	if !t.listEvents {
		return
	}
	// In start order; events that look alike to a reader are
	// interchangeable, so the order does not depend on the order the store
	// returned them in.
	slices.SortFunc(rows, t.compare)
	r.Events = make([]WeekEvent, len(rows))
	for n, row := range rows {
		e := &t.events[row.i]
		ev := WeekEvent{
			Title: e.Title, Start: e.Start.In(t.loc), End: e.End.In(t.loc), AllDay: e.AllDay,
			Category: e.Category, Rule: e.Rule, Seconds: row.seconds, Counted: row.counted, Reason: row.reason, Off: row.off,
			People: t.people[row.i], seriesID: e.RecurringEventID,
		}
		if e.AllDay {
			ev.Start, ev.End = time.Unix(t.from[row.i], 0).In(t.loc), time.Unix(t.to[row.i], 0).In(t.loc)
		}
		r.Events[n] = ev
	}
}

// listed is an event of a week with what the week made of it.
type listed struct {
	i            int // into the events
	from, to     int64
	seconds      int64
	counted, off bool
	reason       string
}

func (t *gatherer) compare(a, b listed) int {
	if a.from != b.from {
		return cmp.Compare(a.from, b.from)
	}
	if a.to != b.to {
		return cmp.Compare(a.to, b.to)
	}
	x, y := &t.events[a.i], &t.events[b.i]
	return cmp.Or(strings.Compare(x.Title, y.Title), strings.Compare(x.Category, y.Category), strings.Compare(x.Rule, y.Rule),
		cmpBool(b.counted, a.counted), cmp.Compare(b.seconds, a.seconds), strings.Compare(a.reason, b.reason), cmpBool(a.off, b.off),
		cmp.Compare(t.people[a.i], t.people[b.i]), strings.Compare(x.RecurringEventID, y.RecurringEventID),
		cmpBool(x.AllDay, y.AllDay))
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
