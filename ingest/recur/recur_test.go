package recur

import (
	"errors"
	"strings"
	"testing"
	"time"
)

var berlin, _ = time.LoadLocation("Europe/Berlin")

func inBerlin(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, berlin)
}

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// show writes occurrences as the tests want them: UTC instants, dates
// for an all-day series, and a PERIOD's length.
func show(occs []Occurrence, allDay bool) string {
	var out []string
	for _, o := range occs {
		s := o.Start.UTC().Format("2006-01-02T15:04Z")
		if allDay {
			s = o.Start.Format(time.DateOnly)
		}
		if o.HasLength {
			s += "+" + o.Length.String()
		}
		out = append(out, s)
	}
	return strings.Join(out, " ")
}

func TestExpand(t *testing.T) {
	tests := []struct {
		name   string
		series Series
		to     time.Time
		want   string
		// last compares only the last occurrence with want.
		last bool
	}{{
		name: "DTSTART first, then the rule and RDATEs, sorted, each once",
		series: Series{Start: inBerlin(2026, 3, 2, 9, 0), Rules: []string{"FREQ=WEEKLY;COUNT=3"},
			RDates: []Date{{Time: inBerlin(2026, 3, 9, 9, 0)}, {Time: inBerlin(2026, 3, 4, 15, 0)}}},
		want: "2026-03-02T08:00Z 2026-03-04T14:00Z 2026-03-09T08:00Z 2026-03-16T08:00Z",
	}, {
		name:   "a DTSTART off the rule still comes first",
		series: Series{Start: inBerlin(2026, 3, 3, 9, 0), Rules: []string{"FREQ=WEEKLY;BYDAY=MO;COUNT=2"}},
		want:   "2026-03-03T08:00Z 2026-03-09T08:00Z 2026-03-16T08:00Z",
	}, {
		name: "EXDATEs remove occurrences, DTSTART too",
		series: Series{Start: inBerlin(2026, 3, 2, 9, 0), Rules: []string{"FREQ=WEEKLY;COUNT=3"},
			ExDates: []Date{{Time: inBerlin(2026, 3, 2, 9, 0)}, {Time: time.Date(2026, 3, 16, 8, 0, 0, 0, time.UTC)}}},
		want: "2026-03-09T08:00Z",
	}, {
		name:   "a date UNTIL on a timed series includes that whole day",
		series: Series{Start: inBerlin(2026, 3, 2, 18, 0), Rules: []string{"FREQ=DAILY;UNTIL=20260304"}},
		want:   "2026-03-02T17:00Z 2026-03-03T17:00Z 2026-03-04T17:00Z",
	}, {
		name: "a date EXDATE on a timed series excludes that local date",
		series: Series{Start: inBerlin(2026, 3, 2, 0, 30), Rules: []string{"FREQ=DAILY;COUNT=3"},
			ExDates: []Date{{Time: date(2026, 3, 3), AllDay: true}}},
		want: "2026-03-01T23:30Z 2026-03-03T23:30Z",
	}, {
		name:   "a date RDATE on a timed series happens at the series' time of day",
		series: Series{Start: inBerlin(2026, 3, 2, 9, 0), RDates: []Date{{Time: date(2026, 3, 5), AllDay: true}}},
		want:   "2026-03-02T08:00Z 2026-03-05T08:00Z",
	}, {
		name: "an RDATE period carries its own length",
		series: Series{Start: inBerlin(2026, 3, 2, 9, 0),
			RDates: []Date{{Time: time.Date(2026, 3, 5, 15, 0, 0, 0, time.UTC), Length: 2 * time.Hour, HasLength: true}}},
		want: "2026-03-02T08:00Z 2026-03-05T15:00Z+2h0m0s",
	}, {
		name:   "weekly 09:00 Berlin stays 09:00 across the change to summer time",
		series: Series{Start: inBerlin(2026, 3, 23, 9, 0), Rules: []string{"FREQ=WEEKLY;COUNT=2"}},
		want:   "2026-03-23T08:00Z 2026-03-30T07:00Z",
	}, {
		name: "several RRULEs add up",
		series: Series{Start: inBerlin(2026, 3, 2, 9, 0),
			Rules: []string{"FREQ=WEEKLY;BYDAY=MO;COUNT=2", "FREQ=WEEKLY;BYDAY=WE;COUNT=2"}},
		want: "2026-03-02T08:00Z 2026-03-04T08:00Z 2026-03-09T08:00Z 2026-03-11T08:00Z",
	}, {
		name:   "the window's end is exclusive",
		series: Series{Start: inBerlin(2026, 3, 2, 9, 0), Rules: []string{"FREQ=WEEKLY"}},
		to:     inBerlin(2026, 3, 16, 9, 0),
		want:   "2026-03-02T08:00Z 2026-03-09T08:00Z",
	}, {
		name:   "rule parts are read in any case",
		series: Series{Start: inBerlin(2026, 3, 2, 9, 0), Rules: []string{"freq=weekly;count=2"}},
		want:   "2026-03-02T08:00Z 2026-03-09T08:00Z",
	}, {
		name:   "an INTERVAL past the year 9999 leaves DTSTART",
		series: Series{Start: inBerlin(2026, 3, 2, 9, 0), Rules: []string{"FREQ=MONTHLY;INTERVAL=9223372036854775807"}},
		want:   "2026-03-02T08:00Z",
	}, {
		name:   "a rule without UNTIL runs past 292 years (rrule-go's default end)",
		series: Series{Start: time.Date(1601, 1, 1, 2, 0, 0, 0, time.FixedZone("", 3600)), Rules: []string{"FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU"}},
		to:     time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC),
		want:   "2025-03-30T01:00Z",
		last:   true,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			to := tt.to
			if to.IsZero() {
				to = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
			}
			occs, err := tt.series.Expand(to, NewBudget())
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if tt.last {
				occs = occs[len(occs)-1:]
			}
			if got := show(occs, tt.series.AllDay); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestExpandAllDay(t *testing.T) {
	tests := []struct {
		name   string
		series Series
		want   string
	}{{
		name: "dates, whatever the EXDATE's and RDATE's types",
		series: Series{Start: date(2026, 3, 2), AllDay: true, Rules: []string{"FREQ=WEEKLY;COUNT=3"},
			ExDates: []Date{{Time: time.Date(2026, 3, 9, 10, 0, 0, 0, berlin)}},
			RDates:  []Date{{Time: time.Date(2026, 3, 20, 22, 0, 0, 0, time.UTC)}, {Time: date(2026, 3, 16), AllDay: true}}},
		want: "2026-03-02 2026-03-16 2026-03-20",
	}, {
		// Confluence deletes a series this way; the reference expander
		// and calendar apps show nothing.
		name:   "rules that all end before DTSTART end the series before it",
		series: Series{Start: date(2023, 10, 2), AllDay: true, Rules: []string{"FREQ=WEEKLY;UNTIL=20231001;INTERVAL=2;BYDAY=MO"}},
		want:   "",
	}, {
		name:   "a date UNTIL on an all-day series includes that date",
		series: Series{Start: date(2024, 7, 1), AllDay: true, Rules: []string{"FREQ=WEEKLY;UNTIL=20240715;INTERVAL=2;BYDAY=MO"}},
		want:   "2024-07-01 2024-07-15",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			occs, err := tt.series.Expand(date(2027, 1, 1), NewBudget())
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if got := show(occs, true); got != tt.want {
				t.Errorf("got  %s\nwant %s", got, tt.want)
			}
		})
	}
}

func TestExpandErrors(t *testing.T) {
	start := inBerlin(2026, 3, 2, 9, 0)
	to := start.AddDate(0, 0, 2)
	tests := []struct {
		name   string
		series Series
		want   string
		skip   bool // SkipsSeries
	}{
		{"a rule rrule-go cannot read", Series{Start: start, Rules: []string{"FREQ=FORTNIGHTLY"}}, `RRULE "FREQ=FORTNIGHTLY": undefined frequency: FORTNIGHTLY`, false},
		{"BYEASTER is not RFC 5545", Series{Start: start, Rules: []string{"FREQ=YEARLY;BYEASTER=0"}}, `RRULE "FREQ=YEARLY;BYEASTER=0": BYEASTER is not part of RFC 5545`, false},
		{"too many occurrences", Series{Start: start, Rules: []string{"FREQ=SECONDLY"}}, `RRULE "FREQ=SECONDLY" has more than 100000 occurrences before the window ends`, true},
		{"a series' own limit", Series{Start: start, Rules: []string{"FREQ=HOURLY"}, Limit: 5}, `RRULE "FREQ=HOURLY" has more than 5 occurrences before the window ends`, true},
		{"a rule that never yields", Series{Start: start, Rules: []string{"FREQ=DAILY;BYSETPOS=2"}}, `RRULE "FREQ=DAILY;BYSETPOS=2": the rule can never produce an occurrence`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.series.Expand(to, NewBudget())
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got %v, want %q", err, tt.want)
			}
			if SkipsSeries(err) != tt.skip || errors.Is(err, ErrBudget) {
				t.Errorf("got SkipsSeries %v, want %v", SkipsSeries(err), tt.skip)
			}
		})
	}
}

// TestHostileRulesDoNotPanic: rules on which rrule-go's own arithmetic
// fails (an ordinal no month has, an INTERVAL that overflows) are read as
// what they mean, without a panic.
func TestHostileRulesDoNotPanic(t *testing.T) {
	start := inBerlin(2026, 12, 5, 9, 0)
	for _, rule := range []string{
		"FREQ=MONTHLY;BYDAY=-6MO", "FREQ=MONTHLY;BYDAY=53MO", "FREQ=YEARLY;BYMONTH=12;BYDAY=53MO",
		"FREQ=YEARLY;BYMONTH=1;BYDAY=-53MO", "FREQ=MONTHLY;INTERVAL=9223372036854775807",
		"FREQ=HOURLY;INTERVAL=9223372036854775807", "FREQ=SECONDLY;INTERVAL=9223372036854775807",
		"FREQ=WEEKLY;BYWEEKNO=-53;BYYEARDAY=-366", "FREQ=YEARLY;BYSETPOS=366,-366;BYDAY=MO",
	} {
		s := Series{Start: start, Rules: []string{rule}}
		occs, err := s.Expand(start.AddDate(2, 0, 0), NewBudget())
		if err != nil && !SkipsSeries(err) {
			t.Errorf("%s: got %v, want it read", rule, err)
		}
		if len(occs) == 0 || !occs[0].Start.Equal(start) {
			t.Errorf("%s: got %v, want DTSTART first", rule, occs)
		}
	}
}
