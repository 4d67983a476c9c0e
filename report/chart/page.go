package chart

import (
	"bytes"
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/weekmap/weekmap/report"
	"github.com/weekmap/weekmap/report/assets"
)

// page is what pageTemplate renders: one part per person shown.
type page struct {
	Title     string
	ScriptSrc string      // when the script is loaded from weekmap's server
	InlineJS  template.JS // when it is part of the page
	Parts     []part
}

// part is one person's heading, verdict, selectors and charts.
type part struct {
	Anchor    string // element id, when the page shows several people
	Person    string
	Headline  []string
	Selectors []selector
	Sections  []section
}

// section is one chart under its heading, or a note in place of a chart
// that has nothing to show.
type section struct {
	ID      string
	Heading string
	Note    string
	Option  template.JS
	Height  int // CSS pixels
}

func buildPage(r report.Report, cals []report.PersonReport, opt Options) (page, error) {
	var p page
	if opt.Inline {
		js, err := inlineScript(assets.EChartsJS())
		if err != nil {
			return page{}, err
		}
		p.InlineJS = js
	} else {
		base := opt.AssetsPath
		if base == "" {
			base = defaultAssetsPath
		}
		p.ScriptSrc = strings.TrimSuffix(base, "/") + "/" + assets.EChartsPath
	}
	if len(cals) == 1 {
		pt, err := buildPart(r, cals[0], opt, "", selectors(cals[0], opt))
		if err != nil {
			return page{}, err
		}
		p.Title = pt.Person
		p.Parts = []part{pt}
		return p, nil
	}
	// Several people in one page (the self-contained file): each gets
	// an anchor, and a selector of in-page links to the others.
	for i, cal := range cals {
		jump := selector{Label: "Person"}
		for j, other := range cals {
			jump.Choices = append(jump.Choices, choice{Text: displayText(other.Name), Href: "#" + anchor(j), Current: currentIf(i == j, "location")})
		}
		pt, err := buildPart(r, cal, opt, "-"+strconv.Itoa(i+1), []selector{jump})
		if err != nil {
			return page{}, err
		}
		pt.Anchor = anchor(i)
		p.Parts = append(p.Parts, pt)
	}
	return p, nil
}

// anchor is the element id of the i-th person of a page of several.
func anchor(i int) string { return "person-" + strconv.Itoa(i+1) }

// buildPart builds one person's part; suffix makes its chart ids unique
// in a page of several people.
func buildPart(r report.Report, cal report.PersonReport, opt Options, suffix string, sel []selector) (part, error) {
	p := part{
		Person:    displayText(cal.Name),
		Headline:  headline(r, cal.Weeks, opt.Weeks),
		Selectors: sel,
	}
	if opt.Weeks > 0 && opt.Weeks < len(cal.Weeks) {
		cal.Weeks = cal.Weeks[len(cal.Weeks)-opt.Weeks:]
	}
	if len(cal.Weeks) == 0 {
		return p, nil
	}

	categories := categoriesOf(r, cal)
	colour := colours(categories)
	shareLabel := strings.Join(r.Target.Categories, "/") + " share"
	last := cal.Weeks[len(cal.Weeks)-1]

	type entry struct {
		id, heading string
		chart       optioner
		height      int
		note        string
	}
	entries := []entry{
		{id: "hours", heading: "Hours per category, per week", chart: weeklyHours(cal, categories, colour), height: 380},
		{id: "share", heading: "Share of " + strings.Join(r.Target.Categories, ", ") + " per week", chart: designShare(cal, r.Target, shareLabel), height: 320},
		{id: "breakdown", heading: "Breakdown of " + last.Week, chart: weekBreakdown(last, categories, colour), height: 360},
	}
	if last.TotalSeconds == 0 && sum(last.Seconds) == 0 {
		entries[2] = entry{id: "breakdown", heading: "Breakdown of " + last.Week, note: "No counted time in this week."}
	}
	if len(cal.TopMeetings) > 0 {
		n := min(len(cal.TopMeetings), maxMeetings)
		entries = append(entries, entry{id: "meetings", heading: "Recurring meetings by time", chart: topMeetings(cal.TopMeetings, colour), height: 80 + 36*n})
	} else {
		entries = append(entries, entry{id: "meetings", heading: "Recurring meetings by time", note: "No recurring meetings in these weeks."})
	}

	for _, e := range entries {
		s := section{ID: "chart-" + e.id + suffix, Heading: e.heading, Note: e.note, Height: e.height}
		if e.chart != nil {
			js, err := encodeOption(e.chart)
			if err != nil {
				return part{}, fmt.Errorf("chart %s: %w", e.id, err)
			}
			s.Option = js
		}
		p.Sections = append(p.Sections, s)
	}
	return p, nil
}

func sum(s report.Seconds) int64 {
	var total int64
	for _, v := range s {
		total += v
	}
	return total
}

// inlineScript vets script text for a <script> element. HTML ends the
// element at the first "</script" in any letter case, and "<!--" can switch
// the parser into a state where it does not end where expected; neither is
// in the ECharts build, and this keeps a future upgrade from slipping one in.
func inlineScript(js []byte) (template.JS, error) {
	lower := bytes.ToLower(js)
	for _, bad := range []string{"</script", "<!--"} {
		if i := bytes.Index(lower, []byte(bad)); i >= 0 {
			return "", fmt.Errorf("inline echarts script: %q at byte %d would break the page", bad, i)
		}
	}
	return template.JS(js), nil
}

// displayText readies attacker-controlled text for HTML text nodes:
// html/template escapes markup, but leaves U+2028 and U+2029, which mean
// nothing in a heading and are better not handed to anything downstream
// that treats them as JavaScript line ends.
func displayText(s string) string {
	return strings.NewReplacer("\u2028", " ", "\u2029", " ").Replace(s)
}

// pageTemplate is the page around the charts. The options and the chart
// ids reach the script through html/template's JavaScript context; options
// are template.JS because encodeOption already made them safe there.
var pageTemplate = template.Must(template.New("page").Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>weekmap{{with .Title}} · {{.}}{{end}}</title>
<style>
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0 auto; max-width: 960px; padding: 12px; color: #222; }
h1 { font-size: 1.3rem; margin: 0.2rem 0; }
h2 { font-size: 1.05rem; margin: 1.4rem 0 0.4rem; }
.headline p { margin: 0.2rem 0; font-size: 1.05rem; }
.headline p:first-child { font-weight: 600; }
h1, .headline p { overflow-wrap: anywhere; }
.chart { width: 100%; }
nav.selector { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin: 0.5rem 0; }
nav.selector span { color: #666; margin-right: 2px; }
nav.selector a { display: inline-block; padding: 6px 10px; border: 1px solid #c8c8c8; border-radius: 6px; color: #245; text-decoration: none; overflow-wrap: anywhere; max-width: 100%; box-sizing: border-box; }
nav.selector a[aria-current] { background: #4e79a7; border-color: #4e79a7; color: #fff; font-weight: 600; }
article + article { border-top: 2px solid #ddd; margin-top: 2rem; padding-top: 1rem; }
.note { color: #666; }
</style>
{{- if .ScriptSrc}}
<script src="{{.ScriptSrc}}"></script>
{{- end}}
{{- if .InlineJS}}
<script>{{.InlineJS}}</script>
{{- end}}
</head>
<body>
{{- range .Parts}}
<article{{with .Anchor}} id="{{.}}"{{end}}>
<h1>weekmap{{with .Person}} · {{.}}{{end}}</h1>
<div class="headline">
{{- range .Headline}}
<p>{{.}}</p>
{{- end}}
</div>
{{- range .Selectors}}
<nav class="selector" aria-label="{{.Label}}">
<span>{{.Label}}:</span>
{{- range .Choices}}
<a href="{{.Href}}"{{with .Current}} aria-current="{{.}}"{{end}}>{{.Text}}</a>
{{- end}}
</nav>
{{- end}}
{{- range .Sections}}
<section>
<h2>{{.Heading}}</h2>
{{- if .Note}}
<p class="note">{{.Note}}</p>
{{- else}}
<div class="chart" id="{{.ID}}" style="height: {{.Height}}px"></div>
{{- end}}
</section>
{{- end}}
</article>
{{- end}}
<script>
"use strict";
(function () {
  var charts = [];
  function show(id, option) {
    var chart = echarts.init(document.getElementById(id));
    chart.setOption(option);
    charts.push(chart);
  }
{{- range .Parts}}{{range .Sections}}{{if not .Note}}
  show({{.ID}}, {{.Option}});
{{- end}}{{end}}{{end}}
  window.addEventListener("resize", function () {
    charts.forEach(function (c) { c.resize(); });
  });
})();
</script>
</body>
</html>
`))
