package report

import (
	"fmt"
	"time"
)

// Summary totals a span of weeks: the whole report, or one month or
// quarter of it. Weeks without data add nothing.
type Summary struct {
	// Label names the span: "2026-W40 – 2026-W52", "2026-11", "2026-Q4".
	Label string
	// Weeks and WeeksWithData count the weeks in the span; WeeksBelow
	// those below target.
	Weeks, WeeksWithData, WeeksBelow int
	Seconds                          Seconds
	UnscheduledSeconds               int64
	TotalSeconds                     int64
	TimeOffSeconds                   int64
	// DesignShare is the target categories' share of the summed work
	// time; nil when there is none.
	DesignShare *float64
	BelowTarget bool
	// Splits sums the weeks' splits.
	Splits Splits
}

// Periods group weeks for summaries; a week belongs to the month (or
// quarter) of its Thursday, as ISO 8601 assigns weeks to years.
const (
	PeriodWeek    = "week"
	PeriodMonth   = "month"
	PeriodQuarter = "quarter"
)

// Summarize adds to every person and team their summary over all the
// report's weeks and, for PeriodMonth or PeriodQuarter, one per month or
// quarter. A team's suppressed weeks add nothing.
func (r *Report) Summarize(period string) error {
	switch period {
	case "", PeriodWeek, PeriodMonth, PeriodQuarter:
	default:
		return fmt.Errorf("%q is not a period: use week, month or quarter", period)
	}
	for i := range r.People {
		p := &r.People[i]
		p.Summary, p.Periods = r.summaries(p.Weeks, period)
	}
	for i := range r.Teams {
		t := &r.Teams[i]
		t.Summary, t.Periods = r.summaries(t.WeekReports(), period)
	}
	return nil
}

// summaries totals weeks, and with PeriodMonth or PeriodQuarter each
// month or quarter of them; nil for no weeks.
func (r *Report) summaries(weeks []WeekReport, period string) (*Summary, []Summary) {
	if len(weeks) == 0 {
		return nil, nil
	}
	label := weeks[0].Week
	if n := len(weeks); n > 1 {
		label += " – " + weeks[n-1].Week
	}
	all := r.summarize(label, weeks)
	if period != PeriodMonth && period != PeriodQuarter {
		return &all, nil
	}
	var periods []Summary
	var cur []WeekReport
	curLabel := ""
	for _, w := range weeks {
		l := periodLabel(w, period)
		if l != curLabel && len(cur) > 0 {
			periods = append(periods, r.summarize(curLabel, cur))
			cur = nil
		}
		curLabel = l
		cur = append(cur, w)
	}
	return &all, append(periods, r.summarize(curLabel, cur))
}

func (r *Report) summarize(label string, weeks []WeekReport) Summary {
	s := Summary{Label: label, Weeks: len(weeks), Seconds: Seconds{}}
	for _, c := range r.Categories {
		s.Seconds[c] = 0
	}
	for _, w := range weeks {
		if w.NoData {
			continue
		}
		s.WeeksWithData++
		if w.BelowTarget {
			s.WeeksBelow++
		}
		for c, v := range w.Seconds {
			s.Seconds[c] += v
		}
		s.UnscheduledSeconds += w.UnscheduledSeconds
		s.TotalSeconds += w.TotalSeconds
		s.TimeOffSeconds += w.TimeOffSeconds
		s.Splits.add(w.Splits)
	}
	s.DesignShare, s.BelowTarget = designShare(r.Target.Categories, r.Target.MinShare, s.Seconds, s.TotalSeconds)
	return s
}

// periodLabel is the month ("2026-11") or quarter ("2026-Q4") of the
// week's Thursday.
func periodLabel(w WeekReport, period string) string {
	thu := w.Start.AddDate(0, 0, 3)
	if period == PeriodQuarter {
		return fmt.Sprintf("%04d-Q%d", thu.Year(), (int(thu.Month())+2)/3)
	}
	return thu.Format("2006-01")
}

// WeeksOfPeriod returns the ISO weeks in loc whose Thursday falls in the
// month or quarter (period) that contains now, oldest first.
func WeeksOfPeriod(now time.Time, period string, loc *time.Location) ([]Week, error) {
	now = now.In(loc)
	var first, last time.Time
	switch period {
	case PeriodMonth:
		first = time.Date(now.Year(), now.Month(), 1, 12, 0, 0, 0, loc)
		last = first.AddDate(0, 1, -1)
	case PeriodQuarter:
		q := (int(now.Month()) - 1) / 3
		first = time.Date(now.Year(), time.Month(q*3+1), 1, 12, 0, 0, 0, loc)
		last = first.AddDate(0, 3, -1)
	default:
		return nil, fmt.Errorf("%q is not a period: use month or quarter", period)
	}
	var weeks []Week
	for w := WeekOf(first, loc); ; w = WeekOf(w.End.Add(time.Hour), loc) {
		thu := w.Start.AddDate(0, 0, 3)
		if thu.After(last.Add(12 * time.Hour)) {
			break
		}
		if !thu.Before(first.Add(-12 * time.Hour)) {
			weeks = append(weeks, w)
		}
	}
	return weeks, nil
}
