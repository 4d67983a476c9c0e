package recur

import (
	"slices"

	"github.com/teambition/rrule-go"
)

// walk is what simulating rrule-go's walk found.
type walk struct {
	// never is set when the rule produces nothing at or after DTSTART:
	// no period of one whole cycle matches, or none does before the year
	// 9999.
	never bool
	// work is what rrule-go spends up to the walk's end, in budget units.
	work int64
	// found counts the occurrences it produces on the way.
	found int64
	// read is what the simulation itself spent, in budget units, besides
	// the masks it built.
	read  int64
	masks int64
}

// units is what the walk costs the budget: the simulation's own reading,
// and, once the rule is known to yield (rrule-go does not walk a rule that
// never does), rrule-go's walk and the occurrences it produces.
func (w walk) units() int64 {
	u := w.read + w.masks*costMask
	if w.found == 0 {
		return u
	}
	return u + w.work + w.found*costCandidate
}

// sim is the bookkeeping of one simulation.
type sim struct {
	walk
	p *plan
	// built is how many masks p had built when the simulation began.
	built             int64
	stopDay, maxFound int64
	// cycle is how many periods the calendar takes to repeat for the
	// rule: with none matching in as many, none ever will.
	cycle   int64
	periods int64
	pay     func(int64) error
	paid    int64
}

// payEvery is how many periods a simulation reads between payments.
const payEvery = 4096

// checkDaysAfter is how many periods without an occurrence a simulation
// reads before it checks whether any day of the cycle passes the date
// filters at all (most rules find an occurrence at once and never need
// to): months and years cost more to read than days.
func checkDaysAfter(f rrule.Frequency) int64 {
	if f <= rrule.MONTHLY {
		return 16
	}
	return 400
}

// period records the next period (or day, or step) of the walk: what
// reading it cost, rrule-go's work on it, the occurrences it gives and the
// day it begins on. It reports whether the walk ends with it, and fails
// when the budget runs out.
func (s *sim) period(read, work, found, day int64) (bool, error) {
	s.read += read
	s.work += work
	s.found += found
	s.periods++
	// No day of the cycle passes (April 31): nothing to walk, whatever
	// the periods and times.
	never := s.walk.found == 0 && s.periods == checkDaysAfter(s.p.freq) && !s.p.anyDay()
	s.masks = s.p.built - s.built
	switch {
	case found > 0 && (s.found >= s.maxFound || day > s.stopDay),
		s.walk.found == 0 && s.periods > s.cycle, never:
		return true, nil
	case s.periods%payEvery == 0:
		u := s.units()
		if err := s.pay(u - s.paid); err != nil {
			return true, err
		}
		s.paid = u
	}
	return false, nil
}

// end finishes the simulation: the units not yet paid are paid.
func (s *sim) end() (walk, error) {
	s.never = s.walk.found == 0
	s.masks = s.p.built - s.built
	return s.walk, s.pay(s.units() - s.paid)
}

// simulate follows rrule-go's walk from DTSTART to its end: the first
// period with a candidate after stopDay (the day of the window's end or of
// UNTIL, whichever is first), the period where maxFound occurrences are
// reached (COUNT, or one more than the series may have), or the year 9999.
// pay is called with the units spent every few thousand periods, so that a
// long scan stops when the budget runs out.
func (p *plan) simulate(stopDay, maxFound int64, pay func(int64) error) (walk, error) {
	s := &sim{p: p, built: p.built, stopDay: stopDay, maxFound: maxFound, pay: pay}
	if p.freq >= rrule.HOURLY {
		ok, read := p.anyTime()
		if s.read = read; !ok {
			return s.end()
		}
	}
	var err error
	switch {
	case p.freq < rrule.HOURLY:
		err = p.simulatePeriods(s)
	case p.interval > 86400/unitOf(p.freq):
		err = p.simulateSparse(s)
	default:
		err = p.simulateSteps(s)
	}
	if err != nil {
		return s.walk, err
	}
	return s.end()
}

func (p *plan) simulatePeriods(s *sim) error {
	switch p.freq {
	case rrule.YEARLY:
		s.cycle = 400 / gcd(p.interval, 400)
	case rrule.MONTHLY:
		s.cycle = 4800 / gcd(p.interval, 4800)
	case rrule.WEEKLY:
		s.cycle = 20871 / gcd(p.interval, 20871)
	default:
		s.cycle = 146097 / gcd(p.interval, 146097)
	}
	// One period more: DTSTART's may be only partly after DTSTART.
	s.cycle++
	y0, m0, _ := civilFromDays(p.start)
	weekStart := p.start - mod(int64(weekday(p.start)-p.wkst), 7)
	var yr year
	lastMonth := 0
	for k := int64(0); ; k++ {
		var a, b int
		var work int64
		switch p.freq {
		case rrule.YEARLY:
			y := int64(y0) + k*p.interval
			if y > maxYear {
				return nil
			}
			yr.set(p, int(y))
			a, b = 0, yr.n
		case rrule.MONTHLY:
			mi := int64(y0)*12 + int64(m0-1) + k*p.interval
			y := floorDiv(mi, 12)
			if y > maxYear {
				return nil
			}
			yr.set(p, int(y))
			m := int(mod(mi, 12)) + 1
			a, b = monthStart[yr.n-365][m-1], monthStart[yr.n-365][m]
			if len(p.nthDays) > 0 && m != lastMonth {
				// rrule-go rebuilds its ordinal-weekday mask for each
				// month.
				work += costRebuild
			}
			lastMonth = m
		default:
			start, n := p.start+k*p.interval, 1
			if p.freq == rrule.WEEKLY {
				// The first week runs from DTSTART to the day before
				// WKST; the later ones are whole weeks.
				start, n = weekStart+k*7*p.interval, 7
				if k == 0 {
					start = p.start
					if n = int(mod(int64(p.wkst-weekday(p.start)), 7)); n == 0 {
						n = 7
					}
				}
			}
			if !yr.advance(p, start) {
				return nil
			}
			a = int(start - yr.jan1)
			b = a + n
		}
		if yr.fresh && (len(p.weeknos) > 0 || len(p.nthDays) > 0) {
			// And its week-number and ordinal masks for each year.
			work += costRebuild
		}
		var c int64
		switch {
		case k == 0:
			c = p.firstPeriod(yr.jan1, a, b, yr.mask)
		case b-a == 1:
			if yr.mask.has(a) {
				c = p.perPeriod(1)
			}
		default:
			c = p.perPeriod(int64(yr.mask.count(a, b)))
		}
		work += p.periodCost + int64(b-a)*p.cost
		read := int64(costScan)
		if p.freq <= rrule.MONTHLY {
			// A new year's mask is looked up for each.
			read *= 5
		}
		if done, err := s.period(read, work, c, yr.jan1+int64(a)); done {
			return err
		}
	}
}

// anyDay reports whether any day of a 400-year cycle passes the rule's
// date filters, a year's mask at a time.
func (p *plan) anyDay() bool {
	for y := 2000; y < 2400; y++ {
		m := p.yearMask(y)
		for _, w := range m {
			if w != 0 {
				return true
			}
		}
	}
	return false
}

// year is the year a simulation is in, with its mask.
type year struct {
	y     int
	jan1  int64 // day number of January 1
	n     int   // days
	mask  *dayBits
	fresh bool // set when the last set or advance changed the year
}

func (yr *year) set(p *plan, y int) {
	if yr.fresh = yr.mask == nil || y != yr.y; yr.fresh {
		yr.y, yr.jan1, yr.n, yr.mask = y, daysFromCivil(y, 1, 1), yearLen(y), p.yearMask(y)
	}
}

// advance moves to the year of day (not before the current year), or
// reports false past the year 9999.
func (yr *year) advance(p *plan, day int64) bool {
	if yr.mask == nil || day-yr.jan1 >= int64(yr.n)+366 {
		y, _, _ := civilFromDays(day)
		if y > maxYear {
			return false
		}
		yr.set(p, y)
		return true
	}
	yr.fresh = false
	for day-yr.jan1 >= int64(yr.n) {
		if yr.y == maxYear {
			return false
		}
		yr.set(p, yr.y+1)
	}
	return true
}

// perPeriod is how many occurrences a period with d matching days gives.
func (p *plan) perPeriod(d int64) int64 {
	n := d * int64(len(p.times))
	if len(p.setpos) == 0 || n == 0 {
		return n
	}
	if c, ok := p.setCount[n]; ok {
		return c
	}
	c := int64(len(p.setIndices(int(n))))
	if p.setCount == nil {
		p.setCount = map[int64]int64{}
	}
	p.setCount[n] = c
	return c
}

// setIndices lists the candidates (by index, sorted) that BYSETPOS picks
// from a period of n candidates.
func (p *plan) setIndices(n int) []int {
	var ks []int
	for _, pos := range p.setpos {
		switch {
		case pos > 0 && pos <= n:
			ks = append(ks, pos-1)
		case pos < 0 && -pos <= n:
			ks = append(ks, n+pos)
		}
	}
	slices.Sort(ks)
	return slices.Compact(ks)
}

// firstPeriod counts the occurrences of DTSTART's period, days [a, b) of
// the year beginning on day jan1.
func (p *plan) firstPeriod(jan1 int64, a, b int, mask *dayBits) int64 {
	var days []int64
	for i := a; i < b; i++ {
		if mask.has(i) {
			days = append(days, jan1+int64(i))
		}
	}
	return p.countFrom(days, p.times)
}

// countFrom counts the candidates of days × times (seconds of the day) at
// or after DTSTART, after BYSETPOS picked from all of them when the rule
// has one: in DTSTART's period, rrule-go drops what comes before DTSTART
// only after BYSETPOS.
func (p *plan) countFrom(days []int64, times []int) int64 {
	var c int64
	if len(p.setpos) == 0 {
		// times are sorted.
		for _, d := range days {
			switch {
			case d > p.start:
				c += int64(len(times))
			case d == p.start:
				i, _ := slices.BinarySearch(times, p.startSec)
				c += int64(len(times) - i)
			}
		}
		return c
	}
	after := func(d int64, s int) bool { return d > p.start || d == p.start && s >= p.startSec }
	t := len(times)
	for _, k := range p.setIndices(len(days) * t) {
		if after(days[k/t], times[k%t]) {
			c++
		}
	}
	return c
}
