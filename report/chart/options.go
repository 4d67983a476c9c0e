package chart

import (
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
// expression; go-echarts' own JSONNotEscaped turns that off.
func encodeOption(c optioner) (template.JS, error) {
	c.Validate()
	b, err := json.Marshal(c.JSON())
	if err != nil {
		return "", fmt.Errorf("encode chart options: %w", err)
	}
	return template.JS(b), nil
}

// common are the settings every chart shares: no title inside the canvas
// (the page has headings), a legend that wraps on narrow screens, and
// labels that stay inside the canvas.
func common() []charts.GlobalOpts {
	return []charts.GlobalOpts{
		charts.WithAnimation(false),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(true), Type: "scroll", Top: "0"}),
		charts.WithGridOpts(opts.Grid{Left: "8", Right: "16", Top: "64", Bottom: "8", ContainLabel: opts.Bool(true)}),
	}
}

// weeklyHours is the stacked bar of hours per category per week.
func weeklyHours(cal report.PersonReport, categories []string, colour map[string]string) *charts.Bar {
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(common(),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "axis"}),
		charts.WithYAxisOpts(opts.YAxis{Name: "hours", Type: "value"}),
	)...)
	weeks := make([]string, len(cal.Weeks))
	for i, w := range cal.Weeks {
		weeks[i] = w.Week
	}
	bar.SetXAxis(weeks)
	for _, name := range categories {
		data := make([]opts.BarData, len(cal.Weeks))
		for i, w := range cal.Weeks {
			data[i] = opts.BarData{Value: hours(w.Seconds[name])}
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
		charts.WithYAxisOpts(opts.YAxis{Name: "%", Type: "value", Min: 0}),
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
				{Gt: -1, Lt: float32(goal), Color: targetColour},
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

// weekBreakdown is one week's hours per category as a ring. Categories with
// no time are left out so that the labels do not pile up at zero.
func weekBreakdown(w report.WeekReport, categories []string, colour map[string]string) *charts.Pie {
	pie := charts.NewPie()
	pie.SetGlobalOptions(append(common(),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
	)...)
	var data []opts.PieData
	for _, name := range categories {
		if w.Seconds[name] == 0 {
			continue
		}
		data = append(data, opts.PieData{
			Name:      name,
			Value:     hours(w.Seconds[name]),
			ItemStyle: &opts.ItemStyle{Color: colour[name]},
		})
	}
	pie.AddSeries("hours "+w.Week, data,
		charts.WithPieChartOpts(opts.PieChart{Radius: []string{"35%", "65%"}, Center: []string{"50%", "55%"}}),
		charts.WithLabelOpts(opts.Label{Show: opts.Bool(true), Formatter: "{b} {d}%"}),
	)
	return pie
}

// topMeetings is a horizontal bar of the recurring meetings that took the
// most time, largest on top, each bar in its category's colour. Titles are
// attacker-controlled; they only reach the page through encodeOption.
func topMeetings(meetings []report.Meeting, colour map[string]string) *charts.Bar {
	if len(meetings) > maxMeetings {
		meetings = meetings[:maxMeetings]
	}
	bar := charts.NewBar()
	bar.SetGlobalOptions(append(common(),
		charts.WithLegendOpts(opts.Legend{Show: opts.Bool(false)}),
		charts.WithTooltipOpts(opts.Tooltip{Show: opts.Bool(true), Trigger: "item"}),
		charts.WithXAxisOpts(opts.XAxis{Name: "hours", Type: "value"}),
		charts.WithYAxisOpts(opts.YAxis{
			Type:    "category",
			Inverse: opts.Bool(true),
			// Long titles are cut rather than squeezing the bars off a
			// phone screen; the tooltip shows the whole title.
			AxisLabel: &opts.AxisLabel{Width: 160, Overflow: "truncate"},
		}),
	)...)
	titles := make([]string, len(meetings))
	data := make([]opts.BarData, len(meetings))
	for i, m := range meetings {
		titles[i] = m.Title
		data[i] = opts.BarData{
			Name:      m.Title,
			Value:     hours(m.Seconds),
			ItemStyle: &opts.ItemStyle{Color: colour[m.Category]},
		}
	}
	bar.SetXAxis(titles)
	bar.XYReversal()
	bar.AddSeries("hours", data)
	return bar
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
