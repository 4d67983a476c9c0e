package chart

import (
	"bytes"
	"encoding/json"
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
	ScriptSrc string      // when ECharts is loaded from weekmap's server
	InlineJS  template.JS // when it is part of the page
	PageSrc   string      // when the page's own script is loaded from weekmap's server
	// Charts are the ids and ECharts options of the page's charts, as JSON
	// (which json.Marshal made safe in a script element).
	Charts template.JS
	Parts  []part
}

// part is one person's heading, headline, facts, selectors, charts, table,
// splits and events.
type part struct {
	Anchor    string // element id, when the page shows several people
	Person    string
	Hero      *hero
	Headline  []string
	Facts     []fact
	Selectors []selector
	Legend    []legendLink
	Sections  []section
	Table     *numbers
	Splits    *splitsView
	Events    *eventsView
}

// legendLink is a category of the page's legend: a link to its events.
type legendLink struct{ Name, Colour, Href string }

// section is one chart under its heading and a line saying its unit and
// period, or a note in place of a chart that has nothing to show.
type section struct {
	ID      string
	Heading string
	Sub     string
	Note    string
	Option  template.JS
	Height  int    // CSS pixels
	Week    string // the week a one-week chart shows, for its clicks
}

func buildPage(r report.Report, shown []subject, opt Options) (page, error) {
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
		p.ScriptSrc = strings.TrimSuffix(base, "/") + "/" + assets.Versioned(assets.EChartsPath)
		p.PageSrc = strings.TrimSuffix(base, "/") + "/" + assets.Versioned(assets.PagePath)
	}
	if len(shown) == 1 {
		pt, err := buildSubject(r, shown[0], opt, "", selectors(shown[0], opt))
		if err != nil {
			return page{}, err
		}
		p.Title = pt.Person
		p.Parts = []part{pt}
		return withCharts(p)
	}
	// Several people (and teams) in one page (the self-contained file):
	// each gets an anchor, and a selector of in-page links to the others.
	label := "Person"
	if len(r.Teams) > 0 {
		label = "Person or team"
	}
	for i, s := range shown {
		jump := selector{Label: label}
		for j, other := range shown {
			jump.Choices = append(jump.Choices, choice{Text: heading(other), Href: "#" + anchor(other, j), Current: currentIf(i == j, "location")})
		}
		pt, err := buildSubject(r, s, opt, "-"+strconv.Itoa(i+1), []selector{jump})
		if err != nil {
			return page{}, err
		}
		pt.Anchor = anchor(s, i)
		p.Parts = append(p.Parts, pt)
	}
	return withCharts(p)
}

// withCharts sets the page's chart data: every section's id and option,
// in page order.
func withCharts(p page) (page, error) {
	type chartData struct {
		ID     string          `json:"id"`
		Option json.RawMessage `json:"option"`
	}
	charts := []chartData{}
	for _, pt := range p.Parts {
		for _, s := range pt.Sections {
			if s.Note == "" {
				charts = append(charts, chartData{s.ID, json.RawMessage(s.Option)})
			}
		}
	}
	// json.Marshal escapes <, >, & and U+2028/U+2029 again, so nothing in
	// the data can end its script element.
	b, err := json.Marshal(charts)
	if err != nil {
		return page{}, fmt.Errorf("encode chart data: %w", err)
	}
	p.Charts = template.JS(b)
	return p, nil
}

// anchor is the element id of the i-th part of a page of several.
func anchor(s subject, i int) string {
	if s.team != nil {
		return "team-" + strconv.Itoa(i+1)
	}
	return "person-" + strconv.Itoa(i+1)
}

// heading is how the page names a subject: the person's name, or "team"
// and the team's.
func heading(s subject) string {
	if s.team != nil {
		return "team " + displayText(s.team.Name)
	}
	return displayText(s.person.Name)
}

func buildSubject(r report.Report, s subject, opt Options, suffix string, sel []selector) (part, error) {
	if s.team != nil {
		return buildTeamPart(r, *s.team, opt, suffix, sel)
	}
	return buildPart(r, *s.person, opt, suffix, sel)
}

// buildPart builds one person's part; suffix makes its element ids unique
// in a page of several people.
func buildPart(r report.Report, cal report.PersonReport, opt Options, suffix string, sel []selector) (part, error) {
	p := part{
		Person:    displayText(cal.Name),
		Headline:  headline(r, cal.Weeks, opt.Weeks),
		Selectors: sel,
	}
	shown := cal.Weeks
	if opt.Weeks > 0 && opt.Weeks < len(shown) {
		shown = shown[len(shown)-opt.Weeks:]
	}
	loc := locationOf(r)
	p.Facts = facts(r, cal, shown, loc)
	if len(shown) == 0 {
		return p, nil
	}
	sum := summaryOf(r, cal, shown)
	categories := categoriesOf(r, cal)
	colour := colours(categories)
	p.Hero = heroOf(r, sum, len(shown))
	for _, c := range categories {
		p.Legend = append(p.Legend, legendLink{Name: c, Colour: colour[c], Href: "#events" + suffix})
	}
	p.Table = numbersOf(r, shown, sum, categories, colour, suffix)
	p.Splits = splitsOf(r, cal, shown, sum)
	p.Events = eventsOf(r, shown, colour, suffix)

	last := shown[len(shown)-1]
	target := joinAnd(r.Target.Categories)
	shownCal := cal
	shownCal.Weeks = shown
	entries := []chartEntry{
		{id: "hours", heading: "Hours per category, per week", sub: "hours · " + period(shown),
			chart: weeklyHours(r, shownCal, categories, colour), patch: nameRight, height: 380},
		{id: "share", heading: "Share of " + target + " per week", sub: fmt.Sprintf("%% of work time · target %s · %s", percent(r.Target.MinShare, r.Target.MinShare), period(shown)),
			chart: designShare(shownCal, r.Target, strings.Join(r.Target.Categories, "/")+" share"), patch: nameRight, height: 320},
	}
	breakdown := chartEntry{id: "breakdown", heading: "Breakdown of " + last.Week, sub: "hours and % of the week's work time · " + period(shown[len(shown)-1:]), week: last.Week}
	if last.TotalSeconds == 0 && sum0(last.Seconds) == 0 {
		breakdown.note = "No counted time in this week."
	} else {
		breakdown.chart, breakdown.patch = weekBreakdown(r, last, categories, colour)
		breakdown.height = 360
	}
	meetings := chartEntry{id: "meetings", heading: "Recurring meetings by time", sub: "hours over " + period(cal.Weeks)}
	if len(cal.TopMeetings) > 0 {
		n := min(len(cal.TopMeetings), maxMeetings)
		meetings.chart, meetings.patch = topMeetings(r, cal.TopMeetings, colour)
		meetings.height = 60 + 36*n
	} else {
		meetings.note = "No recurring meetings in these weeks."
	}
	entries = append(entries, breakdown, meetings)

	var err error
	p.Sections, err = encodeSections(entries, suffix)
	return p, err
}

// chartEntry is a chart of a page, or the note that stands in its place,
// before its options are encoded.
type chartEntry struct {
	id, heading, sub string
	chart            optioner
	patch            func(map[string]any)
	height           int
	note, week       string
}

// encodeSections encodes the charts of entries into the page's sections;
// suffix makes their element ids unique in a page of several parts.
func encodeSections(entries []chartEntry, suffix string) ([]section, error) {
	var out []section
	for _, e := range entries {
		s := section{ID: "chart-" + e.id + suffix, Heading: e.heading, Sub: e.sub, Note: e.note, Height: e.height, Week: e.week}
		if e.chart != nil {
			js, err := encodeOption(e.chart, e.patch)
			if err != nil {
				return nil, fmt.Errorf("chart %s: %w", e.id, err)
			}
			s.Option = js
		}
		out = append(out, s)
	}
	return out, nil
}

// summaryOf totals the weeks shown of a person, as report.Summarize totals
// a report's.
func summaryOf(r report.Report, cal report.PersonReport, shown []report.WeekReport) report.Summary {
	sub := r
	sub.People = []report.PersonReport{{Name: cal.Name, Weeks: shown}}
	_ = sub.Summarize(report.PeriodWeek) // a known period: no error
	return *sub.People[0].Summary
}

func sum0(s report.Seconds) int64 {
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
