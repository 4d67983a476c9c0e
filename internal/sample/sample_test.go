package sample

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/ingest/googleevent"
)

func mustZone(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatalf("load zone %s: %v", name, err)
	}
	return loc
}

// windowStart is the Monday 00:00 that opens the twelve weeks ending with
// now's week, computed independently of the generator.
func windowStart(now time.Time, loc *time.Location) time.Time {
	n := now.In(loc)
	back := (int(n.Weekday()) + 6) % 7
	return time.Date(n.Year(), n.Month(), n.Day()-back-7*(Weeks-1), 0, 0, 0, 0, loc)
}

func TestGenerateDeterministic(t *testing.T) {
	berlin := mustZone(t, "Europe/Berlin")
	monday := time.Date(2026, 11, 16, 0, 0, 0, 0, berlin)
	tests := []struct {
		name string
		a, b time.Time
	}{
		{"same instant", monday.Add(10 * time.Hour), monday.Add(10 * time.Hour)},
		{"start and end of the week", monday, monday.AddDate(0, 0, 7).Add(-time.Second)},
		{"same week, now in another zone", monday.Add(30 * time.Hour).UTC(), monday.Add(100 * time.Hour)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := Generate(tt.a, berlin), Generate(tt.b, berlin)
			if !reflect.DeepEqual(a, b) {
				t.Errorf("got %d and %d events that differ, want identical slices", len(a), len(b))
			}
		})
	}
}

// A week's events do not depend on which window they are seen from, so the
// demo's history stays put as the weeks go by.
func TestGenerateWeeksStableAcrossWindows(t *testing.T) {
	loc := mustZone(t, "America/New_York")
	now := time.Date(2026, 6, 10, 12, 0, 0, 0, loc)
	this, next := Generate(now, loc), Generate(now.AddDate(0, 0, 7), loc)
	cut := windowStart(now.AddDate(0, 0, 7), loc)
	end := windowStart(now.AddDate(0, 0, 7*Weeks), loc)
	var a, b []cal.Event
	for _, e := range this {
		if !e.Start.Before(cut) {
			a = append(a, e)
		}
	}
	for _, e := range next {
		if e.Start.Before(end) {
			b = append(b, e)
		}
	}
	if len(a) == 0 || !reflect.DeepEqual(a, b) {
		t.Errorf("shared weeks: got %d and %d events that differ, want identical", len(a), len(b))
	}
	if reflect.DeepEqual(this, next) {
		t.Errorf("windows a week apart: got identical events, want different")
	}
}

var instanceID = regexp.MustCompile(`^([a-v0-9]+)_(\d{8}T\d{6}Z)$`)

func TestGenerateWindow(t *testing.T) {
	tests := []struct {
		zone string
		now  time.Time // wall time, read in zone
	}{
		{"UTC", time.Date(2026, 11, 18, 9, 0, 0, 0, time.UTC)},
		{"Asia/Kolkata", time.Date(2026, 1, 1, 23, 0, 0, 0, time.UTC)},
		{"Europe/Berlin", time.Date(2026, 11, 22, 23, 59, 0, 0, time.UTC)},
		// Spring forward (Sunday 8 March 2026), as the current week and inside the window.
		{"America/New_York", time.Date(2026, 3, 5, 12, 0, 0, 0, time.UTC)},
		{"America/New_York", time.Date(2026, 3, 12, 12, 0, 0, 0, time.UTC)},
		// Fall back (Sunday 1 November 2026).
		{"America/New_York", time.Date(2026, 10, 28, 12, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.zone+"/"+tt.now.Format(time.DateOnly), func(t *testing.T) {
			loc := mustZone(t, tt.zone)
			now := time.Date(tt.now.Year(), tt.now.Month(), tt.now.Day(), tt.now.Hour(), 0, 0, 0, loc)
			start := windowStart(now, loc)
			end := windowStart(now, loc).AddDate(0, 0, 7*Weeks)
			events := Generate(now, loc)
			if len(events) == 0 {
				t.Fatal("got no events")
			}

			weeks := map[string]int{}
			ids := map[string]bool{}
			for _, e := range events {
				if ids[e.ID] {
					t.Errorf("id %s: got it twice, want unique ids", e.ID)
				}
				ids[e.ID] = true
				if e.Calendar != Calendar {
					t.Errorf("%s: got calendar %q, want %q", e.ID, e.Calendar, Calendar)
				}
				if !e.End.After(e.Start) {
					t.Errorf("%s: got end %v not after start %v", e.ID, e.End, e.Start)
				}
				if e.Start.Before(start) || e.End.After(end) {
					t.Errorf("%s: got %v–%v, want within %v–%v", e.ID, e.Start, e.End, start, end)
				}
				if e.Start.Location() != loc {
					t.Errorf("%s: got start in %v, want %v", e.ID, e.Start.Location(), loc)
				}
				if e.AllDay && (e.StartDate != e.Start.Format(time.DateOnly) || e.EndDate != e.End.Format(time.DateOnly)) {
					t.Errorf("%s: got dates %s–%s for %v–%v", e.ID, e.StartDate, e.EndDate, e.Start, e.End)
				}
				if e.Recurring() {
					m := instanceID.FindStringSubmatch(e.ID)
					if m == nil || m[1] != e.RecurringEventID || m[2] != e.Start.UTC().Format("20060102T150405Z") {
						t.Errorf("%s: got instance id not <series>_<start UTC> for series %s at %v", e.ID, e.RecurringEventID, e.Start.UTC())
					}
				}
				if len(e.Attendees) > 0 {
					self := 0
					for _, a := range e.Attendees {
						if a.Self {
							self++
						}
					}
					if self != 1 {
						t.Errorf("%s: got %d self attendees, want 1", e.ID, self)
					}
				}
				// Wall clocks survive DST: the standup is always 09:30 local.
				if e.RecurringEventID == idStandup && (e.Start.Hour() != 9 || e.Start.Minute() != 30) {
					t.Errorf("%s: got standup at %s, want 09:30", e.ID, e.Start.Format("15:04"))
				}
				y, w := e.Start.ISOWeek()
				weeks[fmt.Sprintf("%d-W%02d", y, w)]++
			}
			if len(weeks) != Weeks {
				t.Errorf("got %d ISO weeks with events, want %d: %v", len(weeks), Weeks, weeks)
			}
			if !slices.IsSortedFunc(events, func(a, b cal.Event) int { return a.Start.Compare(b.Start) }) {
				t.Error("got events out of start order")
			}
		})
	}
}

func TestGenerateVariety(t *testing.T) {
	org := []string{"example.com"}
	checks := []struct {
		what string
		ok   func(e cal.Event) bool
		min  int
	}{
		{"out-of-office day", func(e cal.Event) bool { return e.EventType == cal.TypeOutOfOffice }, 1},
		{"declined by me", func(e cal.Event) bool { return e.MyResponse() == cal.ResponseDeclined }, 3},
		{"tentative", func(e cal.Event) bool { return e.MyResponse() == cal.ResponseTentative }, 2},
		{"unanswered", func(e cal.Event) bool { return e.MyResponse() == cal.ResponseNeedsAction }, 2},
		{"cancelled instance", func(e cal.Event) bool { return e.Status == cal.StatusCancelled && e.Recurring() }, 1},
		{"all-day birthday", func(e cal.Event) bool { return e.AllDay && e.EventType == cal.TypeBirthday }, 1},
		{"focus time", func(e cal.Event) bool { return e.EventType == cal.TypeFocusTime }, 30},
		{"free lunch", func(e cal.Event) bool {
			return e.Transparency == cal.TransparencyTransparent && e.Title == "Lunch"
		}, 2},
		{"external guests", func(e cal.Event) bool { return e.HasExternal(org) }, 3},
		{"room", func(e cal.Event) bool {
			return slices.ContainsFunc(e.Attendees, func(a cal.Attendee) bool { return a.Resource })
		}, 12},
		{"standup of eight", func(e cal.Event) bool { return e.RecurringEventID == idStandup && e.People() == 8 }, 50},
		{"postmortem", func(e cal.Event) bool { return strings.HasPrefix(e.Title, "Postmortem: ") }, 2},
		{"RFC discussion", func(e cal.Event) bool { return strings.HasPrefix(e.Title, "RFC-0") }, 12},
		{"design review", func(e cal.Event) bool { return strings.HasPrefix(e.Title, "Design review: ") }, 4},
		{"all-hands", func(e cal.Event) bool { return e.Title == "Monthly all-hands" }, 2},
		{"colour", func(e cal.Event) bool { return e.ColorID != "" }, 10},
		{"description", func(e cal.Event) bool { return e.Description != "" }, 10},
		{"emoji", func(e cal.Event) bool { return strings.ContainsAny(e.Title, "🎂🔁✍") }, 2},
		{"self-organised", func(e cal.Event) bool { return e.OrganizerSelf() && len(e.Attendees) == 0 }, 30},
	}
	// Every window must show everything, whichever week it ends on.
	loc := mustZone(t, "Europe/Berlin")
	for w := range Weeks {
		now := time.Date(2026, 9, 2, 12, 0, 0, 0, loc).AddDate(0, 0, 7*w)
		events := Generate(now, loc)
		for _, c := range checks {
			n := 0
			for _, e := range events {
				if c.ok(e) {
					n++
				}
			}
			if n < c.min {
				t.Errorf("window ending %s: got %d %s events, want at least %d", now.Format(time.DateOnly), n, c.what, c.min)
			}
		}
		if ooo := countOOO(events); ooo != 1 {
			t.Errorf("window ending %s: got %d out-of-office days, want 1", now.Format(time.DateOnly), ooo)
		}
		if !hasDoubleBooking(events) {
			t.Errorf("window ending %s: got no overlapping accepted meetings, want some", now.Format(time.DateOnly))
		}
	}
}

func countOOO(events []cal.Event) int {
	n := 0
	for _, e := range events {
		if e.EventType == cal.TypeOutOfOffice {
			n++
		}
	}
	return n
}

func hasDoubleBooking(events []cal.Event) bool {
	var meetings []cal.Event
	for _, e := range events {
		if !e.AllDay && len(e.Attendees) > 0 && e.Status != cal.StatusCancelled && e.MyResponse() == cal.ResponseAccepted {
			meetings = append(meetings, e)
		}
	}
	for i, a := range meetings {
		for _, b := range meetings[i+1:] {
			if a.Start.Before(b.End) && b.Start.Before(a.End) {
				return true
			}
		}
	}
	return false
}

// TestGoogleEventRoundTrip checks that the sample survives the trip through
// the Calendar API's shape and back, as the demo sends it.
func TestGoogleEventRoundTrip(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Berlin")
	for _, e := range Generate(time.Date(2026, 11, 18, 12, 0, 0, 0, loc), loc) {
		got, err := googleevent.Map(e.Calendar, GoogleEvent(&e))
		if err != nil {
			t.Fatalf("event %s: %v", e.ID, err)
		}
		sameTime := got.Start.Equal(e.Start) && got.End.Equal(e.End)
		if e.AllDay {
			// All-day events travel as dates; accounting reads only those.
			sameTime = got.StartDate == e.StartDate && got.EndDate == e.EndDate
		}
		if !sameTime || got.Title != e.Title || got.AllDay != e.AllDay ||
			got.Status != e.Status || got.EventType != e.EventType || got.MyResponse() != e.MyResponse() ||
			got.People() != e.People() || got.RecurringEventID != e.RecurringEventID || got.Transparency != e.Transparency {
			t.Errorf("event %s changed on the round trip:\n got %+v\nwant %+v", e.ID, got, e)
		}
	}
}
