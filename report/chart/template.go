package chart

import (
	_ "embed"
	"fmt"
	"html/template"

	"github.com/weekmap/weekmap/report/assets"
)

// The page's own style, kept in a file of its own so that it reads as CSS.
// Its script is assets.PageJS, served from weekmap's origin.
//
//go:embed page.css
var pageCSS string

// pageScript is the page's script, vetted like the ECharts script, for
// pages that carry their scripts inline.
var pageScript = func() template.JS {
	js, err := inlineScript(assets.PageJS())
	if err != nil {
		panic(fmt.Sprintf("page.js: %v", err))
	}
	return js
}()

// pageTemplate is the page around the charts. The options and the chart
// ids reach the script through html/template's JavaScript context; options
// are template.JS because encodeOption already made them safe there.
// Everything else a calendar sent (titles, names, addresses) is in text
// nodes and attributes, escaped by html/template.
var pageTemplate = template.Must(template.New("page").Funcs(template.FuncMap{
	"css":    func() template.CSS { return template.CSS(pageCSS) },
	"script": func() template.JS { return pageScript },
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>weekmap{{with .Title}} · {{.}}{{end}}</title>
<style>
{{css}}</style>
{{- if .ScriptSrc}}
<script src="{{.ScriptSrc}}"></script>
{{- end}}
{{- if .InlineJS}}
<script>{{.InlineJS}}</script>
{{- end}}
</head>
<body>
<noscript><p class="note">The charts need JavaScript; every figure is in the tables below them.</p></noscript>
{{- range .Parts}}
<article{{with .Anchor}} id="{{.}}"{{end}}>
<h1>weekmap{{with .Person}} · {{.}}{{end}}</h1>
{{- with .Hero}}
<div class="hero{{if .Below}} below{{end}}">
<p><strong class="big">{{.Share}}</strong> {{.Text}} <span class="target">({{.Target}}{{if .Below}}: below it{{end}})</span></p>
<div class="gauge" role="img" aria-label="{{.Share}}, {{.Target}}"><span class="fill" style="width: {{.Bar}}%"></span><span class="mark" style="left: {{.Mark}}%"></span></div>
</div>
{{- end}}
<div class="headline">
{{- range .Headline}}
<p>{{.}}</p>
{{- end}}
</div>
<dl class="facts">
{{- range .Facts}}
<div><dt>{{.Label}}</dt><dd>{{.Value}}</dd></div>
{{- end}}
</dl>
{{- range .Selectors}}
<nav class="selector" aria-label="{{.Label}}">
<span>{{.Label}}:</span>
{{- range .Choices}}
<a href="{{.Href}}"{{with .Current}} aria-current="{{.}}"{{end}}>{{.Text}}</a>
{{- end}}
</nav>
{{- end}}
{{- with .Legend}}
<ul class="legend" aria-label="Categories: each lists its events">
{{- range .}}
<li>{{if .Href}}<a class="pick" href="{{.Href}}" data-category="{{.Name}}"><span class="swatch" style="background: {{.Colour}}"></span>{{.Name}}</a>{{else}}<span class="swatch" style="background: {{.Colour}}"></span>{{.Name}}{{end}}</li>
{{- end}}
</ul>
{{- end}}
{{- range .Sections}}
<section>
<h2>{{.Heading}}</h2>
<p class="sub">{{.Sub}}</p>
{{- if .Note}}
<p class="note">{{.Note}}</p>
{{- else}}
<div class="chart" id="{{.ID}}" style="height: {{.Height}}px"{{with .Week}} data-week="{{.}}"{{end}}></div>
{{- end}}
</section>
{{- end}}
{{- with .Table}}
<section>
<h2>The numbers</h2>
<p class="sub">{{.Caption}}; each row's categories add up to its total</p>
<div class="scroll">
<table class="numbers" data-numbers>
<thead><tr><th scope="col">Week</th>
{{- range .Columns}}<th scope="col">{{if .Href}}<a class="pick" href="{{.Href}}" data-category="{{.Name}}"><span class="swatch" style="background: {{.Colour}}"></span>{{.Name}}</a>{{else}}<span class="swatch" style="background: {{.Colour}}"></span>{{.Name}}{{end}}</th>{{end -}}
<th scope="col">Total</th><th scope="col">{{if .OffHref}}<a class="pick" href="{{.OffHref}}" data-category="off">Time off</a>{{else}}Time off{{end}}</th><th scope="col">{{.ShareHeader}}</th>{{if .People}}<th scope="col">People with data</th>{{end}}</tr></thead>
<tbody>
{{- $span := .Span}}{{$gap := .Gap}}{{$people := .People}}
{{- range .Rows}}
<tr data-week="{{.Week}}"{{if .NoData}} class="nodata"{{end}}><th scope="row">{{if .Href}}<a class="pick" href="{{.Href}}" data-week="{{.Week}}">{{.Label}}</a>{{else}}{{.Label}}{{end}}<small>{{.Dates}}{{with .Note}}, {{.}}{{end}}</small></th>
{{- if .NoData}}<td colspan="{{$span}}">{{$gap}}</td>
{{- else}}{{$week := .Week}}{{$href := .Href}}
{{- range .Cells}}<td data-category="{{.Category}}">{{if $href}}<a class="pick" href="{{$href}}" data-week="{{$week}}" data-category="{{.Category}}">{{.Hours}}</a>{{else}}{{.Hours}}{{end}}</td>{{end -}}
<td data-total>{{.Total}}</td><td data-off>{{if $href}}<a class="pick" href="{{$href}}" data-week="{{$week}}" data-category="off">{{.Off}}</a>{{else}}{{.Off}}{{end}}</td><td data-share{{if .Below}} class="below"{{end}}>{{.Share}}{{if .Below}} ▼{{end}}</td>
{{- end}}{{if $people}}<td data-members>{{.Members}}</td>{{end}}</tr>
{{- end}}
</tbody>
{{- with .Foot}}
<tfoot><tr><th scope="row">{{.Label}}{{with .Note}}<small>{{.}}</small>{{end}}</th>
{{- range .Cells}}<td data-category="{{.Category}}">{{.Hours}}</td>{{end -}}
<td data-total>{{.Total}}</td><td data-off>{{.Off}}</td><td data-share{{if .Below}} class="below"{{end}}>{{.Share}}{{if .Below}} ▼{{end}}</td>{{if $people}}<td></td>{{end}}</tr></tfoot>
{{- end}}
</table>
</div>
</section>
{{- end}}
{{- with .Splits}}{{$rank := .RankPeriod}}{{$gap := .Gap}}
<section>
<h2>How the time went</h2>
<p class="sub">hours · {{.Period}}; each group adds up to its total</p>
<div class="groups">
{{- range .Groups}}
<table class="bars">
<caption>{{.Title}}</caption>
<tbody>
{{- range .Rows}}
<tr{{if .Unscheduled}} class="unscheduled"{{end}}><th scope="row">{{.Label}}</th><td class="bar"><span style="width: {{.Width}}%"></span></td><td class="num">{{.Hours}} h</td></tr>
{{- end}}
</tbody>
<tfoot><tr><th scope="row">Total</th><td></td><td class="num">{{.Total}} h</td></tr></tfoot>
</table>
{{- end}}
</div>
<details>
<summary>Per week</summary>
<div class="scroll">
<table class="numbers">
<thead><tr><th scope="col">Week</th><th scope="col">1:1</th><th scope="col">3–8</th><th scope="col">9+</th><th scope="col">alone</th><th scope="col">unscheduled</th><th scope="col">total</th><th scope="col">recurring</th><th scope="col">one-off</th><th scope="col">{{.Focus}} booked</th></tr></thead>
<tbody>
{{- range .Weeks}}
<tr{{if .NoData}} class="nodata"{{end}}><th scope="row">{{.Week}}</th>{{if .NoData}}<td colspan="9">{{$gap}}</td>{{else}}{{range .Hours}}<td>{{.}}</td>{{end}}{{end}}</tr>
{{- end}}
</tbody>
</table>
</div>
</details>
{{- with .People}}
<table class="bars people">
<caption>People met most, in meetings of 2 to 8 · {{$rank}}</caption>
<tbody>
{{- range .}}
<tr><th scope="row">{{.Before}}<wbr>{{.After}}</th><td class="bar"><span style="width: {{.Width}}%"></span></td><td class="num">{{.Hours}} h · {{.Note}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
{{- with .Domains}}
<table class="bars people">
<caption>Domains met most, in meetings of 2 to 8 · {{$rank}}</caption>
<tbody>
{{- range .}}
<tr><th scope="row">{{.Label}}</th><td class="bar"><span style="width: {{.Width}}%"></span></td><td class="num">{{.Hours}} h · {{.Note}}</td></tr>
{{- end}}
</tbody>
</table>
{{- end}}
</section>
{{- end}}
{{- with .Events}}
<section id="{{.ID}}" data-events data-intro="{{.Intro}}" data-omitted="{{.Omitted}}">
<h2>Events behind the numbers</h2>
<p class="filter"><span data-status>{{.Intro}}</span><button type="button" data-show-all hidden>Show every event</button></p>
{{- with .Omitted}}
<p class="note">{{.}}</p>
{{- end}}
{{- range .Weeks}}
<details id="{{.ID}}" data-week="{{.Week}}">
<summary>{{.Summary}}</summary>
<div class="scroll">
<table class="events">
<thead><tr><th scope="col">When</th><th scope="col">Event</th><th scope="col" class="num">Time counted</th><th scope="col">Category</th><th scope="col">Rule</th><th scope="col">Counted</th></tr></thead>
<tbody>
{{- range .Rows}}
<tr data-category="{{.Category}}"{{if .Off}} data-off="true"{{end}}{{with .Series}} data-series="{{.}}"{{end}}{{if not .Counted}} class="muted"{{end}}><td class="when">{{.When}}</td><td class="title{{if .Redacted}} placeholder{{end}}">{{.Title}}</td><td class="num">{{.Hours}}</td><td class="category"><span class="swatch" style="background: {{.Colour}}"></span>{{.Category}}</td><td class="rule">{{.Rule}}</td><td class="status">{{.Status}}</td></tr>
{{- end}}
</tbody>
</table>
</div>
</details>
{{- end}}
</section>
{{- end}}
</article>
{{- end}}
<script type="application/json" id="weekmap-charts">{{.Charts}}</script>
{{- if .PageSrc}}
<script src="{{.PageSrc}}"></script>
{{- else}}
<script>{{script}}</script>
{{- end}}
</body>
</html>
`))
