// Package chart renders the weekly report as an HTML page, of a person or
// of a team (whose part leaves out what is about its members' own
// meetings: the recurring ones, the people met and the events): one headline
// number against the target and a verdict in plain words; what the page
// covers and how fresh it is; ECharts charts of hours per category per
// week, the design share against its target, the latest week's breakdown
// and the recurring meetings that take the most time; then, in plain HTML
// that needs no script and prints, the table of numbers, how the time went
// (the splits) and the events behind every number, which a click on a
// category, figure, week or bar lists.
//
// The chart options are built with go-echarts, but the page around them is
// this package's own template: go-echarts writes options into its <script>
// with HTML escaping turned off and then strips every "__f__" marker from the
// output, so an event titled "</script><script>…" or "__f__alert(1)__f__"
// would run as code in its pages. Here the options are encoded with
// encoding/json, which writes <, >, &, U+2028 and U+2029 as \u escapes, so
// no title can end the script element or the string it sits in.
package chart

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"

	"github.com/weekmap/weekmap/report"
)

// Options says how Render builds the page.
type Options struct {
	// Inline puts the ECharts script into the page (one self-contained file
	// that works offline from disk). Otherwise the page loads it from
	// AssetsPath (served by weekmap itself, e.g. "/assets/").
	Inline bool
	// AssetsPath is the URL path the ECharts script is served under when
	// not Inline; "" means "/assets/", where assets.Handler serves it.
	AssetsPath string
	// Person names the person to show; "" means the report's first, or
	// with AllPeople every one.
	Person string
	// Team names the team to show instead of a person.
	Team string
	// AllPeople shows every person and team of the report in one page,
	// one after the other, each with in-page links to the others (the
	// self-contained file, which has no server to ask for another).
	AllPeople bool
	// Weeks is the week range being shown. When it is positive and smaller
	// than the person's weeks, only the last Weeks weeks are charted; the
	// week-range selector marks it as the current choice.
	Weeks int
	// People are the names of everyone reported and Teams of every team.
	// A person selector is shown when there are two or more people, or a
	// person and a team, and Link is set; a team selector likewise with
	// TeamLink.
	People []string
	Teams  []string
	// WeekChoices are the week ranges offered (e.g. 4, 8, 12, 26). A
	// week-range selector is shown when there are two or more and Link is
	// set.
	WeekChoices []int
	// Link returns the href of the page for a person and week range, e.g.
	// "/?person=me&weeks=12". Nil means no selectors, as in the
	// self-contained file, which has no server to follow links to. weeks is
	// Options.Weeks for the person links, so 0 means the default range.
	Link func(person string, weeks int) string
	// TeamLink is Link for a team's page, e.g. "/?team=payments&weeks=12".
	TeamLink func(team string, weeks int) string
}

// defaultAssetsPath matches where weekmap's server mounts assets.Handler.
const defaultAssetsPath = "/assets/"

// maxMeetings caps the meeting chart so that it stays readable on a phone.
const maxMeetings = 10

// Render writes the chart page for one person or team of r, or with
// Options.AllPeople for each, to w. Nothing is written if it fails.
func Render(w io.Writer, r report.Report, opt Options) error {
	var shown []subject
	switch {
	case opt.Team != "":
		t, err := pickTeam(r, opt.Team)
		if err != nil {
			return err
		}
		shown = []subject{{team: &t}}
	case opt.AllPeople && opt.Person == "" && len(r.People)+len(r.Teams) > 0:
		for i := range r.People {
			shown = append(shown, subject{person: &r.People[i]})
		}
		for i := range r.Teams {
			shown = append(shown, subject{team: &r.Teams[i]})
		}
	case opt.Person == "" && len(r.People) == 0 && len(r.Teams) > 0:
		// Person pages are off: the first team.
		shown = []subject{{team: &r.Teams[0]}}
	default:
		cal, err := pickPerson(r, opt.Person)
		if err != nil {
			return err
		}
		shown = []subject{{person: &cal}}
	}
	page, err := buildPage(r, shown, opt)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := pageTemplate.Execute(&buf, page); err != nil {
		return fmt.Errorf("render chart page: %w", err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write chart page: %w", err)
	}
	return nil
}

// subject is what a part of the page shows: a person or a team.
type subject struct {
	person *report.PersonReport
	team   *report.TeamReport
}

// name is the person's or team's name.
func (s subject) name() string {
	if s.team != nil {
		return s.team.Name
	}
	return s.person.Name
}

// ErrNoPerson and ErrNoTeam are returned, wrapped, when Options.Person or
// Options.Team names no person or team of the report; a server can answer
// 404 for them.
var (
	ErrNoPerson = errors.New("no such person in the report")
	ErrNoTeam   = errors.New("no such team in the report")
)

// pickPerson returns the person to show. A report without people yields
// an empty one, so that the page can say so.
func pickPerson(r report.Report, name string) (report.PersonReport, error) {
	if name == "" {
		if len(r.People) == 0 {
			return report.PersonReport{}, nil
		}
		return r.People[0], nil
	}
	for _, c := range r.People {
		if c.Name == name {
			return c, nil
		}
	}
	return report.PersonReport{}, fmt.Errorf("person %q: %w", name, ErrNoPerson)
}

func pickTeam(r report.Report, name string) (report.TeamReport, error) {
	for _, t := range r.Teams {
		if t.Name == name {
			return t, nil
		}
	}
	return report.TeamReport{}, fmt.Errorf("team %q: %w", name, ErrNoTeam)
}

// categoriesOf returns the report's categories followed by any other
// category the person's weeks have time in, sorted, so that no counted
// time goes missing from the charts if the two disagree.
func categoriesOf(r report.Report, cal report.PersonReport) []string {
	out := slices.Clone(r.Categories)
	var extra []string
	for _, w := range cal.Weeks {
		for name := range w.Seconds {
			if !slices.Contains(out, name) && !slices.Contains(extra, name) {
				extra = append(extra, name)
			}
		}
	}
	slices.Sort(extra)
	return append(out, extra...)
}
