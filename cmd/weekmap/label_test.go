package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"

	"github.com/weekmap/weekmap/classify"
)

// labelNow is in ISO week 2026-W47 (Monday 16 November).
var labelNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// labelRules are the test's own, so that changes to the built-in rules do
// not change what there is to label: "groups" is a guess (it looks only at
// the number of people), "rfc" is not.
const labelRules = `rules:
  - {name: rfc, category: design, title: ['(?i)\brfc\b']}
  - {name: groups, category: alignment, attendees: {min: 3}}
`

// labelEvents are a week of events: in order of what matters most, the
// guesses Write importer (3 h), Sync w/ Bob (a daily series, 2.5 h), 1:1
// Ann (a series of two, 1.5 h), a hostile title (1 h, Thursday) and
// Whiteboard queues (1 h, Wednesday); then the RFC (2 h), which a rule
// decides on its title. The declined meeting does not count, so there is
// nothing to label about it.
const labelEvents = `{"id":"i1","summary":"Write importer","start":{"dateTime":"2026-11-16T13:00:00+01:00"},"end":{"dateTime":"2026-11-16T16:00:00+01:00"}}
{"id":"bob","summary":"Sync w/ Bob","start":{"dateTime":"2026-11-16T10:00:00+01:00","timeZone":"Europe/Berlin"},"end":{"dateTime":"2026-11-16T10:30:00+01:00","timeZone":"Europe/Berlin"},"recurrence":["RRULE:FREQ=DAILY;COUNT=5"],"attendees":[{"email":"me@example.com","self":true,"responseStatus":"accepted"},{"email":"bob@example.com"},{"email":"c@example.com"}]}
{"id":"ann","summary":"1:1 Ann","start":{"dateTime":"2026-11-17T09:00:00+01:00","timeZone":"Europe/Berlin"},"end":{"dateTime":"2026-11-17T09:45:00+01:00","timeZone":"Europe/Berlin"},"recurrence":["RRULE:FREQ=DAILY;COUNT=2"],"attendees":[{"email":"me@example.com","self":true,"responseStatus":"accepted"},{"email":"ann@example.com"}]}
{"id":"h1","summary":"evil\u001b[2J\u001b]0;pwned\u0007title","start":{"dateTime":"2026-11-19T14:00:00+01:00"},"end":{"dateTime":"2026-11-19T15:00:00+01:00"}}
{"id":"w1","summary":"Whiteboard queues","start":{"dateTime":"2026-11-18T14:00:00+01:00"},"end":{"dateTime":"2026-11-18T15:00:00+01:00"}}
{"id":"d1","summary":"RFC-12: sharding design","start":{"dateTime":"2026-11-17T11:00:00+01:00"},"end":{"dateTime":"2026-11-17T13:00:00+01:00"}}
{"id":"x1","summary":"Declined all-hands","start":{"dateTime":"2026-11-19T16:00:00+01:00"},"end":{"dateTime":"2026-11-19T17:00:00+01:00"},"attendees":[{"email":"me@example.com","self":true,"responseStatus":"declined"},{"email":"ceo@example.com"}]}
`

// labelCalendar writes a config with labelRules, a labels file holding
// labels, and the events, syncs it, and returns the config's path.
func labelCalendar(t *testing.T, events, labels string) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, dir, "rules.yaml", labelRules)
	writeFile(t, dir, "events.jsonl", events)
	if labels != "" {
		writeFile(t, dir, "labels.yaml", labels)
	}
	cfg := writeFile(t, dir, "weekmap.yaml", `store: ./weekmap.db
timezone: Europe/Berlin
rules_file: rules.yaml
labels_file: labels.yaml
use_default_rules: false
sources:
  - {name: work, type: json, path: events.jsonl}
`)
	if code, _, errOut := runCLI(t, labelNow, "sync", "--config", cfg); code != 0 {
		t.Fatalf("sync: %s", errOut)
	}
	return cfg
}

// weekSeconds returns the seconds per category of week 2026-W47.
func weekSeconds(t *testing.T, cfg string) map[string]int64 {
	t.Helper()
	code, out, errOut := runCLI(t, labelNow, "report", "--config", cfg, "--week", "2026-W47", "--format", "json")
	if code != 0 {
		t.Fatalf("report exited %d: %s", code, errOut)
	}
	var rep struct {
		People []struct {
			Weeks []struct {
				Seconds map[string]int64 `json:"seconds"`
			} `json:"weeks"`
		} `json:"people"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report is not JSON: %v", err)
	}
	return rep.People[0].Weeks[0].Seconds
}

// TestLabelList checks the list label prints without a terminal: one line
// each, in the order of what matters most, that pasted under labels: in
// the labels file is a labels file the next report uses.
func TestLabelList(t *testing.T) {
	cfg := labelCalendar(t, labelEvents, "")
	code, out, errOut := runCLI(t, labelNow, "label", "--config", cfg, "--weeks", "1")
	if code != 0 {
		t.Fatalf("label exited %d: %s", code, errOut)
	}
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("the list passes terminal control characters through:\n%q", out)
	}
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	wantStarts := []string{
		`  - {event: "i1", calendar: "work", category: implementation, note: "Write importer"}  # one event, 3.0 h; Mon 2026-11-16 13:00-16:00 (work); now implementation by fallback (a guess)`,
		`  - {series: "bob", category: alignment, note: "Sync w/ Bob"}  # series of 5 events, 2.5 h; latest Fri 2026-11-20 10:00-10:30 (work); now alignment by groups (a guess)`,
		`  - {series: "ann", category: implementation, note: "1:1 Ann"}  # series of 2 events, 1.5 h;`,
		`  - {event: "h1", calendar: "work", category: implementation, note: "evil\x1b[2J\x1b]0;pwned\atitle"}  # one event, 1.0 h; Thu`,
		`  - {event: "w1", calendar: "work", category: implementation, note: "Whiteboard queues"}  # one event, 1.0 h; Wed`,
		`  - {event: "d1", calendar: "work", category: design, note: "RFC-12: sharding design"}  # one event, 2.0 h; Tue 2026-11-17 11:00-13:00 (work); now design by rfc`,
	}
	if len(lines) != len(wantStarts) {
		t.Fatalf("got %d labels, want %d:\n%s", len(lines), len(wantStarts), out)
	}
	for i, want := range wantStarts {
		if !strings.HasPrefix(lines[i], want) {
			t.Errorf("line %d:\ngot  %s\nwant %s…", i+1, lines[i], want)
		}
	}

	// Edited and pasted in, the lines are labels the report uses.
	edited := strings.Replace(lines[1], "category: alignment", "category: design", 1)
	edited += "\n" + strings.Replace(lines[3], "category: implementation", "category: ignore", 1)
	before := weekSeconds(t, cfg)
	writeFile(t, filepath.Dir(cfg), "labels.yaml", "labels:\n"+edited+"\n")
	after := weekSeconds(t, cfg)
	if got, want := after["design"]-before["design"], int64(2.5*3600); got != want {
		t.Errorf("design seconds rose by %d, want %d (the series)", got, want)
	}
	if got, want := before["implementation"]-after["implementation"], int64(3600); got != want {
		t.Errorf("implementation seconds fell by %d, want %d (the hostile event, ignored now)", got, want)
	}
	code, out, _ = runCLI(t, labelNow, "label", "--config", cfg, "--weeks", "1")
	if code != 0 || strings.Contains(out, `"bob"`) || strings.Contains(out, `"h1"`) || !strings.Contains(out, `"i1"`) {
		t.Errorf("after labeling: exit %d, list\n%s\nwant the labeled series and event gone and the others kept", code, out)
	}
}

func TestLabelErrors(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "events.jsonl", labelEvents)
	noLabels := writeFile(t, dir, "weekmap.yaml", "store: ./weekmap.db\nsources:\n  - {name: work, type: json, path: events.jsonl}\n")
	badLabels := labelCalendar(t, labelEvents, "labels:\n  - {series: bob, category: desing}\n")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"no labels_file", []string{"label", "--config", noLabels}, 1, "sets no labels_file: add one, like labels_file: ./labels.yaml"},
		{"bad labels", []string{"label", "--config", badLabels}, 1, `labels.yaml:2: labels[0]: category: unknown category "desing"`},
		{"bad weeks", []string{"label", "--config", badLabels, "--weeks", "0"}, 2, "--weeks 0: use a number from 1 to 520"},
		{"unknown person", []string{"label", "--config", noLabels, "--person", "zed"}, 2, `--person "zed" is not in the config`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, labelNow, tt.args...)
			if code != tt.wantCode || !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, tt.wantCode, tt.wantErr)
			}
		})
	}
}

// screen collects what a program writes to a pseudo-terminal.
type screen struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (s *screen) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.Write(p)
}

func (s *screen) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.buf.String()
}

// waitFor waits until the screen shows want after offset from, and returns
// where it ends.
func (s *screen) waitFor(t *testing.T, from int, want string) int {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		out := s.String()
		if i := strings.Index(out[from:], want); i >= 0 {
			return from + i + len(want)
		}
		if time.Now().After(deadline) {
			t.Fatalf("the terminal does not show %q; it shows:\n%s", want, out[from:])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestLabelTerminal runs label on a pseudo-terminal, as a person would:
// one key a choice, for a series, for one event of a series, for one
// event and for a title; and checks the labels file (with what it held
// before) and that the next report and events use it.
func TestLabelTerminal(t *testing.T) {
	cfg := labelCalendar(t, labelEvents, "# mine\nlabels:\n  - {title: Lunch, category: ignore}\n")
	ptmx, tty, err := pty.Open()
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	defer tty.Close()
	scr := &screen{}
	go io.Copy(scr, ptmx)
	before := weekSeconds(t, cfg)

	var stderr bytes.Buffer
	a := &app{stdout: tty, stderr: &stderr, now: func() time.Time { return labelNow }, configPath: cfg}
	a.log = slog.New(slog.NewTextHandler(&stderr, nil))
	done := make(chan error, 1)
	go func() { done <- runLabel(context.Background(), a, labelOptions{weeks: 1}, tty) }()

	at := 0
	steps := []struct{ waitFor, keys string }{
		{"[1/6] \x1b[1mWrite importer\x1b[0m", "s"},
		{"[2/6] \x1b[1mSync w/ Bob\x1b[0m", "1"},
		{"-> design, for the series", ""},
		{"[3/6] \x1b[1m1:1 Ann\x1b[0m", "e"},
		{"[3/7] \x1b[1m1:1 Ann\x1b[0m\r\n  one event, 0.8 h; Tue 2026-11-17 09:00-09:45 (work)", "2"},
		{"-> review, for this event", ""},
		{"[4/7] \x1b[1m1:1 Ann\x1b[0m\r\n  one event, 0.8 h; Wed", "s"},
		// No title label for a title with control characters: t does
		// nothing.
		{"[5/7] \x1b[1mevil\uFFFD[2J\uFFFD]0;pwned\uFFFDtitle\x1b[0m", "t6"},
		{"-> ignore, for this event", ""},
		{"[6/7] \x1b[1mWhiteboard queues\x1b[0m", "t"},
		{"label every event titled this | t back to this event", "1"},
		{"-> design, for every event titled this", ""},
		{"[7/7] \x1b[1mRFC-12: sharding design\x1b[0m", "q"},
		{"4 labels saved to", ""},
	}
	for _, st := range steps {
		at = scr.waitFor(t, at, st.waitFor)
		if st.keys != "" {
			if _, err := ptmx.WriteString(st.keys); err != nil {
				t.Fatal(err)
			}
		}
	}
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("label: %v (stderr %s)", err, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("label did not return after q")
	}
	if out := scr.String(); strings.Contains(out, "\x1b[2J") || strings.Contains(out, "\x1b]0;") {
		t.Errorf("the hostile title reached the terminal unescaped:\n%q", out)
	}

	data, err := os.ReadFile(filepath.Join(filepath.Dir(cfg), "labels.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	f, err := classify.ParseLabelFile("labels.yaml", data)
	if err != nil {
		t.Fatalf("the labels file label wrote does not parse: %v\n%s", err, data)
	}
	var got []string
	for _, l := range f.Labels() {
		got = append(got, fmt.Sprintf("%s %s %s %s", l.Kind, l.Calendar, l.Key, l.Category))
	}
	want := []string{
		"title  Lunch ignore",
		"series  bob design",
		"event work ann_20261117T080000Z review",
		"event work h1 ignore",
		"title  Whiteboard queues design",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("labels file:\n%s\nwant labels\n%s", data, strings.Join(want, "\n"))
	}
	if !strings.HasPrefix(string(data), "# mine\n") {
		t.Errorf("the labels file lost its comment:\n%s", data)
	}
	if info, err := os.Stat(filepath.Join(filepath.Dir(cfg), "labels.yaml")); err != nil || info.Mode().Perm() != 0o600 {
		t.Errorf("labels file mode: %v, %v; want 0600", info.Mode(), err)
	}

	after := weekSeconds(t, cfg)
	// The series (2.5 h, alignment) and the whiteboard (1 h, unscheduled
	// implementation) are design now; one Ann (45 min) is review.
	for cat, delta := range map[string]int64{"design": 3.5 * 3600, "review": 45 * 60, "alignment": -2.5 * 3600} {
		if got := after[cat] - before[cat]; got != delta {
			t.Errorf("%s seconds changed by %d, want %d", cat, got, delta)
		}
	}
	code, out, _ := runCLI(t, labelNow, "events", "--config", cfg, "--week", "2026-W47", "--format", "json")
	var rows []eventRow
	if err := json.Unmarshal([]byte(out), &rows); code != 0 || err != nil {
		t.Fatalf("events: exit %d, %v", code, err)
	}
	labeled := 0
	for _, r := range rows {
		if r.Rule == classify.LabelRule {
			labeled++
		}
	}
	if labeled != 8 {
		t.Errorf("events shows %d events decided by a label, want 8 (5 of the series, 1 Ann, h1, the whiteboard):\n%s", labeled, out)
	}
}

// TestLabelBinaryTerminal runs the weekmap binary under a pseudo-terminal,
// as a shell would start it, and checks that a choice reaches the labels
// file and the report.
func TestLabelBinaryTerminal(t *testing.T) {
	bin := weekmapBinary(t)
	now := time.Now()
	start := now.Add(-3 * time.Hour).Truncate(time.Minute)
	events := fmt.Sprintf(`{"id":"q1","summary":"Quarterly thing","start":{"dateTime":%q},"end":{"dateTime":%q}}`+"\n",
		start.Format(time.RFC3339), start.Add(time.Hour).Format(time.RFC3339))
	dir := t.TempDir()
	writeFile(t, dir, "events.jsonl", events)
	cfg := writeFile(t, dir, "weekmap.yaml", "store: ./weekmap.db\nlabels_file: labels.yaml\nuse_default_rules: false\nsources:\n  - {name: work, type: json, path: events.jsonl}\n")
	if code, _, errOut := runCLI(t, now, "sync", "--config", cfg); code != 0 {
		t.Fatalf("sync: %s", errOut)
	}
	cmd := exec.Command(bin, "label", "--config", cfg, "--weeks", "2")
	ptmx, err := pty.Start(cmd)
	if err != nil {
		t.Skipf("no pseudo-terminal: %v", err)
	}
	defer ptmx.Close()
	defer func() {
		if cmd.ProcessState == nil { // a failed step left it waiting for keys
			cmd.Process.Kill()
			cmd.Wait()
		}
	}()
	scr := &screen{}
	go io.Copy(scr, ptmx)
	at := scr.waitFor(t, 0, "[1/1] \x1b[1mQuarterly thing\x1b[0m")
	if _, err := ptmx.WriteString("2"); err != nil {
		t.Fatal(err)
	}
	scr.waitFor(t, at, "1 label saved to")
	if err := cmd.Wait(); err != nil {
		t.Fatalf("weekmap label: %v\n%s", err, scr.String())
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	day := start.In(berlin)
	code, out, errOut := runCLI(t, now, "events", "--config", cfg, "--from", day.Format(time.DateOnly), "--to", day.AddDate(0, 0, 1).Format(time.DateOnly), "--format", "json")
	if code != 0 || !strings.Contains(out, `"category": "review"`) || !strings.Contains(out, `"rule": "label"`) {
		t.Errorf("events after labeling: exit %d, %s%s; want q1 as review by label", code, out, errOut)
	}
}
