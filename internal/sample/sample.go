// Package sample generates the built-in calendar behind `weekmap demo`: twelve
// weeks of a backend engineer's meetings, focus blocks and lunches, shaped
// like the events Google Calendar returns, so the demo needs no account.
package sample

import (
	"encoding/base32"
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"slices"
	"strings"
	"time"

	"github.com/weekmap/weekmap/cal"
)

// Calendar is the calendar (source) name of every sample event.
const Calendar = "demo"

// Weeks is how many ISO weeks Generate covers.
const Weeks = 12

// seed fixes the randomness; each week mixes in its own absolute week
// number, so a given calendar week looks the same whichever "now" asks.
const seed = 0x7765656b6d6170 // "weekmap"

// Generate returns the sample calendar's events for the Weeks ISO weeks
// (Monday 00:00 in loc) that end with the week containing now, sorted by
// start. The whole current week is included, as planned. The result depends
// only on that week and loc, never on the clock; a nil loc means UTC.
func Generate(now time.Time, loc *time.Location) []cal.Event {
	planned := generate(now, loc)
	events := make([]cal.Event, len(planned))
	for i, p := range planned {
		events[i] = p.Event
	}
	return events
}

// plannedEvent is an event with the category the generator meant it to
// have; tests use it to check the weekly mix the demo will show.
type plannedEvent struct {
	cal.Event
	category string
}

func generate(now time.Time, loc *time.Location) []plannedEvent {
	return generateVariant(now, loc, 0)
}

// generateVariant is generate for another engineer: variant shifts every
// week's place in the rhythms (the project's, the day off's, the
// incidents') and its randomness; 0 is the demo's own engineer.
func generateVariant(now time.Time, loc *time.Location, variant int) []plannedEvent {
	if loc == nil {
		loc = time.UTC
	}
	first := addDays(mondayOf(now.In(loc)), -7*(Weeks-1))
	var out []plannedEvent
	for w := range Weeks {
		out = append(out, newWeek(addDays(first, 7*w), loc, variant).build()...)
	}
	slices.SortStableFunc(out, func(a, b plannedEvent) int {
		if c := a.Start.Compare(b.Start); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	return out
}

// date is a civil date; times are built from it with time.Date so that wall
// clocks stay put across DST changes.
type date struct {
	y int
	m time.Month
	d int
}

func mondayOf(t time.Time) date {
	y, m, d := t.Date()
	back := (int(t.Weekday()) + 6) % 7
	return addDays(date{y, m, d}, -back)
}

func addDays(c date, n int) date {
	y, m, d := time.Date(c.y, c.m, c.d+n, 12, 0, 0, 0, time.UTC).Date()
	return date{y, m, d}
}

// weekNumber counts weeks since Monday 1970-01-05, so it is the same for a
// week whatever the zone.
func weekNumber(monday date) int64 {
	days := time.Date(monday.y, monday.m, monday.d, 0, 0, 0, 0, time.UTC).Unix() / 86400
	return floorDiv(days-4, 7)
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// mod is a non-negative remainder, so week cycles work before 1970 too.
func mod(a int64, n int64) int64 { return a - floorDiv(a, n)*n }

// span is a stretch of one day in minutes after local midnight.
type span struct{ from, to int }

// week builds one ISO week of events.
type week struct {
	monday date
	loc    *time.Location
	num    int64
	rng    *rand.Rand
	mode   mode
	ooo    int // weekday index (0 = Monday) of the out-of-office day, or -1
	busy   [5][]span
	events []plannedEvent
}

func newWeek(monday date, loc *time.Location, variant int) *week {
	num := weekNumber(monday) + int64(variant)
	w := &week{
		monday: monday,
		loc:    loc,
		num:    num,
		rng:    rand.New(rand.NewPCG(seed+uint64(variant), uint64(num))),
		mode:   modeOf(num),
		ooo:    -1,
	}
	if mod(num, Weeks) == 5 {
		w.ooo = 4 // one Friday off in every twelve weeks
	}
	return w
}

// at is the local time on weekday index day (0 = Monday), minutes after
// midnight.
func (w *week) at(day, minutes int) time.Time {
	return time.Date(w.monday.y, w.monday.m, w.monday.d+day, 0, minutes, 0, 0, w.loc)
}

func (w *week) free(day int, s span) bool {
	for _, b := range w.busy[day] {
		if s.from < b.to && b.from < s.to {
			return false
		}
	}
	return true
}

func (w *week) reserve(day int, s span) { w.busy[day] = append(w.busy[day], s) }

// place finds a free slot of length minutes on a working day (not the day
// off), trying days and half-hour starts in a seeded random order, and
// reserves it. It reports false when the week is full.
func (w *week) place(length int, earliest, latest int) (int, span, bool) {
	for _, day := range w.rng.Perm(5) {
		if day == w.ooo {
			continue
		}
		slots := (latest - length - earliest) / 30
		if slots < 0 {
			continue
		}
		for _, i := range w.rng.Perm(slots + 1) {
			s := span{earliest + 30*i, earliest + 30*i + length}
			if w.free(day, s) {
				w.reserve(day, s)
				return day, s, true
			}
		}
	}
	return 0, span{}, false
}

// timed adds a timed event; a non-empty series makes it an instance of that
// recurring event.
func (w *week) timed(kind, seriesID string, day int, s span, e cal.Event, category string) {
	e.Calendar = Calendar
	e.Start = w.at(day, s.from)
	e.End = w.at(day, s.to)
	if name := w.loc.String(); name != "Local" {
		e.TimeZone = name // "Local" is no IANA name; leave it unset
	}
	if seriesID != "" {
		e.RecurringEventID = seriesID
		e.ID = seriesID + "_" + e.Start.UTC().Format("20060102T150405Z")
	} else {
		e.ID = eventID(kind, e.Start)
	}
	w.events = append(w.events, plannedEvent{Event: defaults(e), category: category})
}

// allDay adds a date-only event on weekday index day.
func (w *week) allDay(kind string, day int, e cal.Event, category string) {
	e.Calendar = Calendar
	e.AllDay = true
	e.Start = w.at(day, 0)
	e.End = w.at(day+1, 0)
	e.StartDate = e.Start.Format(time.DateOnly)
	e.EndDate = e.End.Format(time.DateOnly)
	e.ID = eventID(kind, e.Start)
	w.events = append(w.events, plannedEvent{Event: defaults(e), category: category})
}

// defaults fills what Google always sends: a status, an event type, a
// transparency, and the owner as organizer of their own events.
func defaults(e cal.Event) cal.Event {
	if e.Status == "" {
		e.Status = cal.StatusConfirmed
	}
	if e.EventType == "" {
		e.EventType = cal.TypeDefault
	}
	if e.Transparency == "" {
		e.Transparency = cal.TransparencyOpaque
	}
	if e.Organizer.Email == "" {
		e.Organizer = cal.Organizer{Email: owner, Self: true}
	}
	return e
}

// eventID makes a stable Google-style id (base32hex, lower case) for a
// one-off event from its kind and start.
func eventID(kind string, start time.Time) string {
	h := fnv.New64a()
	fmt.Fprintf(h, "%s|%d", kind, start.Unix())
	enc := base32.HexEncoding.WithPadding(base32.NoPadding)
	return strings.ToLower(enc.EncodeToString(h.Sum(nil)))
}

// attendees builds a guest list with the organizer first and the owner's
// own entry carrying their response. Rooms are resources.
func attendees(organizer string, guests []string, room string, mine response) []cal.Attendee {
	var list []cal.Attendee
	if organizer == "" {
		organizer = owner
	}
	list = append(list, cal.Attendee{Email: organizer, Organizer: true, ResponseStatus: accepted, Self: organizer == owner})
	for _, g := range guests {
		if g != organizer && g != owner {
			list = append(list, cal.Attendee{Email: g, ResponseStatus: accepted})
		}
	}
	if organizer == owner {
		list[0].ResponseStatus = mine
	} else {
		list = append(list, cal.Attendee{Email: owner, Self: true, ResponseStatus: mine})
	}
	if room != "" {
		list = append(list, cal.Attendee{Email: room, Resource: true, ResponseStatus: accepted})
	}
	return list
}

func organizerOf(email string) cal.Organizer {
	if email == "" || email == owner {
		return cal.Organizer{Email: owner, Self: true}
	}
	return cal.Organizer{Email: email}
}

func pick[T any](r *rand.Rand, from []T) T { return from[r.IntN(len(from))] }
