package recur

import (
	"math/bits"

	"github.com/teambition/rrule-go"
)

// maxYear is the last year rrule-go expands: its iterator stops there.
const maxYear = 9999

// Day numbers count days from 1970-01-01 in the proleptic Gregorian
// calendar, on the wall clock of the series' zone.

// daysFromCivil returns the day number of y-m-d.
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := floorDiv(int64(y), 400)
	yoe := int64(y) - era*400
	doy := int64((153*((m+9)%12)+2)/5 + d - 1)
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int64) (y, m, d int) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = int(doy - (153*mp+2)/5 + 1)
	m = int(mp + 3)
	if m > 12 {
		m -= 12
	}
	y = int(yoe + era*400)
	if m <= 2 {
		y++
	}
	return y, m, d
}

// weekday is the day's weekday, Monday 0 to Sunday 6, as rrule-go counts.
func weekday(day int64) int { return int(mod(day+3, 7)) }

func isLeap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func yearLen(y int) int {
	if isLeap(y) {
		return 366
	}
	return 365
}

// monthStart[leap][m-1] is the index of the first day of month m in its
// year; monthStart[leap][12] is the year's length.
var monthStart = [2][13]int{
	{0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365},
	{0, 31, 60, 91, 121, 152, 182, 213, 244, 274, 305, 335, 366},
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// mod is the remainder of a/b with the sign of b, as Python's %.
func mod(a, b int64) int64 {
	r := a % b
	if r != 0 && (r < 0) != (b < 0) {
		r += b
	}
	return r
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// dayBits is a set of day indices within one year, with room for the week
// that a weekly period carries into the next year.
type dayBits [6]uint64

func (s *dayBits) set(i int)          { s[i>>6] |= 1 << (i & 63) }
func (s *dayBits) has(i int) bool     { return s[i>>6]&(1<<(i&63)) != 0 }
func (s *dayBits) count(a, b int) int { return s.rank(b) - s.rank(a) }

// rank counts the members below i.
func (s *dayBits) rank(i int) int {
	n := 0
	for w := 0; w < i>>6; w++ {
		n += bits.OnesCount64(s[w])
	}
	if r := i & 63; r != 0 {
		n += bits.OnesCount64(s[i>>6] & (1<<r - 1))
	}
	return n
}

// yearMask returns the days of year y that pass the rule's date filters,
// indexed from January 1. Indices past the year's end are the first days
// of the next year as a weekly period that starts in y sees them: rrule-go
// reads them with y's week numbers. The mask depends only on the leap years
// around y and y's first weekday, so there are at most 56 of them.
func (p *plan) yearMask(y int) *dayBits {
	leap := isLeap(y)
	jan1 := weekday(daysFromCivil(y, 1, 1))
	k := ((b2i(isLeap(y-1))*2+b2i(leap))*2+b2i(isLeap(y+1)))*7 + jan1
	if m := p.masks[k]; m != nil {
		return m
	}
	m := p.buildMask(y, jan1)
	p.masks[k] = m
	p.built++
	return m
}

func (p *plan) buildMask(y, jan1 int) *dayBits {
	leap := b2i(isLeap(y))
	n := 365 + leap
	next := yearLen(y + 1)
	var weekNo []bool
	if len(p.weeknos) > 0 {
		weekNo = p.weekNoMask(n, jan1, yearLen(y-1))
	}
	var nth []bool
	if len(p.nthDays) > 0 {
		nth = p.nthMask(n, jan1, leap)
	}
	m := new(dayBits)
	month := 1
	for i := range n + 7 {
		var mon, mday, nmday int
		if i < n {
			for i >= monthStart[leap][month] {
				month++
			}
			mon = month
			mday = i - monthStart[leap][month-1] + 1
			nmday = i - monthStart[leap][month] // -1 on the month's last day
		} else {
			// January of the next year, as rrule-go's masks have it.
			mon, mday, nmday = 1, i-n+1, i-n-31
		}
		wd := (jan1 + i) % 7
		switch {
		case p.months != 0 && p.months&(1<<mon) == 0,
			weekNo != nil && !weekNo[i],
			p.weekdays != 0 && p.weekdays&(1<<wd) == 0,
			nth != nil && (i >= n || !nth[i]),
			(p.monthDays|p.negMonthDays) != 0 && p.monthDays&(1<<mday) == 0 && p.negMonthDays&(1<<-nmday) == 0,
			p.hasYearDay && !p.yearDayOK(i, n, next):
			continue
		}
		m.set(i)
	}
	return m
}

func (p *plan) yearDayOK(i, n, next int) bool {
	if i < n {
		return p.yearDays.has(i+1) || p.negYearDays.has(n-i)
	}
	return p.yearDays.has(i+1-n) || p.negYearDays.has(next-(i-n))
}

// weekNoMask marks the days of the BYWEEKNO weeks, weeks starting on WKST
// and week 1 being the first with at least four days in the year. Like
// rrule-go (and dateutil, which it ports), it also marks the days of the
// year that belong to the previous year's last week or the next year's
// first week when those are asked for.
func (p *plan) weekNoMask(n, jan1, prevLen int) []bool {
	mask := make([]bool, n+16)
	wkst := p.wkst
	wd := func(i int) int { return int(mod(int64(jan1+i), 7)) }
	firstWkst := int(mod(int64(7-jan1+wkst), 7))
	week1 := firstWkst
	var wyearLen int
	if week1 >= 4 {
		// Week 1 begins in the previous year.
		week1 = 0
		wyearLen = n + int(mod(int64(jan1-wkst), 7))
	} else {
		wyearLen = n - week1
	}
	weeks := wyearLen/7 + wyearLen%7/4
	markWeek := func(i int) {
		for range 7 {
			mask[i] = true
			i++
			if wd(i) == wkst {
				break
			}
		}
	}
	weekStart := func(w int) int {
		if w == 1 {
			return week1
		}
		i := week1 + (w-1)*7
		if week1 != firstWkst {
			i -= 7 - firstWkst
		}
		return i
	}
	for _, w := range p.weeknos {
		if w < 0 {
			w += weeks + 1
		}
		if w >= 1 && w <= weeks {
			markWeek(weekStart(w))
		}
	}
	if p.hasWeekNo(1) {
		// The next year's week 1 may begin in this one.
		i := week1 + weeks*7
		if week1 != firstWkst {
			i -= 7 - firstWkst
		}
		if i < n {
			markWeek(i)
		}
	}
	if week1 != 0 {
		// The days before week 1 belong to the previous year's last week.
		last := -1
		if !p.hasWeekNo(-1) {
			prevJan1 := int(mod(int64(jan1-prevLen), 7))
			if prevWeek1 := int(mod(int64(7-prevJan1+wkst), 7)); prevWeek1 >= 4 {
				last = 52 + int(mod(int64(prevLen)+mod(int64(prevJan1-wkst), 7), 7))/4
			} else {
				// As rrule-go and dateutil compute it, from this year's length.
				last = 52 + int(mod(int64(n-week1), 7))/4
			}
		}
		if p.hasWeekNo(last) {
			for i := range week1 {
				mask[i] = true
			}
		}
	}
	return mask
}

func (p *plan) hasWeekNo(w int) bool {
	for _, v := range p.weeknos {
		if v == w {
			return true
		}
	}
	return false
}

// nthMask marks the days that BYDAY values with an ordinal (2MO, -1FR)
// name: within each BYMONTH month, or the whole year, for a yearly rule;
// within each month for a monthly one.
func (p *plan) nthMask(n, jan1, leap int) []bool {
	mask := make([]bool, n)
	type span struct{ first, last int }
	var spans []span
	switch {
	case p.freq == rrule.MONTHLY, p.months != 0:
		for m := 1; m <= 12; m++ {
			if p.freq == rrule.MONTHLY || p.months&(1<<m) != 0 {
				spans = append(spans, span{monthStart[leap][m-1], monthStart[leap][m] - 1})
			}
		}
	default:
		spans = []span{{0, n - 1}}
	}
	wd := func(i int) int { return int(mod(int64(jan1+i), 7)) }
	for _, s := range spans {
		for _, x := range p.nthDays {
			var i int
			if x.n < 0 {
				i = s.last + (x.n+1)*7
				i -= int(mod(int64(wd(i)-x.weekday), 7))
			} else {
				i = s.first + (x.n-1)*7
				i += int(mod(int64(7-wd(i)+x.weekday), 7))
			}
			if i >= s.first && i <= s.last {
				mask[i] = true
			}
		}
	}
	return mask
}
