package report

import (
	"cmp"
	"slices"
	"strconv"
)

// Rounded is a row of a report in tenths of an hour, as the text,
// Markdown and HTML tables print it, rounded so that every group adds up
// to the total printed next to it:
//
//	the categories                                   = Total
//	OneOnOne + SmallGroup + LargeGroup + Solo + Unscheduled = Total
//	Recurring + OneOff + Unscheduled                 = Total
//	FocusBooked + Unscheduled                        = Categories[focus category]
//
// Total and Unscheduled are rounded alone (half up); the other figures of
// a group are each their exact value rounded down or up, the ups going to
// the largest remainders (largest-remainder rounding), so no figure is
// off by a tenth or more.
type Rounded struct {
	Categories                             map[string]int64
	Total, Unscheduled, TimeOff            int64
	OneOnOne, SmallGroup, LargeGroup, Solo int64
	Recurring, OneOff, FocusBooked         int64
}

// RoundWeek rounds a week of r (see Rounded).
func (r Report) RoundWeek(w WeekReport) Rounded {
	return r.round(w.Seconds, w.TotalSeconds, w.UnscheduledSeconds, w.TimeOffSeconds, w.Splits)
}

// RoundSummary rounds a summary of r (see Rounded).
func (r Report) RoundSummary(s Summary) Rounded {
	return r.round(s.Seconds, s.TotalSeconds, s.UnscheduledSeconds, s.TimeOffSeconds, s.Splits)
}

func (r Report) round(seconds Seconds, total, unscheduled, timeOff int64, s Splits) Rounded {
	out := Rounded{Categories: make(map[string]int64, len(seconds)), Total: Tenths(total), TimeOff: Tenths(timeOff)}

	// Categories in display order, then any others by name, so that ties
	// go the same way every time. The focus category's unscheduled time is
	// set apart: the rest of its time is events', like the other
	// categories'.
	order := slices.Clone(r.Categories)
	var extra []string
	for c := range seconds {
		if !slices.Contains(order, c) {
			extra = append(extra, c)
		}
	}
	slices.Sort(extra)
	order = append(order, extra...)
	parts := make([]int64, len(order))
	focus := -1
	for i, c := range order {
		parts[i] = seconds[c]
		if c == r.FocusCategory && parts[i] >= unscheduled {
			parts[i] -= unscheduled
			focus = i
		}
	}
	events := total - unscheduled

	// Unscheduled time is in every group, so it is rounded once; the
	// events' time is what is left of the total. Unscheduled time rounded
	// half up leaves the events a floor or ceiling of theirs, which every
	// group can be rounded to; the other way of rounding it is tried when
	// that cannot keep the focus category within a tenth of its time.
	var cats []int64
	for _, u := range []int64{Tenths(unscheduled), otherWay(unscheduled)} {
		if u < 0 || !bracket(out.Total-u, events) {
			continue
		}
		if c, ok := apportionFocus(out.Total-u, parts, focus, unscheduled, u); ok {
			out.Unscheduled, cats = u, c
			break
		}
	}
	if cats == nil {
		// Not seen in practice; the groups still add up, and the focus
		// category is at most a tenth off.
		out.Unscheduled = Tenths(unscheduled)
		cats = apportion(out.Total-out.Unscheduled, parts)
	}
	booked := out.Total - out.Unscheduled
	for i, c := range order {
		if _, ok := seconds[c]; !ok && cats[i] == 0 {
			continue
		}
		out.Categories[c] = cats[i]
	}
	if focus >= 0 {
		out.FocusBooked = cats[focus]
		out.Categories[order[focus]] += out.Unscheduled
	}

	sizes := apportion(booked, []int64{s.OneOnOneSeconds, s.SmallGroupSeconds, s.LargeGroupSeconds, s.SoloSeconds})
	out.OneOnOne, out.SmallGroup, out.LargeGroup, out.Solo = sizes[0], sizes[1], sizes[2], sizes[3]
	kinds := apportion(booked, []int64{s.RecurringSeconds, s.OneOffSeconds})
	out.Recurring, out.OneOff = kinds[0], kinds[1]
	return out
}

// otherWay is seconds in tenths of an hour rounded the other way than
// Tenths rounds them: the same when they are whole tenths.
func otherWay(seconds int64) int64 {
	if seconds%360 == 0 {
		return -1
	}
	if t := Tenths(seconds); t*360 > seconds {
		return t - 1
	}
	return Tenths(seconds) + 1
}

// bracket reports whether tenths is the floor or the ceiling of seconds.
func bracket(tenths, seconds int64) bool {
	return tenths == seconds/360 || tenths == (seconds+359)/360
}

// apportionFocus is apportion, but keeps the focus category — parts[focus]
// and its unscheduled time, unscheduled seconds rounded to u tenths — at
// the floor or ceiling of its time, moving a tenth from or to another part
// if need be. It fails when no other part can take or give one.
func apportionFocus(target int64, parts []int64, focus int, unscheduled, u int64) ([]int64, bool) {
	out := apportion(target, parts)
	if focus < 0 {
		return out, true
	}
	whole := parts[focus] + unscheduled
	lo, hi := whole/360, (whole+359)/360
	// move shifts a tenth to (+1) or from (-1) the focus part and the
	// other way on the part with room that rounding favoured least.
	move := func(d int64) bool {
		best := -1
		for j := range parts {
			if j == focus || (d > 0 && out[j]*360 <= parts[j]) || (d < 0 && out[j]*360 >= parts[j]) {
				continue // no tenth to give, or no room for one
			}
			if best < 0 || (d > 0) == (parts[j]%360 < parts[best]%360) {
				best = j
			}
		}
		if best < 0 {
			return false
		}
		out[focus] += d
		out[best] -= d
		return true
	}
	switch booked := out[focus]; {
	case booked+u > hi && booked*360 > parts[focus]:
		return out, move(-1)
	case booked+u < lo && booked*360 < parts[focus]:
		return out, move(+1)
	case booked+u > hi || booked+u < lo:
		return out, false
	}
	return out, true
}

// Tenths is seconds in tenths of an hour, rounded half up.
func Tenths(seconds int64) int64 { return (seconds + 180) / 360 }

// FormatTenths writes tenths of an hour as hours with one decimal: 125 is
// "12.5".
func FormatTenths(t int64) string {
	sign := ""
	if t < 0 {
		sign, t = "-", -t
	}
	return sign + strconv.FormatInt(t/10, 10) + "." + strconv.FormatInt(t%10, 10)
}

// apportion rounds parts, in seconds, to tenths of an hour that sum to
// target: each part to its floor, then one more tenth to each of the parts
// with the largest remainders, earlier parts first on a tie, until the sum
// is target. target must lie between the sum of the floors and the sum of
// the ceilings; Rounded's targets do (a part's floor and ceiling bracket
// target whenever the parts' seconds sum to the total's less the
// unscheduled time's).
func apportion(target int64, parts []int64) []int64 {
	out := make([]int64, len(parts))
	var sum int64
	order := make([]int, 0, len(parts))
	for i, s := range parts {
		out[i] = s / 360
		sum += out[i]
		if s%360 != 0 {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(parts[b]%360, parts[a]%360) })
	for _, i := range order {
		if sum >= target {
			break
		}
		out[i]++
		sum++
	}
	return out
}
