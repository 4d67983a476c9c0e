package recur

import (
	"errors"
	"testing"
	"time"
)

// TestNeverYields: a rule that can never produce an occurrence is found
// before rrule-go walks it (to the year 9999 or, sub-daily, forever),
// quickly, and a rule that does produce one, however rarely, is walked.
func TestNeverYields(t *testing.T) {
	tests := []struct {
		rule, start string
		never       bool
	}{
		{"FREQ=WEEKLY;BYDAY=MO,WE", "20260302T090000Z", false},
		{"FREQ=MONTHLY;BYDAY=MO,TU,WE,TH,FR;BYSETPOS=-1", "20260302T090000Z", false},
		{"FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "16010101T020000Z", false},
		{"FREQ=HOURLY;INTERVAL=3;BYHOUR=9,12", "20260302T090000Z", false},
		{"FREQ=HOURLY;INTERVAL=5;BYHOUR=10", "20260302T090000Z", false}, // 9+5k reaches 10 on a later day
		{"FREQ=MINUTELY;INTERVAL=15;BYMINUTE=0,30", "20260302T090000Z", false},
		{"FREQ=SECONDLY;BYSETPOS=1", "20260302T090000Z", false},
		{"FREQ=HOURLY;BYMINUTE=0,30;BYSETPOS=2", "20260302T090000Z", false},
		{"FREQ=DAILY;BYHOUR=9,17;BYSETPOS=-1", "20260302T090000Z", false},
		{"FREQ=SECONDLY;BYSETPOS=2", "20260302T090000Z", true},
		{"FREQ=MINUTELY;BYSETPOS=-2", "20260302T090000Z", true},
		{"FREQ=HOURLY;BYMINUTE=0,30;BYSETPOS=3", "20260302T090000Z", true},
		{"FREQ=DAILY;BYSETPOS=2", "20260302T090000Z", true},
		{"FREQ=HOURLY;INTERVAL=2;BYHOUR=1", "20260302T000000Z", true},
		{"FREQ=MINUTELY;INTERVAL=2;BYMINUTE=1", "20260302T000000Z", true},
		{"FREQ=SECONDLY;INTERVAL=60;BYSECOND=1", "20260302T000000Z", true},
		// Steps of 66 s from 09:09:10 only ever reach times ≡ 4 (mod 6 s).
		{"FREQ=SECONDLY;INTERVAL=66;BYHOUR=10;BYMINUTE=2;BYSECOND=50", "20260302T090910Z", true},
		// Days no calendar has.
		{"FREQ=MINUTELY;BYMONTH=4;BYMONTHDAY=31", "20260101T090000Z", true},
		{"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", "20260101T090000Z", true},
		{"FREQ=MONTHLY;BYMONTHDAY=31;BYMONTH=4,6,9,11", "20260101T090000Z", true},
		{"FREQ=YEARLY;BYYEARDAY=366;BYMONTH=1", "20260101T090000Z", true},
		{"FREQ=YEARLY;BYWEEKNO=53;BYMONTH=6", "20260101T090000Z", true},
		{"FREQ=MONTHLY;BYDAY=MO;BYSETPOS=6", "20260101T090000Z", true}, // five Mondays at most
		{"FREQ=MONTHLY;BYDAY=-6MO", "20260105T090000Z", true},
		{"FREQ=WEEKLY;INTERVAL=2;BYMONTH=2;BYMONTHDAY=31", "20260101T090000Z", true},
		// Days that come rarely, or only on the periods the rule visits.
		{"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29", "20260101T090000Z", false},
		{"FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=29;BYDAY=MO", "20260101T090000Z", false}, // 2044
		{"FREQ=YEARLY;BYYEARDAY=366", "20260101T090000Z", false},
		{"FREQ=YEARLY;BYYEARDAY=-366;BYMONTH=1;BYMONTHDAY=1", "20260101T090000Z", false},
		{"FREQ=YEARLY;BYWEEKNO=53;BYDAY=TH", "20260101T090000Z", false},
		{"FREQ=MONTHLY;BYDAY=MO;BYSETPOS=5", "20260101T090000Z", false},
		{"FREQ=YEARLY;INTERVAL=4;BYMONTH=2;BYMONTHDAY=29", "20250301T090000Z", true},
		{"FREQ=YEARLY;INTERVAL=100;BYMONTH=2;BYMONTHDAY=29", "19000101T090000Z", false}, // 2000
		{"FREQ=YEARLY;INTERVAL=400;BYMONTH=2;BYMONTHDAY=29", "21000101T090000Z", true},
		{"FREQ=DAILY;INTERVAL=7;BYDAY=TU", "20260302T090000Z", true}, // Mondays only
		{"FREQ=DAILY;INTERVAL=14;BYDAY=MO", "20260302T090000Z", false},
		{"FREQ=HOURLY;INTERVAL=168;BYDAY=TU", "20260302T090000Z", true},
		{"FREQ=HOURLY;INTERVAL=48;BYDAY=TU", "20260302T090000Z", false}, // Monday + 8 days
	}
	for _, tt := range tests {
		start, err := time.Parse("20060102T150405Z", tt.start)
		if err != nil {
			t.Fatal(err)
		}
		s := Series{Start: start, Rules: []string{tt.rule}}
		began := time.Now()
		occs, err := s.Expand(start.Add(time.Hour), NewBudget())
		if took := time.Since(began); took > time.Second {
			t.Errorf("%s from %s: took %v, want well under a second", tt.rule, tt.start, took)
		}
		if got := errors.Is(err, ErrNeverYields); got != tt.never || err != nil && !got {
			t.Errorf("%s from %s: got %v, want never-yields %v", tt.rule, tt.start, err, tt.never)
			continue
		}
		if tt.never && (len(occs) != 1 || !occs[0].Start.Equal(start)) {
			t.Errorf("%s from %s: got %v, want only DTSTART", tt.rule, tt.start, occs)
		}
	}
}
