package main

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
)

// TestDemoTeams: the demo's team of five shows the weeks all five have
// data (the eight since its newest member joined) and says of the four
// before that they had fewer than 5 people with data; the team of two is
// never shown, in the metrics or on its page.
func TestDemoTeams(t *testing.T) {
	srv := newTestDemo(t)
	_, metrics := get(t, srv.URL+"/metrics")
	shown := regexp.MustCompile(`(?m)^weekmap_team_week_members\{team="platform",week="[^"]+",weeks_ago="(\d+)"\} 5$`).FindAllStringSubmatch(metrics, -1)
	var ago []string
	for _, m := range shown {
		ago = append(ago, m[1])
	}
	if got := strings.Join(ago, " "); len(ago) != 8 || strings.Contains(" "+got+" ", " 8 ") {
		t.Errorf("platform is shown with 5 people in weeks_ago %s, want the 8 weeks 0 to 7", got)
	}
	if strings.Contains(metrics, `team="payments"`) {
		t.Errorf("/metrics has the team of two")
	}
	for _, p := range []struct{ path, want string }{
		{"/?team=platform", "fewer than 5 people with data"},
		{"/?team=payments", "Last week: not shown, fewer than 5 people with data."},
		{"/?person=ana", "<h1>weekmap · ana</h1>"},
	} {
		resp, page := get(t, srv.URL+p.path)
		if resp.StatusCode != http.StatusOK || !strings.Contains(page, p.want) {
			t.Errorf("GET %s = %d, want 200 with %q", p.path, resp.StatusCode, p.want)
		}
	}
}
