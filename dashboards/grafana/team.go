package grafana

import (
	"github.com/grafana/grafana-foundation-sdk/go/barchart"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
)

// teamRow is the team's recent weeks: its members with data summed, as the
// week row has a person's. A week with fewer members with data than
// teams.min_group_size has no samples, so it is missing here rather than
// zero. Like the week panels, these read the live series (weeks_ago set).
func teamRow() row {
	return row{title: "Teams", panels: []cog.Builder[dashboard.Panel]{
		teamLastWeekSharePanel(),
		teamMembersPanel(),
		teamSharePerWeekPanel(),
		teamHoursPerCategoryPanel(),
	}}
}

// teamVariable picks the team whose weeks the team panels show.
func teamVariable() *dashboard.QueryVariableBuilder {
	return labelVariable("team", "Team", "label_values(weekmap_team_week_members, team)")
}

func teamLastWeekSharePanel() *stat.PanelBuilder {
	return stat.NewPanelBuilder().
		Title("Team design share, last complete week").
		Description("Time in the target categories over all work time, summed over the team's people with data in the last " +
			"complete ISO week (not an average of their shares). No value when fewer than teams.min_group_size had data.").
		Datasource(datasource()).
		Height(5).Span(12).
		WithTarget(rangeQuery("A", `weekmap_team_week_design_share_ratio{team="$team",weeks_ago="1"}`, "{{week}}")).
		Unit("percentunit").Min(0).Max(1).
		Thresholds(shareThresholds()).
		ReduceOptions(lastValue()).
		Orientation(common.VizOrientationAuto)
}

func teamMembersPanel() *stat.PanelBuilder {
	return stat.NewPanelBuilder().
		Title("People with data, last complete week").
		Description("The team's people whose calendars had data in the last complete ISO week; a week is shown only " +
			"when there are at least teams.min_group_size (5 by default).").
		Datasource(datasource()).
		Height(5).Span(12).
		WithTarget(rangeQuery("A", `weekmap_team_week_members{team="$team",weeks_ago="1"}`, "{{week}}")).
		Unit("none").
		ReduceOptions(lastValue()).
		Orientation(common.VizOrientationAuto)
}

func teamSharePerWeekPanel() *barchart.PanelBuilder {
	return shareBars("Team design share per week against the target",
		"One bar per ISO week weekmap exports in which the team had enough people with data; the threshold line is the default target.",
		`weekmap_team_week_design_share_ratio{team="$team",weeks_ago!=""}`).
		Height(9).Span(12)
}

func teamHoursPerCategoryPanel() *barchart.PanelBuilder {
	return categoryBars("Team hours per category per week",
		"Counted hours per category, summed over the team's people with data; a week with too few of them has no bar.",
		`sum by (week, category) (weekmap_team_week_category_seconds{team="$team",weeks_ago!=""}) / 3600`).
		Height(9).Span(12)
}
