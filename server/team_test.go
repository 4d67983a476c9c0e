package server

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// teamServeConfig writes a config of seven people with a json calendar
// each, five in payments and two in search, with person_metrics as given.
func teamServeConfig(t *testing.T, personMetrics bool) (string, []string) {
	t.Helper()
	dir := t.TempDir()
	cfg := fmt.Sprintf("store: ./store/weekmap.db\nserver: {weeks: 3, sync_interval: 1m}\nprivacy: {person_metrics: %v}\npeople:\n", personMetrics)
	sources := "sources:\n"
	var names []string
	for i, team := range []string{"payments", "payments", "payments", "payments", "payments", "search", "search"} {
		name := fmt.Sprintf("member%d.q", i+1)
		names = append(names, name)
		writeFile(t, dir, name+".jsonl", twoEvents)
		cfg += fmt.Sprintf("  - {name: %s, team: %s}\n", name, team)
		sources += fmt.Sprintf("  - {name: %s-cal, person: %s, type: json, path: %s.jsonl}\n", name, name, name)
	}
	return writeFile(t, dir, "weekmap.yaml", cfg+sources), names
}

// TestServeTeams: the team series and pages, with person reports on and
// off; off, no /metrics line carries a person and no page shows one.
func TestServeTeams(t *testing.T) {
	for _, personMetrics := range []bool{true, false} {
		t.Run(fmt.Sprintf("person_metrics %v", personMetrics), func(t *testing.T) {
			cfgPath, names := teamServeConfig(t, personMetrics)
			s, hs := testServer(t, cfgPath)
			ctx := context.Background()
			if err := s.SyncAll(ctx, false); err != nil {
				t.Fatal(err)
			}
			if err := s.Recompute(ctx); err != nil {
				t.Fatal(err)
			}
			s.MarkReady()
			_, metrics := status(t, hs.URL+"/metrics", "")
			for _, want := range []string{
				`weekmap_team_week_members{team="payments",week="2026-W47",weeks_ago="0"} 5`,
				`weekmap_team_week_category_seconds{category="design",team="payments",week="2026-W47",weeks_ago="0"} 36000`,
				`weekmap_team_week_design_share_ratio{team="payments",week="2026-W47",weeks_ago="0"}`,
			} {
				if !strings.Contains(metrics, want) {
					t.Errorf("/metrics lacks %s", want)
				}
			}
			// search has two people with data: suppressed. W45 and W46
			// have no data at all.
			for _, absent := range []string{`team="search"`, `week="2026-W46"`, "weekmap_team_partial_"} {
				if strings.Contains(metrics, absent) {
					t.Errorf("/metrics has %s", absent)
				}
			}
			hasPerson := strings.Contains(metrics, `person="`)
			if hasPerson != personMetrics {
				t.Errorf("/metrics has lines with a person label: %v, want %v", hasPerson, personMetrics)
			}
			if !personMetrics {
				for line := range strings.Lines(metrics) {
					if strings.Contains(line, "person=") || strings.HasPrefix(line, "weekmap_week_") {
						t.Errorf("/metrics with person_metrics false has %q", strings.TrimSpace(line))
					}
					// In team mode sources are named after their people:
					// their sync series count in their team's.
					for _, name := range names {
						if strings.Contains(line, `"`+name+`"`) {
							t.Errorf("/metrics with person_metrics false names %s: %q", name, strings.TrimSpace(line))
						}
					}
				}
				for _, want := range []string{`weekmap_events{source="team:payments"} `, `weekmap_sync_last_success_timestamp_seconds{source="team:search"} `} {
					if !strings.Contains(metrics, want) {
						t.Errorf("/metrics lacks %s…: the teams' sync series", want)
					}
				}
			}

			pages := []struct {
				path      string
				code      int
				want      string
				absentAll []string
			}{
				{"/?team=payments", 200, "<h1>weekmap · team payments</h1>", names},
				{"/?team=search", 200, "fewer than 5 people with data", names},
				{"/?team=nope", 404, "no such team", nil},
				// /readyz says how each team's calendars are, not whose.
				{"/readyz", 200, "ready", names},
				{"/?team=search&person=" + names[0], 400, "not both", nil},
			}
			if personMetrics {
				pages = append(pages, struct {
					path      string
					code      int
					want      string
					absentAll []string
				}{"/?person=" + names[0], 200, "<h1>weekmap · " + names[0] + "</h1>", nil})
			} else {
				pages = append(pages, []struct {
					path      string
					code      int
					want      string
					absentAll []string
				}{
					{"/", 200, "<h1>weekmap · team payments</h1>", names},
					{"/readyz", 200, "team:payments: 5 ok, 0 failing, 0 stale", names},
					{"/?person=" + names[0], 404, "person pages are off (privacy.person_metrics: false)", nil},
				}...)
			}
			for _, p := range pages {
				code, body := status(t, hs.URL+p.path, "")
				if code != p.code || !strings.Contains(body, p.want) {
					t.Errorf("GET %s = %d, want %d with %q:\n%.300s", p.path, code, p.code, p.want, body)
				}
				if !personMetrics {
					for _, name := range p.absentAll {
						if strings.Contains(body, name) {
							t.Errorf("GET %s names %s with person reports off", p.path, name)
						}
					}
				}
			}
			if code, body := status(t, hs.URL+"/?team=payments", ""); code == http.StatusOK && personMetrics &&
				!strings.Contains(body, `<nav class="selector" aria-label="Person">`) {
				t.Errorf("a team's page with person reports on has no person selector")
			}
		})
	}
}
