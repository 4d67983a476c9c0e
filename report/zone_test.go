package report

import (
	"testing"
	"time"

	"github.com/weekmap/weekmap/config"
)

// Working hours that straddle the 02:00/03:00 DST changes make a shortened
// or lengthened day visible: 01:00–05:00 is 3 hours on a spring-forward day
// and 5 hours on a fall-back day.
func TestAccountWeekDST(t *testing.T) {
	nightly := func(c *config.Week) {
		c.WorkingHours = config.WorkingHours{Days: days("mon", "tue", "wed", "thu", "fri", "sat", "sun"), Start: clk("01:00"), End: clk("05:00")}
	}
	wholeWeek := func(c *config.Week) { c.Accounting.Unscheduled = config.UnscheduledNone }
	allWeek := func(w Week) []Classified {
		return []Classified{event("w", "incident", w.Start, w.End)}
	}
	for _, zone := range []struct{ name, spring, fall, afterSpring string }{
		{"Europe/Berlin", "2026-W13", "2026-W43", "2026-W14"},
		{"America/New_York", "2026-W10", "2026-W44", "2026-W11"},
	} {
		t.Run(zone.name, func(t *testing.T) {
			runAccountCases(t, zone.name, zone.spring, workCategories(), []accountCase{
				{name: "spring week length", cfg: wholeWeek, events: allWeek, want: map[string]float64{"incident": 167}, counted: 1},
				{name: "spring working hours", cfg: nightly, want: map[string]float64{"implementation": 6*4 + 3}, unscheduled: 27},
			})
			runAccountCases(t, zone.name, zone.fall, workCategories(), []accountCase{
				{name: "fall week length", cfg: wholeWeek, events: allWeek, want: map[string]float64{"incident": 169}, counted: 1},
				{name: "fall working hours", cfg: nightly, want: map[string]float64{"implementation": 6*4 + 5}, unscheduled: 29},
			})
			// The Monday after a change still starts work at 09:00 wall
			// clock: an 08:00–09:00 meeting stays outside working hours.
			runAccountCases(t, zone.name, zone.afterSpring, workCategories(), []accountCase{
				{name: "monday after the change", events: func(w Week) []Classified {
					return []Classified{
						event("early", "review", clock(w, 0, "08:00"), clock(w, 0, "09:00")),
						event("late", "review", clock(w, 0, "17:00"), clock(w, 0, "18:00")),
					}
				}, want: map[string]float64{"review": 2, "implementation": 40}, unscheduled: 40, counted: 2},
			})
		})
	}
}

func TestAccountWeekHalfHourZone(t *testing.T) {
	utc := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339, s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	runAccountCases(t, "Asia/Kolkata", "2026-W47", workCategories(), []accountCase{
		// 03:30Z is 09:00 IST on Monday 16 November.
		{name: "meeting at the start of the day", events: func(Week) []Classified {
			return []Classified{event("m", "design", utc("2026-11-16T03:30:00Z"), utc("2026-11-16T04:30:00Z"))}
		}, want: map[string]float64{"design": 1, "implementation": 39}, unscheduled: 39, counted: 1},
		// Sunday 18:00Z–19:00Z is 23:30–00:30 IST: half in the week before.
		{name: "clipped at the local week start", cfg: func(c *config.Week) { c.Accounting.Unscheduled = config.UnscheduledNone },
			events: func(Week) []Classified {
				return []Classified{event("m", "incident", utc("2026-11-15T18:00:00Z"), utc("2026-11-15T19:00:00Z"))}
			}, want: map[string]float64{"incident": 0.5}, counted: 1},
		// An all-day day off is the local Friday, not the UTC one, which
		// would leave Friday's first 5.5 hours and take Saturday's.
		{name: "all-day out of office is the local day", cfg: func(c *config.Week) { c.WorkingHours.Start, c.WorkingHours.End = clk("00:00"), clk("24:00") },
			events: func(Week) []Classified {
				return []Classified{allDay("o", "ignore", "2026-11-20", "2026-11-21", withType("outOfOffice"))}
			}, want: map[string]float64{"implementation": 96}, unscheduled: 96, timeOff: 24},
	})
}
