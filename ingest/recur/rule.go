package recur

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/teambition/rrule-go"
)

// ErrNeverYields is wrapped by the error for a rule that can produce no
// occurrence at all (FREQ=HOURLY;INTERVAL=2;BYHOUR=1 from an even hour,
// BYMONTH=2;BYMONTHDAY=30, a BYSETPOS past the end of every period).
// rrule-go would walk such a rule to the year 9999, or forever.
var ErrNeverYields = errors.New("the rule can never produce an occurrence")

// ErrTooMany is wrapped by the error for a series with more occurrences
// before the window's end than its limit.
var ErrTooMany = errors.New("too many occurrences")

// SkipsSeries reports whether err concerns only the one series it came
// from: a rule that never yields, or too many occurrences. The caller skips
// that series, reports it, and reads the rest of the file.
func SkipsSeries(err error) bool {
	return errors.Is(err, ErrNeverYields) || errors.Is(err, ErrTooMany)
}

type tooManyError struct {
	rule  string
	limit int
}

func (e *tooManyError) Error() string {
	return fmt.Sprintf("RRULE %q has more than %d occurrences before the window ends", e.rule, e.limit)
}

func (e *tooManyError) Is(target error) bool { return target == ErrTooMany }

// maxInterval is, by frequency, an INTERVAL that takes any rule from its
// first period past the year 9999. A larger one means the same (only the
// first period) but overflows rrule-go's arithmetic.
var maxInterval = map[rrule.Frequency]int{
	rrule.YEARLY:   10_000,
	rrule.MONTHLY:  120_000,
	rrule.WEEKLY:   530_000,
	rrule.DAILY:    3_660_000,
	rrule.HOURLY:   87_840_000,
	rrule.MINUTELY: 5_270_400_000,
	rrule.SECONDLY: 316_224_000_000,
}

// rule is one RRULE of a series, checked and ready to walk.
type rule struct {
	text  string
	rr    *rrule.RRule
	plan  *plan
	loc   *time.Location
	until time.Time // zero without UNTIL
	count int
	// never is set for a rule that is known to produce nothing before
	// rrule-go sees it.
	never bool
}

// parseRule reads an RRULE value for a series starting at start (a UTC
// midnight for an all-day series).
func parseRule(text string, start time.Time, allDay bool) (r *rule, err error) {
	defer func() {
		// rrule-go is not fuzzed against hostile rules: a panic in it
		// costs this series, not the sync.
		if v := recover(); v != nil {
			r, err = nil, fmt.Errorf("RRULE %q: rule not understood (%v)", text, v)
		}
	}()
	loc := start.Location()
	opt, err := rrule.StrToROptionInLocation(strings.ToUpper(strings.TrimSpace(text)), loc)
	if err != nil {
		return nil, fmt.Errorf("RRULE %q: %w", text, err)
	}
	if len(opt.Byeaster) > 0 {
		return nil, fmt.Errorf("RRULE %q: BYEASTER is not part of RFC 5545", text)
	}
	if !opt.Until.IsZero() && untilIsDate(text) && !allDay {
		// A date UNTIL on a timed series includes that whole day.
		u := opt.Until
		opt.Until = time.Date(u.Year(), u.Month(), u.Day(), 23, 59, 59, 0, loc)
	}
	opt.Dtstart = start
	opt.Interval = min(opt.Interval, maxInterval[opt.Freq])
	// The BY lists are sets: repeating a value changes nothing but
	// rrule-go's work.
	for _, l := range []*[]int{&opt.Bysetpos, &opt.Bymonth, &opt.Bymonthday, &opt.Byyearday,
		&opt.Byweekno, &opt.Byhour, &opt.Byminute, &opt.Bysecond} {
		slices.Sort(*l)
		*l = slices.Compact(*l)
	}
	slices.SortFunc(opt.Byweekday, func(a, b rrule.Weekday) int { return (a.N()*7 + a.Day()) - (b.N()*7 + b.Day()) })
	opt.Byweekday = slices.Compact(opt.Byweekday)
	never := false
	if opt.Freq == rrule.MONTHLY || opt.Freq == rrule.YEARLY && len(opt.Bymonth) > 0 {
		// A month has at most five of a weekday: a larger ordinal names
		// no day (and fails rrule-go's index arithmetic).
		n := len(opt.Byweekday)
		opt.Byweekday = slices.DeleteFunc(opt.Byweekday, func(w rrule.Weekday) bool { return w.N() > 5 || w.N() < -5 })
		never = n > 0 && len(opt.Byweekday) == 0
	}
	until := opt.Until
	if until.IsZero() {
		// Without UNTIL rrule-go stops 292 years after DTSTART (the
		// longest time.Duration): an Outlook VTIMEZONE from 1601 would
		// lose its onsets after 1893. It ends its walk in 9999 by itself,
		// but for a week that reaches into the next year.
		opt.Until = time.Date(maxYear+1, 1, 7, 23, 59, 59, 0, loc)
	}
	rr, err := rrule.NewRRule(*opt)
	if err != nil {
		return nil, fmt.Errorf("RRULE %q: %w", text, err)
	}
	return &rule{text: text, rr: rr, plan: newPlan(rr.Options), loc: loc, until: until, count: max(opt.Count, 0), never: never}, nil
}

func untilIsDate(rule string) bool {
	for part := range strings.SplitSeq(strings.ToUpper(rule), ";") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(part), "UNTIL="); ok {
			return len(strings.TrimSpace(v)) == 8
		}
	}
	return false
}

// walk lists the rule's occurrences before to. It first simulates the
// walk to learn whether the rule ever yields and what walking costs, pays
// that, and only then lets rrule-go walk. limit is how many occurrences
// the series may still have; total is its whole limit, for the message.
func (r *rule) walk(to time.Time, b *Budget, limit, total int) (out []time.Time, err error) {
	if r.never {
		return nil, fmt.Errorf("RRULE %q: %w", r.text, ErrNeverYields)
	}
	stop := to
	if !r.until.IsZero() && r.until.Before(stop) {
		stop = r.until
	}
	y, m, d := stop.In(r.loc).Date()
	maxFound := int64(limit) + 1
	if r.count > 0 {
		maxFound = min(maxFound, int64(r.count))
	}
	w, err := r.plan.simulate(daysFromCivil(y, int(m), d), maxFound, b.pay)
	if err != nil {
		return nil, err
	}
	if w.never {
		return nil, fmt.Errorf("RRULE %q: %w", r.text, ErrNeverYields)
	}
	defer func() {
		if v := recover(); v != nil {
			out, err = nil, fmt.Errorf("RRULE %q: rule not understood (%v)", r.text, v)
		}
	}()
	next := r.rr.Iterator()
	for n := int64(0); ; n++ {
		t, ok := next()
		if !ok || !t.Before(to) {
			return out, nil
		}
		if n >= int64(limit) {
			return nil, &tooManyError{rule: r.text, limit: total}
		}
		if n >= w.found {
			// More than the simulation counted: pay for each.
			if err := b.pay(costCandidate); err != nil {
				return nil, err
			}
		}
		out = append(out, t)
	}
}
