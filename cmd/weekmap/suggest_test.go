package main

import (
	"fmt"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/weekmap/weekmap/classify"
)

// suggestSet is a labeled set the test's rules mostly get wrong: titles and
// their categories, each title once a day.
var suggestSet = []struct {
	title, category string
	n               int
}{
	{"Sync w/ Bob", "alignment", 3},
	{"Roadmap sync", "alignment", 2},
	{"Whiteboard: queues", "design", 1},
	{"Schema whiteboard", "design", 1},
	{"whiteboard session", "design", 1},
	{"Lunch", "ignore", 2},
	{"Team lunch", "ignore", 1},
	{"Write importer", "implementation", 2},
	{"RFC-7 review", "design", 1},
	{"Sync: RFC-9 edge cases", "design", 1},
}

// writeSuggestSet writes suggestSet as events and labels, as rules eval
// takes them.
func writeSuggestSet(t *testing.T, dir string) (events, labels string) {
	t.Helper()
	var ev, lb strings.Builder
	id := 0
	for _, s := range suggestSet {
		for range s.n {
			id++
			day := 1 + id%28
			fmt.Fprintf(&ev, `{"id":"e%d","summary":%q,"start":{"dateTime":"2026-11-%02dT10:00:00Z"},"end":{"dateTime":"2026-11-%02dT11:00:00Z"}}`+"\n", id, s.title, day, day)
			fmt.Fprintf(&lb, `{"id":"e%d","category":%q}`+"\n", id, s.category)
		}
	}
	return writeFile(t, dir, "events.jsonl", ev.String()), writeFile(t, dir, "labels.jsonl", lb.String())
}

var accuracyRE = regexp.MustCompile(`accuracy ([0-9.]+) \(([0-9]+) of`)

// evalAccuracy runs rules eval and returns its accuracy.
func evalAccuracy(t *testing.T, cfg, events, labels string) float64 {
	t.Helper()
	code, out, errOut := runCLI(t, labelNow, "rules", "eval", "--config", cfg, "--in", events, "--labels", labels)
	if code != 0 {
		t.Fatalf("rules eval exited %d: %s", code, errOut)
	}
	m := accuracyRE.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("rules eval prints no accuracy:\n%s", out)
	}
	acc, _ := strconv.ParseFloat(m[1], 64)
	return acc
}

// TestRulesSuggest proposes rules for labeled events, pastes them at the
// end of the rules_file as the output says, and checks that rules check
// accepts them and rules eval scores the events higher.
func TestRulesSuggest(t *testing.T) {
	dir := t.TempDir()
	events, labels := writeSuggestSet(t, dir)
	own := "rules:\n  - {name: rfc, category: design, title: ['(?i)\\brfc\\b']}\n  - {name: suggested-design-whiteboard, category: review, title: ['^never$']}\n"
	rules := writeFile(t, dir, "rules.yaml", own)
	cfg := writeFile(t, dir, "weekmap.yaml", "rules_file: rules.yaml\nuse_default_rules: false\n")

	before := evalAccuracy(t, cfg, events, labels)
	code, out, errOut := runCLI(t, labelNow, "rules", "suggest", "--config", cfg, "--in", events, "--labels", labels)
	if code != 0 {
		t.Fatalf("rules suggest exited %d: %s", code, errOut)
	}
	for _, want := range []string{
		"# precision 0.83 (5 of the 6 labeled events it matches are alignment), recall 1.00 (5 of 5), support 6; fixes 5, breaks 0\n  - name: suggested-alignment-sync\n",
		"  - name: suggested-design-whiteboard-2\n    category: design\n    title: ['(?i)\\bwhiteboard\\b']\n",
		"suggested-ignore-lunch",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("rules suggest output lacks %q:\n%s", want, out)
		}
	}
	_, items, ok := strings.Cut(out, "\nrules:\n")
	if !ok {
		t.Fatalf("no rules: list in\n%s", out)
	}
	if err := os.WriteFile(rules, []byte(own+items), 0o600); err != nil {
		t.Fatal(err)
	}
	code, checked, errOut := runCLI(t, labelNow, "rules", "check", "--config", cfg)
	if code != 0 || !strings.Contains(checked, "suggested-ignore-lunch") {
		t.Fatalf("rules check with the suggestions pasted in: exit %d, %s%s", code, checked, errOut)
	}
	after := evalAccuracy(t, cfg, events, labels)
	if after <= before || after != 1 {
		t.Errorf("rules eval accuracy %.3f before the suggestions, %.3f after; want 1.000 after", before, after)
	}
	if want := fmt.Sprintf("from accuracy %.3f to %.3f", before, after); !strings.Contains(out, want) {
		t.Errorf("rules suggest does not say %q:\n%s", want, out)
	}

	// Pasted in, nothing is left to suggest.
	code, out, _ = runCLI(t, labelNow, "rules", "suggest", "--config", cfg, "--in", events, "--labels", labels)
	if code != 0 || !strings.HasSuffix(out, "\nrules: []\n") {
		t.Errorf("rules suggest a second time: exit %d, output\n%s\nwant no rules", code, out)
	}
}

// TestRulesSuggestFromLabelsFile proposes rules from the labels_file and
// the stored events it labels.
func TestRulesSuggestFromLabelsFile(t *testing.T) {
	cfg := labelCalendar(t, labelEvents, "labels:\n  - {series: bob, category: design}\n  - {title: 1:1 ann, category: alignment}\n")
	code, out, errOut := runCLI(t, labelNow, "rules", "suggest", "--config", cfg)
	if code != 0 {
		t.Fatalf("rules suggest exited %d: %s", code, errOut)
	}
	// Ann's two events are alignment, and the fallback says
	// implementation: a rule pasted at the end of the rules_file fixes
	// them. The series' five are design, and the rules_file's own groups
	// says alignment: no rule after it can change that, and the output
	// says so.
	for _, want := range []string{
		"# weekmap rules suggest: 1 rule from the titles of 7 labeled events.\n",
		"from accuracy 0.000 to 0.286",
		"# Your own rules get 5 of these events wrong",
		"  - name: suggested-alignment-ann\n    category: alignment\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("rules suggest output lacks %q:\n%s", want, out)
		}
	}
	if _, err := classify.ParseRules("suggested", []byte(out)); err != nil {
		t.Errorf("the suggestions are not a rules file: %v", err)
	}
}

func TestRulesSuggestErrors(t *testing.T) {
	dir := t.TempDir()
	events, labels := writeSuggestSet(t, dir)
	noLabels := writeFile(t, dir, "weekmap.yaml", "store: ./weekmap.db\nsources:\n  - {name: work, type: json, path: events.jsonl}\n")
	empty := labelCalendar(t, labelEvents, "# none yet\n")
	tests := []struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}{
		{"in without labels", []string{"--config", noLabels, "--in", events}, 2, "--in EVENTS and --labels LABELS go together"},
		{"bad precision", []string{"--config", noLabels, "--in", events, "--labels", labels, "--min-precision", "1.5"}, 2, "--min-precision 1.5"},
		{"bad support", []string{"--config", noLabels, "--in", events, "--labels", labels, "--min-support", "0"}, 2, "--min-support and --max must be at least 1"},
		{"no labels_file", []string{"--config", noLabels}, 1, "sets no labels_file: give --in EVENTS --labels LABELS"},
		{"no labels yet", []string{"--config", empty}, 1, "has no labels yet: run weekmap label"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, errOut := runCLI(t, labelNow, append([]string{"rules", "suggest"}, tt.args...)...)
			if code != tt.wantCode || !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("exit %d, stderr %q; want %d and %q", code, errOut, tt.wantCode, tt.wantErr)
			}
		})
	}
}

// TestLabelsInClassifyAndCheck checks that classify --explain and rules
// check show the labels_file: a labeled event's rule is "label", and
// explain says which label.
func TestLabelsInClassifyAndCheck(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "labels.yaml", "labels:\n  - {title: lunch, category: design}\n")
	in := writeFile(t, dir, "in.jsonl", classifyInput)
	cfg := writeFile(t, dir, "weekmap.yaml", "labels_file: labels.yaml\n")
	code, out, errOut := runCLI(t, labelNow, "classify", "--config", cfg, "--in", in, "--explain")
	if code != 0 {
		t.Fatalf("classify exited %d: %s", code, errOut)
	}
	want := `{"id":"b","category":"design","rule":"label","explain":[{"rule":"label","category":"design","matched":true,"why":"title \"lunch\" (` + dir + `/labels.yaml:2)"}]}`
	if !strings.Contains(out, want+"\n") {
		t.Errorf("classify --explain:\n%s\nwant the line\n%s", out, want)
	}
	code, out, _ = runCLI(t, labelNow, "rules", "check", "--config", cfg)
	if code != 0 || !strings.Contains(out, "\n1 labels OK; they outrank every rule (rule \"label\")\n") {
		t.Errorf("rules check: exit %d, output\n%s", code, out)
	}
}
