package grafana

import (
	"github.com/grafana/grafana-foundation-sdk/go/barchart"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/piechart"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
)

// The week panels read the live series, those with weeks_ago, which a scrape
// of weekmap exports: weeks_ago="0" is the current week, "1" the last
// complete one. The backfilled history has no weeks_ago, so these panels
// exclude it with weeks_ago!="" where they would otherwise count a week
// twice in the minutes after it ends; the history row shows it.

// weekRow is the person's recent weeks: shares, target, hours per category.
func weekRow() row {
	return row{title: "Where the week goes", panels: []cog.Builder[dashboard.Panel]{
		lastWeekSharePanel(),
		thisWeekSharePanel(),
		targetPanel(),
		weeksBelowTargetPanel(),
		sharePerWeekPanel(),
		hoursPerCategoryPanel(),
		thisWeekBreakdownPanel(),
		lastWeekShareOverTimePanel(),
	}}
}

// shareStat is a stat of one week's design share, coloured against the
// target.
func shareStat(title, description, weeksAgo string) *stat.PanelBuilder {
	return stat.NewPanelBuilder().
		Title(title).
		Description(description).
		Datasource(datasource()).
		Height(5).Span(6).
		WithTarget(rangeQuery("A", `weekmap_week_design_share_ratio{person="$person",weeks_ago="`+weeksAgo+`"}`, "{{week}}")).
		Unit("percentunit").Min(0).Max(1).
		Thresholds(shareThresholds()).
		ReduceOptions(lastValue()).
		Orientation(common.VizOrientationAuto)
}

func lastWeekSharePanel() *stat.PanelBuilder {
	return shareStat("Design share, last complete week",
		"Time in the target categories (design, review, alignment by default) over all work time, for the last complete ISO week.",
		"1")
}

func thisWeekSharePanel() *stat.PanelBuilder {
	return shareStat("This week so far (as planned)",
		"The current week, counting its future meetings and working hours as planned.",
		"0")
}

func targetPanel() *stat.PanelBuilder {
	return stat.NewPanelBuilder().
		Title("Target").
		Description("target.min_share from the weekmap config.").
		Datasource(datasource()).
		Height(5).Span(4).
		WithTarget(rangeQuery("A", "weekmap_design_share_target_ratio", "target")).
		Unit("percentunit").
		ReduceOptions(lastValue()).
		Orientation(common.VizOrientationAuto)
}

func weeksBelowTargetPanel() *stat.PanelBuilder {
	return stat.NewPanelBuilder().
		Title("Complete weeks below target").
		Description("Complete weeks among those exported (server.weeks, 12 by default: the current week and the 11 before it) whose design share is below the target.").
		Datasource(datasource()).
		Height(5).Span(8).
		WithTarget(rangeQuery("A",
			`count(weekmap_week_design_share_ratio{person="$person",weeks_ago!="0",weeks_ago!=""} < ignoring(person, week, weeks_ago) group_left() weekmap_design_share_target_ratio) or vector(0)`,
			"weeks")).
		Unit("none").
		ReduceOptions(lastValue()).
		Orientation(common.VizOrientationAuto)
}

// weekTable hides the columns of a table query that are not the week or a
// value, so that a bar chart plots one bar per week.
func weekTable() dashboard.DataTransformerConfig {
	hidden := map[string]any{}
	for _, column := range []string{"Time", "__name__", "person", "team", "instance", "job", "weeks_ago"} {
		hidden[column] = true
	}
	return dashboard.DataTransformerConfig{Id: "organize", Options: map[string]any{"excludeByName": hidden}}
}

// shareBars is a bar chart of design share per week with the default target
// as a line, from an instant table query with a week label.
func shareBars(title, description, expr string) *barchart.PanelBuilder {
	return barchart.NewPanelBuilder().
		Title(title).
		Description(description).
		Datasource(datasource()).
		WithTarget(tableQuery(expr)).
		Unit("percentunit").Min(0).
		Thresholds(shareThresholds()).
		ThresholdsStyle(common.NewGraphThresholdsStyleConfigBuilder().Mode(common.GraphThresholdsStyleModeLineAndArea)).
		ColorScheme(dashboard.NewFieldColorBuilder().Mode(dashboard.FieldColorModeIdThresholds)).
		XField("week").
		ShowValue(common.VisibilityModeAuto).
		Legend(legend(false, common.LegendPlacementBottom)).
		Tooltip(tooltip()).
		WithTransformation(weekTable()).
		WithTransformation(sortByWeek())
}

func sharePerWeekPanel() *barchart.PanelBuilder {
	return shareBars("Design share per week against the target",
		"One bar per ISO week weekmap exports (server.weeks); the threshold line is the default target.",
		`weekmap_week_design_share_ratio{person="$person",weeks_ago!=""}`).
		Height(9).Span(12)
}

func hoursPerCategoryPanel() *barchart.PanelBuilder {
	return categoryBars("Hours per category per week",
		"Counted hours per category; working hours with no event go to accounting.unscheduled (implementation by default).",
		`sum by (week, category) (weekmap_week_category_seconds{person="$person",weeks_ago!=""}) / 3600`).
		Height(9).Span(12)
}

// categoryBars is a stacked bar chart of hours per category per week, from
// an instant table query with week and category labels.
func categoryBars(title, description, expr string) *barchart.PanelBuilder {
	return barchart.NewPanelBuilder().
		Title(title).
		Description(description).
		Datasource(datasource()).
		WithTarget(tableQuery(expr)).
		Unit("h").
		XField("week").
		Stacking(common.StackingModeNormal).
		Legend(legend(true, common.LegendPlacementBottom)).
		Tooltip(tooltip()).
		// One row per week and one column per category, named by
		// category; the corner cell Grafana names "week\category".
		WithTransformation(dashboard.DataTransformerConfig{Id: "groupingToMatrix", Options: map[string]any{
			"columnField": "category", "rowField": "week", "valueField": "Value",
		}}).
		WithTransformation(dashboard.DataTransformerConfig{Id: "renameByRegex", Options: map[string]any{
			"regex": `week\\category`, "renamePattern": "week",
		}}).
		WithTransformation(sortByWeek())
}

func thisWeekBreakdownPanel() *piechart.PanelBuilder {
	return piechart.NewPanelBuilder().
		Title("This week's breakdown").
		Description("Hours per category in the current week, as planned.").
		Datasource(datasource()).
		Height(9).Span(8).
		WithTarget(instantQuery(`weekmap_week_category_seconds{person="$person",weeks_ago="0"} / 3600`, "{{category}}")).
		Unit("h").
		ReduceOptions(lastValue()).
		Orientation(common.VizOrientationAuto).
		Tooltip(tooltip()).
		PieType(piechart.PieChartTypeDonut).
		Legend(piechart.NewPieChartLegendOptionsBuilder().
			ShowLegend(true).
			DisplayMode(common.LegendDisplayModeList).
			Placement(common.LegendPlacementRight).
			Values([]piechart.PieChartLegendValues{piechart.PieChartLegendValuesValue}))
}

func lastWeekShareOverTimePanel() *timeseries.PanelBuilder {
	return timeseries.NewPanelBuilder().
		Title("Last complete week's share over time").
		Description("Steps once a week when a new week completes.").
		Datasource(datasource()).
		Height(9).Span(16).
		WithTarget(rangeQuery("A", `weekmap_week_design_share_ratio{person="$person",weeks_ago="1"}`, "last complete week")).
		WithTarget(rangeQuery("B", "weekmap_design_share_target_ratio", "target")).
		Unit("percentunit").
		Legend(legend(true, common.LegendPlacementBottom)).
		Tooltip(tooltip())
}
