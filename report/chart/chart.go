// Package chart renders the weekly report as an HTML page of ECharts charts:
// hours per category per week, the design share against its target, the
// latest week's breakdown and the recurring meetings that take the most
// time, under a one-line verdict in plain words.
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
	"math"
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
	// Calendar names the calendar to show; "" means the report's first,
	// or with AllCalendars every one.
	Calendar string
	// AllCalendars shows every calendar of the report in one page, one
	// after the other, each with in-page links to the others (the
	// self-contained file, which has no server to ask for another).
	AllCalendars bool
	// Weeks is the week range being shown. When it is positive and smaller
	// than the calendar's weeks, only the last Weeks weeks are charted; the
	// week-range selector marks it as the current choice.
	Weeks int
	// Calendars are the names of every configured calendar. A calendar
	// selector is shown when there are two or more and Link is set.
	Calendars []string
	// WeekChoices are the week ranges offered (e.g. 4, 8, 12, 26). A
	// week-range selector is shown when there are two or more and Link is
	// set.
	WeekChoices []int
	// Link returns the href of the page for a calendar and week range, e.g.
	// "/?calendar=work&weeks=12". Nil means no selectors, as in the
	// self-contained file, which has no server to follow links to. weeks is
	// Options.Weeks for the calendar links, so 0 means the default range.
	Link func(calendar string, weeks int) string
}

// defaultAssetsPath matches where weekmap's server mounts assets.Handler.
const defaultAssetsPath = "/assets/"

// maxMeetings caps the meeting chart so that it stays readable on a phone.
const maxMeetings = 10

// Render writes the chart page for one calendar of r, or with
// Options.AllCalendars for each, to w. Nothing is written if it fails.
func Render(w io.Writer, r report.Report, opt Options) error {
	cals := r.Calendars
	if !opt.AllCalendars || opt.Calendar != "" || len(cals) == 0 {
		cal, err := pickCalendar(r, opt.Calendar)
		if err != nil {
			return err
		}
		cals = []report.CalendarReport{cal}
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

// ErrNoCalendar is returned, wrapped, when Options.Calendar names no
// calendar of the report; a server can answer 404 for it.
var ErrNoCalendar = errors.New("no such calendar in the report")

// pickCalendar returns the calendar to show. A report without calendars
// (nothing synced yet) yields an empty one, so that the page can say so.
func pickCalendar(r report.Report, name string) (report.CalendarReport, error) {
	if name == "" {
		if len(r.Calendars) == 0 {
			return report.CalendarReport{}, nil
		}
		return r.Calendars[0], nil
	}
	for _, c := range r.Calendars {
		if c.Name == name {
			return c, nil
		}
	}
	return report.CalendarReport{}, fmt.Errorf("calendar %q: %w", name, ErrNoCalendar)
}

// categoriesOf returns the report's categories followed by any other
// category the calendar's weeks have time in, sorted, so that no counted
// time goes missing from the charts if the two disagree.
func categoriesOf(r report.Report, cal report.CalendarReport) []string {
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

// hours converts seconds to hours rounded to a tenth, as the charts show.
func hours(seconds int64) float64 {
	return math.Round(float64(seconds)/360) / 10
}
