package chart

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/weekmap/weekmap/report"
)

// queryLink builds hrefs the way a server should, with the query escaped.
func queryLink(calendar string, weeks int) string {
	return "/?" + url.Values{"person": {calendar}, "weeks": {strconv.Itoa(weeks)}}.Encode()
}

// rawLink leaves the calendar name unescaped, so that only the template
// stands between a hostile name and the page.
func rawLink(calendar string, weeks int) string {
	return "/?person=" + calendar + "&weeks=" + strconv.Itoa(weeks)
}

// navs returns each <nav> element of the page.
func navs(page string) []string {
	return regexp.MustCompile(`(?s)<nav class="selector".*?</nav>`).FindAllString(page, -1)
}

func TestSelectors(t *testing.T) {
	tests := []struct {
		name  string
		opt   Options
		wants []string // one substring per expected <nav>, in order
	}{
		{
			name: "two calendars and week ranges",
			opt:  Options{People: []string{"work", "oncall"}, WeekChoices: []int{4, 8, 12}, Weeks: 4, Link: queryLink},
			wants: []string{
				`<nav class="selector" aria-label="Person">
<span>Person:</span>
<a href="/?person=work&amp;weeks=4" aria-current="page">work</a>
<a href="/?person=oncall&amp;weeks=4">oncall</a>
</nav>`,
				`<nav class="selector" aria-label="Weeks">
<span>Weeks:</span>
<a href="/?person=work&amp;weeks=4" aria-current="page">4 weeks</a>
<a href="/?person=work&amp;weeks=8">8 weeks</a>
<a href="/?person=work&amp;weeks=12">12 weeks</a>
</nav>`,
			},
		},
		{
			name: "the second calendar is current",
			opt:  Options{Person: "oncall", People: []string{"work", "oncall"}, Link: queryLink},
			wants: []string{`<a href="/?person=work&amp;weeks=0">work</a>
<a href="/?person=oncall&amp;weeks=0" aria-current="page">oncall</a>`},
		},
		{
			name:  "one calendar: week ranges only",
			opt:   Options{People: []string{"work"}, WeekChoices: []int{4, 8}, Weeks: 8, Link: queryLink},
			wants: []string{`<a href="/?person=work&amp;weeks=8" aria-current="page">8 weeks</a>`},
		},
		{
			name:  "no range asked for: the whole calendar is current",
			opt:   Options{WeekChoices: []int{4, 8}, Link: queryLink},
			wants: []string{`<a href="/?person=work&amp;weeks=4" aria-current="page">4 weeks</a>`},
		},
		{
			name: "a single week range is no choice",
			opt:  Options{People: []string{"work"}, WeekChoices: []int{4}, Weeks: 4, Link: queryLink},
		},
		{
			name: "no links without Link",
			opt:  Options{Inline: true, People: []string{"work", "oncall"}, WeekChoices: []int{4, 8}, Weeks: 4},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := render(t, sampleReport(), tt.opt)
			got := navs(page)
			if len(got) != len(tt.wants) {
				t.Fatalf("got %d selectors, want %d:\n%s", len(got), len(tt.wants), strings.Join(got, "\n"))
			}
			for i, want := range tt.wants {
				if !strings.Contains(got[i], want) {
					t.Errorf("selector %d: got\n%s\nwant it to contain\n%s", i, got[i], want)
				}
			}
			// Links within the page (to a week's events) need no server.
			if m := regexp.MustCompile(`<a [^>]*href="[^#]`).FindString(page); tt.opt.Link == nil && m != "" {
				t.Errorf("got a link %q to another page in a page without Link, want none", m)
			}
			if n := strings.Count(page, `aria-current="page"`); n != len(tt.wants) {
				t.Errorf("got %d current choices, want one per selector (%d)", n, len(tt.wants))
			}
		})
	}
}

func TestSelectorEscapesCalendarNames(t *testing.T) {
	hostile := `a"><script>alert(1)</script>`
	r := sampleReport()
	r.People[1].Name = hostile
	for name, link := range map[string]func(string, int) string{"escaped by the link": queryLink, "raw link": rawLink} {
		t.Run(name, func(t *testing.T) {
			page := render(t, r, Options{People: []string{"work", hostile}, Weeks: 4, Link: link})
			got := navs(page)
			if len(got) != 1 {
				t.Fatalf("got %d selectors, want 1", len(got))
			}
			nav := got[0]
			if strings.Contains(nav, "<script") || strings.Contains(nav, `a">`) {
				t.Errorf("got the calendar name unescaped in\n%s", nav)
			}
			if want := `>a&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;</a>`; !strings.Contains(nav, want) {
				t.Errorf("got\n%s\nwant the name as text %s", nav, want)
			}
			m := regexp.MustCompile(`<a href="([^"]*)">a&#34;`).FindStringSubmatch(nav)
			if m == nil {
				t.Fatalf("got no link for the hostile calendar in\n%s", nav)
			}
			// Whichever way the href was built, it must lead back to the
			// calendar by its exact name.
			u, err := url.Parse(strings.ReplaceAll(m[1], "&amp;", "&"))
			if err != nil {
				t.Fatalf("href %q: %v", m[1], err)
			}
			if got := u.Query().Get("person"); got != hostile {
				t.Errorf("got calendar %q from the href, want %q", got, hostile)
			}
		})
	}
}

func TestWeeksRange(t *testing.T) {
	tests := []struct {
		weeks int
		want  []any
	}{
		{weeks: 0, want: []any{"2026-W45", "2026-W46", "2026-W47", "2026-W48"}},
		{weeks: 2, want: []any{"2026-W47", "2026-W48"}},
		{weeks: 4, want: []any{"2026-W45", "2026-W46", "2026-W47", "2026-W48"}},
		{weeks: 12, want: []any{"2026-W45", "2026-W46", "2026-W47", "2026-W48"}},
	}
	for _, tt := range tests {
		t.Run(strconv.Itoa(tt.weeks), func(t *testing.T) {
			got := options(t, render(t, sampleReport(), Options{Weeks: tt.weeks}))
			for _, id := range []string{"chart-hours", "chart-share"} {
				axis := got[id]["xAxis"].([]any)[0].(map[string]any)["data"].([]any)
				if strings.Join(toStrings(axis), ",") != strings.Join(toStrings(tt.want), ",") {
					t.Errorf("%s: got weeks %v, want %v", id, axis, tt.want)
				}
			}
		})
	}
}

func toStrings(vs []any) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i], _ = v.(string)
	}
	return out
}

// hostileCalendars is sampleReport with one more calendar, whose name is
// built to break out of the page.
func hostileCalendars() report.Report {
	r := sampleReport()
	other := r.People[0]
	other.Name = `on"call</script><img src=x onerror="window.__pwned='name'">`
	other.TopMeetings = nil
	r.People = append(r.People, other)
	return r
}

func TestAllCalendarsInOnePage(t *testing.T) {
	r := hostileCalendars()
	n := len(r.People)
	page := render(t, r, Options{Inline: true, AllPeople: true})
	charts := options(t, page)
	for i := range n {
		if charts[fmt.Sprintf("chart-hours-%d", i+1)] == nil {
			t.Errorf("got no chart-hours-%d, want every calendar's charts under ids of their own", i+1)
		}
		if want := fmt.Sprintf(`<article id="person-%d">`, i+1); !strings.Contains(page, want) {
			t.Errorf("got a page without %s", want)
		}
	}
	for id := range charts {
		if !regexp.MustCompile(`^chart-[a-z]+-[1-9]$`).MatchString(id) {
			t.Errorf("got chart id %q, want one that names its calendar", id)
		}
	}
	if !strings.Contains(page, `<title>weekmap</title>`) {
		t.Error("got a page titled after one calendar, want plain weekmap")
	}
	ns := navs(page)
	if len(ns) != n {
		t.Fatalf("got %d selectors, want one per calendar", len(ns))
	}
	// Each calendar's selector marks itself and links to the others in the page.
	for i, nav := range ns {
		for j := range n {
			want := fmt.Sprintf(`href="#person-%d">`, j+1)
			if i == j {
				want = fmt.Sprintf(`href="#person-%d" aria-current="location">`, j+1)
			}
			if !strings.Contains(nav, want) {
				t.Errorf("selector %d is %s, want %s in it", i+1, nav, want)
			}
		}
	}
	if strings.Contains(page, "<img src=x") || strings.Contains(page, `on"call</script>`) {
		t.Error("got the calendar name into the page unescaped")
	}

	// One calendar asked for, or only one in the report: the single page.
	for name, opt := range map[string]Options{
		"--calendar":    {Inline: true, AllPeople: true, Person: r.People[1].Name},
		"only calendar": {Inline: true, AllPeople: true},
	} {
		rr := r
		if name == "only calendar" {
			rr.People = rr.People[:1]
		}
		page := render(t, rr, opt)
		if got := options(t, page); got["chart-hours"] == nil || len(navs(page)) != 0 || strings.Contains(page, "<article id=") {
			t.Errorf("%s: got charts %v and %d selectors, want the single-calendar page", name, len(got), len(navs(page)))
		}
	}
}
