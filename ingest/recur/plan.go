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
	built    int64 // masks built
	setCount map[int64]int64
	// cost is what rrule-go spends on one day of a period's day set (or
	// one sub-daily step), by the length of the lists it searches;
	// periodCost what it spends on each period besides (for a sub-daily
	// rule, each step whose time passes).
	cost, periodCost int64
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
	p.cost = costDay + int64(lists)*costListItems/2
	p.periodCost = costPeriod + int64(len(o.Bysetpos))*costSetPos
	if o.Freq >= rrule.HOURLY {
		// At each step whose time passes, rrule-go makes the step's times
		// anew and tests its day: a period of its own.
		p.periodCost += int64(len(p.times)) * costTime
	}
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
