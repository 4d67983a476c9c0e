package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/dashboards"
)

// backfill is the README's recipe for a year of history in Prometheus.
type backfill struct {
	report    []string // weekmap's arguments, writing history.om
	blocks    []string // promtool's arguments, reading history.om into blocks
	retention string   // the flag Prometheus runs with
}

// readmeBackfill reads the commands of the README's section "A year of
// history in Prometheus", so that the test runs what users are told to.
func readmeBackfill(t *testing.T) backfill {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(readme), "### A year of history in Prometheus")
	if !ok {
		t.Fatal(`README.md has no section "A year of history in Prometheus"`)
	}
	command := func(prefix string) []string {
		t.Helper()
		for line := range strings.Lines(section) {
			if strings.HasPrefix(line, prefix) {
				line, _, _ = strings.Cut(line, "#")
				return strings.Fields(line)[1:]
			}
		}
		t.Fatalf("README's history section has no command starting %q", prefix)
		return nil
	}
	retention := regexp.MustCompile("`(--storage\\.tsdb\\.retention\\.time=\\S+)`").FindStringSubmatch(section)
	if retention == nil {
		t.Fatal("README's history section names no --storage.tsdb.retention.time")
	}
	return backfill{
		report:    command("weekmap report "),
		blocks:    command("promtool tsdb create-blocks-from "),
		retention: retention[1],
	}
}

// inDir puts the files named in args in dir; each of names must be there.
func inDir(t *testing.T, args []string, dir string, names ...string) []string {
	t.Helper()
	out := slices.Clone(args)
	for _, n := range names {
		i := slices.Index(out, n)
		if i < 0 {
			t.Fatalf("the README's command %q does not name %s", strings.Join(args, " "), n)
		}
		out[i] = filepath.Join(dir, n)
	}
	return out
}

// yearOfWeeks writes a config whose json source holds a design meeting in
// every week from 62 weeks before now to now (1 to 4 hours, so that weeks
// differ), with a sync window that reaches them all.
func yearOfWeeks(t *testing.T, dir string, now time.Time) string {
	t.Helper()
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	local := now.In(berlin)
	monday := local.Day() - (int(local.Weekday())+6)%7
	var events strings.Builder
	for i := range 63 {
		start := time.Date(local.Year(), local.Month(), monday-7*i+1, 10, 0, 0, 0, berlin)
		end := start.Add(time.Duration(1+i%4) * time.Hour)
		fmt.Fprintf(&events, `{"id":"d%d","summary":"RFC-%d: sharding design","start":{"dateTime":%q},"end":{"dateTime":%q}}`+"\n",
			i, i, start.Format(time.RFC3339), end.Format(time.RFC3339))
	}
	writeFile(t, dir, "events.jsonl", events.String())
	return writeFile(t, dir, "weekmap.yaml", "store: ./store/weekmap.db\ntimezone: Europe/Berlin\nsources:\n"+
		"  - {name: work, type: json, path: events.jsonl, sync_window: {past: 62w, future: 2w}}\n")
}

// reportedWeek is a week of `weekmap report --format json`.
type reportedWeek struct {
	Week        string    `json:"week"`
	Start       time.Time `json:"start"`
	DesignShare *float64  `json:"design_share"`
}

// reportWeeks reports the last n weeks as JSON, oldest first.
func reportWeeks(t *testing.T, now time.Time, cfg string, n int) []reportedWeek {
	t.Helper()
	code, out, errOut := runCLI(t, now, "report", "--config", cfg, "--weeks", strconv.Itoa(n), "--format", "json")
	if code != 0 {
		t.Fatalf("report --format json exited %d: %s", code, errOut)
	}
	var r struct {
		People []struct {
			Weeks []reportedWeek `json:"weeks"`
		} `json:"people"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil || len(r.People) != 1 {
		t.Fatalf("report --format json: %v (%d people)\n%s", err, len(r.People), out)
	}
	for _, w := range r.People[0].Weeks[:n-1] {
		if w.DesignShare == nil {
			t.Fatalf("week %s has no design share; every week has a meeting", w.Week)
		}
	}
	return r.People[0].Weeks
}

// startServe runs `weekmap serve` until the test ends and returns its
// address once it exports the weeks.
func startServe(t *testing.T, cfg string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	t.Cleanup(func() { cancel(); <-done })
	var stdout, stderr syncBuffer
	go func() {
		defer close(done)
		runAt(ctx, []string{"serve", "--config", cfg, "--addr", "127.0.0.1:0"}, &stdout, &stderr, time.Now)
	}()
	addrRE := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		m := addrRE.FindStringSubmatch(stdout.String())
		if m == nil {
			continue
		}
		if resp, err := http.Get("http://" + m[1] + "/metrics"); err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.Contains(string(body), `weeks_ago="1"`) {
				return m[1]
			}
		}
	}
	t.Fatalf("serve exported no weeks within 30s: stdout %q, stderr %q", stdout.String(), stderr.String())
	return ""
}

// backfilledShare is the week's share as Prometheus has it an hour into the
// week (the backfill stamps a week at its start).
func backfilledShare(base string, w reportedWeek) ([]promSample, error) {
	return promVector(base, fmt.Sprintf(`last_over_time(weekmap_week_design_share_ratio{week=%q}[1w])`, w.Week), w.Start.Add(time.Hour))
}

// TestBackfillHistoryInPrometheus follows the README's "A year of history in
// Prometheus" with a real promtool and Prometheus. The backfill is made as
// of four weeks ago and Prometheus also scrapes `weekmap serve`, as when it
// has scraped weekmap since the backfill: the History panel must show the 52
// complete weeks of the last year once each with the report's shares, the
// oldest from the backfill alone and the last four from the scrape alone.
// Without the README's retention, Prometheus deletes the year-old week.
func TestBackfillHistoryInPrometheus(t *testing.T) {
	prometheus := tool(t, "prometheus")
	promtool := tool(t, "promtool")
	steps := readmeBackfill(t)
	now := time.Now()
	dir := t.TempDir()
	cfg := yearOfWeeks(t, dir, now)
	if code, _, errOut := runCLI(t, now, "sync", "--config", cfg); code != 0 {
		t.Fatalf("sync exited %d: %s", code, errOut)
	}
	args := append(inDir(t, steps.report, dir, "history.om"), "--config", cfg)
	if code, _, errOut := runCLI(t, now.AddDate(0, 0, -28), args...); code != 0 {
		t.Fatalf("weekmap %s exited %d: %s", strings.Join(args, " "), code, errOut)
	}
	args = inDir(t, steps.blocks, dir, "history.om", "blocks")
	if out, err := exec.Command(promtool, args...).CombinedOutput(); err != nil {
		t.Fatalf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	blocks := filepath.Join(dir, "blocks")
	made, err := os.ReadDir(blocks)
	if err != nil {
		t.Fatal(err)
	}
	if len(made) < 2 || len(made) > 3 {
		t.Errorf("promtool made %d blocks of a year, want 2 or 3", len(made))
	}
	// mv blocks/* into the data directories of two Prometheus servers.
	kept, deleted := filepath.Join(dir, "kept"), filepath.Join(dir, "deleted")
	for _, data := range []string{kept, deleted} {
		if err := os.CopyFS(data, os.DirFS(blocks)); err != nil {
			t.Fatal(err)
		}
	}

	// The current week and the 52 before it, oldest first.
	weeks := reportWeeks(t, now, cfg, 53)
	yearAgo := weeks[0]
	base, logs := startPrometheus(t, prometheus, scrapeConfig("weekmap", startServe(t, cfg)), kept, steps.retention)
	waitForScrapes(t, base, "weekmap", 2, logs)

	if got, err := backfilledShare(base, yearAgo); err != nil || len(got) != 1 || got[0].Value != *yearAgo.DesignShare {
		t.Errorf("week %s, a year back: got %v (error %v), want one series of %v", yearAgo.Week, got, err, *yearAgo.DesignShare)
	}

	qs, err := dashboards.Queries()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(qs, func(q dashboards.Query) bool { return q.Panel == "Design share per week over the chosen range" })
	if i < 0 {
		t.Fatal("the dashboard has no history panel")
	}
	// As Grafana runs it for a time range from the start of the week a year
	// back (a minute before) to now.
	from := fmt.Sprintf("%ds", int(time.Since(yearAgo.Start.Add(-time.Minute)).Seconds()))
	history := dashboards.Expand(strings.ReplaceAll(qs[i].Expr, "$__range", from), dashboards.Vars{Person: config.DefaultPerson, Source: "work"})
	got, err := promVector(base, history, time.Time{})
	if err != nil {
		t.Fatalf("history panel: %s: %v", history, err)
	}
	shown := map[string]float64{}
	for _, s := range got {
		shown[s.Labels["week"]] = s.Value
	}
	if len(got) != 52 || len(shown) != 52 {
		t.Errorf("history panel since %s: %d rows for %d weeks, want the 52 complete weeks once each: %v", yearAgo.Week, len(got), len(shown), shown)
	}
	for _, w := range weeks[:52] {
		if v, ok := shown[w.Week]; !ok || v != *w.DesignShare {
			t.Errorf("history panel: week %s = %v (shown: %t), want %v", w.Week, v, ok, *w.DesignShare)
		}
	}
	if _, ok := shown[weeks[52].Week]; ok {
		t.Errorf("history panel shows the current week %s, which is a plan", weeks[52].Week)
	}

	// Prometheus's default retention deletes every backfilled block but the
	// newest as it loads them: the README's flag is what keeps the year.
	base, _ = startPrometheus(t, prometheus, "global: {}\n", deleted)
	if got, err := backfilledShare(base, yearAgo); err != nil || len(got) != 0 {
		t.Errorf("with the default retention, week %s: got %v (error %v), want it deleted", yearAgo.Week, got, err)
	}
	newest := weeks[47] // the last complete week four weeks ago
	if got, err := backfilledShare(base, newest); err != nil || len(got) != 1 {
		t.Errorf("with the default retention, week %s of the newest block: got %v (error %v), want it kept", newest.Week, got, err)
	}
}
