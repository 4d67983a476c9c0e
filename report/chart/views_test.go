package chart

import (
	"encoding/json"
	"html"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/weekmap/weekmap/report"
	"github.com/weekmap/weekmap/report/assets"
)

// hostileTitles are titles made to break out of a page, or a chart's
// options, or to be read differently from what they are.
var hostileTitles = []string{
	`</script><script>alert(1)</script>`,
	`<img src=x onerror=alert(1)>`,
	"line\u2028para\u2029end",
	`__f__alert(1)__f__`,
	`"); alert(1); ("`,
	`{b}{c} rich|text`,
}

// withTitles gives the realistic report's first meetings and events of
// its last week the titles given, and a hostile attendee address.
func withTitles(r report.Report, titles []string) report.Report {
	p := &r.People[0]
	last := &p.Weeks[len(p.Weeks)-1]
	for i, title := range titles {
		p.TopMeetings[i%len(p.TopMeetings)].Title = title
		last.Events[i%len(last.Events)].Title = title
	}
	p.Collaborators = append(p.Collaborators, report.Collaborator{Key: `"><b>x</b>@evil.example`, Seconds: 60, Meetings: 1})
	return r
}

// TestRedactedPage checks that a page of a redacted report holds no event
// or meeting title and no attendee address anywhere, hostile or ordinary,
// in the HTML, the chart options or the script, in any escaping, while its
// figures stay.
func TestRedactedPage(t *testing.T) {
	r := withTitles(realisticReport(t), hostileTitles)
	secrets := map[string]bool{}
	for _, p := range r.People {
		for _, m := range p.TopMeetings {
			secrets[m.Title] = true
		}
		for _, w := range p.Weeks {
			for _, e := range w.Events {
				secrets[e.Title] = true
			}
		}
		for _, c := range append(p.Collaborators, p.Domains...) {
			secrets[c.Key] = true
		}
	}
	delete(secrets, "")
	if len(secrets) < 20 {
		t.Fatalf("got %d titles and addresses to look for, want the sample's many", len(secrets))
	}
	plain := render(t, r, Options{Inline: true, AllPeople: true})
	redacted := render(t, r.Redact(), Options{Inline: true, AllPeople: true})
	plain = strings.Replace(plain, string(assets.EChartsJS()), "", 1)
	redacted = strings.Replace(redacted, string(assets.EChartsJS()), "", 1)
	found := 0
	for s := range secrets {
		quoted, _ := json.Marshal(s)
		forms := []string{s, html.EscapeString(s), strings.Trim(string(quoted), `"`), displayText(s), html.EscapeString(displayText(s))}
		for _, f := range forms {
			if strings.Contains(redacted, f) {
				t.Errorf("got %q (as %q) in the redacted page, want no titles or addresses", s, f)
			}
			if strings.Contains(plain, f) {
				found++
			}
		}
	}
	// The search would find them: the page that is not redacted has them.
	if found < len(secrets) {
		t.Errorf("found %d forms of %d titles and addresses in the page that is not redacted, want each at least once", found, len(secrets))
	}
	for _, want := range []string{"Redacted", "design event, rule ", `class="title placeholder"`, "Alignment meeting 1", `<td data-total>`} {
		if !strings.Contains(redacted, want) {
			t.Errorf("got a redacted page without %q, want it", want)
		}
	}
}

// TestPageSaysWhatItCovers checks the facts under the heading: the period
// by week and date, the time zone, when the page was made and when each
// calendar last synced.
func TestPageSaysWhatItCovers(t *testing.T) {
	page := render(t, sampleReport(), Options{})
	for _, want := range []string{
		"<dt>Period</dt><dd>2026-W45 – 2026-W48 (2 – 29 Nov 2026)</dd>",
		"<dt>Time zone</dt><dd>Europe/Berlin</dd>",
		"<dt>Generated</dt><dd>25 Nov 2026, 11:00 CET</dd>",
		"<dt>Last synced</dt><dd>work: 25 Nov 2026, 09:45 CET; shared: never</dd>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("got a page without %q, want it", want)
		}
	}
}

// TestTableMarksNoData checks that a week none of the calendars covers says
// so across its row rather than showing zeros.
func TestTableMarksNoData(t *testing.T) {
	r := sampleReport()
	w := &r.People[0].Weeks[0]
	*w = report.WeekReport{Week: w.Week, Start: w.Start, End: w.End, Seconds: report.Seconds{}, NoData: true}
	page := render(t, r, Options{})
	row := regexp.MustCompile(`<tr data-week="2026-W45" class="nodata">.*?</tr>`).FindString(page)
	if !strings.Contains(row, `<td colspan="8">no data</td>`) || strings.Contains(row, "0.0") {
		t.Errorf("got row %q, want one cell saying no data across the figures", row)
	}
	if !strings.Contains(page, "<small>3 with data</small>") {
		t.Errorf("got a summary row that does not say how many weeks had data")
	}
}

// TestEventsBehindTheNumbers checks the rows behind a week: each event
// with its time, hours, category, rule and whether it counted or why not;
// unscheduled time as a row of its own; titles escaped.
func TestEventsBehindTheNumbers(t *testing.T) {
	r := sampleReport()
	last := &r.People[0].Weeks[3]
	at := func(day, hour int) time.Time {
		return last.Start.AddDate(0, 0, day).Add(time.Duration(hour) * time.Hour)
	}
	last.Events = []report.WeekEvent{
		{Title: "RFC <review> & notes", Start: at(0, 10), End: at(0, 12), Category: "review", Rule: "rfc", Seconds: 7200, Counted: true, Series: 2},
		{Title: "Overlapped", Start: at(0, 11), End: at(0, 12), Category: "alignment", Rule: "sync", Counted: true},
		{Title: "All-hands", Start: at(1, 16), End: at(1, 17), Category: "alignment", Rule: "sync", Reason: report.ReasonDeclined},
		{Title: "Vacation", Start: at(4, 0), End: at(5, 0), AllDay: true, Category: "off", Rule: "off", Reason: report.ReasonTimeOff, Off: true},
		{Start: at(2, 9), End: at(2, 10), Category: "design", Rule: "design", Seconds: 3600, Counted: true},
	}
	page := render(t, r, Options{})
	for _, want := range []string{
		`<details id="events-2026-W48" data-week="2026-W48">`,
		`<tr data-category="review" data-series="2"><td class="when">Mon 23 Nov, 10:00–12:00</td><td class="title">RFC &lt;review&gt; &amp; notes</td><td class="num">2 h</td>`,
		`<td class="rule">rfc</td><td class="status">counted</td></tr>`,
		`<td class="title">Overlapped</td><td class="num">0 min</td>`,
		`<td class="status">counted; overlapped by an event ranked higher</td>`,
		`<tr data-category="alignment" class="muted"><td class="when">Tue 24 Nov, 16:00–17:00</td><td class="title">All-hands</td>`,
		`<td class="status">not counted: declined</td>`,
		`<tr data-category="off" data-off="true" class="muted"><td class="when">Fri 27 Nov, all day</td><td class="title">Vacation</td><td class="num">–</td>`,
		`<td class="title placeholder">(no title)</td>`,
		`<td class="when">23 – 29 Nov 2026</td><td class="title placeholder">Unscheduled working time</td><td class="num">34 h</td>`,
		`<summary>2026-W48 · 23 – 29 Nov 2026 — 5 events, 3 counted, 40.0 h</summary>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("got a page without %q, want it", want)
		}
	}
}

func TestEventTime(t *testing.T) {
	loc := berlin
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, loc) }
	tests := []struct {
		e    report.WeekEvent
		want string
	}{
		{report.WeekEvent{Start: at(16, 10, 0), End: at(16, 11, 30)}, "Mon 16 Nov, 10:00–11:30"},
		{report.WeekEvent{Start: at(15, 22, 0), End: at(16, 2, 0)}, "Sun 15 Nov, 22:00 – Mon 16 Nov, 02:00"},
		{report.WeekEvent{Start: at(13, 0, 0), End: at(14, 0, 0), AllDay: true}, "Fri 13 Nov, all day"},
		{report.WeekEvent{Start: at(13, 0, 0), End: at(16, 0, 0), AllDay: true}, "Fri 13 Nov – Sun 15 Nov, all day"},
	}
	for _, tt := range tests {
		if got := eventTime(tt.e); got != tt.want {
			t.Errorf("eventTime(%v – %v) = %q, want %q", tt.e.Start, tt.e.End, got, tt.want)
		}
	}
	for _, d := range []struct {
		from, to time.Time
		want     string
	}{
		{at(2, 0, 0), at(9, 0, 0), "2 – 8 Nov 2026"},
		{time.Date(2026, 10, 26, 0, 0, 0, 0, loc), at(2, 0, 0), "26 Oct – 1 Nov 2026"},
		{time.Date(2026, 12, 28, 0, 0, 0, 0, loc), time.Date(2027, 1, 4, 0, 0, 0, 0, loc), "28 Dec 2026 – 3 Jan 2027"},
	} {
		if got := days(d.from, d.to); got != d.want {
			t.Errorf("days(%v, %v) = %q, want %q", d.from, d.to, got, d.want)
		}
	}
}
