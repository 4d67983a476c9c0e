package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func writeFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

const classifyInput = `{"id":"a","summary":"Postmortem action items review","start":{"dateTime":"2026-11-17T10:00:00+01:00"},"end":{"dateTime":"2026-11-17T11:00:00+01:00"}}

{"id":"b","summary":"Lunch","start":{"dateTime":"2026-11-17T12:00:00+01:00"},"end":{"dateTime":"2026-11-17T13:00:00+01:00"}}
{"id":"c","summary":"ARB: storage tiering","start":{"dateTime":"2026-11-17T14:00:00+01:00"},"end":{"dateTime":"2026-11-17T15:00:00+01:00"}}
`

func TestClassifyCommand(t *testing.T) {
	dir := t.TempDir()
	in := writeFile(t, dir, "in.jsonl", classifyInput)
	writeFile(t, dir, "rules.yaml", "rules:\n  - {name: arb-is-design, category: design, title: ['(?i)\\barb\\b']}\n")
	cfg := writeFile(t, dir, "weekmap.yaml", "rules_file: rules.yaml\n")
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

	code, out, errOut := runCLI(t, now, "classify", "--config", cfg, "--in", in)
	if code != 0 {
		t.Fatalf("classify exited %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 {
		t.Fatalf("got %d output lines, want 3 (blank input lines skipped):\n%s", len(lines), out)
	}
	want := []classifyOutput{
		{ID: "a", Category: "incident"},
		{ID: "b", Category: "ignore"},
		{ID: "c", Category: "design", Rule: "arb-is-design"}, // the user's rule is tried first
	}
	for i, line := range lines {
		var got classifyOutput
		if err := json.Unmarshal([]byte(line), &got); err != nil {
			t.Fatalf("line %d is not JSON: %v", i+1, err)
		}
		if got.ID != want[i].ID || got.Category != want[i].Category || got.Rule == "" || (want[i].Rule != "" && got.Rule != want[i].Rule) {
			t.Errorf("line %d = %+v, want %+v", i+1, got, want[i])
		}
	}

	code, out, _ = runCLI(t, now, "classify", "--config", cfg, "--in", in, "--explain")
	var first classifyOutput
	if code != 0 || json.Unmarshal([]byte(strings.SplitN(out, "\n", 2)[0]), &first) != nil {
		t.Fatalf("classify --explain: exit %d, output %q", code, out)
	}
	last := first.Explain[len(first.Explain)-1]
	if first.Explain[0].Rule != "arb-is-design" || first.Explain[0].Matched || !last.Matched || last.Rule != first.Rule {
		t.Errorf("explain = %+v, want the user's rule tried first and not matched, and the deciding rule last", first.Explain)
	}

	code, _, errOut = runCLI(t, now, "classify", "--config", cfg, "--in", writeFile(t, dir, "bad.jsonl", strings.SplitN(classifyInput, "\n", 2)[0]+"\n{oops\n"))
	if code != 1 || !strings.HasSuffix(errOut, "bad.jsonl, line 2: invalid character 'o' looking for beginning of object key string\n") {
		t.Errorf("malformed input: exit %d, stderr %q; want 1 and the line named", code, errOut)
	}
}

// inputEvents returns the events of classifyInput, one JSON object each.
func inputEvents() []string {
	var events []string
	for _, line := range strings.Split(classifyInput, "\n") {
		if line != "" {
			events = append(events, line)
		}
	}
	return events
}

// classify reads every shape of JSON the json source reads; it used to read
// only one object a line, each at most 16 MiB.
func TestClassifyInputShapes(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	events := inputEvents()
	long := `{"id":"long","summary":"Lunch","description":"` + strings.Repeat("x", 17<<20) + `","start":{"date":"2026-11-17"}}`
	tests := []struct {
		name, in string
		want     []string
	}{
		{"array", "[\n" + strings.Join(events, ",\n") + "\n]\n", []string{"a", "b", "c"}},
		{"events.list response", `{"kind": "calendar#events", "nextPageToken": "x", "items": [` + strings.Join(events, ",") + `]}`, []string{"a", "b", "c"}},
		{"one event, pretty-printed", "{\n  \"id\": \"p\",\n  \"summary\": \"Lunch\",\n  \"start\": {\"date\": \"2026-11-17\"}\n}\n", []string{"p"}},
		{"a 17 MiB line", long + "\n" + events[0] + "\n", []string{"long", "a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := writeFile(t, t.TempDir(), "in.json", tt.in)
			code, out, errOut := runCLI(t, now, "classify", "--in", in)
			if code != 0 {
				t.Fatalf("classify exited %d: %s", code, errOut)
			}
			var got []string
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				var o classifyOutput
				if err := json.Unmarshal([]byte(line), &o); err != nil {
					t.Fatalf("output line %q is not JSON: %v", line, err)
				}
				got = append(got, o.ID)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got ids %q, want %q", got, tt.want)
			}
		})
	}
}

func TestClassifyInputErrors(t *testing.T) {
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		name, in, want string
	}{
		{"calendarList response", `{"kind": "calendar#calendarList", "items": [{"kind": "calendar#calendarListEntry", "id": "me@example.com"}]}`,
			"in.json, line 1: this is a calendarList response (the list of your calendars), not events: save events.list output instead"},
		{"API error", "{\n \"error\": {\"code\": 403, \"message\": \"Rate Limit Exceeded\"}\n}",
			`in.json, line 1: this is an error response from the Google Calendar API, not events: code 403, message "Rate Limit Exceeded"`},
		{"wrong type", "[\n\"a\"]", "in.json, line 2: found a JSON string in an array where an event (a JSON object) was expected"},
		{"escapes in an id", "{\"id\": \"\\u001b[2Jx\"}", `in.json, line 1: event "\x1b[2Jx": no start time`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := writeFile(t, t.TempDir(), "in.json", tt.in)
			code, _, errOut := runCLI(t, now, "classify", "--in", in)
			if code != 1 || !strings.HasSuffix(errOut, tt.want+"\n") || strings.Count(errOut, "\n") != 1 {
				t.Errorf("exit %d, stderr %q; want 1 and one line ending %q", code, errOut, tt.want)
			}
		})
	}
}

// classify answers each event on standard input before the input ends, so
// it can sit in a pipe that stays open.
func TestClassifyStreamsStdin(t *testing.T) {
	bin := weekmapBinary(t)
	cmd := exec.Command(bin, "classify")
	cmd.Dir = t.TempDir() // no config: the built-in rules
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Wait()
	defer stdin.Close()
	lines := make(chan string)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	for _, id := range []string{"a", "b"} {
		fmt.Fprintf(stdin, `{"id":%q,"summary":"Postmortem","start":{"date":"2026-11-17"}}`+"\n", id)
		select {
		case line := <-lines:
			if !strings.Contains(line, `"id":"`+id+`"`) {
				t.Errorf("got output %q, want event %s", line, id)
			}
		case <-time.After(10 * time.Second):
			t.Fatalf("no output for event %s while standard input is open", id)
		}
	}
}

func TestRulesCommands(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	bad := writeFile(t, dir, "bad.yaml", "rules:\n  - name: x\n    category: design\n    title: ['(?i)stand(']\n")
	badCfg := writeFile(t, dir, "bad-config.yaml", "rules_file: "+bad+"\n")
	code, _, errOut := runCLI(t, now, "rules", "check", "--config", badCfg)
	if code != 1 || !strings.Contains(errOut, `bad.yaml:4: rule "x": title[0]: bad regexp "(?i)stand(`) {
		t.Errorf("rules check on a bad regexp: exit %d, stderr %q; want 1 and file:line, rule and regexp named", code, errOut)
	}

	good := writeFile(t, dir, "weekmap.yaml", "use_default_rules: true\n")
	code, out, errOut := runCLI(t, now, "rules", "check", "--config", good)
	if code != 0 || !strings.Contains(out, "rules OK") || !strings.Contains(out, "default_rules.yaml") {
		t.Errorf("rules check: exit %d, stdout %q, stderr %q", code, out, errOut)
	}

	events := writeFile(t, dir, "events.jsonl", classifyInput)
	labels := writeFile(t, dir, "labels.jsonl", `{"id":"a","category":"incident"}
{"id":"b","category":"ignore"}
{"id":"c","category":"design"}
`)
	code, out, errOut = runCLI(t, now, "rules", "eval", "--config", good, "--in", events, "--labels", labels)
	if code != 0 {
		t.Fatalf("rules eval exited %d: %s", code, errOut)
	}
	for _, want := range []string{"precision", "macro-F1", "confusion matrix", `c          design -> review (rule `} {
		if !strings.Contains(out, want) {
			t.Errorf("rules eval output lacks %q:\n%s", want, out)
		}
	}

	// The same events as an events.list response measure the same.
	list := writeFile(t, dir, "events.json", `{"kind": "calendar#events", "items": [`+strings.Join(inputEvents(), ",\n")+`]}`)
	if code, listOut, errOut := runCLI(t, now, "rules", "eval", "--config", good, "--in", list, "--labels", labels); code != 0 || listOut != out {
		t.Errorf("rules eval on an events.list response: exit %d, stderr %q, output\n%s\nwant\n%s", code, errOut, listOut, out)
	}
	unlabeled := writeFile(t, dir, "two.jsonl", `{"id":"a","category":"incident"}`+"\n")
	code, _, errOut = runCLI(t, now, "rules", "eval", "--config", good, "--in", events, "--labels", unlabeled)
	if code != 1 || !strings.Contains(errOut, `event "b" in`) {
		t.Errorf("rules eval with a missing label: exit %d, stderr %q", code, errOut)
	}

	code, out, _ = runCLI(t, now, "rules", "default")
	if code != 0 || !strings.HasPrefix(out, "#") || !strings.Contains(out, "rules:") {
		t.Errorf("rules default: exit %d, output starts %.40q; want the commented built-in file", code, out)
	}
}
