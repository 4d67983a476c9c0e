package report

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
)

// Person is one person's classified events, from all their calendars.
type Person struct {
	Name string
	// Calendars are the person's source names in the order of the config;
	// of a meeting in two of them, the copy in the first counts.
	Calendars []string
	Events    []Classified
	Coverage  Coverage
	// Sources say how each calendar's syncs went; a calendar missing here
	// never synced.
	Sources []SourceSync
}

// Coverage says which weeks a person's sources have data for. Holidays
// calendars are not in it: they only take days out of weeks that the
// person's own calendars cover.
type Coverage struct {
	// Windows are the spans the sources' last successful syncs covered
	// (each source's sync window around its last sync).
	Windows []Window
	// Earliest is when the person's earliest stored event starts, in
	// local time for an all-day event; zero if there is none.
	Earliest time.Time
}

// Window is a span of time, [From, To).
type Window struct{ From, To time.Time }

// Has reports whether w is a week with data: not before the person's
// earliest event, and wholly within the sync window of every calendar of
// theirs that has synced. A week the window cuts is not known: a series'
// instances beyond the window were never expanded, so its meetings would
// turn into unscheduled time.
func (c Coverage) Has(w Week) bool {
	if c.Earliest.IsZero() || !w.End.After(c.Earliest) || len(c.Windows) == 0 {
		return false
	}
	for _, win := range c.Windows {
		if win.From.After(w.Start) || win.To.Before(w.End) {
			return false
		}
	}
	return true
}

// topMeetings is how many recurring meetings a person's report keeps.
const topMeetings = 10

// Build accounts every person over weeks (oldest first) and assembles the
// report. now is only the generation time: the current week is reported as
// planned, so nothing is cut at now. categories are the work categories in
// display order.
func Build(cfg config.Week, categories []string, now time.Time, weeks []Week, people []Person) Report {
	r := newReport(cfg, categories, now, len(people))
	for _, person := range people {
		r.People = append(r.People, buildPerson(cfg, categories, r.FocusCategory, weeks, person, true))
	}
	r.Summarize(PeriodWeek)
	return r
}

// newReport is a report of no one yet, with room for n people.
func newReport(cfg config.Week, categories []string, now time.Time, n int) Report {
	loc := cfg.Timezone
	focus := cfg.Accounting.Unscheduled
	if focus == "" || focus == config.UnscheduledNone {
		focus = cal.Implementation
	}
	return Report{
		GeneratedAt: now.UTC().Truncate(time.Second),
		Timezone:    loc.String(),
		Target: TargetSummary{
			Categories: slices.Clone(cfg.Target.Categories),
			MinShare:   cfg.Target.MinShare,
		},
		Categories:    slices.Clone(categories),
		FocusCategory: focus,
		People:        make([]PersonReport, 0, n),
	}
}

// buildPerson accounts one person over weeks. focus is the category
// unscheduled time goes to (implementation when it goes nowhere); with
// events, each week lists its events (WeekReport.Events).
func buildPerson(cfg config.Week, categories []string, focus string, weeks []Week, person Person, events bool) PersonReport {
	loc := cfg.Timezone
	pr := PersonReport{Name: person.Name, Calendars: slices.Clone(person.Calendars), Weeks: make([]WeekReport, 0, len(weeks))}
	for _, c := range person.Calendars {
		s := SourceSync{Name: c, Stale: true} // never synced, unless Sources says
		if i := slices.IndexFunc(person.Sources, func(s SourceSync) bool { return s.Name == c }); i >= 0 {
			s = person.Sources[i]
		}
		if !s.LastSuccess.IsZero() {
			s.LastSuccess = s.LastSuccess.In(loc)
		}
		pr.Sources = append(pr.Sources, s)
	}
	p := prepare(cfg.Accounting, loc, categories, person.Calendars, person.Events)
	t := newGatherer(person.Events, &p, loc, focus, weeks)
	t.listEvents = events
	eventSeconds := make([]int64, len(person.Events))
	for k, w := range weeks {
		if !person.Coverage.Has(w) {
			pr.Weeks = append(pr.Weeks, noDataWeek(w, loc, categories))
			continue
		}
		wr := accountWeek(cfg, categories, w, person.Events, &p, eventSeconds)
		t.week(k, w, &wr, eventSeconds)
		pr.Weeks = append(pr.Weeks, wr)
	}
	t.finish(&pr)
	return pr
}

// noDataWeek is a week without data: every category 0, no share, never
// below target.
func noDataWeek(w Week, loc *time.Location, categories []string) WeekReport {
	r := WeekReport{Week: w.String(), Start: w.Start.In(loc), End: w.End.In(loc), Seconds: Seconds{}, NoData: true}
	for _, c := range categories {
		r.Seconds[c] = 0
	}
	return r
}

// seriesTime gathers a recurring series' counted time across weeks.
type seriesTime struct {
	id       string
	latest   *Classified
	seconds  int64
	instance map[string]bool // event ids, so an instance split by a week boundary counts once
}

func addSeriesTime(series map[string]*seriesTime, e *Classified, seconds int64) {
	st := series[e.RecurringEventID]
	if st == nil {
		st = &seriesTime{id: e.RecurringEventID, instance: map[string]bool{}}
		series[e.RecurringEventID] = st
	}
	st.seconds += seconds
	st.instance[e.ID] = true
	// Titles change over a series' life; the newest one is what the owner
	// recognises.
	if st.latest == nil || e.Start.After(st.latest.Start) ||
		(e.Start.Equal(st.latest.Start) && e.ID > st.latest.ID) {
		st.latest = e
	}
}

// rankSeries returns the series that took the most time as meetings,
// largest first, and their ids in the same order.
func rankSeries(series map[string]*seriesTime) ([]Meeting, []string) {
	all := make([]*seriesTime, 0, len(series))
	for _, st := range series {
		all = append(all, st)
	}
	slices.SortFunc(all, func(a, b *seriesTime) int {
		return cmp.Or(cmp.Compare(b.seconds, a.seconds), strings.Compare(a.latest.Title, b.latest.Title), strings.Compare(a.id, b.id))
	})
	n := min(len(all), topMeetings)
	meetings := make([]Meeting, 0, n)
	ids := make([]string, 0, n)
	for _, st := range all[:n] {
		meetings = append(meetings, Meeting{
			Title:    st.latest.Title,
			Category: st.latest.Category,
			Seconds:  st.seconds,
			Count:    len(st.instance),
		})
		ids = append(ids, st.id)
	}
	return meetings, ids
}
