// Package grafana builds weekmap's Grafana dashboard from typed panels,
// queries and variables (github.com/grafana/grafana-foundation-sdk/go),
// generated from Grafana's dashboard schema, so that a panel option or query
// field Grafana does not have is a compile error here rather than a setting
// Grafana silently ignores (transformation options stay untyped maps, as in
// the schema). dashboards/weekmap.json is
// its output: `go test ./dashboards -update` writes it, and
// `go test ./dashboards` fails while the two differ.
//
// The package is kept apart from package dashboards, which tests import for
// the queries, because the SDK is large (over 100,000 lines of generated Go)
// and only the generator needs it.
//
// The dashboard is a list of rows, each a function returning its panels, and
// each panel a function: a new view is a new function and one line in rows.
package grafana

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/grafana/grafana-foundation-sdk/go/cog"
	"github.com/grafana/grafana-foundation-sdk/go/common"
	"github.com/grafana/grafana-foundation-sdk/go/dashboard"
	"github.com/grafana/grafana-foundation-sdk/go/prometheus"
)

// defaultTarget is target.min_share's default. Grafana thresholds are fixed
// numbers, so the share panels colour against the default while the
// "Target" panel and the charts' target series show the configured one.
const defaultTarget = 0.2

// row is one row of the dashboard: its title and panels, laid out left to
// right in 24 columns.
type row struct {
	title  string
	panels []cog.Builder[dashboard.Panel]
}

// rows returns the dashboard's rows, top to bottom.
func rows() []row {
	return []row{weekRow(), teamRow(), historyRow(), syncRow()}
}

// Dashboard returns weekmap's Grafana dashboard.
func Dashboard() (dashboard.Dashboard, error) {
	b := dashboard.NewDashboardBuilder("weekmap: where the week goes").
		Uid("weekmap").
		Description("Design, review and alignment share per ISO week, from weekmap's metrics.").
		Tags([]string{"weekmap"}).
		Editable().
		Time("now-6h", "now").
		Refresh("1m").
		WithVariable(datasourceVariable()).
		WithVariable(personVariable()).
		WithVariable(teamVariable()).
		WithVariable(sourceVariable())
	for _, r := range rows() {
		b.WithRow(dashboard.NewRowBuilder(r.title))
		for _, p := range r.panels {
			b.WithPanel(p)
		}
	}
	d, err := b.Build()
	if err != nil {
		return dashboard.Dashboard{}, fmt.Errorf("build the dashboard: %w", err)
	}
	// Grafana keys panel links and view state by id and wants them unique:
	// number panels and rows in layout order.
	for i := range d.Panels {
		id := uint32(i + 1)
		if p := d.Panels[i].Panel; p != nil {
			p.Id = &id
		} else if r := d.Panels[i].RowPanel; r != nil {
			r.Id = id
		}
	}
	return d, nil
}

// JSON returns the dashboard as dashboards/weekmap.json holds it: indented
// with two spaces and ending in a newline.
func JSON() ([]byte, error) {
	d, err := Dashboard()
	if err != nil {
		return nil, err
	}
	out, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encode the dashboard: %w", err)
	}
	// The SDK encodes panels with json.Marshal, which writes <, > and & as
	// \u003c, \u003e and \u0026; PromQL is full of them. Write them plainly
	// so the file reads like the queries, and make sure that changed
	// nothing but the spelling.
	plain := []byte(strings.NewReplacer(`\u003c`, `<`, `\u003e`, `>`, `\u0026`, `&`).Replace(string(out)))
	var before, after any
	if err := json.Unmarshal(out, &before); err != nil {
		return nil, fmt.Errorf("decode the dashboard: %w", err)
	}
	if err := json.Unmarshal(plain, &after); err != nil || !reflect.DeepEqual(before, after) {
		return nil, fmt.Errorf("unescaping the dashboard changed it (err %v); write it escaped", err)
	}
	return append(plain, '\n'), nil
}

// datasource is the dashboard's Prometheus: the datasource variable, never a
// fixed uid, so that the dashboard imports into any Grafana.
func datasource() common.DataSourceRef {
	return common.DataSourceRef{Type: cog.ToPtr("prometheus"), Uid: cog.ToPtr("${datasource}")}
}

func datasourceVariable() *dashboard.DatasourceVariableBuilder {
	return dashboard.NewDatasourceVariableBuilder("datasource").
		Label("Prometheus").
		Type("prometheus")
}

// personVariable picks the person whose weeks the week panels show.
func personVariable() *dashboard.QueryVariableBuilder {
	return labelVariable("person", "Person", "label_values(weekmap_week_category_seconds, person)")
}

// sourceVariable picks the calendar whose sync the sync panels show.
func sourceVariable() *dashboard.QueryVariableBuilder {
	return labelVariable("source", "Source", "label_values(weekmap_sync_last_success_timestamp_seconds, source)")
}

// labelVariable is a single-choice variable over a label's values, refreshed
// when the time range changes so that new people and calendars appear.
func labelVariable(name, label, query string) *dashboard.QueryVariableBuilder {
	return dashboard.NewQueryVariableBuilder(name).
		Label(label).
		Datasource(datasource()).
		Query(dashboard.StringOrMap{String: cog.ToPtr(query)}).
		Definition(query).
		Refresh(dashboard.VariableRefreshOnTimeRangeChanged).
		Sort(dashboard.VariableSortAlphabeticalAsc).
		Multi(false).
		IncludeAll(false)
}

// rangeQuery is a PromQL query Grafana evaluates over the dashboard's time
// range, one point per step.
func rangeQuery(ref, expr, legend string) *prometheus.DataqueryBuilder {
	return prometheus.NewDataqueryBuilder().
		RefId(ref).
		Datasource(datasource()).
		Expr(expr).
		LegendFormat(legend).
		Range()
}

// instantQuery is a PromQL query Grafana evaluates once, at the end of the
// time range.
func instantQuery(expr, legend string) *prometheus.DataqueryBuilder {
	return prometheus.NewDataqueryBuilder().
		RefId("A").
		Datasource(datasource()).
		Expr(expr).
		LegendFormat(legend).
		Instant()
}

// tableQuery is an instant query whose result Grafana turns into a table,
// one row per series with its labels as columns: what the bar charts' week
// axis needs.
func tableQuery(expr string) *prometheus.DataqueryBuilder {
	return instantQuery(expr, "").Format(prometheus.PromQueryFormatTable)
}

// shareThresholds colours a share red below the default target and green
// from it.
func shareThresholds() *dashboard.ThresholdsConfigBuilder {
	return thresholds("red", step{defaultTarget, "green"})
}

// step is a threshold: from value on, color.
type step struct {
	value float64
	color string
}

// thresholds starts at base and changes color at each step.
func thresholds(base string, steps ...step) *dashboard.ThresholdsConfigBuilder {
	all := []dashboard.Threshold{{Value: nil, Color: base}}
	for _, s := range steps {
		all = append(all, dashboard.Threshold{Value: cog.ToPtr(s.value), Color: s.color})
	}
	return dashboard.NewThresholdsConfigBuilder().Mode(dashboard.ThresholdsModeAbsolute).Steps(all)
}

// sortByWeek orders a table's rows by its week column ("2026-W47" sorts as
// text in time order).
func sortByWeek() dashboard.DataTransformerConfig {
	return dashboard.DataTransformerConfig{
		Id:      "sortBy",
		Options: map[string]any{"sort": []map[string]any{{"field": "week"}}},
	}
}

// legend is a list of the series at placement, or none when !show.
func legend(show bool, placement common.LegendPlacement) *common.VizLegendOptionsBuilder {
	return common.NewVizLegendOptionsBuilder().
		ShowLegend(show).
		DisplayMode(common.LegendDisplayModeList).
		Placement(placement)
}

// tooltip shows the hovered series' value, Grafana's default, written out
// because the SDK leaves the mode empty otherwise.
func tooltip() *common.VizTooltipOptionsBuilder {
	return common.NewVizTooltipOptionsBuilder().
		Mode(common.TooltipDisplayModeSingle).
		Sort(common.SortOrderNone)
}

// lastValue reduces a series to its last non-null value, what a stat shows.
func lastValue() *common.ReduceDataOptionsBuilder {
	return common.NewReduceDataOptionsBuilder().Calcs([]string{"lastNotNull"})
}
