package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// reportJSON is the part of `report --format json` these tests read.
type reportJSON struct {
	People []struct {
		Name  string  `json:"name"`
		Team  *string `json:"team"`
		Weeks []struct {
			Week         string           `json:"week"`
			NoData       bool             `json:"no_data"`
			Seconds      map[string]int64 `json:"seconds"`
			TotalSeconds int64            `json:"total_seconds"`
		} `json:"weeks"`
	} `json:"people"`
	MinGroupSize int `json:"min_group_size"`
	Teams        []struct {
		Name  string `json:"name"`
		Weeks []struct {
			Week         string           `json:"week"`
			Suppressed   bool             `json:"suppressed"`
			Members      *int             `json:"members"`
			Seconds      map[string]int64 `json:"seconds"`
			TotalSeconds *int64           `json:"total_seconds"`
			DesignShare  *float64         `json:"design_share"`
		} `json:"weeks"`
	} `json:"teams"`
}

func syncedTeam(t *testing.T, extra string) string {
	t.Helper()
	_, cfgPath, _ := teamConfig(t, sevenPeople, 3, extra)
	if code, _, errOut := runCLI(t, googleNow, "--config", cfgPath, "sync"); code != 1 {
		t.Fatalf("sync exit %d, want 1 (gus fails alone): %s", code, errOut)
	}
	return cfgPath
}

func reportOf(t *testing.T, cfgPath string, args ...string) reportJSON {
	t.Helper()
	code, out, errOut := runCLI(t, googleNow, append([]string{"--config", cfgPath, "report", "--week", "2026-W47", "--format", "json"}, args...)...)
	if code != 0 {
		t.Fatalf("report %v: exit %d: %s", args, code, errOut)
	}
	var r reportJSON
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	return r
}

// TestReportTeam: seven people in two teams synced through one service
// account key; at a minimum of 4, payments (four people with data) is the
// sum of its members' weeks and search (two with data: gus's grant
// failed) is suppressed. `report --team` writes one team in every format.
func TestReportTeam(t *testing.T) {
	cfgPath := syncedTeam(t, "teams: {min_group_size: 4}\n")
	all := reportOf(t, cfgPath)
	if len(all.People) != 7 || len(all.Teams) != 2 || all.MinGroupSize != 4 {
		t.Fatalf("got %d people, %d teams, min %d; want 7 people (gus with no data), 2 teams, 4", len(all.People), len(all.Teams), all.MinGroupSize)
	}
	sum, members := map[string]int64{}, 0
	var total int64
	for _, p := range all.People {
		if p.Team == nil || *p.Team != "payments" || p.Weeks[0].NoData {
			continue
		}
		members++
		total += p.Weeks[0].TotalSeconds
		for c, v := range p.Weeks[0].Seconds {
			sum[c] += v
		}
	}
	payments := all.Teams[0].Weeks[0]
	if all.Teams[0].Name != "payments" || payments.Suppressed || payments.Members == nil || *payments.Members != members || members != 4 {
		t.Fatalf("payments W47 = %+v, want shown with its 4 members", payments)
	}
	if payments.TotalSeconds == nil || *payments.TotalSeconds != total || len(payments.Seconds) != len(sum) {
		t.Errorf("payments W47 total %v, seconds %v; want the members' %d, %v", payments.TotalSeconds, payments.Seconds, total, sum)
	}
	for c, v := range sum {
		if payments.Seconds[c] != v {
			t.Errorf("payments W47 %s = %d s, want the members' sum %d", c, payments.Seconds[c], v)
		}
	}
	if search := all.Teams[1].Weeks[0]; !search.Suppressed || search.Members != nil || search.Seconds != nil || search.DesignShare != nil {
		t.Errorf("search W47 = %+v, want suppressed with no figure", search)
	}

	one := reportOf(t, cfgPath, "--team", "payments")
	if len(one.People) != 0 || len(one.Teams) != 1 || one.Teams[0].Name != "payments" {
		t.Errorf("--team payments: %d people and %d teams, want the team alone", len(one.People), len(one.Teams))
	}
	for _, format := range []string{"text", "csv", "markdown", "html", "json"} {
		code, out, errOut := runCLI(t, googleNow, "--config", cfgPath, "report", "--team", "search", "--format", format)
		if code != 0 || !strings.Contains(out, "search") || !strings.Contains(out, "fewer than 4 people with data") {
			if format != "json" || !strings.Contains(out, `"suppressed": true`) {
				t.Errorf("--team search --format %s: exit %d, stderr %q; want the team and its suppressed weeks:\n%.400s", format, code, errOut, out)
			}
		}
		for _, person := range []string{"eve", "fay", "gus"} {
			if regexp.MustCompile(`\b` + person + `\b`).MatchString(out) {
				t.Errorf("--team search --format %s names %s", format, person)
			}
		}
	}
	code, _, errOut := runCLI(t, googleNow, "--config", cfgPath, "report", "--team", "nope")
	if want := `weekmap report: --team "nope" is not a team of the config (teams, from people[].team: payments, search)`; code != 2 || !strings.Contains(errOut, want) {
		t.Errorf("--team nope: exit %d, stderr %q; want 2 and %q", code, errOut, want)
	}
}

// TestReportPrivate: with person_metrics false and the default minimum of
// 5, the report has teams only (both suppressed: four and two people with
// data), --person is refused in a sentence, and /metrics carries no
// person.
func TestReportPrivate(t *testing.T) {
	cfgPath := syncedTeam(t, "privacy: {person_metrics: false}\n")
	r := reportOf(t, cfgPath)
	if len(r.People) != 0 || len(r.Teams) != 2 || r.MinGroupSize != 5 {
		t.Fatalf("got %d people and %d teams at minimum %d, want teams only at the default 5", len(r.People), len(r.Teams), r.MinGroupSize)
	}
	for _, team := range r.Teams {
		if !team.Weeks[0].Suppressed {
			t.Errorf("%s W47 is shown with fewer than 5 people with data", team.Name)
		}
	}
	code, out, errOut := runCLI(t, googleNow, "--config", cfgPath, "report", "--person", "ann")
	want := `weekmap report: --person "ann": person reports are off (privacy.person_metrics: false), so weekmap reports only teams; use --team NAME (teams: payments, search)`
	if code != 2 || out != "" || !strings.Contains(errOut, want) {
		t.Errorf("--person ann: exit %d, stdout %q, stderr %q; want 2 and %q", code, out, errOut, want)
	}
	code, out, _ = runCLI(t, googleNow, "--config", cfgPath, "report", "--format", "text")
	for _, person := range []string{"ann", "ben", "eve"} {
		if code != 0 || regexp.MustCompile(`\b`+person+`\b`).MatchString(out) {
			t.Errorf("report (text) with person reports off: exit %d, names %s:\n%s", code, person, out)
		}
	}

	s := newTestServer(t, cfgPath, slog.New(slog.DiscardHandler))
	if err := s.Recompute(context.Background()); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	if !strings.Contains(string(body), "weekmap_design_share_target_ratio 0.2") {
		t.Fatalf("/metrics has no report:\n%s", body)
	}
	for line := range strings.Lines(string(body)) {
		if strings.Contains(line, "person=") {
			t.Errorf("/metrics with person_metrics false has %q", strings.TrimSpace(line))
		}
	}
}
