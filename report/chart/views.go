package chart

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/weekmap/weekmap/report"
)

// The page's HTML parts besides the charts: they need no script, so the
// numbers, the splits and the events are there with JavaScript off and on
// paper. Every string from a calendar reaches them through html/template.

// fact is one line of what the page covers: period, zone, freshness.
type fact struct{ Label, Value string }

func facts(r report.Report, cal report.PersonReport, shown []report.WeekReport, loc *time.Location) []fact {
	out := []fact{
		{"Period", period(shown)},
		{"Time zone", r.Timezone},
	}
	if !r.GeneratedAt.IsZero() {
		out = append(out, fact{"Generated", moment(r.GeneratedAt, loc)})
	}
	var syncs []string
	for _, s := range cal.Sources {
		when := "never"
		if !s.LastSuccess.IsZero() {
			when = moment(s.LastSuccess, loc)
		}
		syncs = append(syncs, displayText(s.Name)+": "+when+syncFlag(s))
	}
	if len(syncs) > 0 {
		out = append(out, fact{"Last synced", strings.Join(syncs, "; ")})
	}
	if r.Redacted {
		out = append(out, fact{"Redacted", "no event titles or attendee addresses in this page"})
	}
	return out
}

// syncFlag says, after a calendar's last sync, why its data may not be
// current.
func syncFlag(s report.SourceSync) string {
	switch {
	case s.Failing != "":
		return " — last sync failed (" + s.Failing + ")"
	case s.Stale && !s.LastSuccess.IsZero():
		return " — stale"
	}
	return ""
}

// hero is the page's one headline number: the target categories' share of
// the work time shown, against the target, on a gauge.
type hero struct {
	Share, Text, Target string
	Below               bool
	// Bar and Mark are the share's and the target's positions on the
	// gauge, in percent of its width.
	Bar, Mark int
}

func heroOf(r report.Report, s report.Summary, weeks int) *hero {
	if s.DesignShare == nil {
		return nil
	}
	share, target := *s.DesignShare, r.Target.MinShare
	// The gauge reaches twice the target, so that the target sits in the
	// middle, unless the share is beyond that.
	scale := math.Max(math.Max(2*target, share), 0.1)
	what := "this week"
	if weeks > 1 {
		what = fmt.Sprintf("these %d weeks", weeks)
	}
	return &hero{
		Share:  percent(share, target),
		Text:   fmt.Sprintf("of work time went to %s in %s", joinAnd(r.Target.Categories), what),
		Target: "target " + percent(target, target),
		Below:  share < target,
		Bar:    int(math.Round(share / scale * 100)),
		Mark:   int(math.Round(target / scale * 100)),
	}
}

// joinAnd lists names as a sentence does: "design, review and alignment".
func joinAnd(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// numbers is the table of hours per week and category.
type numbers struct {
	Caption     string
	Columns     []legendLink
	ShareHeader string
	// OffHref is where the time off column links; Span is how many
	// columns a week without data spans. Without OffHref (a team's page,
	// which lists no events) nothing links.
	OffHref string
	Span    int
	// Gap is what a week without figures says; People adds a column of
	// the members with data (a team's page).
	Gap    string
	People bool
	Rows   []numberRow
	Foot   *numberRow
}

type numberRow struct {
	Week, Label, Dates, Href string
	NoData, Below            bool
	Cells                    []numberCell
	Total, Off, Share, Note  string
	Members                  string
}

type numberCell struct{ Category, Hours string }

func numbersOf(r report.Report, shown []report.WeekReport, sum report.Summary, categories []string, colour map[string]string, suffix string) *numbers {
	t := &numbers{
		Caption:     "hours · " + period(shown),
		ShareHeader: fmt.Sprintf("Share (target ≥ %s)", percent(r.Target.MinShare, r.Target.MinShare)),
		OffHref:     "#events" + suffix,
		Span:        len(categories) + 3,
		Gap:         "no data",
	}
	for _, c := range categories {
		t.Columns = append(t.Columns, legendLink{Name: c, Colour: colour[c], Href: "#events" + suffix})
	}
	row := func(label string, h report.Rounded, share *float64, below bool) numberRow {
		nr := numberRow{Label: label, Total: report.FormatTenths(h.Total), Off: report.FormatTenths(h.TimeOff), Share: "–", Below: below}
		for _, c := range categories {
			nr.Cells = append(nr.Cells, numberCell{Category: c, Hours: report.FormatTenths(h.Categories[c])})
		}
		if share != nil {
			nr.Share = percent1(*share, r.Target.MinShare)
		}
		return nr
	}
	for _, w := range shown {
		nr := numberRow{Label: w.Week, NoData: true}
		if !w.NoData {
			nr = row(w.Week, r.RoundWeek(w), w.DesignShare, w.BelowTarget)
		}
		nr.Week, nr.Dates, nr.Href = w.Week, days(w.Start, w.End), "#"+weekAnchor(suffix, w.Week)
		if within(r.GeneratedAt, w) {
			nr.Note = "as planned"
		}
		t.Rows = append(t.Rows, nr)
	}
	if len(shown) > 1 && sum.WeeksWithData > 0 {
		foot := row(fmt.Sprintf("All %d weeks", len(shown)), r.RoundSummary(sum), sum.DesignShare, sum.BelowTarget)
		if sum.WeeksWithData < sum.Weeks {
			foot.Note = fmt.Sprintf("%d with data", sum.WeeksWithData)
		}
		t.Foot = &foot
	}
	return t
}

// percent1 writes a share to a tenth of a percent, rounded down where
// rounding would lift a share below the target onto it.
func percent1(v, target float64) string {
	p := math.Round(v * 1000)
	if v < target && p >= math.Round(target*1000) {
		p = math.Floor(v * 1000)
	}
	return strconv.FormatFloat(p/10, 'f', 1, 64) + "%"
}

// weekAnchor is the element id of a week's events.
func weekAnchor(suffix, week string) string { return "events" + suffix + "-" + week }

// splitsView is how the time went: three groups of bars that each add up
// to the total, a table of them per week, and the people met most.
type splitsView struct {
	Groups  []barGroup
	Weeks   []splitRow
	People  []barRow
	Domains []barRow
	Focus   string
	// Gap is what a week without figures says.
	Gap string
	// Period is the weeks shown, which the groups total; RankPeriod all
	// the report's weeks, which the people and domains are ranked over.
	Period, RankPeriod string
}

type barGroup struct {
	Title, Total string
	Rows         []barRow
}

type barRow struct {
	Label, Hours, Note string
	// Break is where a long label may wrap: before an address's "@".
	Break int
	// Width is the bar's length in percent of the group's whole.
	Width       int
	Unscheduled bool
}

type splitRow struct {
	Week   string
	NoData bool
	Hours  []string
}

func splitsOf(r report.Report, cal report.PersonReport, shown []report.WeekReport, sum report.Summary) *splitsView {
	if sum.WeeksWithData == 0 {
		return nil
	}
	h := r.RoundSummary(sum)
	type bar struct {
		label  string
		tenths int64
	}
	group := func(title string, whole int64, rows ...bar) barGroup {
		g := barGroup{Title: title, Total: report.FormatTenths(whole)}
		for _, b := range append(rows, bar{"Unscheduled working time", h.Unscheduled}) {
			row := barRow{Label: b.label, Hours: report.FormatTenths(b.tenths), Unscheduled: b.label == "Unscheduled working time"}
			if whole > 0 {
				row.Width = int(math.Round(float64(b.tenths) / float64(whole) * 100))
			}
			g.Rows = append(g.Rows, row)
		}
		return g
	}
	v := &splitsView{Focus: r.FocusCategory, Gap: "no data", Period: period(shown), RankPeriod: period(cal.Weeks)}
	v.Groups = []barGroup{
		group("Meetings, time alone and unscheduled time", h.Total,
			bar{"1:1 meetings", h.OneOnOne}, bar{"Meetings of 3 to 8", h.SmallGroup}, bar{"Meetings of 9 or more", h.LargeGroup},
			bar{"Events alone (focus blocks, work booked)", h.Solo}),
		group("Recurring or one-off", h.Total, bar{"Recurring events", h.Recurring}, bar{"One-off events", h.OneOff}),
		group(capitalize(r.FocusCategory)+": booked or unscheduled", h.Categories[r.FocusCategory], bar{"Booked in the calendar", h.FocusBooked}),
	}
	for _, w := range shown {
		if w.NoData {
			v.Weeks = append(v.Weeks, splitRow{Week: w.Week, NoData: true})
			continue
		}
		x := r.RoundWeek(w)
		v.Weeks = append(v.Weeks, splitRow{Week: w.Week, Hours: tenths(x.OneOnOne, x.SmallGroup, x.LargeGroup, x.Solo, x.Unscheduled, x.Total, x.Recurring, x.OneOff, x.FocusBooked)})
	}
	v.People = collaboratorBars(cal.Collaborators)
	v.Domains = collaboratorBars(cal.Domains)
	return v
}

func tenths(v ...int64) []string {
	out := make([]string, len(v))
	for i, t := range v {
		out[i] = report.FormatTenths(t)
	}
	return out
}

// collaboratorBars are the people (or domains) met most, bars relative to
// the first. Their time is over the whole report, not only the weeks shown.
func collaboratorBars(cs []report.Collaborator) []barRow {
	var out []barRow
	for _, c := range cs {
		row := barRow{Label: displayText(c.Key), Hours: report.FormatTenths(report.Tenths(c.Seconds)), Note: plural(c.Meetings, "meeting")}
		row.Break = strings.LastIndexByte(row.Label, '@')
		if cs[0].Seconds > 0 {
			row.Width = int(math.Round(float64(c.Seconds) / float64(cs[0].Seconds) * 100))
		}
		out = append(out, row)
	}
	return out
}

// eventsView lists the events behind the numbers, week by week.
type eventsView struct {
	ID, Intro string
	Weeks     []eventWeek
	Omitted   string
}

type eventWeek struct {
	ID, Week, Summary string
	Rows              []eventRow
}

type eventRow struct {
	Category, Colour string
	Off              bool
	Series           int
	When, Title      string
	// Redacted marks a title replaced by the event's category and rule.
	Redacted                    bool
	Hours, Rule, Status, Reason string
	Counted                     bool
}

// Before and After are a label split where it may wrap.
func (b barRow) Before() string {
	if b.Break <= 0 {
		return b.Label
	}
	return b.Label[:b.Break]
}

func (b barRow) After() string {
	if b.Break <= 0 {
		return ""
	}
	return b.Label[b.Break:]
}

// maxEventRows bounds the events one page lists, so that a range of many
// busy weeks stays a page a browser opens quickly; the latest weeks are
// listed first to go in.
const maxEventRows = 4000

func eventsOf(r report.Report, shown []report.WeekReport, colour map[string]string, suffix string) *eventsView {
	v := &eventsView{ID: "events" + suffix, Intro: "Every event of these weeks, week by week, counted or not. Click a category, a week, a figure or a bar to list only the events behind it."}
	rows := 0
	for i := len(shown) - 1; i >= 0; i-- {
		w := shown[i]
		if w.NoData {
			continue
		}
		n := len(w.Events)
		if w.UnscheduledSeconds > 0 {
			n++
		}
		if rows+n > maxEventRows {
			v.Omitted = fmt.Sprintf("The events of %s and earlier are not listed: there are too many for one page. Choose fewer weeks to see them.", w.Week)
			break
		}
		rows += n
		ew := eventWeek{ID: weekAnchor(suffix, w.Week), Week: w.Week}
		counted := 0
		for _, e := range w.Events {
			row := eventRow{
				Category: e.Category, Colour: colour[e.Category], Off: e.Off, Series: e.Series,
				When: eventTime(e), Title: displayText(e.Title), Hours: creditText(e.Seconds), Rule: e.Rule, Counted: e.Counted,
			}
			if r.Redacted {
				row.Title, row.Redacted = e.Category+" event, rule "+e.Rule, true
			} else if row.Title == "" {
				row.Title, row.Redacted = "(no title)", true
			}
			switch {
			case e.Off:
				row.Status, row.Hours = "time off", "–"
			case e.Counted && e.Seconds == 0:
				row.Status = "counted; overlapped by an event ranked higher"
			case e.Counted:
				row.Status = "counted"
			default:
				row.Status = "not counted: " + e.Reason
			}
			if e.Counted {
				counted++
			}
			ew.Rows = append(ew.Rows, row)
		}
		if w.UnscheduledSeconds > 0 {
			ew.Rows = append(ew.Rows, eventRow{
				Category: r.FocusCategory, Colour: colour[r.FocusCategory], When: days(w.Start, w.End), Title: "Unscheduled working time",
				Redacted: true, Hours: creditText(w.UnscheduledSeconds), Rule: "working hours with no event", Status: "counted", Counted: true,
			})
		}
		ew.Summary = fmt.Sprintf("%s · %s — %d events, %d counted, %s h", w.Week, days(w.Start, w.End), len(w.Events), counted, report.FormatTenths(report.Tenths(w.TotalSeconds)))
		v.Weeks = append([]eventWeek{ew}, v.Weeks...)
	}
	return v
}

// plural writes a count of things: "1 meeting", "3 meetings".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return strconv.Itoa(n) + " " + thing + "s"
}

// creditText writes the time credited to an event as people say a
// meeting's length: "2 h", "15 min", "1 h 20 min"; to the minute.
func creditText(seconds int64) string {
	m := (seconds + 30) / 60
	switch {
	case m < 60:
		return strconv.FormatInt(m, 10) + " min"
	case m%60 == 0:
		return strconv.FormatInt(m/60, 10) + " h"
	}
	return strconv.FormatInt(m/60, 10) + " h " + strconv.FormatInt(m%60, 10) + " min"
}

func capitalize(s string) string {
	r := []rune(s)
	if len(r) > 0 {
		r[0] = unicode.ToUpper(r[0])
	}
	return string(r)
}
