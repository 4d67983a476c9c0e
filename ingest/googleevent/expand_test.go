package googleevent

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/calendar/v3"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/ingest/recur"
)

// master builds a recurring event starting at start (a dateTime, or a date
// for all-day series) with the given recurrence lines.
func master(start, end, zone string, recurrence ...string) *calendar.Event {
	ev := &calendar.Event{Id: "ser", Summary: "Weekly sync", Recurrence: recurrence}
	if len(start) == len(dateLayout) {
		ev.Start = &calendar.EventDateTime{Date: start}
		ev.End = &calendar.EventDateTime{Date: end}
		return ev
	}
	ev.Start = &calendar.EventDateTime{DateTime: start, TimeZone: zone}
	ev.End = &calendar.EventDateTime{DateTime: end, TimeZone: zone}
	return ev
}

func day(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err) // test tables are constants
	}
	return t
}

func TestExpand(t *testing.T) {
	tests := []struct {
		name     string
		master   *calendar.Event
		from, to string
		// want lists "id start end" with start and end in RFC 3339 as the
		// instance's zone prints them (all-day: dates).
		want []string
	}{{
		name: "weekly 09:00 Berlin stays 09:00 across the March change",
		master: master("2026-03-16T09:00:00+01:00", "2026-03-16T10:00:00+01:00", "Europe/Berlin",
			"RRULE:FREQ=WEEKLY;BYDAY=MO"),
		from: "2026-03-16T00:00:00Z", to: "2026-04-07T00:00:00Z",
		want: []string{
			"ser_20260316T080000Z 2026-03-16T09:00:00+01:00 2026-03-16T10:00:00+01:00",
			"ser_20260323T080000Z 2026-03-23T09:00:00+01:00 2026-03-23T10:00:00+01:00",
			"ser_20260330T070000Z 2026-03-30T09:00:00+02:00 2026-03-30T10:00:00+02:00",
			"ser_20260406T070000Z 2026-04-06T09:00:00+02:00 2026-04-06T10:00:00+02:00",
		},
	}, {
		name: "weekly Friday 16:00 Berlin across the October change",
		master: master("2026-10-16T16:00:00+02:00", "2026-10-16T16:30:00+02:00", "Europe/Berlin",
			"RRULE:FREQ=WEEKLY"),
		from: "2026-10-01T00:00:00Z", to: "2026-11-01T00:00:00Z",
		want: []string{
			"ser_20261016T140000Z 2026-10-16T16:00:00+02:00 2026-10-16T16:30:00+02:00",
			"ser_20261023T140000Z 2026-10-23T16:00:00+02:00 2026-10-23T16:30:00+02:00",
			"ser_20261030T150000Z 2026-10-30T16:00:00+01:00 2026-10-30T16:30:00+01:00",
		},
	}, {
		name: "COUNT",
		master: master("2026-05-04T10:00:00Z", "2026-05-04T10:15:00Z", "UTC",
			"RRULE:FREQ=DAILY;COUNT=3"),
		from: "2026-01-01T00:00:00Z", to: "2027-01-01T00:00:00Z",
		want: []string{
			"ser_20260504T100000Z 2026-05-04T10:00:00Z 2026-05-04T10:15:00Z",
			"ser_20260505T100000Z 2026-05-05T10:00:00Z 2026-05-05T10:15:00Z",
			"ser_20260506T100000Z 2026-05-06T10:00:00Z 2026-05-06T10:15:00Z",
		},
	}, {
		name: "UNTIL in UTC as Google writes it",
		master: master("2026-03-26T09:00:00+01:00", "2026-03-26T09:15:00+01:00", "Europe/Berlin",
			"RRULE:FREQ=DAILY;UNTIL=20260330T215959Z"),
		from: "2026-03-01T00:00:00Z", to: "2026-05-01T00:00:00Z",
		want: []string{
			"ser_20260326T080000Z 2026-03-26T09:00:00+01:00 2026-03-26T09:15:00+01:00",
			"ser_20260327T080000Z 2026-03-27T09:00:00+01:00 2026-03-27T09:15:00+01:00",
			"ser_20260328T080000Z 2026-03-28T09:00:00+01:00 2026-03-28T09:15:00+01:00",
			"ser_20260329T070000Z 2026-03-29T09:00:00+02:00 2026-03-29T09:15:00+02:00",
			"ser_20260330T070000Z 2026-03-30T09:00:00+02:00 2026-03-30T09:15:00+02:00",
		},
	}, {
		name: "EXDATE with TZID and an RDATE",
		master: master("2026-03-16T09:00:00+01:00", "2026-03-16T10:00:00+01:00", "Europe/Berlin",
			"EXDATE;TZID=Europe/Berlin:20260323T090000",
			"RRULE:FREQ=WEEKLY;BYDAY=MO;COUNT=3",
			"RDATE;TZID=Europe/Berlin:20260401T150000"),
		from: "2026-03-01T00:00:00Z", to: "2026-05-01T00:00:00Z",
		want: []string{
			"ser_20260316T080000Z 2026-03-16T09:00:00+01:00 2026-03-16T10:00:00+01:00",
			"ser_20260330T070000Z 2026-03-30T09:00:00+02:00 2026-03-30T10:00:00+02:00",
			"ser_20260401T130000Z 2026-04-01T15:00:00+02:00 2026-04-01T16:00:00+02:00",
		},
	}, {
		name:   "all-day weekly with an excluded date",
		master: master("2026-03-02", "2026-03-04", "", "RRULE:FREQ=WEEKLY;COUNT=4", "EXDATE;VALUE=DATE:20260309"),
		from:   "2026-03-01T00:00:00Z", to: "2026-04-01T00:00:00Z",
		want: []string{
			"ser_20260302 2026-03-02 2026-03-04",
			"ser_20260316 2026-03-16 2026-03-18",
			"ser_20260323 2026-03-23 2026-03-25",
		},
	}, {
		name: "window keeps only overlapping instances of an endless rule",
		master: master("2020-01-06T09:00:00+01:00", "2020-01-06T11:00:00+01:00", "Europe/Berlin",
			"RRULE:FREQ=WEEKLY;BYDAY=MO,WE"),
		// From the middle of Monday's meeting to the start of Wednesday's:
		// Monday overlaps, Wednesday starts at the open end and does not.
		from: "2026-11-16T09:30:00+01:00", to: "2026-11-18T09:00:00+01:00",
		want: []string{
			"ser_20261116T080000Z 2026-11-16T09:00:00+01:00 2026-11-16T11:00:00+01:00",
		},
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Expand("work", tt.master, day(tt.from), day(tt.to), recur.NewBudget())
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			var lines []string
			for _, e := range got {
				s, en := e.Start.Format(time.RFC3339), e.End.Format(time.RFC3339)
				if e.AllDay {
					s, en = e.StartDate, e.EndDate
					if !e.Start.Equal(day(e.StartDate+"T00:00:00Z")) || !e.End.Equal(day(e.EndDate+"T00:00:00Z")) {
						t.Errorf("%s: got Start/End %v/%v, want UTC midnights of its dates", e.ID, e.Start, e.End)
					}
				}
				lines = append(lines, fmt.Sprintf("%s %s %s", e.ID, s, en))
				if e.RecurringEventID != "ser" || e.Title != "Weekly sync" || e.Calendar != "work" {
					t.Errorf("%s: got series %q, title %q, calendar %q, want ser, the master's title, work",
						e.ID, e.RecurringEventID, e.Title, e.Calendar)
				}
			}
			if g, w := strings.Join(lines, "\n"), strings.Join(tt.want, "\n"); g != w {
				t.Errorf("got instances\n%s\nwant\n%s", g, w)
			}
		})
	}
}

// TestExpandSharesAttendees: the instances share the master's attendee
// list rather than a copy each (a master with a long list would otherwise
// fill memory once per instance), and the budget pays for the list with
// every instance, so a long list on a long series is refused.
func TestExpandSharesAttendees(t *testing.T) {
	m := master("2026-03-16T09:00:00Z", "2026-03-16T10:00:00Z", "", "RRULE:FREQ=DAILY;COUNT=2")
	m.Attendees = []*calendar.EventAttendee{{Email: "me@example.com", Self: true, ResponseStatus: "accepted"}, {Email: "ana@example.com"}}
	got, err := Expand("work", m, time.Time{}, day("2027-01-01T00:00:00Z"), recur.NewBudget())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || len(got[1].Attendees) != 2 || &got[0].Attendees[0] != &got[1].Attendees[0] {
		t.Fatalf("got %d instances, want 2 sharing one list of 2 attendees", len(got))
	}
	for range 20_000 {
		m.Attendees = append(m.Attendees, &calendar.EventAttendee{Email: "guest@example.com"})
	}
	m.Recurrence = []string{"RRULE:FREQ=DAILY"}
	if _, err := Expand("work", m, time.Time{}, day("2027-01-01T00:00:00Z"), recur.NewBudget()); !errors.Is(err, recur.ErrBudget) {
		t.Errorf("20,000 attendees on every day for most of a year: got %v, want ErrBudget", err)
	}
}

func TestExpandErrors(t *testing.T) {
	from, to := day("2026-01-01T00:00:00Z"), day("2026-02-01T00:00:00Z")
	tests := []struct {
		name   string
		master *calendar.Event
		to     time.Time
		want   string
	}{
		{"not recurring", master("2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z", ""), to, `event "ser": not a recurring event`},
		{"EXRULE", master("2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z", "", "RRULE:FREQ=DAILY", "EXRULE:FREQ=WEEKLY"), to,
			`event "ser": unsupported recurrence line "EXRULE"`},
		{"bad RRULE", master("2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z", "", "RRULE:FREQ=FORTNIGHTLY"), to, `event "ser": RRULE "FREQ=FORTNIGHTLY": undefined frequency`},
		{"no window end", master("2026-01-05T09:00:00Z", "2026-01-05T10:00:00Z", "", "RRULE:FREQ=DAILY"), time.Time{},
			`event "ser": expansion window has no end`},
		{"runaway rule", master("2020-01-01T00:00:00Z", "2020-01-01T00:00:01Z", "", "RRULE:FREQ=SECONDLY"), to,
			`event "ser": RRULE "FREQ=SECONDLY" has more than 100000 occurrences before the window ends`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Expand("work", tt.master, from, tt.to, recur.NewBudget())
			if err == nil {
				t.Fatalf("got no error, want %q", tt.want)
			}
			if !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("got error %q, want it to start with %q", err, tt.want)
			}
		})
	}
}

func TestInstanceID(t *testing.T) {
	tests := []struct {
		orig *calendar.EventDateTime
		want string
	}{
		{&calendar.EventDateTime{DateTime: "2026-03-30T09:00:00+02:00", TimeZone: "Europe/Berlin"}, "ser_20260330T070000Z"},
		{&calendar.EventDateTime{DateTime: "2026-03-23T08:00:00Z"}, "ser_20260323T080000Z"},
		{&calendar.EventDateTime{Date: "2026-03-16"}, "ser_20260316"},
	}
	for _, tt := range tests {
		got, err := InstanceID("ser", tt.orig)
		if err != nil || got != tt.want {
			t.Errorf("InstanceID(%+v): got %q, %v, want %q", *tt.orig, got, err, tt.want)
		}
	}
	if _, err := InstanceID("ser", nil); err == nil {
		t.Error("got no error for a missing originalStartTime, want one")
	}
}

// TestExpandSkipsNeverYielding: a rule that can never produce an instance
// (every second hour from an even hour, at 01:00) fails its master quickly
// with an error that lets the caller skip it, instead of walking forever.
func TestExpandSkipsNeverYielding(t *testing.T) {
	m := master("2026-03-02T00:00:00Z", "2026-03-02T00:30:00Z", "", "RRULE:FREQ=HOURLY;INTERVAL=2;BYHOUR=1")
	start := time.Now()
	_, err := Expand("work", m, day("2026-01-01T00:00:00Z"), day("2026-07-01T00:00:00Z"), recur.NewBudget())
	if !recur.SkipsSeries(err) || !errors.Is(err, recur.ErrNeverYields) {
		t.Fatalf("got %v, want an error wrapping recur.ErrNeverYields", err)
	}
	if want := `event "ser": RRULE "FREQ=HOURLY;INTERVAL=2;BYHOUR=1": the rule can never produce an occurrence`; err.Error() != want {
		t.Errorf("got %q, want %q", err, want)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("took %v, want well under a second", took)
	}
}

// minutelyMasters are n small masters, each every third minute over the
// 28-week sync window: ten of them would make 936,000 instances.
func minutelyMasters(n int) []*calendar.Event {
	var out []*calendar.Event
	for i := range n {
		m := master(fmt.Sprintf("2025-11-17T00:%02d:00Z", i), fmt.Sprintf("2025-11-17T00:%02d:30Z", i), "", "RRULE:FREQ=MINUTELY;INTERVAL=3")
		m.Id = fmt.Sprintf("m%d", i)
		out = append(out, m)
	}
	return out
}

// TestExpandBudget: masters that would make 905,000 instances in the window
// exhaust one file's budget quickly, with a sentence that names the master
// where it stopped and says what to do; a budget is per file, so each file
// starts afresh.
func TestExpandBudget(t *testing.T) {
	from, to := day("2025-11-17T00:00:00Z"), day("2026-05-31T00:00:00Z")
	budget := recur.NewBudget()
	start := time.Now()
	var err error
	var stoppedAt string
	kept := 0
	for _, m := range minutelyMasters(10) {
		var got []cal.Event
		if got, err = Expand("work", m, from, to, budget); err != nil {
			stoppedAt = m.Id
			break
		}
		kept += len(got)
	}
	took := time.Since(start)
	t.Logf("refused after %d instances in %v", kept, took)
	if !errors.Is(err, recur.ErrBudget) || recur.SkipsSeries(err) {
		t.Fatalf("got %v after %d instances, want the file refused (recur.ErrBudget)", err, kept)
	}
	for _, want := range []string{"more work", fmt.Sprintf("stopped at event %q", stoppedAt), "export a shorter date range"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("got %q, want it to say %q", err, want)
		}
	}
	if kept > 200_000 {
		t.Errorf("kept %d instances before refusing, want at most 200,000", kept)
	}
	if took > 5*time.Second {
		t.Errorf("took %v to refuse, want a few seconds at most", took)
	}
	if _, err := Expand("work", minutelyMasters(1)[0], day("2026-05-01T00:00:00Z"), to, recur.NewBudget()); err != nil {
		t.Errorf("one master in a new file's budget: got %v, want it expanded", err)
	}
}

// FuzzExpand feeds arbitrary recurrence lines and start times to Expand,
// which must never panic, hang, or take longer than the budget allows:
// recurrence lines come from anyone who can invite the user.
func FuzzExpand(f *testing.F) {
	for _, s := range []struct {
		rule, extra string
		start       int64
		allDay      bool
	}{
		{"RRULE:FREQ=WEEKLY;BYDAY=MO", "EXDATE;TZID=Europe/Berlin:20260323T090000", 1773651600, false},
		{"RRULE:FREQ=HOURLY;INTERVAL=2;BYHOUR=1", "", 1772409600, false},
		{"RRULE:FREQ=MINUTELY;BYMONTH=4;BYMONTHDAY=31", "", 1767225600, false},
		{"RRULE:FREQ=SECONDLY;BYHOUR=9;BYMINUTE=0;BYSECOND=0", "", 946684800, false},
		{"RRULE:FREQ=MONTHLY;BYDAY=-6MO", "", 1767225600, false},
		{"RRULE:FREQ=YEARLY;INTERVAL=9223372036854775807", "", -62135596800, false},
		{"RRULE:FREQ=YEARLY;BYWEEKNO=53;BYDAY=MO;WKST=SU", "RDATE;VALUE=PERIOD:20260101T000000Z/PT1H", 0, false},
		{"RRULE:FREQ=DAILY;COUNT=3", "RDATE;VALUE=DATE:20260309", 1772409600, true},
		{"RRULE:FREQ=SECONDLY;BYSETPOS=2", "EXRULE:FREQ=DAILY", 1772409600, false},
	} {
		f.Add(s.rule, s.extra, s.start, s.allDay)
	}
	from, to := day("2025-11-17T00:00:00Z"), day("2026-05-31T00:00:00Z")
	f.Fuzz(func(t *testing.T, rule, extra string, start int64, allDay bool) {
		// Any second from the year 1 to 9999.
		const span = 315_537_897_600
		sec := ((start%span)+span)%span - 62_135_596_800
		when := time.Unix(sec, 0).UTC()
		m := &calendar.Event{Id: "fuzz", Recurrence: []string{rule, extra},
			Start: &calendar.EventDateTime{DateTime: when.Format(time.RFC3339)},
			End:   &calendar.EventDateTime{DateTime: when.Add(time.Hour).Format(time.RFC3339)}}
		if allDay {
			m.Start = &calendar.EventDateTime{Date: when.Format(dateLayout)}
			m.End = &calendar.EventDateTime{Date: when.AddDate(0, 0, 1).Format(dateLayout)}
		}
		began := time.Now()
		events, err := Expand("fuzz", m, from, to, recur.NewBudget())
		if took := time.Since(began); took > 10*time.Second {
			t.Errorf("%q %q from %v took %v, want the budget to stop it within seconds", rule, extra, when, took)
		}
		if err != nil && len(events) > 0 {
			t.Errorf("got %d events with error %v, want none", len(events), err)
		}
		for _, e := range events {
			if e.End.Before(e.Start) || !cal.Overlaps(e.Start, e.End, from, to) {
				t.Errorf("got instance %s %v..%v, want it in the window and ending after it starts", e.ID, e.Start, e.End)
			}
		}
	})
}
