package main

import (
	"encoding/json"
	"os"
	"path/filepath"
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
	if code != 1 || !strings.Contains(errOut, "bad.jsonl, line 2: not a JSON event") {
		t.Errorf("malformed input: exit %d, stderr %q; want 1 and the line named", code, errOut)
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
