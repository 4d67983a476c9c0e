package report

import (
	"cmp"
	"slices"
	"strings"
	"time"

	"github.com/weekmap/weekmap/config"
)

// CalendarEvents are one calendar's classified events; Name is the
// configured source name.
type CalendarEvents struct {
	Name   string
	Events []Classified
}

// topMeetings is how many recurring meetings a calendar report keeps.
const topMeetings = 10

// Build accounts every calendar over weeks (oldest first) and assembles the
// report. now is only the generation time: the current week is reported as
// planned, so nothing is cut at now. categories are the work categories in
// display order.
func Build(cfg config.Week, categories []string, now time.Time, weeks []Week, calendars []CalendarEvents) Report {
	loc := cfg.Timezone
	r := Report{
		GeneratedAt: now.UTC().Truncate(time.Second),
		Timezone:    loc.String(),
		Target: TargetSummary{
			Categories: slices.Clone(cfg.Target.Categories),
			MinShare:   cfg.Target.MinShare,
		},
		Categories: slices.Clone(categories),
		Calendars:  make([]CalendarReport, 0, len(calendars)),
	}
	for _, cal := range calendars {
		cr := CalendarReport{Name: cal.Name, Weeks: make([]WeekReport, 0, len(weeks))}
		series := map[string]*seriesTime{}
		p := prepare(cfg.Accounting, loc, categories, cal.Events)
		eventSeconds := make([]int64, len(cal.Events))
		for _, w := range weeks {
			cr.Weeks = append(cr.Weeks, accountWeek(cfg, categories, w, cal.Events, &p, eventSeconds))
			for i, s := range eventSeconds {
				if s > 0 {
					if cal.Events[i].Recurring() {
						addSeriesTime(series, &cal.Events[i], s)
					}
					eventSeconds[i] = 0
				}
			}
		}
		cr.TopMeetings = rankSeries(series)
		r.Calendars = append(r.Calendars, cr)
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

func rankSeries(series map[string]*seriesTime) []Meeting {
	all := make([]*seriesTime, 0, len(series))
	for _, st := range series {
		all = append(all, st)
	}
	slices.SortFunc(all, func(a, b *seriesTime) int {
		return cmp.Or(cmp.Compare(b.seconds, a.seconds), strings.Compare(a.latest.Title, b.latest.Title), strings.Compare(a.id, b.id))
	})
	meetings := make([]Meeting, 0, min(len(all), topMeetings))
	for _, st := range all[:min(len(all), topMeetings)] {
		meetings = append(meetings, Meeting{
			Title:    st.latest.Title,
			Category: st.latest.Category,
			Seconds:  st.seconds,
			Count:    len(st.instance),
		})
	}
	return meetings
}
