package chart

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/weekmap/weekmap/report"
)

// buildTeamPart builds a team's part of the page: what a person's part
// says that is about the group — the headline against the target, the
// facts, the share on a gauge, the hours, share and breakdown charts, the
// table with the members who had data each week, and how the time went.
// It leaves out the recurring meetings, the people met and the events:
// those are the members' own. A suppressed week says r.Gap() in the table
// and is a gap in the charts, never a zero.
func buildTeamPart(r report.Report, t report.TeamReport, opt Options, suffix string, sel []selector) (part, error) {
	p := part{
		Person:    "team " + displayText(t.Name),
		Headline:  teamHeadline(r, t.Weeks, opt.Weeks),
		Selectors: sel,
	}
	teamWeeks := t.Weeks
	if opt.Weeks > 0 && opt.Weeks < len(teamWeeks) {
		teamWeeks = teamWeeks[len(teamWeeks)-opt.Weeks:]
	}
	shown := make([]report.WeekReport, len(teamWeeks))
	for i, w := range teamWeeks {
		shown[i] = w.WeekReport
	}
	p.Facts = teamFacts(r, t, shown)
	if len(shown) == 0 {
		return p, nil
	}
	view := report.PersonReport{Name: t.Name, Weeks: shown}
	sum := summaryOf(r, view, shown)
	categories := categoriesOf(r, view)
	colour := colours(categories)
	if p.Hero = heroOf(r, sum, sum.WeeksWithData); p.Hero != nil {
		p.Hero.Text = strings.Replace(p.Hero.Text, "of work time", "of the team's work time", 1)
		if sum.WeeksWithData < len(shown) {
			p.Hero.Text += fmt.Sprintf(" shown (%d of %d had %s)", len(shown)-sum.WeeksWithData, len(shown), r.Gap())
		}
	}
	// Nothing links: a team's page lists no events to pick from.
	for _, c := range categories {
		p.Legend = append(p.Legend, legendLink{Name: c, Colour: colour[c]})
	}
	p.Table = numbersOf(r, shown, sum, categories, colour, suffix)
	p.Table.OffHref, p.Table.Gap, p.Table.People = "", r.Gap(), true
	for i := range p.Table.Columns {
		p.Table.Columns[i].Href = ""
	}
	for i, w := range teamWeeks {
		row := &p.Table.Rows[i]
		row.Href, row.Members = "", r.FewerThan()
		if !w.Suppressed() {
			row.Members = strconv.Itoa(w.Members)
		}
	}
	if f := p.Table.Foot; f != nil && sum.WeeksWithData < sum.Weeks {
		f.Note = fmt.Sprintf("%d shown", sum.WeeksWithData)
	}
	if p.Splits = splitsOf(r, view, shown, sum); p.Splits != nil {
		p.Splits.Gap = r.Gap()
	}

	last := shown[len(shown)-1]
	target := joinAnd(r.Target.Categories)
	sections := []chartEntry{
		{id: "hours", heading: "The team's hours per category, per week", sub: "hours, summed over the people with data · " + period(shown),
			chart: weeklyHours(r, view, categories, colour), patch: nameRight, height: 380},
		{id: "share", heading: "The team's share of " + target + " per week", sub: fmt.Sprintf("%% of the summed work time · target %s · %s", percent(r.Target.MinShare, r.Target.MinShare), period(shown)),
			chart: designShare(view, r.Target, strings.Join(r.Target.Categories, "/")+" share"), patch: nameRight, height: 320},
		{id: "breakdown", heading: "Breakdown of " + last.Week, sub: "hours and % of the week's summed work time · " + period(shown[len(shown)-1:]), week: last.Week},
	}
	switch b := &sections[2]; {
	case last.NoData:
		b.note = "Not shown: " + r.Gap() + " in this week."
	case last.TotalSeconds == 0 && sum0(last.Seconds) == 0:
		b.note = "No counted time in this week."
	default:
		b.chart, b.patch = weekBreakdown(r, last, categories, colour)
		b.height = 360
	}
	var err error
	p.Sections, err = encodeSections(sections, suffix)
	return p, err
}

// teamFacts are a team's facts: the period, zone and generation time as a
// person's, then who is in the team and how current their calendars are,
// by count only.
func teamFacts(r report.Report, t report.TeamReport, shown []report.WeekReport) []fact {
	out := facts(r, report.PersonReport{}, shown, locationOf(r))
	return append(out, fact{"People", r.TeamSize(t)}, fact{"Calendars", report.TeamCalendars(t)})
}

// teamHeadline says in plain words how the team's latest weeks compare
// with the target, as headline does for a person's: the current week as
// planned, the last complete one with how many weeks in a row it stood
// there, and the tally of complete weeks shown below target. A suppressed
// week says only that it is not shown.
func teamHeadline(r report.Report, weeks []report.TeamWeek, shown int) []string {
	if len(weeks) == 0 {
		return []string{"No weeks to show yet: run a sync."}
	}
	all := make([]report.WeekReport, len(weeks))
	for i, w := range weeks {
		all[i] = w.WeekReport
	}
	target := r.Target
	share := strings.Join(target.Categories, "/")
	say := func(label string, k int, run int) string {
		w := weeks[k]
		switch s := standingOf(w.WeekReport, target.MinShare); {
		case w.Suppressed():
			return label + ": not shown, " + r.Gap() + "."
		case s == noWorkTime:
			return label + ": no work time recorded."
		default:
			where := map[standing]string{below: "below", meets: "meets", above: "above"}[s]
			again := ""
			if run > 1 {
				again = " for the " + ordinal(run) + " week running"
			}
			return fmt.Sprintf("%s: %s %s across %d people — %s the %s target%s.", label,
				percent(*w.DesignShare, target.MinShare), share, w.Members, where, percent(target.MinShare, target.MinShare), again)
		}
	}
	var lines []string
	complete := all
	if within(r.GeneratedAt, all[len(all)-1]) {
		lines = append(lines, say("This week (as planned)", len(all)-1, 1))
		complete = all[:len(all)-1]
	}
	if n := len(complete); n > 0 {
		lines = append(lines, say(lastWeekLabel(r, complete[n-1]), n-1, streak(complete, target.MinShare)))
	}
	if below, of := countBelow(tallied(all, complete, shown), target.MinShare); of > 1 {
		lines = append(lines, fmt.Sprintf("Below target in %d of the last %d complete weeks shown.", below, of))
	}
	return lines
}
