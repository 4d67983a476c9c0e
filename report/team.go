package report

import (
	"slices"
	"time"

	"github.com/weekmap/weekmap/config"
)

// TeamReport is one team's weeks, oldest first. A team's week sums the
// weeks of its members that have data in it; it is shown only when at
// least the report's MinGroupSize members had data, so that no team figure
// stands for one or two people.
type TeamReport struct {
	Name string
	// Size is how many configured people are in the team, with data or
	// not.
	Size int
	// Calendars counts the members' calendars, and NotCurrent those whose
	// last sync failed or is stale (see SourceSync.Current): the team's
	// figures may miss their latest changes. Which calendars they are is
	// not said: with person reports off, that would be about a person.
	Calendars, NotCurrent int
	Weeks                 []TeamWeek
	// Summary totals the weeks shown; Periods each month or quarter of
	// them when asked for (see Report.Summarize). Suppressed weeks add
	// nothing.
	Summary *Summary
	Periods []Summary
	// Partial are the same weeks before the minimum group size is
	// applied, every week with at least one member with data; nil unless
	// teams.export_partial_sums is set. Only the metrics export them (for
	// sums across instances); no report shows them.
	Partial []TeamWeek
}

// TeamWeek is one team's ISO week.
type TeamWeek struct {
	// WeekReport holds the members' sums: seconds per category,
	// unscheduled, total and time off, events counted and splits. Its
	// DesignShare is computed over the summed time, not averaged over the
	// members, and BelowTarget compares that. It lists no events. NoData
	// marks a suppressed week (see Suppressed).
	WeekReport
	// Members counts the members with data in the week: a week with data
	// and some work time (someone away all week does not make the group
	// bigger); 0 when the week is suppressed.
	Members int
}

// Suppressed reports whether fewer members than the report's MinGroupSize
// had data in the week. Such a week holds no figure at all, not even how
// many members had data, so that nothing tells how few they were.
func (w TeamWeek) Suppressed() bool { return w.NoData }

// WeekReports returns the team's weeks as WeekReports, suppressed ones as
// weeks without data, for what draws or totals weeks alike for people and
// teams.
func (t TeamReport) WeekReports() []WeekReport {
	out := make([]WeekReport, len(t.Weeks))
	for i, w := range t.Weeks {
		out[i] = w.WeekReport
	}
	return out
}

// Teams returns the teams of people, each once, in the order of their
// first member in the config.
func Teams(cfg *config.Config) []string {
	var out []string
	for _, p := range cfg.Persons() {
		if p.Team != "" && !slices.Contains(out, p.Team) {
			out = append(out, p.Team)
		}
	}
	return out
}

// teamBuilder sums a team's members' weeks one member at a time, from
// their PersonReports, so that a report of a thousand people never holds
// more than one person's events.
type teamBuilder struct {
	name                  string
	categories            []string
	size                  int
	weeks                 []TeamWeek // the sums so far, unsuppressed
	calendars, notCurrent int
}

func newTeamBuilder(name string, weeks []Week, loc *time.Location, categories []string) *teamBuilder {
	b := &teamBuilder{name: name, categories: categories, weeks: make([]TeamWeek, len(weeks))}
	for i, w := range weeks {
		b.weeks[i].WeekReport = WeekReport{Week: w.String(), Start: w.Start.In(loc), End: w.End.In(loc), Seconds: Seconds{}}
		for _, c := range categories {
			b.weeks[i].Seconds[c] = 0
		}
	}
	return b
}

// add adds a member: their weeks with data, which must be the builder's
// weeks in the same order.
func (b *teamBuilder) add(p PersonReport) {
	b.size++
	for _, s := range p.Sources {
		b.calendars++
		if !s.Current() {
			b.notCurrent++
		}
	}
	for i, w := range p.Weeks {
		if w.NoData {
			continue
		}
		t := &b.weeks[i]
		if w.TotalSeconds > 0 {
			t.Members++
		}
		for c, v := range w.Seconds {
			t.Seconds[c] += v
		}
		t.UnscheduledSeconds += w.UnscheduledSeconds
		t.TotalSeconds += w.TotalSeconds
		t.TimeOffSeconds += w.TimeOffSeconds
		t.EventsCounted += w.EventsCounted
		t.Splits.add(w.Splits)
	}
}

// finish computes each week's share over its sums and suppresses the
// weeks with fewer than minGroup members with data. With partial, the
// report keeps the unsuppressed weeks too.
func (b *teamBuilder) finish(target config.Target, minGroup int, partial bool) TeamReport {
	t := TeamReport{Name: b.name, Size: b.size, Calendars: b.calendars, NotCurrent: b.notCurrent, Weeks: make([]TeamWeek, len(b.weeks))}
	for i := range b.weeks {
		w := &b.weeks[i]
		w.DesignShare, w.BelowTarget = designShare(target.Categories, target.MinShare, w.Seconds, w.TotalSeconds)
		w.NoData = w.Members == 0
		if partial && w.Members > 0 {
			t.Partial = append(t.Partial, *w)
		}
		if w.Members < minGroup {
			t.Weeks[i] = suppressedWeek(w.WeekReport, b.categories)
			continue
		}
		t.Weeks[i] = *w
	}
	return t
}

// suppressedWeek is a team's week with too few members with data: its
// week and bounds, the report's categories at 0, and nothing else (not
// even a category only a member's events had).
func suppressedWeek(w WeekReport, categories []string) TeamWeek {
	s := TeamWeek{WeekReport: WeekReport{Week: w.Week, Start: w.Start, End: w.End, Seconds: make(Seconds, len(categories)), NoData: true}}
	for _, c := range categories {
		s.Seconds[c] = 0
	}
	return s
}
