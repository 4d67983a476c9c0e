package recur

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/weekmap/weekmap/cal"
)

var (
	windowFrom = time.Date(2025, 11, 17, 0, 0, 0, 0, time.UTC) // 26 weeks back
	windowTo   = time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC)  // 2 weeks ahead
)

func at(y int, m time.Month, d, h int) time.Time { return time.Date(y, m, d, h, 0, 0, 0, time.UTC) }

// byValues lists lo..hi for a BY part.
func byValues(lo, hi int) string {
	var vs []string
	for v := lo; v <= hi; v++ {
		vs = append(vs, fmt.Sprint(v))
	}
	return strings.Join(vs, ",")
}

// budgetShapes are the rules that cost the most per unit of the budget,
// one of each kind of work it counts, most walking from far back.
var budgetShapes = []struct {
	name  string
	rule  string
	start time.Time
}{
	{"yearly", "FREQ=YEARLY", at(1, 3, 1, 9)},
	{"yearly-weekno", "FREQ=YEARLY;BYWEEKNO=20;BYDAY=MO", at(1, 3, 1, 9)},
	{"yearly-long-lists", "FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=31;BYYEARDAY=" + byValues(307, 366), at(1, 12, 31, 9)},
	{"monthly-ordinal", "FREQ=MONTHLY;BYDAY=1MO", at(1, 1, 1, 9)},
	{"weekly-rare", "FREQ=WEEKLY;BYMONTH=2;BYMONTHDAY=29", at(1, 1, 1, 9)},
	{"daily-rare", "FREQ=DAILY;BYMONTH=2;BYMONTHDAY=29", at(1, 1, 1, 9)},
	{"daily-setpos", "FREQ=DAILY;BYHOUR=" + byValues(1, 10) + ";BYSETPOS=1,2,3,-1,-2", at(1900, 1, 1, 9)},
	{"hourly-filtered", "FREQ=HOURLY;BYHOUR=9", at(1900, 1, 1, 9)},
	{"hourly-many-times", "FREQ=HOURLY;BYMINUTE=" + byValues(0, 59) + ";BYSECOND=" + byValues(0, 59) + ";BYMONTH=2;BYMONTHDAY=29", at(2020, 3, 1, 9)},
	{"minutely-filtered", "FREQ=MINUTELY;BYHOUR=9;BYMINUTE=0", at(2000, 1, 1, 9)},
	{"secondly-filtered", "FREQ=SECONDLY;BYHOUR=9;BYMINUTE=0;BYSECOND=0", at(2025, 1, 1, 9)},
	{"secondly-long-lists", "FREQ=SECONDLY;BYHOUR=" + byValues(0, 22) + ";BYMINUTE=" + byValues(0, 58) + ";BYSECOND=59", at(2025, 1, 1, 9)},
	{"minutely-dense", "FREQ=MINUTELY", at(2026, 3, 1, 9)},
	{"secondly-sparse", "FREQ=SECONDLY;INTERVAL=90001", at(1, 1, 1, 9)},
	// Steps two days and two seconds apart from an even second never
	// reach an odd one: known at once.
	{"secondly-sparse-never", "FREQ=SECONDLY;INTERVAL=172802;BYSECOND=1", at(2026, 1, 1, 9)},
	// Steps 66 s apart from 09:00:00 reach 10:02:48 every eleventh day,
	// and on February 29 only every eleventh leap year: walked day by
	// day, 1,310 steps a day.
	{"secondly-far", "FREQ=SECONDLY;INTERVAL=66;BYMONTH=2;BYMONTHDAY=29;BYHOUR=10;BYMINUTE=2;BYSECOND=48", at(2026, 1, 1, 9)},
	{"never-yields", "FREQ=MINUTELY;BYMONTH=4;BYMONTHDAY=31", at(2026, 1, 1, 9)},
	// What any rule costs: many small ones in a file.
	{"one-occurrence", "FREQ=WEEKLY;COUNT=1", at(2026, 3, 2, 9)},
}

// BenchmarkBudget measures what one unit of the budget costs, rule shape
// by rule shape (the ns/unit metric): each costs about a nanosecond or
// less, so FileBudget units take 2-3 s at most. Shapes that reach the
// per-series limit stop there, as they do in a sync.
//
//	go test -run '^$' -bench Budget -count 3 ./ingest/recur/
func BenchmarkBudget(b *testing.B) {
	for _, shape := range budgetShapes {
		b.Run(shape.name, func(b *testing.B) {
			s := Series{Start: shape.start, Rules: []string{shape.rule}}
			var units int64
			for b.Loop() {
				budget := NewBudgetOf(1 << 62)
				if _, err := s.Expand(windowTo, budget); err != nil && !SkipsSeries(err) {
					b.Fatal(err)
				}
				units += budget.Spent()
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(units), "ns/unit")
			b.ReportMetric(float64(units)/float64(b.N), "units/op")
		})
	}
}

// realCalendars are the shapes of real calendars that must fit the budget
// with room to spare.
func realCalendars() map[string][]Series {
	cals := map[string][]Series{}
	for i := range 300 {
		// Birthdays since 1950: yearly, all-day.
		cals["300 birthdays since 1950"] = append(cals["300 birthdays since 1950"],
			Series{Start: time.Date(1950+i%50, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC), AllDay: true, Rules: []string{"FREQ=YEARLY"}})
	}
	berlin, _ := time.LoadLocation("Europe/Berlin")
	for i := range 500 {
		cals["500 weekly series over 5 years"] = append(cals["500 weekly series over 5 years"],
			Series{Start: time.Date(2021, 6, 7+i%5, 8+i%10, 30, 0, 0, berlin), Rules: []string{"FREQ=WEEKLY;UNTIL=20260607T000000Z"}})
	}
	for i := range 20 {
		// Outlook's VTIMEZONE parts start in 1601; twenty zones.
		from := time.FixedZone("", 3600*(i%12))
		cals["20 Outlook time zones from 1601"] = append(cals["20 Outlook time zones from 1601"],
			Series{Start: time.Date(1601, 1, 1, 2, 0, 0, 0, from), Rules: []string{"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3"}},
			Series{Start: time.Date(1601, 1, 1, 3, 0, 0, 0, from), Rules: []string{"FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10"}})
	}
	cals["a daily standup since 2015"] = []Series{{Start: time.Date(2015, 1, 5, 9, 30, 0, 0, berlin),
		Rules: []string{"FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"}, ExDates: []Date{{Time: time.Date(2015, 12, 24, 0, 0, 0, 0, time.UTC), AllDay: true}}}}
	return cals
}

// TestRealCalendarsFitBudget: real calendars, with their in-window
// instances kept (eight attendees each), spend under a quarter of the
// budget each, and all of them together fit in one.
func TestRealCalendarsFitBudget(t *testing.T) {
	all := NewBudget()
	for name, series := range realCalendars() {
		b := NewBudget()
		start := time.Now()
		for _, s := range series {
			occs, err := s.Expand(windowTo, b)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			kept := 0
			for _, o := range occs {
				if cal.Overlaps(o.Start, o.Start.Add(time.Hour), windowFrom, windowTo) {
					kept++
				}
			}
			// Eight attendees an instance, a meeting of a team.
			if err := b.Keep(kept, 8*kept); err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if _, err := s.Expand(windowTo, all); err != nil {
				t.Fatalf("%s, all calendars in one budget: %v", name, err)
			}
			all.Keep(kept, 8*kept)
		}
		share := float64(b.Spent()) / float64(FileBudget)
		t.Logf("%s: %d units, %.1f%% of a file's budget, %v", name, b.Spent(), 100*share, time.Since(start).Round(time.Millisecond))
		if share > 0.25 {
			t.Errorf("%s spends %.0f%% of the budget, want under 25%%", name, 100*share)
		}
	}
	if all.Spent() > FileBudget {
		t.Errorf("all real calendars together spend %d units, want at most FileBudget (%d)", all.Spent(), FileBudget)
	}
}

// TestBudgetRefuses: work beyond the budget fails with ErrBudget before
// rrule-go walks, and a nil budget is unlimited.
func TestBudgetRefuses(t *testing.T) {
	s := Series{Start: at(2000, 1, 1, 9), Rules: []string{"FREQ=SECONDLY;BYHOUR=9;BYMINUTE=0;BYSECOND=0"}}
	start := time.Now()
	b := NewBudget()
	_, err := s.Expand(windowTo, b)
	if !errors.Is(err, ErrBudget) {
		t.Fatalf("26 years of SECONDLY steps: got %v, want ErrBudget", err)
	}
	if took := time.Since(start); took > time.Second {
		t.Errorf("refusal took %v, want it before the walk (well under 1s)", took)
	}
	if _, err := s.Expand(windowTo, b); !errors.Is(err, ErrBudget) {
		t.Errorf("exhausted budget: got %v, want ErrBudget", err)
	}
	small := Series{Start: at(2026, 5, 1, 9), Rules: []string{"FREQ=DAILY"}}
	if _, err := small.Expand(windowTo, NewBudgetOf(1000)); !errors.Is(err, ErrBudget) {
		t.Errorf("tiny budget: got %v, want ErrBudget", err)
	}
	occs, err := small.Expand(windowTo, nil)
	if err != nil || len(occs) != 30 {
		t.Errorf("nil budget: got %d occurrences, %v; want 30", len(occs), err)
	}
	if err := NewBudgetOf(2*costKeep).Keep(3, 0); !errors.Is(err, ErrBudget) {
		t.Errorf("Keep beyond the budget: got %v, want ErrBudget", err)
	}
	// Attendees are paid for with every instance that carries them.
	if err := NewBudgetOf(2*costKeep+100*costKeepAttendee).Keep(2, 100); err != nil {
		t.Errorf("Keep within the budget: %v", err)
	}
	if err := NewBudgetOf(2*costKeep+100*costKeepAttendee).Keep(2, 101); !errors.Is(err, ErrBudget) {
		t.Errorf("Keep of attendees beyond the budget: got %v, want ErrBudget", err)
	}
}
