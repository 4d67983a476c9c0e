package recur

import (
	"slices"

	"github.com/teambition/rrule-go"
)

// plan is one rule reduced to what decides where rrule-go finds its
// occurrences, so that the engine can tell, before rrule-go walks, whether
// the rule can ever produce one and how much the walk will cost. rrule-go
// checks UNTIL and COUNT only when a period has a candidate: a rule that can
// never match walks to the year 9999 (or, sub-daily, forever), and a rare
// one walks far past the window.
//
// The Gregorian calendar repeats every 400 years (146,097 days, a whole
// number of weeks), so a scan of one cycle of the periods the rule visits
// decides whether it ever matches; the masks it reads are cached per kind
// of year, so a period costs a few word operations.
type plan struct {
	freq     rrule.Frequency
	interval int64
	wkst     int

	start    int64 // DTSTART's day number
	startSec int   // DTSTART's second of the day

	// The date filters, with the values rrule-go fills in from DTSTART.
	months                  uint16 // bit m for month m; 0 for any
	weekdays                uint8  // bit d for weekday d (Monday 0) without an ordinal; 0 for any
	nthDays                 []nthDay
	monthDays, negMonthDays uint64 // bit d for BYMONTHDAY=d and BYMONTHDAY=-d
	yearDays, negYearDays   dayBits
	hasYearDay              bool
	weeknos                 []int

	// A sub-daily rule's time filters, bit v for value v (0 for any).
	hours            uint32
	minutes, seconds uint64
	// times are the candidates one period holds on one day, in seconds:
	// of the day for daily and longer periods, of the step (hour, minute,
	// second) for sub-daily ones.
	times  []int
	setpos []int

	masks    [56]*dayBits
	setCount map[int]int64
	// cost is what rrule-go spends on one day of a period's day set (or
	// one sub-daily step), by the length of the lists it searches.
	cost int64
}

type nthDay struct{ weekday, n int }

// newPlan reads a rule's options after rrule.NewRRule filled in the values
// taken from DTSTART.
func newPlan(o rrule.ROption) *plan {
	p := &plan{freq: o.Freq, interval: int64(max(o.Interval, 1)), wkst: o.Wkst.Day()}
	y, m, d := o.Dtstart.Date()
	h, mi, s := o.Dtstart.Clock()
	p.start = daysFromCivil(y, int(m), d)
	p.startSec = h*3600 + mi*60 + s
	for _, v := range o.Bymonth {
		p.months |= 1 << v
	}
	for _, v := range o.Bymonthday {
		if v > 0 {
			p.monthDays |= 1 << v
		} else {
			p.negMonthDays |= 1 << -v
		}
	}
	for _, v := range o.Byyearday {
		p.hasYearDay = true
		if v > 0 {
			p.yearDays.set(v)
		} else {
			p.negYearDays.set(-v)
		}
	}
	p.weeknos = o.Byweekno
	for _, w := range o.Byweekday {
		if w.N() == 0 || o.Freq > rrule.MONTHLY {
			p.weekdays |= 1 << w.Day()
		} else {
			p.nthDays = append(p.nthDays, nthDay{w.Day(), w.N()})
		}
	}
	p.setpos = o.Bysetpos
	// A list rrule-go would fill from DTSTART, or, for a sub-daily rule,
	// filter steps with.
	or := func(list []int, v int, filled bool) []int {
		if len(list) == 0 && filled {
			return []int{v}
		}
		return list
	}
	hours := or(o.Byhour, h, o.Freq < rrule.HOURLY)
	minutes := or(o.Byminute, mi, o.Freq < rrule.MINUTELY)
	seconds := or(o.Bysecond, s, o.Freq < rrule.SECONDLY)
	switch o.Freq {
	case rrule.HOURLY:
		p.hours = bits32(hours)
		p.times = product(nil, minutes, seconds)
	case rrule.MINUTELY:
		p.hours, p.minutes = bits32(hours), bits64(minutes)
		p.times = product(nil, nil, seconds)
	case rrule.SECONDLY:
		p.hours, p.minutes, p.seconds = bits32(hours), bits64(minutes), bits64(seconds)
		p.times = []int{0}
	default:
		p.times = product(hours, minutes, seconds)
	}
	lists := len(o.Bymonth) + len(o.Byweekday) + len(o.Bymonthday) + 2*len(o.Byyearday) + len(o.Byhour) + len(o.Byminute) + len(o.Bysecond)
	p.cost = costDay + int64(lists)*costListItem
	return p
}

func bits32(list []int) (b uint32) {
	for _, v := range list {
		b |= 1 << v
	}
	return b
}

func bits64(list []int) (b uint64) {
	for _, v := range list {
		b |= 1 << v
	}
	return b
}

// product lists h:m:s for every combination, in seconds, sorted. A nil
// list stands for 0.
func product(hours, minutes, seconds []int) []int {
	or0 := func(l []int) []int {
		if l == nil {
			return []int{0}
		}
		return l
	}
	var out []int
	for _, h := range or0(hours) {
		for _, m := range or0(minutes) {
			for _, s := range or0(seconds) {
				out = append(out, h*3600+m*60+s)
			}
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

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
	// scanned counts the periods (or days, or steps) the simulation read.
	scanned int64
}

// simulate follows rrule-go's walk from DTSTART to its end: the first
// period with a candidate after stopDay (the day of the window's end or of
// UNTIL, whichever is first), or the period where maxFound occurrences are
// reached (COUNT, or one more than the series may have). pay is called with
// the units spent so far every few thousand periods, so that a long scan
// stops when the budget runs out.
func (p *plan) simulate(stopDay, maxFound int64, pay func(int64) error) (walk, error) {
	if p.freq >= rrule.HOURLY {
		return p.simulateSteps(stopDay, maxFound, pay)
	}
	return p.simulatePeriods(stopDay, maxFound, pay)
}

// units is what the walk costs the budget: the simulation's own reading,
// and, once the rule is known to yield (rrule-go does not walk a rule that
// never does), rrule-go's walk and the occurrences it produces.
func (w walk) units() int64 {
	u := w.scanned * costScan
	if w.found > 0 {
		u += w.work + w.found*costOccurrence
	}
	return u
}

// payEvery is how many periods a simulation reads between payments.
const payEvery = 4096

func (p *plan) simulatePeriods(stopDay, maxFound int64, pay func(int64) error) (walk, error) {
	var w walk
	var cycle int64 // periods after which the calendar repeats
	switch p.freq {
	case rrule.YEARLY:
		cycle = 400 / gcd(p.interval, 400)
	case rrule.MONTHLY:
		cycle = 4800 / gcd(p.interval, 4800)
	case rrule.WEEKLY:
		cycle = 20871 / gcd(p.interval, 20871)
	default:
		cycle = 146097 / gcd(p.interval, 146097)
	}
	y0, m0, _ := civilFromDays(p.start)
	weekStart := p.start - mod(int64(weekday(p.start)-p.wkst), 7)
	var paid int64
	yielded := false
	lastYear, lastMonth := y0-1, 0
	for k := int64(0); ; k++ {
		var y, a, b int
		switch p.freq {
		case rrule.YEARLY:
			yy := int64(y0) + k*p.interval
			if yy > maxYear {
				return w.end(yielded, paid, pay)
			}
			y, a, b = int(yy), 0, yearLen(int(yy))
		case rrule.MONTHLY:
			mi := int64(y0)*12 + int64(m0-1) + k*p.interval
			yy := floorDiv(mi, 12)
			if yy > maxYear {
				return w.end(yielded, paid, pay)
			}
			y = int(yy)
			m := int(mod(mi, 12)) + 1
			a, b = monthStart[b2i(isLeap(y))][m-1], monthStart[b2i(isLeap(y))][m]
			if len(p.nthDays) > 0 && m != lastMonth {
				// rrule-go rebuilds its ordinal-weekday mask for each month.
				w.work += costRebuild
			}
			lastMonth = m
		default:
			start := p.start + k*p.interval
			n := 1
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
			yy, _, _ := civilFromDays(start)
			if yy > maxYear {
				return w.end(yielded, paid, pay)
			}
			y = yy
			a = int(start - daysFromCivil(y, 1, 1))
			b = a + n
		}
		if y != lastYear && (len(p.weeknos) > 0 || len(p.nthDays) > 0) {
			// And its week number and ordinal masks for each year.
			w.work += costRebuild
		}
		lastYear = y
		mask := p.yearMask(y)
		w.scanned++
		w.work += costPeriod + int64(b-a)*p.cost
		var c int64
		if k == 0 {
			c = p.firstPeriod(y, a, b, mask)
		} else {
			c = p.perPeriod(int64(mask.count(a, b)))
		}
		if c > 0 {
			yielded = true
			w.found += c
			if w.found >= maxFound || daysFromCivil(y, 1, 1)+int64(a) > stopDay {
				return w.end(yielded, paid, pay)
			}
		} else if !yielded && k >= cycle {
			return w.end(yielded, paid, pay)
		}
		if w.scanned%payEvery == 0 {
			u := w.units()
			if err := pay(u - paid); err != nil {
				return w, err
			}
			paid = u
		}
	}
}

// end finishes a simulation: never is set if nothing was found, and the
// units not yet paid are paid.
func (w walk) end(yielded bool, paid int64, pay func(int64) error) (walk, error) {
	w.never = !yielded
	return w, pay(w.units() - paid)
}

// perPeriod is how many occurrences a period with d matching days gives.
func (p *plan) perPeriod(d int64) int64 {
	n := d * int64(len(p.times))
	if len(p.setpos) == 0 || n == 0 {
		return n
	}
	if c, ok := p.setCount[int(n)]; ok {
		return c
	}
	c := int64(len(p.setIndices(int(n))))
	if p.setCount == nil {
		p.setCount = map[int]int64{}
	}
	p.setCount[int(n)] = c
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

// firstPeriod counts the occurrences of DTSTART's period: only those at or
// after DTSTART count, and BYSETPOS picks from the whole period first.
func (p *plan) firstPeriod(y, a, b int, mask *dayBits) int64 {
	jan1 := daysFromCivil(y, 1, 1)
	var days []int64
	for i := a; i < b; i++ {
		if mask.has(i) {
			days = append(days, jan1+int64(i))
		}
	}
	return p.countFrom(days, p.times)
}

// countFrom counts the candidates of days × times (seconds of the day) at
// or after DTSTART, after BYSETPOS picked from them when the rule has one.
func (p *plan) countFrom(days []int64, times []int) int64 {
	t := len(times)
	after := func(d int64, s int) bool { return d > p.start || d == p.start && s >= p.startSec }
	var c int64
	if len(p.setpos) == 0 {
		for _, d := range days {
			for _, s := range times {
				if after(d, s) {
					c++
				}
			}
		}
		return c
	}
	for _, k := range p.setIndices(len(days) * t) {
		if after(days[k/t], times[k%t]) {
			c++
		}
	}
	return c
}

// simulateSteps follows a sub-daily rule. Its steps lie on a lattice of
// INTERVAL hours, minutes or seconds from DTSTART; rrule-go visits each
// step (skipping the rest of a day whose date does not match), so a day
// costs as many steps as the lattice puts in it.
func (p *plan) simulateSteps(stopDay, maxFound int64, pay func(int64) error) (walk, error) {
	unit := map[rrule.Frequency]int64{rrule.HOURLY: 3600, rrule.MINUTELY: 60, rrule.SECONDLY: 1}[p.freq]
	perDay := 86400 / unit
	x0 := int64(p.startSec) / unit
	perStep := p.perPeriod(1)
	if p.interval > perDay {
		return p.simulateSparse(unit, x0, perStep, stopDay, maxFound, pay)
	}
	i := p.interval
	g := gcd(i, perDay)
	// The steps' times of day repeat every i/g days, the dates every
	// 146,097.
	cycle := 146097 / gcd(146097, i/g) * (i / g)
	stepsPerDay := (perDay + i - 1) / i
	var table []int32
	if p.hours != 0 || p.minutes != 0 || p.seconds != 0 {
		table = make([]int32, i/g)
		for j := range table {
			table[j] = -1
		}
	}
	// matching counts the day's steps whose time passes the filters; r is
	// the first step's unit of the day.
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
	var w walk
	var paid int64
	yielded := false
	y, _, _ := civilFromDays(p.start)
	jan1 := daysFromCivil(y, 1, 1)
	mask := p.yearMask(y)
	r := x0
	for day := p.start; ; day++ {
		if day-jan1 >= int64(yearLen(y)) {
			y++
			jan1 += int64(yearLen(y - 1))
			mask = p.yearMask(y)
		}
		if y > maxYear {
			return w.end(yielded, paid, pay)
		}
		w.scanned++
		w.work += stepsPerDay * p.cost
		var c int64
		if mask.has(int(day - jan1)) {
			if day == p.start {
				c = p.firstDaySteps(x0, unit)
			} else {
				c = matching(r) * perStep
			}
		}
		if c > 0 {
			yielded = true
			w.found += c
			if w.found >= maxFound || day > stopDay {
				return w.end(yielded, paid, pay)
			}
		} else if !yielded && day-p.start >= cycle {
			return w.end(yielded, paid, pay)
		}
		r = mod(r-perDay, i)
		if w.scanned%payEvery == 0 {
			u := w.units()
			if err := pay(u - paid); err != nil {
				return w, err
			}
			paid = u
		}
	}
}

// simulateSparse follows a sub-daily rule whose steps are more than a day
// apart, step by step.
func (p *plan) simulateSparse(unit, x0, perStep, stopDay, maxFound int64, pay func(int64) error) (walk, error) {
	perDay := 86400 / unit
	const cycleUnits = 146097 * 86400
	cycle := cycleUnits / unit / gcd(p.interval, cycleUnits/unit)
	// rrule-go carries a step's days into months one month at a time.
	stepCost := p.cost + costPeriod*(p.interval/perDay/28+1)
	var w walk
	var paid int64
	yielded := false
	for k := int64(0); ; k++ {
		pos := x0 + k*p.interval
		day := p.start + pos/perDay
		y, _, _ := civilFromDays(day)
		if y > maxYear {
			return w.end(yielded, paid, pay)
		}
		w.scanned++
		w.work += stepCost
		var c int64
		if p.yearMask(y).has(int(day-daysFromCivil(y, 1, 1))) && p.timeOK(pos%perDay, unit) {
			c = perStep
			if k == 0 {
				c = p.firstDaySteps(x0, unit)
			}
		}
		if c > 0 {
			yielded = true
			w.found += c
			if w.found >= maxFound || day > stopDay {
				return w.end(yielded, paid, pay)
			}
		} else if !yielded && k >= cycle {
			return w.end(yielded, paid, pay)
		}
		if w.scanned%payEvery == 0 {
			u := w.units()
			if err := pay(u - paid); err != nil {
				return w, err
			}
			paid = u
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
	for x := x0; x < perDay; x += p.interval {
		if !p.timeOK(x, unit) {
			continue
		}
		// The step's candidates, as seconds of the day.
		times := make([]int, len(p.times))
		for j, t := range p.times {
			times[j] = int(x*unit) + t
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
