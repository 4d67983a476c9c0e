package grafana

import (
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/stat"
	"github.com/grafana/grafana-foundation-sdk/go/timeseries"
)

// syncRow is the health of the chosen calendar's sync.
func syncRow() row {
	return row{title: "Sync health", panels: []cog.Builder[dashboard.Panel]{
		sinceLastSyncPanel(),
		eventsPanel(),
		syncDurationPanel(),
		syncErrorsPanel(),
		apiRequestsPanel(),
	}}
}

// syncStat is a stat of one value of the chosen source.
func syncStat(title, description, expr, unit string) *stat.PanelBuilder {
	return stat.NewPanelBuilder().
		Title(title).
		Description(description).
		Datasource(datasource()).
		Height(5).Span(8).
		WithTarget(rangeQuery("A", expr, "{{source}}")).
		Unit(unit).
		ReduceOptions(lastValue()).
		Orientation(common.VizOrientationAuto)
}

// sinceLastSyncPanel turns orange after an hour and red after two, when the
// WeekmapSyncStale alert fires.
func sinceLastSyncPanel() *stat.PanelBuilder {
	return syncStat("Since last successful sync",
		"Seconds since the source last synced without error.",
		`time() - weekmap_sync_last_success_timestamp_seconds{source="$source"}`, "s").
		Thresholds(thresholds("green", step{3600, "orange"}, step{7200, "red"}))
}

func eventsPanel() *stat.PanelBuilder {
	return syncStat("Events in the store",
		"Events of this source in weekmap's store.",
		`weekmap_events{source="$source"}`, "none")
}

func syncDurationPanel() *stat.PanelBuilder {
	return syncStat("Average sync duration",
		"Mean time a sync of this source has taken since weekmap started (all its syncs, failed ones included).",
		`weekmap_sync_duration_seconds_sum{source="$source"} / weekmap_sync_duration_seconds_count{source="$source"}`, "s")
}

func syncErrorsPanel() *timeseries.PanelBuilder {
	return timeseries.NewPanelBuilder().
		Title("Sync errors by reason").
		Description("Failed syncs: rate limits, server errors, a required full resync, revoked access.").
		Datasource(datasource()).
		Height(8).Span(12).
		WithTarget(rangeQuery("A", `sum by (reason) (increase(weekmap_sync_errors_total{source="$source"}[$__rate_interval]))`, "{{reason}}")).
		Unit("none").
		Legend(legend(true, common.LegendPlacementBottom)).
		Tooltip(tooltip())
}

func apiRequestsPanel() *timeseries.PanelBuilder {
	return timeseries.NewPanelBuilder().
		Title("Calendar API requests by status code").
		Description("Requests weekmap made to the calendar API, by HTTP status.").
		Datasource(datasource()).
		Height(8).Span(12).
		WithTarget(rangeQuery("A", `sum by (code) (rate(weekmap_api_requests_total{source="$source"}[$__rate_interval]))`, "{{code}}")).
		Unit("reqps").
		Legend(legend(true, common.LegendPlacementBottom)).
		Tooltip(tooltip())
}
