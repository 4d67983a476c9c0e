package recur

import (
	"strings"
	"testing"
	"time"
)

func loadZone(name string) (*time.Location, error) { return time.LoadLocation(name) }

func TestParseRecurrence(t *testing.T) {
	start := inBerlin(2026, 3, 16, 9, 0)
	s, err := ParseRecurrence([]string{
		"RRULE:FREQ=WEEKLY;BYDAY=MO",
		"",
		"EXDATE;TZID=Europe/Berlin:20260323T090000",
		"exdate;value=date:20260309,20260310",
		"RDATE:20260401T150000Z",
		"RDATE:20260402T150000",
		"RDATE;VALUE=DATE:20260403",
		"RDATE;VALUE=PERIOD:20260404T100000Z/PT90M,20260405T100000Z/20260405T120000Z",
	}, start, false, loadZone)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(s.Rules, " "), "FREQ=WEEKLY;BYDAY=MO"; got != want {
		t.Errorf("rules: got %q, want %q", got, want)
	}
	dates := func(ds []Date) string {
		var out []string
		for _, d := range ds {
			v := d.Time.Format(time.RFC3339)
			if d.AllDay {
				v = d.Time.Format(time.DateOnly)
			}
			if d.HasLength {
				v += "+" + d.Length.String()
			}
			out = append(out, v)
		}
		return strings.Join(out, " ")
	}
	if got, want := dates(s.ExDates), "2026-03-23T09:00:00+01:00 2026-03-09 2026-03-10"; got != want {
		t.Errorf("EXDATEs: got %s, want %s", got, want)
	}
	// A local time without TZID is in the master's zone.
	if got, want := dates(s.RDates), "2026-04-01T15:00:00Z 2026-04-02T15:00:00+02:00 2026-04-03 2026-04-04T10:00:00Z+1h30m0s 2026-04-05T10:00:00Z+2h0m0s"; got != want {
		t.Errorf("RDATEs: got %s, want %s", got, want)
	}
}

func TestParseRecurrenceErrors(t *testing.T) {
	tests := []struct{ line, want string }{
		{"EXRULE:FREQ=DAILY", `unsupported recurrence line "EXRULE": only RRULE, RDATE and EXDATE are understood`},
		{"X-\x1b[31mRED:1", `unsupported recurrence line "X-\x1b[31MRED"`},
		{"RRULE", `bad recurrence line "RRULE": no value`},
		{"RDATE;X-FOO=1:20260401T150000Z", `bad recurrence line RDATE: unsupported parameter "X-FOO"`},
		{"RDATE;TZID=Mars/Olympus:20260401T150000", `bad recurrence line RDATE: unknown time zone "Mars/Olympus"`},
		{"EXDATE:2026-04-01", `bad recurrence line EXDATE: bad date-time "2026-04-01"`},
		{"RDATE;VALUE=DATE:20260231", `bad recurrence line RDATE: bad date "20260231"`},
		{"RDATE:20260401T150000Z/PT1H", `bad recurrence line RDATE: "20260401T150000Z/PT1H" is not a date-time`},
		{"RDATE;VALUE=PERIOD:20260401T150000Z/PT1X", `bad recurrence line RDATE: bad duration "PT1X"`},
		{"RDATE;VALUE=PERIOD:20260401T150000Z/20260401T140000Z", `bad recurrence line RDATE: bad period "20260401T150000Z/20260401T140000Z"`},
	}
	for _, tt := range tests {
		_, err := ParseRecurrence([]string{tt.line}, inBerlin(2026, 3, 16, 9, 0), false, loadZone)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%q: got %v, want %q", tt.line, err, tt.want)
		}
	}
}
