package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// runCLI runs weekmap with args at a fixed time and returns its exit code,
// stdout and stderr.
func runCLI(t *testing.T, now time.Time, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := runAt(context.Background(), args, &stdout, &stderr, func() time.Time { return now })
	return code, stdout.String(), stderr.String()
}

// writeCalendar writes a config with one json source and its events file.
func writeCalendar(t *testing.T, events string) string {
	t.Helper()
	dir := t.TempDir()
	cfg := "store: ./store/weekmap.db\ntimezone: Europe/Berlin\nsources:\n  - {name: work, type: json, path: events.jsonl}\n"
	if err := os.WriteFile(filepath.Join(dir, "weekmap.yaml"), []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "events.jsonl"), []byte(events), 0o600); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, "weekmap.yaml")
}

const twoEvents = `{"id":"d1","summary":"RFC-12: sharding design","start":{"dateTime":"2026-11-17T10:00:00+01:00"},"end":{"dateTime":"2026-11-17T12:00:00+01:00"}}
{"id":"s1","summary":"Standup","start":{"dateTime":"2026-11-18T09:30:00+01:00"},"end":{"dateTime":"2026-11-18T09:45:00+01:00"},"attendees":[{"email":"me@example.com","self":true,"responseStatus":"accepted"},{"email":"a@example.com"},{"email":"b@example.com"}]}
{"id":"x1","summary":"Declined all-hands","start":{"dateTime":"2026-11-19T16:00:00+01:00"},"end":{"dateTime":"2026-11-19T17:00:00+01:00"},"attendees":[{"email":"me@example.com","self":true,"responseStatus":"declined"},{"email":"ceo@example.com"}]}
`

// TestSyncThenReport goes through the path a user takes: sync a json source,
// then report one week as JSON, with --config before and after the command.
func TestSyncThenReport(t *testing.T) {
	cfg := writeCalendar(t, twoEvents)
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

	// Before any sync, a report is an error, not weeks of zeros passed
	// off as an answer.
	if code, out, errOut := runCLI(t, now, "report", "--config", cfg, "--format", "csv"); code != 1 || out != "" ||
		errOut != "weekmap report: person \"me\" has never been synced: run \"weekmap sync\" first\n" {
		t.Errorf("report before sync: exit %d, stdout %q, stderr %q; want 1, nothing, and one sentence saying to run sync", code, out, errOut)
	}

	code, out, errOut := runCLI(t, now, "--config", cfg, "sync")
	if code != 0 {
		t.Fatalf("sync exited %d: %s", code, errOut)
	}
	if _, _, errOut := runCLI(t, now, "report", "--config", cfg); strings.Contains(errOut, "never been synced") {
		t.Errorf("report after sync still warns: %q", errOut)
	}
	if want := "work: 3 events stored, 3 new or changed, 0 deleted"; !strings.Contains(out, want) {
		t.Errorf("sync printed %q, want it to contain %q", out, want)
	}
	code, out, _ = runCLI(t, now, "sync", "--config", cfg)
	if code != 0 || !strings.Contains(out, "work: unchanged, 3 events stored") {
		t.Errorf("second sync: exit %d, printed %q; want 0 and unchanged", code, out)
	}

	code, out, errOut = runCLI(t, now, "report", "--config", cfg, "--week", "2026-W47", "--format", "json")
	if code != 0 {
		t.Fatalf("report exited %d: %s", code, errOut)
	}
	var rep struct {
		Timezone string `json:"timezone"`
		People   []struct {
			Name      string   `json:"name"`
			Calendars []string `json:"calendars"`
			Weeks     []struct {
				Week          string           `json:"week"`
				Start         string           `json:"start"`
				Seconds       map[string]int64 `json:"seconds"`
				Unscheduled   int64            `json:"unscheduled_seconds"`
				Total         int64            `json:"total_seconds"`
				DesignShare   *float64         `json:"design_share"`
				BelowTarget   bool             `json:"below_target"`
				EventsCounted int              `json:"events_counted"`
			} `json:"weeks"`
		} `json:"people"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, out)
	}
	if len(rep.People) != 1 || rep.People[0].Name != "me" || len(rep.People[0].Calendars) != 1 || len(rep.People[0].Weeks) != 1 {
		t.Fatalf("got %+v, want me with one calendar and one week", rep)
	}
	w := rep.People[0].Weeks[0]
	// Working hours: 5 x 8 h = 40 h. Counted: 2 h design, 15 min standup;
	// the declined all-hands is not counted, so its hour is unscheduled.
	wantSeconds := map[string]int64{"design": 7200, "review": 0, "alignment": 900, "incident": 0, "implementation": 40*3600 - 7200 - 900}
	for cat, want := range wantSeconds {
		if got := w.Seconds[cat]; got != want {
			t.Errorf("seconds[%s] = %d, want %d", cat, got, want)
		}
	}
	if w.Week != "2026-W47" || w.Start != "2026-11-16T00:00:00+01:00" || w.Total != 40*3600 || w.Unscheduled != 40*3600-7200-900 || w.EventsCounted != 2 {
		t.Errorf("week = %+v", w)
	}
	if w.DesignShare == nil || *w.DesignShare != 0.0563 || !w.BelowTarget {
		t.Errorf("design_share = %v, below_target = %v; want 0.0563 (8100/144000) and true", w.DesignShare, w.BelowTarget)
	}
}

func TestCLIErrors(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	cfg := writeCalendar(t, "{not json\n")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"unknown command", []string{"frobnicate"}, 2, `weekmap: unknown command "frobnicate"`},
		{"help for an unknown command", []string{"help", "frobnicate"}, 2, `weekmap help: no help for "frobnicate": unknown command`},
		{"completion for an unknown shell", []string{"completion", "tcsh"}, 2, `weekmap completion: unknown command "tcsh"`},
		{"missing config file", []string{"report", "--config", "/nonexistent/weekmap.yaml"}, 1, "weekmap report: config file /nonexistent/weekmap.yaml does not exist"},
		{"bad week", []string{"report", "--config", cfg, "--week", "2026-47"}, 2, `weekmap report: --week:`},
		{"bad format", []string{"report", "--config", cfg, "--format", "pdf"}, 2, `weekmap report: --format "pdf" is not supported: use text, json, csv, markdown, html or openmetrics`},
		{"unknown source", []string{"sync", "--config", cfg, "--source", "home"}, 1, `weekmap sync: no source named "home" in the config (sources: work)`},
		{"malformed events file", []string{"sync", "--config", cfg}, 1, "events.jsonl, line 1: invalid character"},
		{"stray argument", []string{"sync", "--config", cfg, "now"}, 2, `unexpected argument "now"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, now, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d (stderr: %s)", code, tt.wantCode, errOut)
			}
			if !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("stderr = %q, want it to contain %q", errOut, tt.wantErr)
			}
			if strings.Contains(errOut, "panic") || strings.Contains(errOut, "goroutine") {
				t.Errorf("stderr has a panic: %s", errOut)
			}
		})
	}
}

// TestReportHTMLFile checks that --format html --out writes one
// self-contained page with the script inlined, with every person, or only
// the one --person names.
func TestReportHTMLFile(t *testing.T) {
	cfg := writeCalendar(t, twoEvents)
	f, err := os.OpenFile(cfg, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString("  - {name: home, type: json, path: events.jsonl, person: ann}\npeople: [{name: me}, {name: ann}]\n"); err != nil {
		t.Fatal(err)
	}
	f.Close()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	if code, _, errOut := runCLI(t, now, "sync", "--config", cfg); code != 0 {
		t.Fatalf("sync: %s", errOut)
	}
	for _, tt := range []struct {
		args      []string
		calendars []string
	}{
		{nil, []string{"me", "ann"}},
		{[]string{"--person", "ann"}, []string{"ann"}},
	} {
		out := filepath.Join(t.TempDir(), "week.html")
		args := append([]string{"report", "--config", cfg, "--format", "html", "--out", out}, tt.args...)
		if code, _, errOut := runCLI(t, now, args...); code != 0 {
			t.Fatalf("report %v: %s", tt.args, errOut)
		}
		raw, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		page := string(raw)
		if len(page) < 500_000 || !strings.Contains(page, "echarts.init") || strings.Contains(page, `src="/assets/`) {
			t.Errorf("%v: got a %d-byte page, want the ECharts script inlined and no /assets/ reference", tt.args, len(page))
		}
		if got := strings.Count(page, "<h1>weekmap · "); got != len(tt.calendars) {
			t.Errorf("%v: got %d people in the page, want %v", tt.args, got, tt.calendars)
		}
		for _, name := range tt.calendars {
			if !strings.Contains(page, "<h1>weekmap · "+name+"</h1>") {
				t.Errorf("%v: got no part for person %s", tt.args, name)
			}
		}
	}
}

// TestCLIHabits checks what Go tools have taught people to expect: help at
// every level exits 0 with a description and an example, --version works,
// usage mistakes exit 2, and shell completion scripts are printed.
func TestCLIHabits(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		args     []string
		wantCode int
		wantOut  []string // on stdout
		wantErr  string   // on stderr
	}{
		{[]string{"--help"}, 0, []string{"Usage:", "weekmap demo", "Available Commands:", "report", "completion"}, ""},
		{[]string{"-h"}, 0, []string{"Usage:"}, ""},
		{[]string{"help", "report"}, 0, []string{"report accounts each person's synced events", "Examples:", "--format"}, ""},
		{[]string{"report", "--help"}, 0, []string{"weekmap report --weeks 12 --format csv"}, ""},
		{[]string{"rules", "--help"}, 0, []string{"rules works on the classification rules", "check", "eval", "default"}, ""},
		{[]string{"rules", "eval", "-h"}, 0, []string{"confusion matrix"}, ""},
		{[]string{"--version"}, 0, []string{"weekmap "}, ""},
		{[]string{"version"}, 0, []string{"weekmap ", "go1."}, ""},
		{[]string{"completion", "bash"}, 0, []string{"bash completion", "weekmap"}, ""},
		{[]string{"completion", "zsh"}, 0, []string{"#compdef weekmap"}, ""},
		{[]string{"completion", "fish"}, 0, []string{"complete -c weekmap"}, ""},
		{nil, 2, nil, "weekmap: no command given"},
		{[]string{"rules"}, 2, nil, "weekmap rules: no command given"},
		{[]string{"rules", "frob"}, 2, nil, `weekmap rules: unknown command "frob"`},
		{[]string{"report", "--colour"}, 2, nil, "unknown flag: --colour"},
		{[]string{"report", "--weeks", "many"}, 2, nil, `invalid argument "many" for "--weeks"`},
		{[]string{"sync", "--log-level", "loud"}, 2, nil, `"loud" is not a log level`},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			code, out, errOut := runCLI(t, now, tt.args...)
			if code != tt.wantCode {
				t.Errorf("exit code = %d, want %d (stderr: %s)", code, tt.wantCode, errOut)
			}
			for _, w := range tt.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("stdout lacks %q:\n%s", w, out)
				}
			}
			if !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("stderr = %q, want it to contain %q", errOut, tt.wantErr)
			}
		})
	}
}

// TestConfigChangeResyncs: adding a person's e-mails (which mark their
// attendee entry in an ICS export) or widening a source's sync window
// changes the stored events at the next plain sync, which says why it was
// a full one.
func TestConfigChangeResyncs(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	writeFile(t, dir, "cal.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n"+
		"BEGIN:VEVENT\r\nUID:all-hands\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20261119T150000Z\r\nDTEND:20261119T160000Z\r\nSUMMARY:All-hands\r\n"+
		"ORGANIZER:mailto:ceo@example.com\r\nATTENDEE;PARTSTAT=DECLINED:mailto:me@example.com\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:ceo@example.com\r\nEND:VEVENT\r\n"+
		"BEGIN:VEVENT\r\nUID:old-planning\r\nDTSTAMP:20261101T000000Z\r\nDTSTART:20260601T090000Z\r\nDTEND:20260601T100000Z\r\nSUMMARY:Planning\r\nEND:VEVENT\r\n"+
		"END:VCALENDAR\r\n")
	base := "store: ./weekmap.db\nsources:\n  - {name: feed, type: ics, path: cal.ics, sync_window: {past: 8w, future: 2w}}\n"
	cfg := writeFile(t, dir, "weekmap.yaml", base)
	counted := func() map[string]any {
		t.Helper()
		code, out, errOut := runCLI(t, now, "events", "--config", cfg, "--from", "2026-05-01", "--to", "2026-12-01", "--format", "json")
		if code != 0 {
			t.Fatalf("events: %s", errOut)
		}
		var rows []map[string]any
		if err := json.Unmarshal([]byte(out), &rows); err != nil {
			t.Fatal(err)
		}
		got := map[string]any{}
		for _, r := range rows {
			got[r["id"].(string)] = r["reason"]
		}
		return got
	}
	if code, _, errOut := runCLI(t, now, "sync", "--config", cfg); code != 0 {
		t.Fatalf("sync: %s", errOut)
	}
	if got := counted(); got["all-hands"] != "" || len(got) != 1 {
		t.Fatalf("before: got %v, want only the all-hands, counted (nothing says which attendee is me)", got)
	}

	writeFile(t, dir, "weekmap.yaml", base+"people: [{name: me, emails: [me@example.com]}]\n")
	code, out, errOut := runCLI(t, now, "sync", "--config", cfg)
	if code != 0 || !strings.Contains(out, "feed: synced fully because its config changed (emails)") {
		t.Errorf("sync after adding emails: exit %d, stdout %q, stderr %q; want a full sync saying why", code, out, errOut)
	}
	if got := counted(); got["all-hands"] != "declined" {
		t.Errorf("after adding emails: got %v, want the all-hands declined", got)
	}

	writeFile(t, dir, "weekmap.yaml", strings.Replace(base, "past: 8w", "past: 26w", 1)+"people: [{name: me, emails: [me@example.com]}]\n")
	code, out, _ = runCLI(t, now, "sync", "--config", cfg)
	if code != 0 || !strings.Contains(out, "because its config changed (sync_window)") {
		t.Errorf("sync after widening the window: exit %d, stdout %q; want a full sync saying why", code, out)
	}
	if got := counted(); got["old-planning"] != "" {
		t.Errorf("after widening the window: got %v, want June's planning stored and counted", got)
	}

	// Times without a zone in the file are read in the timezone: a new
	// one re-reads the file.
	writeFile(t, dir, "weekmap.yaml", "timezone: America/New_York\n"+strings.Replace(base, "past: 8w", "past: 26w", 1)+"people: [{name: me, emails: [me@example.com]}]\n")
	code, out, _ = runCLI(t, now, "sync", "--config", cfg)
	if code != 0 || !strings.Contains(out, "because its config changed (timezone)") {
		t.Errorf("sync after changing the timezone: exit %d, stdout %q; want a full sync saying why", code, out)
	}
}
