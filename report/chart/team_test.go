package chart

import (
	"errors"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/weekmap/weekmap/report"
)

// teamLink builds a team's hrefs the way the server does.
func teamLink(team string, weeks int) string {
	return "/?" + url.Values{"team": {team}, "weeks": {strconv.Itoa(weeks)}}.Encode()
}

// withTeam adds to sampleReport a team "payments" of four weeks at a
// minimum group size of 5: W45 with 6 people with data, W46 suppressed,
// W47 with 5 and W48, the current week, with 7.
func withTeam(r report.Report) report.Report {
	w45 := time.Date(2026, 11, 2, 0, 0, 0, 0, berlin)
	team := func(members int, w report.WeekReport) report.TeamWeek {
		return report.TeamWeek{WeekReport: w, Members: members}
	}
	suppressed := team(0, report.WeekReport{Week: "2026-W46", Start: w45.AddDate(0, 0, 7), End: w45.AddDate(0, 0, 14), NoData: true,
		Seconds: report.Seconds{"design": 0, "review": 0, "alignment": 0, "incident": 0, "implementation": 0}})
	r.MinGroupSize = 5
	r.Teams = []report.TeamReport{{Name: "payments", Size: 8, Calendars: 8, NotCurrent: 1, Weeks: []report.TeamWeek{
		team(6, weekStarting("2026-W45", w45, map[string]float64{"design": 40, "review": 20, "alignment": 30, "implementation": 150}, share(0.375))),
		suppressed,
		team(5, weekStarting("2026-W47", w45.AddDate(0, 0, 14), map[string]float64{"design": 5, "review": 5, "alignment": 10, "implementation": 180}, share(0.1))),
		team(7, weekStarting("2026-W48", w45.AddDate(0, 0, 21), map[string]float64{"design": 50, "review": 10, "alignment": 20, "implementation": 200}, share(0.2857))),
	}}}
	return r
}

func TestTeamPage(t *testing.T) {
	r := withTeam(sampleReport())
	page := render(t, r, Options{Team: "payments"})
	for _, want := range []string{
		"<title>weekmap · team payments</title>",
		"<h1>weekmap · team payments</h1>",
		"of the team&#39;s work time went to design, review and alignment in these 3 weeks shown (1 of 4 had fewer than 5 people with data)",
		"Last week: 10% design/review/alignment across 5 people — below the 20% target.",
		"Below target in 1 of the last 2 complete weeks shown.",
		"This week (as planned): 29% design/review/alignment across 7 people — above the 20% target.",
		"<dt>People</dt><dd>8 people; a week shows when at least 5 of them have data</dd>",
		"<dt>Calendars</dt><dd>8 calendars, 1 not current (the last sync failed or is stale)</dd>",
		`<th scope="col">People with data</th>`,
		`<td colspan="8">fewer than 5 people with data</td><td data-members>&lt; 5</td>`,
		`<td data-members>6</td>`,
		`<td colspan="9">fewer than 5 people with data</td>`,
		"The team&#39;s share of design, review and alignment per week",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("team page lacks %q", want)
		}
	}
	for _, absent := range []string{
		"Recurring meetings", "Events behind the numbers", "People met most", `class="pick"`,
		"Team standup", // a member's meeting, from the person part
	} {
		if strings.Contains(page, absent) {
			t.Errorf("team page has %q: a team's page has no meetings, events, people or links to them", absent)
		}
	}
	charts := options(t, page)
	if len(charts) != 3 {
		t.Fatalf("got %d charts, want hours, share and breakdown", len(charts))
	}
	// The suppressed week is a gap in both charts, never a zero.
	share := charts["chart-share"]["series"].([]any)[0].(map[string]any)["data"].([]any)
	if got := share[1].(map[string]any)["value"]; got != "-" {
		t.Errorf("share chart's suppressed week = %v, want a gap", got)
	}
	for _, s := range charts["chart-hours"]["series"].([]any) {
		if got := s.(map[string]any)["data"].([]any)[1].(map[string]any)["value"]; got != "-" {
			t.Errorf("hours chart's suppressed week = %v, want a gap", got)
		}
	}
}

// TestTeamPageLastWeekSuppressed: a suppressed latest week has no
// breakdown, only the sentence.
func TestTeamPageLastWeekSuppressed(t *testing.T) {
	r := withTeam(sampleReport())
	r.Teams[0].Weeks = r.Teams[0].Weeks[:2]
	page := render(t, r, Options{Team: "payments"})
	for _, want := range []string{
		`<p class="note">Not shown: fewer than 5 people with data in this week.</p>`,
		"Week 2026-W46: not shown, fewer than 5 people with data.",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("team page lacks %q", want)
		}
	}
	if len(options(t, page)) != 2 {
		t.Errorf("got %d charts, want hours and share", len(options(t, page)))
	}
}

func TestTeamSelectors(t *testing.T) {
	r := withTeam(sampleReport())
	tests := []struct {
		name  string
		opt   Options
		wants []string
	}{
		{
			name: "a person's page offers the teams",
			opt:  Options{People: []string{"work"}, Teams: []string{"payments"}, Link: queryLink, TeamLink: teamLink},
			wants: []string{
				`<a href="/?person=work&amp;weeks=0" aria-current="page">work</a>`,
				`<nav class="selector" aria-label="Team">
<span>Team:</span>
<a href="/?team=payments&amp;weeks=0">payments</a>
</nav>`,
			},
		},
		{
			name: "a team's page: the team is current, the weeks are the team's",
			opt: Options{Team: "payments", People: []string{"work"}, Teams: []string{"payments"}, WeekChoices: []int{2, 4}, Weeks: 2,
				Link: queryLink, TeamLink: teamLink},
			wants: []string{
				`<a href="/?person=work&amp;weeks=2">work</a>`,
				`<a href="/?team=payments&amp;weeks=2" aria-current="page">payments</a>`,
				`<a href="/?team=payments&amp;weeks=4">4 weeks</a>`,
			},
		},
		{
			name:  "person pages off: a lone team has no selector but the weeks",
			opt:   Options{Team: "payments", Teams: []string{"payments"}, WeekChoices: []int{2, 4}, Link: queryLink, TeamLink: teamLink},
			wants: []string{`<a href="/?team=payments&amp;weeks=4" aria-current="page">4 weeks</a>`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := render(t, r, tt.opt)
			got := strings.Join(navs(page), "\n")
			for _, want := range tt.wants {
				if !strings.Contains(got, want) {
					t.Errorf("selectors\n%s\nlack\n%s", got, want)
				}
			}
		})
	}
	if _, err := renderErr(r, Options{Team: "nope"}); !errors.Is(err, ErrNoTeam) {
		t.Errorf("Render(Team: nope) = %v, want ErrNoTeam", err)
	}
}

// TestFirstTeamWithoutPeople: with person pages off, the page with no
// choice is the first team's; with AllPeople, one page has everyone and
// every team, each linked from the others.
func TestFirstTeamWithoutPeople(t *testing.T) {
	r := withTeam(sampleReport())
	all := render(t, r, Options{Inline: true, AllPeople: true})
	for _, want := range []string{`<article id="person-1">`, `<article id="person-2">`, `<article id="team-3">`,
		`<a href="#team-3">team payments</a>`, `aria-label="Person or team"`} {
		if !strings.Contains(all, want) {
			t.Errorf("page of everyone lacks %q", want)
		}
	}
	r.People = nil
	page := render(t, r, Options{})
	if !strings.Contains(page, "<h1>weekmap · team payments</h1>") {
		t.Errorf("with no people the page is not the first team's: %s", regexp.MustCompile(`<h1>.*</h1>`).FindString(page))
	}
}

func renderErr(r report.Report, opt Options) (string, error) {
	var b strings.Builder
	err := Render(&b, r, opt)
	return b.String(), err
}
