package googleevent

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/weekmap/weekmap/cal"
	"google.golang.org/api/calendar/v3"
)

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// decode reads an Event resource the way the API client does, so the tests
// exercise the JSON Google sends rather than hand-built structs.
func decode(t *testing.T, js string) *calendar.Event {
	t.Helper()
	var ev calendar.Event
	if err := json.Unmarshal([]byte(js), &ev); err != nil {
		t.Fatalf("test input: %v", err)
	}
	return &ev
}

// sameEvent compares events field by field; times must be the same instant
// in a zone of the same name (time.Location values are not comparable).
func sameEvent(t *testing.T, got, want cal.Event) {
	t.Helper()
	for _, p := range []struct {
		name      string
		got, want time.Time
	}{{"Start", got.Start, want.Start}, {"End", got.End, want.End}, {"Updated", got.Updated, want.Updated}} {
		if !p.got.Equal(p.want) || p.got.Location().String() != p.want.Location().String() {
			t.Errorf("%s: got %v, want %v", p.name, p.got, p.want)
		}
	}
	got.Start, got.End, got.Updated = time.Time{}, time.Time{}, time.Time{}
	want.Start, want.End, want.Updated = time.Time{}, time.Time{}, time.Time{}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestMap(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	plus2 := time.FixedZone("", 2*3600)
	tests := []struct {
		name string
		js   string
		want cal.Event
	}{{
		name: "timed with zone and people",
		js: `{"id": "abc", "summary": "Design review", "description": "RFC 12",
			"status": "confirmed", "eventType": "default", "colorId": "11",
			"start": {"dateTime": "2026-03-30T07:00:00Z", "timeZone": "Europe/Berlin"},
			"end": {"dateTime": "2026-03-30T08:30:00Z", "timeZone": "Europe/Berlin"},
			"updated": "2026-03-01T10:00:00.123Z",
			"organizer": {"email": "lead@example.com"},
			"attendees": [
				{"email": "me@example.com", "self": true, "responseStatus": "tentative", "optional": true},
				{"email": "lead@example.com", "organizer": true, "responseStatus": "accepted"},
				{"email": "room-1@resource.calendar.google.com", "resource": true, "responseStatus": "accepted"}]}`,
		want: cal.Event{
			Calendar: "work", ID: "abc", Title: "Design review", Description: "RFC 12",
			Start:    time.Date(2026, 3, 30, 9, 0, 0, 0, berlin),
			End:      time.Date(2026, 3, 30, 10, 30, 0, 0, berlin),
			TimeZone: "Europe/Berlin", Status: "confirmed", Transparency: "opaque", EventType: "default",
			ColorID:   "11",
			Updated:   time.Date(2026, 3, 1, 10, 0, 0, 123e6, time.UTC),
			Organizer: cal.Organizer{Email: "lead@example.com"},
			Attendees: []cal.Attendee{
				{Email: "me@example.com", Self: true, ResponseStatus: "tentative", Optional: true},
				{Email: "lead@example.com", Organizer: true, ResponseStatus: "accepted"},
				{Email: "room-1@resource.calendar.google.com", Resource: true, ResponseStatus: "accepted"},
			},
		},
	}, {
		name: "timed without zone keeps the offset",
		js: `{"id": "x1", "summary": "1:1", "transparency": "transparent", "eventType": "focusTime",
			"organizer": {"email": "me@example.com", "self": true},
			"start": {"dateTime": "2026-06-01T10:00:00+02:00"}, "end": {"dateTime": "2026-06-01T10:30:00+02:00"}}`,
		want: cal.Event{
			Calendar: "work", ID: "x1", Title: "1:1",
			Start:  time.Date(2026, 6, 1, 10, 0, 0, 0, plus2),
			End:    time.Date(2026, 6, 1, 10, 30, 0, 0, plus2),
			Status: "confirmed", Transparency: "transparent", EventType: "focusTime",
			Organizer: cal.Organizer{Email: "me@example.com", Self: true},
		},
	}, {
		name: "all-day",
		js:   `{"id": "ooo", "eventType": "outOfOffice", "start": {"date": "2026-07-06"}, "end": {"date": "2026-07-11"}}`,
		want: cal.Event{
			Calendar: "work", ID: "ooo", AllDay: true, StartDate: "2026-07-06", EndDate: "2026-07-11",
			Start:  time.Date(2026, 7, 6, 0, 0, 0, 0, time.UTC),
			End:    time.Date(2026, 7, 11, 0, 0, 0, 0, time.UTC),
			Status: "confirmed", Transparency: "opaque", EventType: "outOfOffice",
		},
	}, {
		name: "all-day without end lasts one day",
		js:   `{"id": "bd", "eventType": "birthday", "start": {"date": "2026-12-31"}}`,
		want: cal.Event{
			Calendar: "work", ID: "bd", AllDay: true, StartDate: "2026-12-31", EndDate: "2027-01-01",
			Start:  time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC),
			End:    time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
			Status: "confirmed", Transparency: "opaque", EventType: "birthday",
		},
	}, {
		name: "timed without end is zero-length",
		js:   `{"id": "pt", "start": {"dateTime": "2026-06-01T08:00:00Z"}}`,
		want: cal.Event{
			Calendar: "work", ID: "pt",
			Start:  time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC),
			End:    time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC),
			Status: "confirmed", Transparency: "opaque", EventType: "default",
		},
	}, {
		name: "private event without summary keeps its time",
		js: `{"id": "priv", "visibility": "private", "status": "tentative", "recurringEventId": "ser",
			"start": {"dateTime": "2026-06-01T08:00:00Z"}, "end": {"dateTime": "2026-06-01T09:00:00Z"}}`,
		want: cal.Event{
			Calendar: "work", ID: "priv", RecurringEventID: "ser",
			Start:  time.Date(2026, 6, 1, 8, 0, 0, 0, time.UTC),
			End:    time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC),
			Status: "tentative", Transparency: "opaque", EventType: "default",
		},
	}, {
		name: "cancelled instance with only an id",
		js:   `{"id": "ser_20260601T080000Z", "status": "cancelled", "recurringEventId": "ser"}`,
		want: cal.Event{
			Calendar: "work", ID: "ser_20260601T080000Z", RecurringEventID: "ser",
			Status: "cancelled", Transparency: "opaque", EventType: "default",
		},
	}, {
		name: "unknown zone name falls back to the offset",
		js:   `{"id": "tz", "start": {"dateTime": "2026-06-01T10:00:00+02:00", "timeZone": "Mars/Olympus"}}`,
		want: cal.Event{
			Calendar: "work", ID: "tz",
			Start:  time.Date(2026, 6, 1, 10, 0, 0, 0, plus2),
			End:    time.Date(2026, 6, 1, 10, 0, 0, 0, plus2),
			Status: "confirmed", Transparency: "opaque", EventType: "default",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Map("work", decode(t, tt.js))
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			sameEvent(t, got, tt.want)
		})
	}
}

func TestMapErrors(t *testing.T) {
	tests := []struct {
		name string
		js   string
		want string
	}{
		{"no id", `{"summary": "secret", "start": {"date": "2026-01-01"}}`, "event has no id"},
		{"no start", `{"id": "a1", "summary": "secret"}`, `event "a1": no start time`},
		{"bad dateTime", `{"id": "a2", "summary": "secret", "start": {"dateTime": "2026-01-01 10:00"}}`, `event "a2": start dateTime "2026-01-01 10:00" is not an RFC 3339 time`},
		{"bad date", `{"id": "a3", "summary": "secret", "start": {"date": "01/02/2026"}}`, `event "a3": start date "01/02/2026" is not a YYYY-MM-DD date`},
		{"bad end", `{"id": "a4", "summary": "secret", "start": {"dateTime": "2026-01-01T10:00:00Z"}, "end": {"dateTime": "soon"}}`, `event "a4": end dateTime "soon" is not an RFC 3339 time`},
		{"mixed", `{"id": "a5", "summary": "secret", "start": {"date": "2026-01-01"}, "end": {"dateTime": "2026-01-01T10:00:00Z"}}`, `event "a5": start is a date but end is a date-time`},
		{"end before start", `{"id": "a6", "summary": "secret", "start": {"dateTime": "2026-01-01T10:00:00Z"}, "end": {"dateTime": "2026-01-01T09:00:00Z"}}`, `event "a6": end 2026-01-01T09:00:00Z is before start 2026-01-01T10:00:00Z`},
		{"empty all-day", `{"id": "a7", "summary": "secret", "start": {"date": "2026-01-02"}, "end": {"date": "2026-01-02"}}`, `event "a7": all-day end 2026-01-02 is not after start 2026-01-02`},
		{"escape sequence in the id", `{"id": "a9\u001b]0;pwned\u0007", "summary": "secret"}`, `event "a9\x1b]0;pwned\a": no start time`},
		{"bad updated", `{"id": "a8", "summary": "secret", "updated": "yesterday", "start": {"date": "2026-01-02"}}`, `event "a8": updated "yesterday" is not an RFC 3339 time`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Map("work", decode(t, tt.js))
			if err == nil {
				t.Fatalf("got no error, want %q", tt.want)
			}
			if got := err.Error(); !strings.HasSuffix(got, tt.want) {
				t.Errorf("got error %q, want it to end in %q", got, tt.want)
			}
			if strings.Contains(err.Error(), "secret") {
				t.Errorf("error %q leaks the event title", err)
			}
		})
	}
	if _, err := Map("work", nil); err == nil {
		t.Error("got no error for a nil event, want one")
	}
}
