package metrics

import (
	"strconv"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/weekmap/weekmap/report"
)

// The team series: each team's weeks as the person series have them, with
// the same week and weeks_ago labels, and no sample for a suppressed week.
// The partial series are the same sums before the minimum group size, for
// adding a team up across instances; only teams.export_partial_sums
// exports them.
const (
	teamCategorySecondsName = "weekmap_team_week_category_seconds"
	teamDesignShareName     = "weekmap_team_week_design_share_ratio"
	teamMembersName         = "weekmap_team_week_members"
)

var (
	teamLabels              = []string{"team", "week", "weeks_ago"}
	teamCategoryLabels      = []string{"team", "category", "week", "weeks_ago"}
	teamCategorySecondsDesc = prometheus.NewDesc(teamCategorySecondsName,
		"Counted working time of a team's members with data in an ISO week, summed, by category, in seconds. "+
			"No sample for a week with fewer members with data than teams.min_group_size.",
		teamCategoryLabels, nil)
	teamDesignShareDesc = prometheus.NewDesc(teamDesignShareName,
		"Share of a team's summed work time in an ISO week spent in the target categories, from 0 to 1 "+
			"(over the summed time, not an average of the members' shares). "+
			"No sample for a week with no work time or fewer members with data than teams.min_group_size.",
		teamLabels, nil)
	teamMembersDesc = prometheus.NewDesc(teamMembersName,
		"Members of a team with data in an ISO week. No sample for a week with fewer than teams.min_group_size.",
		teamLabels, nil)

	partialCategorySecondsDesc = prometheus.NewDesc("weekmap_team_partial_week_category_seconds",
		"This instance's part of a team's counted working time in an ISO week, by category, in seconds, "+
			"before the minimum group size: for summing a team across instances "+
			"(dashboards/teams.rules.yml applies the minimum to the sum). Only with teams.export_partial_sums.",
		teamCategoryLabels, nil)
	partialWorkSecondsDesc = prometheus.NewDesc("weekmap_team_partial_week_work_seconds",
		"This instance's part of a team's work time in an ISO week (every work category), in seconds, "+
			"before the minimum group size. Only with teams.export_partial_sums.",
		teamLabels, nil)
	partialMembersDesc = prometheus.NewDesc("weekmap_team_partial_week_members",
		"This instance's members of a team with data in an ISO week, however few. Only with teams.export_partial_sums.",
		teamLabels, nil)
)

// teamSample is one team week's values.
type teamSample struct {
	team, week, weeksAgo string
	categories           []string
	seconds              []float64 // parallel to categories
	work, members        float64
	designShare          *float64
}

// teamSamples copies the weeks of r's teams that are shown and, apart,
// their partial sums, for a snapshot.
func teamSamples(r *report.Report) (shown, partial []teamSample) {
	for _, t := range r.Teams {
		for i, w := range t.Weeks {
			if !w.Suppressed() {
				shown = append(shown, newTeamSample(r, t.Name, w, strconv.Itoa(len(t.Weeks)-1-i)))
			}
		}
		// Partial weeks are a subset of the weeks, in order: find each
		// one's weeks_ago by its name.
		for _, w := range t.Partial {
			for i, all := range t.Weeks {
				if all.Week == w.Week {
					partial = append(partial, newTeamSample(r, t.Name, w, strconv.Itoa(len(t.Weeks)-1-i)))
				}
			}
		}
	}
	return shown, partial
}

func newTeamSample(r *report.Report, team string, w report.TeamWeek, weeksAgo string) teamSample {
	categories := categoriesOf(r.Categories, w.Seconds)
	s := teamSample{team: team, week: w.Week, weeksAgo: weeksAgo, categories: categories,
		seconds: make([]float64, len(categories)), work: float64(w.TotalSeconds), members: float64(w.Members)}
	for j, name := range categories {
		s.seconds[j] = float64(w.Seconds[name])
	}
	if w.DesignShare != nil {
		share := *w.DesignShare
		s.designShare = &share
	}
	return s
}

func describeTeams(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{teamCategorySecondsDesc, teamDesignShareDesc, teamMembersDesc,
		partialCategorySecondsDesc, partialWorkSecondsDesc, partialMembersDesc} {
		ch <- d
	}
}

func collectTeams(ch chan<- prometheus.Metric, shown, partial []teamSample) {
	for _, w := range shown {
		for i, category := range w.categories {
			ch <- prometheus.MustNewConstMetric(teamCategorySecondsDesc, prometheus.GaugeValue, w.seconds[i], w.team, category, w.week, w.weeksAgo)
		}
		if w.designShare != nil {
			ch <- prometheus.MustNewConstMetric(teamDesignShareDesc, prometheus.GaugeValue, *w.designShare, w.team, w.week, w.weeksAgo)
		}
		ch <- prometheus.MustNewConstMetric(teamMembersDesc, prometheus.GaugeValue, w.members, w.team, w.week, w.weeksAgo)
	}
	for _, w := range partial {
		for i, category := range w.categories {
			ch <- prometheus.MustNewConstMetric(partialCategorySecondsDesc, prometheus.GaugeValue, w.seconds[i], w.team, category, w.week, w.weeksAgo)
		}
		ch <- prometheus.MustNewConstMetric(partialWorkSecondsDesc, prometheus.GaugeValue, w.work, w.team, w.week, w.weeksAgo)
		ch <- prometheus.MustNewConstMetric(partialMembersDesc, prometheus.GaugeValue, w.members, w.team, w.week, w.weeksAgo)
	}
}
