package ics

import (
	"errors"
	"slices"

	"github.com/teambition/rrule-go"
)

// errNeverYields is what checkYields returns for a rule that can produce no
// occurrence.
var errNeverYields = errors.New("rule can never produce an occurrence")

// checkYields rejects the rules that would make rrule-go's iterator run
// (practically) forever: it checks UNTIL and COUNT only when it has a
// candidate, and otherwise walks period by period up to the year 9999 or,
// for a sub-daily rule whose BYHOUR/BYMINUTE/BYSECOND no step of INTERVAL
// can reach, in a loop with no end at all. Found by FuzzParse: a feed with
// "FREQ=SECONDLY;BYSETPOS=2" or "FREQ=HOURLY;INTERVAL=2;BYHOUR=1" hung the
// sync. dateutil, which rrule-go ports, raises on the second kind too.
//
// opt must already have passed rrule.NewRRule, so its values are in range.
func checkYields(opt rrule.ROption) error {
	if len(opt.Bysetpos) > 0 {
		size := setSize(opt)
		if !slices.ContainsFunc(opt.Bysetpos, func(p int) bool { return p != 0 && abs(p) <= size }) {
			return errNeverYields
		}
	}
	if opt.Freq < rrule.HOURLY {
		return nil
	}
	// The iterator's time of day moves in steps of INTERVAL periods, so it
	// only ever meets the times of day congruent to DTSTART's modulo
	// gcd(INTERVAL, periods per day).
	unit := map[rrule.Frequency]int{rrule.HOURLY: 3600, rrule.MINUTELY: 60, rrule.SECONDLY: 1}[opt.Freq]
	perDay := 86400 / unit
	h, m, s := opt.Dtstart.Clock()
	pos := (h*3600 + m*60 + s) / unit
	step := gcd(max(opt.Interval, 1), perDay)
	for p := pos % step; p < perDay; p += step {
		sec := p * unit
		if allows(opt.Byhour, sec/3600) &&
			(opt.Freq < rrule.MINUTELY || allows(opt.Byminute, sec/60%60)) &&
			(opt.Freq < rrule.SECONDLY || allows(opt.Bysecond, sec%60)) {
			return nil
		}
	}
	return errNeverYields
}

// setSize is the most candidates one period can hold, the range BYSETPOS
// indexes into: the days of the period times the times of each day.
func setSize(opt rrule.ROption) int {
	days := map[rrule.Frequency]int{rrule.YEARLY: 366, rrule.MONTHLY: 31, rrule.WEEKLY: 7}[opt.Freq]
	times := 1
	for f, by := range map[rrule.Frequency][]int{rrule.HOURLY: opt.Byhour, rrule.MINUTELY: opt.Byminute, rrule.SECONDLY: opt.Bysecond} {
		// A BYxxx list of the rule's own unit or a coarser one filters
		// rather than multiplies.
		if f > opt.Freq {
			times *= max(len(by), 1)
		}
	}
	return max(days, 1) * times
}

func allows(by []int, v int) bool { return len(by) == 0 || slices.Contains(by, v) }

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
