package recur

import "github.com/teambition/rrule-go"

// unitOf is the length of a sub-daily rule's step unit, in seconds.
func unitOf(f rrule.Frequency) int64 {
	return map[rrule.Frequency]int64{rrule.HOURLY: 3600, rrule.MINUTELY: 60, rrule.SECONDLY: 1}[f]
}

// anyTime reports whether any step of a sub-daily rule passes its time
// filters and BYSETPOS, and the units that cost. Whatever the day, the
// steps fall on the times of day congruent to DTSTART's modulo
// gcd(INTERVAL, steps a day): from an even hour, every second hour never
// reaches 01:00, and rrule-go would step on forever.
func (p *plan) anyTime() (bool, int64) {
	if p.perPeriod(1) == 0 {
		return false, costScan
	}
	unit := unitOf(p.freq)
	perDay := 86400 / unit
	g := gcd(p.interval, perDay)
	var n int64
	for x := int64(p.startSec) / unit % g; x < perDay; x += g {
		n += costTimeTest
		if p.timeOK(x, unit) {
			return true, n
		}
	}
	return false, n
}

// simulateSteps follows a sub-daily rule whose steps (INTERVAL hours,
// minutes or seconds apart from DTSTART) fall at least daily. rrule-go
// visits every step, so a day costs as many steps as fall in it, whether
// or not its date matches.
func (p *plan) simulateSteps(s *sim) error {
	unit := unitOf(p.freq)
	perDay := 86400 / unit
	i := p.interval
	g := gcd(i, perDay)
	// The steps' times of day repeat every i/g days, the dates every
	// 146,097.
	s.cycle = 146097/gcd(146097, i/g)*(i/g) + 1
	stepWork := (perDay + i - 1) / i * p.cost
	perStep := p.perPeriod(1)
	x0 := int64(p.startSec) / unit
	// table[j] caches how many of a day's steps pass the time filters, for
	// each phase j of the steps within the day.
	var table []int32
	if p.hours != 0 || p.minutes != 0 || p.seconds != 0 {
		table = make([]int32, i/g)
		for j := range table {
			table[j] = -1
		}
		s.read += int64(len(table))
	}
	// matching counts the day's steps whose time passes the filters; r is
	// the unit of the day of the first.
	matching := func(r int64) int64 {
		if table == nil {
			return (perDay - r + i - 1) / i
		}
		j := (r - x0%g) / g
		if table[j] < 0 {
			var n int32
			for x := r; x < perDay; x += i {
				if p.timeOK(x, unit) {
					n++
				}
			}
			table[j] = n
		}
		return int64(table[j])
	}
	var yr year
	r := x0
	for day := p.start; ; day++ {
		if !yr.advance(p, day) {
			return nil
		}
		// On a day its date filters refuse, rrule-go skips to the next
		// after the first step whose time passes.
		var c int64
		evals := int64(1)
		if yr.mask.has(int(day - yr.jan1)) {
			if day == p.start {
				c, evals = p.firstDaySteps(x0, unit), (perDay+i-1)/i
			} else {
				evals = matching(r)
				c = evals * perStep
			}
		}
		if done, err := s.period(costScan, stepWork+evals*p.periodCost, c, day); done {
			return err
		}
		r = mod(r-perDay, i)
	}
}

// simulateSparse follows a sub-daily rule whose steps are more than a day
// apart, step by step.
func (p *plan) simulateSparse(s *sim) error {
	unit := unitOf(p.freq)
	perDay := 86400 / unit
	cycleUnits := 146097 * perDay
	s.cycle = cycleUnits/gcd(p.interval, cycleUnits) + 1
	// rrule-go carries a step's days into months one month at a time.
	stepWork := p.cost + costPeriod*(p.interval/perDay/28+1)
	x0 := int64(p.startSec) / unit
	perStep := p.perPeriod(1)
	for k := int64(0); ; k++ {
		pos := x0 + k*p.interval
		day := p.start + pos/perDay
		y, _, _ := civilFromDays(day)
		if y > maxYear {
			return nil
		}
		var c, work int64
		if p.timeOK(pos%perDay, unit) {
			work = p.periodCost
			if p.yearMask(y).has(int(day - daysFromCivil(y, 1, 1))) {
				c = perStep
				if k == 0 {
					c = p.firstDaySteps(x0, unit)
				}
			}
		}
		if done, err := s.period(costSparse, stepWork+work, c, day); done {
			return err
		}
	}
}

// firstDaySteps counts the occurrences of DTSTART's day for a sub-daily
// rule: its steps from DTSTART on, the first one only if DTSTART itself
// passes the time filters (rrule-go's iterator starts with no candidates
// otherwise), and on it only the times at or after DTSTART.
func (p *plan) firstDaySteps(x0, unit int64) int64 {
	perDay := 86400 / unit
	var c int64
	var times []int
	for x := x0; x < perDay; x += p.interval {
		if !p.timeOK(x, unit) {
			continue
		}
		if x > x0 {
			// Only the first step can hold times before DTSTART.
			c += p.perPeriod(1)
			continue
		}
		// The step's candidates, as seconds of the day.
		times = times[:0]
		for _, t := range p.times {
			times = append(times, int(x*unit)+t)
		}
		c += p.countFrom([]int64{p.start}, times)
	}
	return c
}

// timeOK reports whether the step at unit x of the day passes a sub-daily
// rule's BYHOUR, BYMINUTE and BYSECOND.
func (p *plan) timeOK(x, unit int64) bool {
	sec := x * unit
	return (p.hours == 0 || p.hours&(1<<(sec/3600)) != 0) &&
		(p.minutes == 0 || p.minutes&(1<<(sec/60%60)) != 0) &&
		(p.seconds == 0 || p.seconds&(1<<(sec%60)) != 0)
}
