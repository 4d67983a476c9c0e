package report

import (
	"testing"
	"time"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
)

// workCategories are the five built-in work categories in display order.
func workCategories() []string { return cal.BuiltinWork() }

// AccountWeek accounts one week of events alone, splits and events
// included, as Build accounts each week of a report (a test checks that
// they agree); calendars order the person's calendars for duplicates.
func AccountWeek(cfg config.Week, categories, calendars []string, w Week, events []Classified) WeekReport {
	p := prepare(cfg.Accounting, cfg.Timezone, categories, calendars, events)
	seconds := make([]int64, len(events))
	r := accountWeek(cfg, categories, w, events, &p, seconds)
	focus := cfg.Accounting.Unscheduled
	if focus == config.UnscheduledNone {
		focus = cal.Implementation
	}
	g := newGatherer(events, &p, cfg.Timezone, focus, []Week{w})
	g.listEvents = true
	g.week(0, w, &r, seconds)
	return r
}

// person is one person with one calendar of the same name, with data in
// every week.
func person(name string, events []Classified) Person {
	return Person{Name: name, Calendars: []string{name}, Events: events, Coverage: everything}
}

// everything is a coverage with data at all times.
var everything = Coverage{
	Windows:  []Window{{From: time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)}},
	Earliest: time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC),
}

// defaultWeek is how a file that sets nothing counts weeks.
func defaultWeek() config.Week { return config.Default().Week }

// inZone is cfg counting weeks in loc.
func inZone(cfg config.Week, loc *time.Location) config.Week {
	cfg.Timezone = loc
	return cfg
}

// days lists working days without hours of their own.
func days(names ...string) []config.Workday {
	out := make([]config.Workday, len(names))
	for i, n := range names {
		out[i] = config.Workday{Day: n}
	}
	return out
}

// clk parses "HH:MM" ("24:00" allowed) as the config does.
func clk(hhmm string) config.Clock {
	h, m := int(hhmm[0]-'0')*10+int(hhmm[1]-'0'), int(hhmm[3]-'0')*10+int(hhmm[4]-'0')
	return config.Clock(h*60 + m)
}

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load %s: %v", name, err)
	}
	return loc
}

func mustWeek(t testing.TB, s string, loc *time.Location) Week {
	t.Helper()
	w, err := ParseWeek(s, loc)
	if err != nil {
		t.Fatalf("ParseWeek(%q): %v", s, err)
	}
	return w
}

// clock is a wall-clock time on a day of w: day 0 is Monday; day 7 is the
// next Monday, day -1 the Sunday before.
func clock(w Week, day int, hhmm string) time.Time {
	m := int(clk(hhmm))
	y, mo, d := w.Start.Date()
	return time.Date(y, mo, d+day, m/60, m%60, 0, 0, w.Start.Location())
}

// event is a confirmed, opaque timed event of the owner's own making.
func event(id, category string, from, to time.Time, opts ...func(*Classified)) Classified {
	e := Classified{
		Event: cal.Event{
			Calendar: "work", ID: id, Title: "event " + id,
			Start: from, End: to,
			Status: cal.StatusConfirmed, Transparency: cal.TransparencyOpaque, EventType: cal.TypeDefault,
		},
		Category: category,
		Rule:     "test",
	}
	for _, o := range opts {
		o(&e)
	}
	return e
}

// allDay is a date-only event stored as the ingest packages store them.
func allDay(id, category, from, to string, opts ...func(*Classified)) Classified {
	start, _ := time.Parse(time.DateOnly, from)
	end, _ := time.Parse(time.DateOnly, to)
	e := event(id, category, start, end, opts...)
	e.AllDay, e.StartDate, e.EndDate = true, from, to
	return e
}

func withType(t string) func(*Classified)   { return func(e *Classified) { e.EventType = t } }
func withStatus(s string) func(*Classified) { return func(e *Classified) { e.Status = s } }
func free(e *Classified)                    { e.Transparency = cal.TransparencyTransparent }
func series(id string) func(*Classified)    { return func(e *Classified) { e.RecurringEventID = id } }
func titled(s string) func(*Classified)     { return func(e *Classified) { e.Title = s } }

// invited makes the owner an attendee answering resp to someone else's event.
func invited(resp string) func(*Classified) {
	return func(e *Classified) {
		e.Organizer = cal.Organizer{Email: "boss@example.com"}
		e.Attendees = []cal.Attendee{
			{Email: "boss@example.com", Organizer: true, ResponseStatus: cal.ResponseAccepted},
			{Email: "me@example.com", Self: true, ResponseStatus: resp},
			{Email: "room-1@resource.example.com", Resource: true, ResponseStatus: cal.ResponseAccepted},
		}
	}
}

// with makes the owner an accepted attendee of a meeting with others.
func with(others ...string) func(*Classified) {
	return func(e *Classified) {
		e.Attendees = []cal.Attendee{{Email: "me@example.com", Self: true, ResponseStatus: cal.ResponseAccepted}}
		for _, o := range others {
			e.Attendees = append(e.Attendees, cal.Attendee{Email: o, ResponseStatus: cal.ResponseAccepted})
		}
	}
}

// organizing makes the owner the organizer of a meeting whose attendee list
// has no entry for them, as Google returns some events.
func organizing(e *Classified) {
	e.Organizer = cal.Organizer{Email: "me@example.com", Self: true}
	e.Attendees = []cal.Attendee{{Email: "peer@example.com", ResponseStatus: cal.ResponseNeedsAction}}
}

func hoursOf(seconds int64) float64 { return float64(seconds) / 3600 }
