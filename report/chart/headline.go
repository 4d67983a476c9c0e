package chart

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/weekmap/weekmap/report"
)

// headline says in plain words how the latest weeks compare with the
// target, one sentence per line. weeks are the person's weeks, oldest
// first; the streak looks back over all of them, while the tally of weeks
// below target covers only the last shown, the ones the charts draw
// (0 means all).
func headline(r report.Report, weeks []report.WeekReport, shown int) []string {
	if len(weeks) == 0 {
		return []string{"No weeks to show yet: run a sync, or check the name in the address."}
	}
	target := r.Target
	share := strings.Join(target.Categories, "/")
	last := weeks[len(weeks)-1]
	var lines []string
	complete := weeks
	if within(r.GeneratedAt, last) {
		lines = append(lines, verdict("This week (as planned)", last, share, target.MinShare, 1))
		complete = weeks[:len(weeks)-1]
	}
	if len(complete) > 0 {
		prev := complete[len(complete)-1]
		lines = append(lines, verdict(lastWeekLabel(r, prev), prev, share, target.MinShare, streak(complete, target.MinShare)))
	}
	if below, of := countBelow(tallied(weeks, complete, shown), target.MinShare); of > 1 {
		lines = append(lines, fmt.Sprintf("Below target in %d of the last %d complete weeks with work time.", below, of))
	}
	return lines
}

// lastWeekLabel names w, the last complete week of a headline: "Last
// week" when it is the week before the one the report was made in.
func lastWeekLabel(r report.Report, w report.WeekReport) string {
	if !r.GeneratedAt.IsZero() && within(r.GeneratedAt.AddDate(0, 0, -7), w) {
		return "Last week"
	}
	return "Week " + w.Week
}

// tallied are the complete weeks among the last shown of all (0: all),
// which a headline counts below target; the current week may be among
// the shown ones but is not complete.
func tallied(all, complete []report.WeekReport, shown int) []report.WeekReport {
	if shown > 0 && shown < len(all) {
		return all[len(all)-shown : len(complete)]
	}
	return complete
}

// within reports whether t falls in week w.
func within(t time.Time, w report.WeekReport) bool {
	return !t.IsZero() && !t.Before(w.Start) && t.Before(w.End)
}

// standing is where a week's design share stands against the target.
type standing int

const (
	noWorkTime standing = iota
	below
	meets
	above
)

func standingOf(w report.WeekReport, minShare float64) standing {
	switch {
	case w.DesignShare == nil:
		return noWorkTime
	case *w.DesignShare < minShare:
		return below
	case *w.DesignShare == minShare:
		return meets
	default:
		return above
	}
}

// streak counts the weeks at the end of weeks that stand where the last one
// does. A week without work time ends a streak: nothing can be said about
// it, so "running" would overstate what is known.
func streak(weeks []report.WeekReport, minShare float64) int {
	if len(weeks) == 0 {
		return 0
	}
	want := standingOf(weeks[len(weeks)-1], minShare)
	n := 0
	for i := len(weeks) - 1; i >= 0 && standingOf(weeks[i], minShare) == want; i-- {
		n++
	}
	return n
}

// verdict is one week's sentence; run is how many weeks in a row, this one
// included, stood where it does.
func verdict(label string, w report.WeekReport, share string, minShare float64, run int) string {
	s := standingOf(w, minShare)
	if w.NoData {
		return label + ": no data (none of the calendars covers it)."
	}
	if s == noWorkTime {
		return label + ": no work time recorded."
	}
	var where string
	switch s {
	case below:
		where = "below your"
	case meets:
		where = "meets your"
	default:
		where = "above your"
	}
	again := ""
	if run > 1 {
		again = " for the " + ordinal(run) + " week running"
	}
	return fmt.Sprintf("%s: %s %s — %s %s target%s.", label, percent(*w.DesignShare, minShare), share, where, percent(minShare, minShare), again)
}

// ordinal writes n as "1st", "2nd", "3rd", "4th", …, with the teens
// ("11th", "12th", "13th") as English has them.
func ordinal(n int) string {
	suffix := "th"
	if n%100 < 11 || n%100 > 13 {
		switch n % 10 {
		case 1:
			suffix = "st"
		case 2:
			suffix = "nd"
		case 3:
			suffix = "rd"
		}
	}
	return fmt.Sprintf("%d%s", n, suffix)
}

// percent formats a share as a whole percentage, or with one decimal where
// rounding would make a share below the target read as equal to it.
func percent(v, target float64) string {
	whole := math.Round(v * 100)
	if v < target && whole >= math.Round(target*100) {
		return fmt.Sprintf("%.1f%%", math.Floor(v*1000)/10)
	}
	return fmt.Sprintf("%.0f%%", whole)
}

// countBelow counts the weeks with a design share, and those below target.
func countBelow(weeks []report.WeekReport, minShare float64) (below, of int) {
	for _, w := range weeks {
		if w.DesignShare == nil {
			continue
		}
		of++
		if *w.DesignShare < minShare {
			below++
		}
	}
	return below, of
}
