package recur

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/teambition/rrule-go"
)

// randomRule writes a rule with a random mix of the parts that decide
// where rrule-go finds occurrences.
func randomRule(r *rand.Rand) string {
	freqs := []string{"YEARLY", "MONTHLY", "WEEKLY", "DAILY", "HOURLY", "MINUTELY", "SECONDLY"}
	freq := r.IntN(len(freqs))
	parts := []string{"FREQ=" + freqs[freq]}
	if r.IntN(3) == 0 {
		parts = append(parts, fmt.Sprintf("INTERVAL=%d", 1+r.IntN([]int{5, 5, 5, 10, 30, 100, 100}[freq])))
	}
	list := func(name string, n, lo, hi int, neg bool) {
		var vs []string
		for range n {
			v := lo + r.IntN(hi-lo+1)
			if neg && r.IntN(2) == 0 {
				v = -v
			}
			vs = append(vs, fmt.Sprint(v))
		}
		parts = append(parts, name+"="+strings.Join(vs, ","))
	}
	maybe := func(odds int) bool { return r.IntN(odds) == 0 }
	if maybe(3) {
		list("BYMONTH", 1+r.IntN(3), 1, 12, false)
	}
	if maybe(4) {
		list("BYMONTHDAY", 1+r.IntN(3), 1, 31, true)
	}
	if maybe(6) {
		list("BYYEARDAY", 1+r.IntN(3), 1, 366, true)
	}
	if maybe(6) {
		list("BYWEEKNO", 1+r.IntN(2), 1, 53, true)
	}
	if maybe(3) {
		days := []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}
		var vs []string
		for range 1 + r.IntN(3) {
			d := days[r.IntN(7)]
			switch r.IntN(3) {
			case 1:
				d = fmt.Sprint(1+r.IntN(5)) + d
			case 2:
				d = fmt.Sprint(-1-r.IntN(5)) + d
			}
			vs = append(vs, d)
		}
		parts = append(parts, "BYDAY="+strings.Join(vs, ","))
	}
	if maybe(4) {
		list("BYHOUR", 1+r.IntN(3), 0, 23, false)
	}
	if maybe(4) {
		list("BYMINUTE", 1+r.IntN(2), 0, 59, false)
	}
	if maybe(5) {
		list("BYSECOND", 1+r.IntN(2), 0, 59, false)
	}
	if maybe(5) {
		list("BYSETPOS", 1+r.IntN(2), 1, 10, true)
	}
	if maybe(5) {
		parts = append(parts, "WKST="+[]string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}[r.IntN(7)])
	}
	return strings.Join(parts, ";")
}

// TestSimulationAgreesWithRRule: for random rules starting close to the
// year 9999, where rrule-go stops, the simulation counts exactly the
// occurrences rrule-go produces, and calls a rule that produces none
// never-yielding. The engine's predictions (never-yields, the walk's cost)
// rest on this.
func TestSimulationAgreesWithRRule(t *testing.T) {
	rnd := rand.New(rand.NewPCG(13, 5545))
	n := 3000
	if testing.Short() {
		n = 500
	}
	checked, never := 0, 0
	for range n {
		text := randomRule(rnd)
		subDaily := strings.Contains("HOURLY MINUTELY SECONDLY", strings.Split(strings.TrimPrefix(text, "FREQ="), ";")[0])
		var start time.Time
		if subDaily {
			// A few days before rrule-go's end.
			start = time.Date(9999, 12, 20+rnd.IntN(10), rnd.IntN(24), rnd.IntN(60), rnd.IntN(60), 0, time.UTC)
		} else {
			start = time.Date(9990+rnd.IntN(9), time.Month(1+rnd.IntN(12)), 1+rnd.IntN(28), rnd.IntN(24), rnd.IntN(60), rnd.IntN(60), 0, time.UTC)
		}
		r, err := parseRule(text, start, false)
		if err != nil {
			continue
		}
		if r.never {
			never++
			continue
		}
		w, err := r.plan.simulate(1<<40, 1<<40, func(int64) error { return nil })
		if err != nil {
			t.Fatal(err)
		}
		checked++
		if subDaily && !stepsCanMatch(r.plan) {
			// rrule-go would step forever: its loop over a sub-daily
			// rule's steps does not stop at the year 9999.
			never++
			if !w.never {
				t.Errorf("%s from %s: simulation found %d, want never", text, start.Format(time.DateTime), w.found)
			}
			continue
		}
		want := 0
		next := r.rr.Iterator()
		for _, ok := next(); ok && want < 200_000; _, ok = next() {
			want++
		}
		if want >= 200_000 {
			continue
		}
		if w.never {
			never++
		}
		if int(w.found) != want || w.never != (want == 0) {
			t.Errorf("%s from %s: simulation found %d (never %v), rrule-go %d", text, start.Format(time.DateTime), w.found, w.never, want)
		}
	}
	t.Logf("%d rules checked, %d never yield", checked, never)
	if checked < n/2 || never < n/50 {
		t.Errorf("checked %d rules (%d never yield), want most and some", checked, never)
	}
}

// TestSimulationWeekNumbers covers what random rules rarely reach: week
// numbers at the turn of the year, for every week start, where the days
// before week 1 belong to the previous year's last week.
func TestSimulationWeekNumbers(t *testing.T) {
	days := []string{"MO", "TU", "WE", "TH", "FR", "SA", "SU"}
	for _, freq := range []string{"YEARLY", "WEEKLY", "DAILY"} {
		for _, wkst := range days {
			for _, no := range []string{"1", "2", "52", "53", "-1", "-2", "-53", "1,53", "-1,52"} {
				text := "FREQ=" + freq + ";BYWEEKNO=" + no + ";WKST=" + wkst
				if freq == "YEARLY" {
					text += ";BYDAY=MO,TH,SU"
				}
				start := time.Date(9988, 12, 25, 9, 0, 0, 0, time.UTC)
				r, err := parseRule(text, start, false)
				if err != nil {
					t.Fatal(err)
				}
				w, err := r.plan.simulate(1<<40, 1<<40, func(int64) error { return nil })
				if err != nil {
					t.Fatal(err)
				}
				want := int64(0)
				next := r.rr.Iterator()
				for _, ok := next(); ok; _, ok = next() {
					want++
				}
				if w.found != want {
					t.Errorf("%s: simulation found %d, rrule-go %d", text, w.found, want)
				}
			}
		}
	}
}

// stepsCanMatch reports, by brute force, whether some step of a sub-daily
// rule passes its time filters and BYSETPOS: the steps' times of day are
// those congruent to DTSTART's modulo gcd(INTERVAL, steps per day).
func stepsCanMatch(p *plan) bool {
	unit := map[rrule.Frequency]int64{rrule.HOURLY: 3600, rrule.MINUTELY: 60, rrule.SECONDLY: 1}[p.freq]
	perDay := 86400 / unit
	g := gcd(p.interval, perDay)
	if p.perPeriod(1) == 0 {
		return false
	}
	for x := int64(p.startSec) / unit % g; x < perDay; x += g {
		if p.timeOK(x, unit) {
			return true
		}
	}
	return false
}
