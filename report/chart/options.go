package chart

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"math"

	"github.com/go-echarts/go-echarts/v2/charts"
	"github.com/go-echarts/go-echarts/v2/opts"

	"github.com/weekmap/weekmap/report"
)

// optioner is what every go-echarts chart offers: Validate fills in the
// derived fields (axis data) and JSON returns the ECharts option object.
type optioner interface {
	Validate()
	JSON() map[string]interface{}
}

// encodeOption turns a chart into the ECharts option literal for the page.
// json.Marshal escapes <, >, & and U+2028/U+2029, which is what makes the
// result safe to place inside a <script> element as a JavaScript
// expression; go-echarts' own JSONNotEscaped turns that off. patch, if
// set, adds the settings go-echarts has no field for.
func encodeOption(c optioner, patch func(map[string]any)) (template.JS, error) {
	c.Validate()
	b, err := json.Marshal(c.JSON())
	if err != nil {
		return "", fmt.Errorf("encode chart options: %w", err)
	}
	if patch != nil {
		// Patched as plain JSON values, whatever types go-echarts uses.
		var opt map[string]any
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		if err := dec.Decode(&opt); err != nil {
			return "", fmt.Errorf("encode chart options: %w", err)
		}
		patch(opt)
		if b, err = json.Marshal(opt); err != nil {
			return "", fmt.Errorf("encode chart options: %w", err)
		}
	}
	return template.JS(b), nil
}

// common are the settings every chart shares: no title inside the canvas
// (the page has headings, with the unit and period), no legend of its own
// (the page has one legend for every chart, in HTML, which wraps on a
// phone where ECharts' own would page "1/2" or cut names), and labels that
// stay inside the canvas.
func common() []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithAnimation(false),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false), Type: "plain"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "24", Top: "36", Bottom: "8", ContainLabel: opts.Bool(true)}),
	}
}

// nameRight starts the y axis's name at the axis and runs it right, into
// the chart, rather than centring it on the axis, which cuts a long name
// at the canvas's left edge.
func nameRight(opt map[string]any) {
	opt["yAxis"].([]any)[0].(map[string]any)["nameTextStyle"] = map[string]any{"align": "left"}
}

// weeklyHours is the stacked bar of hours per category per week, in the
// figures the table prints (see report.Rounded), so that a bar's tooltip
// and the table agree. A week without data (or a team's suppressed week)
// is a gap, as in the share chart.
func weeklyHours(r report.Report, cal report.PersonReport, categories []string, colour map[string]string) *charts.Bar {
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(common(),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithYAxisOpts(opts.YAxis{Name: "hours", Type: "value"}),
	)...)
	weeks := make([]string, len(cal.Weeks))
	rounded := make([]report.Rounded, len(cal.Weeks))
	for i, w := range cal.Weeks {
		weeks[i] = w.Week
		rounded[i] = r.RoundWeek(w)
	}
	bar.SetXAxis(weeks)
	for _, name := range categories {
		data := make([]opts.BarData, len(cal.Weeks))
		for i, w := range cal.Weeks {
			data[i] = opts.BarData{Value: float64(rounded[i].Categories[name]) / 10}
			if w.NoData {
				data[i] = opts.BarData{Value: "-"} // a gap: not an answer, so not a zero
			}
		}
		bar.AddSeries(name, data,
			charts.WithBarChartOpts(opts.BarChart{Stack: "hours"}),
			charts.WithItemStyleOpts(opts.ItemStyle{Color: colour[name]}),
		)
	}
	return bar
}

// designShare is the design share per week in percent, with the target as
// a horizontal mark line and the weeks below it drawn in the target's
// colour. Weeks without work time are gaps ("-" is ECharts' missing
// value), not zeros.
func designShare(cal report.PersonReport, target report.TargetSummary, label string) *charts.Line {
	line := charts.NewLine()
	goal := roundTenth(target.MinShare * 100)
	global := append(common(),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithYAxisOpts(opts.YAxis{Name: "% of work time", Type: "value", Min: 0}),
	)
	// A piecewise visual map colours points, and the line into them, by
	// value: below the target in its colour, the rest as usual. The pieces
	// are bounded because ECharts cannot build the line's gradient from
	// open-ended ones (it throws on "coord"). With a target of 0 no week
	// can be below it, and go-echarts would drop the zero bound, so there
	// is nothing to map.
	if goal > 0 {
		global = append(global, charts.WithVisualMapOpts(opts.VisualMap{
			Type: "piecewise",
			Show: opts.Bool(false),
			Pieces: []opts.Piece{
				{Gt: -1, Lt: float32(goal), Color: belowColour},
				{Gte: float32(goal), Lte: 100, Color: shareColour},
			},
		}))
	}
	line.SetGlobalOptions(global...)
	weeks := make([]string, len(cal.Weeks))
	data := make([]opts.LineData, len(cal.Weeks))
	for i, w := range cal.Weeks {
		weeks[i] = w.Week
		data[i] = opts.LineData{Value: "-"}
		if w.DesignShare != nil {
			data[i] = opts.LineData{Value: sharePoint(*w.DesignShare, target.MinShare)}
		}
	}
	line.SetXAxis(weeks)
	line.AddSeries(label, data,
		charts.WithLineChartOpts(opts.LineChart{ShowSymbol: opts.Bool(true)}),
		charts.WithItemStyleOpts(opts.ItemStyle{Color: shareColour}),
		charts.WithMarkLineNameYAxisItemOpts(opts.MarkLineNameYAxisItem{
			Name:  "target",
			YAxis: goal,
		}),
		charts.WithMarkLineStyleOpts(opts.MarkLineStyle{
			Symbol:    []string{"none", "none"},
			Label:     &opts.Label{Show: opts.Bool(true), Position: "insideEndTop", Formatter: "target {c}%"},
			LineStyle: &opts.LineStyle{Color: targetColour, Type: "dashed", Width: 2},
		}),
	)
	return line
}

// weekBreakdown is one week's hours per category as a ring, each label
// naming the category, its hours and its share of the week. Categories
// with no time are left out so that the labels do not pile up at zero. The
// page's script sizes the ring to leave the labels room on a phone.
func weekBreakdown(r report.Report, w report.WeekReport, categories []string, colour map[string]string) (*charts.Pie, func(map[string]any)) {
	pie := charts.NewPie()
	pie.SetGlobalOptions(append(common(),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item", Formatter: "{b}: {c} h ({d}%)"}),
	)...)
	h := r.RoundWeek(w)
	var data []opts.PieData
	var tenths []int64
	for _, name := range categories {
		if h.Categories[name] == 0 {
			continue
		}
		tenths = append(tenths, h.Categories[name])
		data = append(data, opts.PieData{
			Name:      name,
			Value:     float64(h.Categories[name]) / 10,
			ItemStyle: &opts.ItemStyle{Color: colour[name]},
		})
	}
	pie.AddSeries("hours "+w.Week, data,
		charts.WithPieChartOpts(opts.PieChart{Radius: []string{"35%", "62%"}, Center: []string{"50%", "50%"}}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "{b}\n{c} h · {d}%"}),
	)
	patch := func(opt map[string]any) {
		s := opt["series"].([]any)[0].(map[string]any)
		// Whole percents: two decimals read as precision the hours do not
		// have.
		s["percentPrecision"] = 0
		label := s["label"].(map[string]any)
		label["lineHeight"], label["overflow"] = 15, "none"
		s["labelLine"] = map[string]any{"length": 8, "length2": 6}
		// Hours as the table prints them ("31.0 h", where {c} says "31").
		for i, d := range s["data"].([]any) {
			d.(map[string]any)["label"] = map[string]any{"formatter": "{b}\n" + report.FormatTenths(tenths[i]) + " h · {d}%"}
		}
	}
	return pie, patch
}

// topMeetings is a horizontal bar of the recurring meetings that took the
// most time, largest on top, each bar in its category's colour and
// labelled with its hours. Titles are attacker-controlled; they only reach
// the page through encodeOption. They wrap rather than being cut: the
// page's script sets the labels' width and the chart's height to fit them.
// A redacted report's meetings are named by category and rank.
func topMeetings(r report.Report, meetings []report.Meeting, colour map[string]string) (*charts.Bar, func(map[string]any)) {
	if len(meetings) > maxMeetings {
		meetings = meetings[:maxMeetings]
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(common(),
		// ECharts' own tooltip, whose HTML escapes the title; a template
		// of ours would put the title in unescaped.
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithXAxisOpts(opts.XAxis{Name: "hours", Type: "value"}),
		charts.WithYAxisOpts(opts.YAxis{Type: "category", Inverse: opts.Bool(true)}),
	)...)
	titles := make([]string, len(meetings))
	data := make([]opts.BarData, len(meetings))
	for i, m := range meetings {
		titles[i] = m.Title
		if r.Redacted {
			titles[i] = fmt.Sprintf("%s meeting %d", capitalize(m.Category), i+1)
		}
		data[i] = opts.BarData{
			Name:      titles[i],
			Value:     float64(report.Tenths(m.Seconds)) / 10,
			ItemStyle: &opts.ItemStyle{Color: colour[m.Category]},
		}
	}
	bar.SetXAxis(titles)
	bar.XYReversal()
	bar.AddSeries("hours", data, charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Position: "right"}))
	patch := func(opt map[string]any) {
		// Room on the right for the longest bar's label, and below for
		// the axis name.
		opt["grid"] = []any{map[string]any{"left": 8, "right": 56, "top": 8, "bottom": 28, "containLabel": true}}
		x := opt["xAxis"].([]any)[0].(map[string]any)
		x["nameLocation"], x["nameGap"] = "middle", 24
		y := opt["yAxis"].([]any)[0].(map[string]any)
		y["axisLabel"] = map[string]any{"width": 160, "overflow": "break", "lineHeight": 14, "interval": 0}
		for i, d := range opt["series"].([]any)[0].(map[string]any)["data"].([]any) {
			d.(map[string]any)["label"] = map[string]any{"formatter": report.FormatTenths(report.Tenths(meetings[i].Seconds)) + " h"}
		}
	}
	return bar, patch
}

// sharePoint is a week's share in percent as the chart plots it: to a
// tenth, rounded down where rounding would lift a week below the target
// onto it, so that the point is coloured as below and agrees with the
// headline.
func sharePoint(share, minShare float64) float64 {
	v := roundTenth(share * 100)
	if share < minShare && v >= roundTenth(minShare*100) {
		return math.Floor(share*1000) / 10
	}
	return v
}

func roundTenth(v float64) float64 {
	return float64(int64(v*10+0.5)) / 10
}
