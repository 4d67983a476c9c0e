// Package chart renders the weekly report as an HTML page: one headline
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
	// AllPeople shows every person of the report in one page, one after
	// the other, each with in-page links to the others (the self-contained
	// file, which has no server to ask for another).
	AllPeople bool
	// Weeks is the week range being shown. When it is positive and smaller
	// than the person's weeks, only the last Weeks weeks are charted; the
	// week-range selector marks it as the current choice.
	Weeks int
	// People are the names of everyone reported. A person selector is
	// shown when there are two or more and Link is set.
	People []string
	// WeekChoices are the week ranges offered (e.g. 4, 8, 12, 26). A
	// week-range selector is shown when there are two or more and Link is
	// set.
	WeekChoices []int
	// Link returns the href of the page for a person and week range, e.g.
	// "/?person=me&weeks=12". Nil means no selectors, as in the
	// self-contained file, which has no server to follow links to. weeks is
	// Options.Weeks for the person links, so 0 means the default range.
	Link func(person string, weeks int) string
}

// defaultAssetsPath matches where weekmap's server mounts assets.Handler.
const defaultAssetsPath = "/assets/"

// maxMeetings caps the meeting chart so that it stays readable on a phone.
const maxMeetings = 10

// Render writes the chart page for one person of r, or with
// Options.AllPeople for each, to w. Nothing is written if it fails.
func Render(w io.Writer, r report.Report, opt Options) error {
	cals := r.People
	if !opt.AllPeople || opt.Person != "" || len(cals) == 0 {
		cal, err := pickPerson(r, opt.Person)
		if err != nil {
			return err
		}
		cals = []report.PersonReport{cal}
	}
	page, err := buildPage(r, cals, opt)
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

// ErrNoPerson is returned, wrapped, when Options.Person names no person
// of the report; a server can answer 404 for it.
var ErrNoPerson = errors.New("no such person in the report")

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
