package report

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
)

// Reasons an event is not counted as work, as Verdicts reports them.
const (
	ReasonCancelled       = "cancelled"
	ReasonDeclined        = "declined"
	ReasonWorkingLocation = "working location"
	ReasonBirthday        = "birthday"
	// ReasonTimeOff is time off itself (category off, out of office, an
	// event of a holidays calendar), and an event that falls wholly in it.
	ReasonTimeOff    = "time off"
	ReasonAllDay     = "all-day"
	ReasonFree       = "free"
	ReasonTentative  = "tentative"
	ReasonUnanswered = "unanswered"
	ReasonIgnored    = "ignored"
	// ReasonDuplicate is the second copy of a meeting that is in two of the
	// person's calendars (or on two invites): only one copy counts.
	ReasonDuplicate = "duplicate"
)

// disposition is what accounting does with an event's time.
type disposition int

const (
	// asExcluded events leave no trace: their time is neither work nor
	// taken out of working hours.
	asExcluded disposition = iota
	// asWork events count in their category.
	asWork
	// asBlocking events (ignore) are not work and take their time out of
	// working hours, but never outrank a counted event.
	asBlocking
	// asOff events (time off) take their time out of working hours and
	// outrank every other event: nothing counts while you are away.
	asOff
)

// Verdict is whether an event counts as work and, if not, why.
type Verdict struct {
	Counted bool
	// Reason is one of the Reason constants, "" when Counted.
	Reason string
}

// Verdicts reports for each of a person's events whether it counts and
// why not, as the report counts them: duplicates of a meeting in two
// calendars count once, and nothing counts during time off.
// calendars orders the person's calendars (see duplicates).
func Verdicts(cfg config.Week, calendars []string, events []Classified) []Verdict {
	p := prepare(cfg.Accounting, cfg.Timezone, nil, calendars, events)
	var off []span
	for i, d := range p.disp {
		if d == asOff {
			off = append(off, span{p.from[i], p.to[i]})
		}
	}
	off = union(off)
	out := make([]Verdict, len(events))
	for i, d := range p.disp {
		switch {
		case d == asWork && covers(off, p.from[i], p.to[i]) && p.from[i] < p.to[i]:
			out[i] = Verdict{Reason: ReasonTimeOff}
		case d == asWork:
			out[i] = Verdict{Counted: true}
		default:
			out[i] = Verdict{Reason: p.reason[i]}
		}
	}
	return out
}

// dispose decides what an event's time is, from the event alone. The
// order matters only for which reason is shown: an event that is both
// cancelled and free is "cancelled".
func dispose(a config.Accounting, e *Classified) (disposition, string) {
	switch {
	case e.Status == cal.StatusCancelled:
		return asExcluded, ReasonCancelled
	case e.MyResponse() == cal.ResponseDeclined:
		return asExcluded, ReasonDeclined
	case e.EventType == cal.TypeWorkingLocation:
		return asExcluded, ReasonWorkingLocation
	case e.EventType == cal.TypeBirthday:
		return asExcluded, ReasonBirthday
	case e.Category == cal.Off || e.EventType == cal.TypeOutOfOffice:
		// Before the all-day and free checks: a day off is usually an
		// all-day event, which Google shows as free, and it is exactly what
		// must take that day out of working hours.
		return asOff, ReasonTimeOff
	case e.AllDay:
		return asExcluded, ReasonAllDay
	case e.Transparency == cal.TransparencyTransparent && !a.CountFree:
		return asExcluded, ReasonFree
	case tentative(e) && !a.CountTentative:
		return asExcluded, ReasonTentative
	case e.MyResponse() == cal.ResponseNeedsAction && !a.CountUnanswered:
		return asExcluded, ReasonUnanswered
	case e.Category == cal.Ignore:
		return asBlocking, ReasonIgnored
	}
	return asWork, ""
}

// tentative covers both an organizer's tentative event and the owner's
// "maybe" answer to an invitation.
func tentative(e *Classified) bool {
	return e.Status == cal.StatusTentative || e.MyResponse() == cal.ResponseTentative
}

// duplicates finds the events that are the same meeting as another: the
// same iCalendar UID and start (a meeting in two of the person's calendars,
// or an instance of a series in both), or the same title, start and end
// (two invites, an event copied by hand). For each event it returns the
// index of the copy that counts instead, or -1 if it is that copy (or has
// no twin). The copy that counts is chosen by better. disp is each event's
// disposition (dispose). Cancelled events are nobody's twin.
func duplicates(events []Classified, calendars []string, disp []disposition) []int {
	rank := func(c string) int {
		if i := slices.Index(calendars, c); i >= 0 {
			return i
		}
		return len(calendars)
	}
	parent := make([]int, len(events))
	for i := range parent {
		parent[i] = i
	}
	var find func(int) int
	find = func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	// Both kinds of twin start at the same moment (or on the same day, for
	// all-day events), so the events are grouped by start and only events
	// of one group are compared: a year of a calendar is a hundred
	// thousand events, and keys built and hashed per event were a third
	// of a report's time.
	type start struct {
		allDay bool
		unix   int64
		date   string
	}
	startOf := func(e *Classified) start {
		if e.AllDay {
			return start{allDay: true, date: e.StartDate}
		}
		return start{unix: e.Start.Unix()}
	}
	compare := func(a, b start) int {
		switch {
		case a.allDay != b.allDay:
			return cmpBool(a.allDay, b.allDay)
		case a.unix != b.unix:
			return cmp.Compare(a.unix, b.unix)
		}
		return strings.Compare(a.date, b.date)
	}
	type keyed struct {
		s start
		i int
	}
	byStart := make([]keyed, 0, len(events))
	for i := range events {
		if events[i].Status != cal.StatusCancelled {
			byStart = append(byStart, keyed{startOf(&events[i]), i})
		}
	}
	slices.SortFunc(byStart, func(a, b keyed) int {
		if c := compare(a.s, b.s); c != 0 {
			return c
		}
		return cmp.Compare(a.i, b.i)
	})
	idx := make([]int, len(byStart))
	for k, e := range byStart {
		idx[k] = e.i
	}
	twins := func(a, b *Classified) bool {
		if a.ICalUID != "" && a.ICalUID == b.ICalUID {
			return true // same UID, same start
		}
		if a.Title != b.Title {
			return false
		}
		if a.AllDay {
			return a.EndDate == b.EndDate
		}
		return a.End.Equal(b.End)
	}
	for lo := 0; lo < len(idx); {
		hi := lo + 1
		for hi < len(idx) && compare(byStart[hi].s, byStart[lo].s) == 0 {
			hi++
		}
		group := idx[lo:hi]
		if len(group) > 32 {
			// A crowd at one moment (a hostile file can make one):
			// keys instead of every pair.
			type key struct{ uid, title, end string }
			seen := make(map[key]int, 2*len(group))
			for _, i := range group {
				e := &events[i]
				end := e.EndDate
				if !e.AllDay {
					end = strconv.FormatInt(e.End.Unix(), 10)
				}
				keys := []key{{title: e.Title, end: end}}
				if e.ICalUID != "" {
					keys = append(keys, key{uid: e.ICalUID})
				}
				for _, k := range keys {
					if j, ok := seen[k]; ok {
						parent[find(i)] = find(j)
					} else {
						seen[k] = i
					}
				}
			}
		} else {
			for x, i := range group {
				for _, j := range group[:x] {
					if twins(&events[i], &events[j]) {
						parent[find(i)] = find(j)
					}
				}
			}
		}
		lo = hi
	}
	best := make([]int, len(events)) // by root: the copy that counts
	for i := range best {
		best[i] = -1
	}
	for i := range events {
		if events[i].Status == cal.StatusCancelled {
			continue
		}
		root := find(i)
		if b := best[root]; b < 0 || better(&events[i], &events[b], disp[i], disp[b], rank) {
			best[root] = i
		}
	}
	out := make([]int, len(events))
	for i := range events {
		out[i] = -1
		if events[i].Status == cal.StatusCancelled {
			continue
		}
		if b := best[find(i)]; b != i {
			out[i] = b
		}
	}
	return out
}

// better reports whether copy a of a meeting should count rather than b,
// whose dispositions are da and db. First the person's own answer: a
// decline in any copy wins (a meeting declined in one calendar is
// declined), then a copy holding an answer beats one where the person is
// listed unanswered, which beats one without them; then a copy that is
// time off (a holidays calendar's copy of a day some other calendar shows
// as a plain all-day event); then the calendar listed first; then the
// smallest id.
func better(a, b *Classified, da, db disposition, rank func(calendar string) int) bool {
	return cmp.Or(
		cmp.Compare(answerRank(b), answerRank(a)),
		cmp.Compare(offRank(db), offRank(da)),
		cmp.Compare(rank(a.Calendar), rank(b.Calendar)),
		cmp.Compare(a.Calendar, b.Calendar),
		cmp.Compare(a.ID, b.ID)) < 0
}

// answerRank orders the copies of a meeting by what they say of the
// person's answer: declined 3, another answer 2, listed without an answer
// 1, not listed 0.
func answerRank(e *Classified) int {
	me, ok := e.SelfAttendee()
	switch {
	case !ok:
		return 0
	case me.ResponseStatus == cal.ResponseDeclined:
		return 3
	case me.ResponseStatus == "" || me.ResponseStatus == cal.ResponseNeedsAction:
		return 1
	}
	return 2
}

func offRank(d disposition) int {
	if d == asOff {
		return 1
	}
	return 0
}

// eventSpan is the event's time in Unix seconds. All-day events are stored
// as dates; a date means the local day in loc, whatever zone the event was
// written in.
func eventSpan(e *Classified, loc *time.Location) (from, to int64) {
	if !e.AllDay {
		return e.Start.Unix(), e.End.Unix()
	}
	start := localMidnight(e.StartDate, e.Start, loc)
	end := localMidnight(e.EndDate, e.End, loc)
	if !end.After(start) {
		// A date-only event without a usable end lasts its start day,
		// as RFC 5545 says for a DTSTART without DTEND.
		end = time.Date(start.Year(), start.Month(), start.Day()+1, 0, 0, 0, 0, loc)
	}
	return start.Unix(), end.Unix()
}

func localMidnight(date string, fallback time.Time, loc *time.Location) time.Time {
	if d, err := time.Parse(time.DateOnly, date); err == nil {
		fallback = d
	}
	y, m, d := fallback.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}
