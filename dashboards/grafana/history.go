package grafana

import (
	"github.com/grafana/grafana-foundation-sdk/go/barchart"
	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
)

// historyRow is the person's weeks over the dashboard's time range, however
// they reached Prometheus.
func historyRow() row {
	return row{title: "History", panels: []cog.Builder[dashboard.Panel]{
		historyPanel(),
	}}
}

// historyPanel shows one bar per week from two kinds of series alike: the
// backfill (`weekmap report --format openmetrics`), one sample per week at
// its first second and no weeks_ago; and the live scrape, a sample per scrape
// for each of the exported weeks with weeks_ago. last_over_time over the
// whole range finds a week whichever it comes from, and max by (week) makes
// one bar of the several series a week has (a backfilled one and one per
// weeks_ago it was scraped with); they agree unless its events changed after
// it ended. weeks_ago="0" is left out: the current week is a plan, not
// history.
func historyPanel() *barchart.PanelBuilder {
	return shareBars("Design share per week over the chosen range",
		"One bar per complete ISO week with a design share in Prometheus within the time range: weeks backfilled "+
			"with weekmap report --format openmetrics and weeks scraped live alike. Choose a long range "+
			"(Last 1 year) to see the history.",
		`max by (week) (last_over_time(weekmap_week_design_share_ratio{person="$person",weeks_ago!="0"}[$__range]))`).
		Height(9).Span(24).
		XTickLabelRotation(-45)
}
