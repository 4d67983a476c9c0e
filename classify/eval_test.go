package classify

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
)

func TestEvaluate(t *testing.T) {
	rules, err := ParseRules("eval.yaml", []byte(`rules:
  - {name: rfc, category: design, title: ['(?i)\brfc\b']}
  - {name: review, category: review, title: ['(?i)review']}
`))
	if err != nil {
		t.Fatal(err)
	}
	cfg := config.Default().Rules
	cfg.UseDefaultRules = false
	c, err := newClassifier(cfg, rules)
	if err != nil {
		t.Fatal(err)
	}
	item := func(id, title, want string) Labeled {
		return Labeled{Event: cal.Event{ID: id, Title: title}, Want: want}
	}
	ev := Evaluate(c, []Labeled{
		item("1", "RFC 12", "design"),
		item("2", "RFC review", "review"), // classified design: a miss
		item("3", "Design review", "review"),
		item("4", "Coding", "implementation"),
		item("5", "Whiteboard", "design"), // classified implementation: a miss
		// An id from a hostile invitation, which the list of misses prints.
		item("6\x1b]0;PWNED\a\x1b[2J", "Coding", "design"),
	})
	if ev.Total != 6 || len(ev.Misses) != 3 || ev.Accuracy != 0.5 {
		t.Errorf("got total %d, %d misses, accuracy %v; want 6, 3, 0.5", ev.Total, len(ev.Misses), ev.Accuracy)
	}
	want := map[string]Score{
		// design: TP 1 (1), FP 1 (2), FN 2 (5, 6).
		"design": {Category: "design", Precision: 0.5, Recall: 1.0 / 3, F1: 0.4, TruePos: 1, FalsePos: 1, FalseNeg: 2, Support: 3},
		// review: TP 1 (3), FN 1 (2).
		"review": {Category: "review", Precision: 1, Recall: 0.5, F1: 2.0 / 3, TruePos: 1, FalseNeg: 1, Support: 2},
		// implementation: TP 1 (4), FP 2 (5, 6).
		"implementation": {Category: "implementation", Precision: 1.0 / 3, Recall: 1, F1: 0.5, TruePos: 1, FalsePos: 2, Support: 1},
	}
	if got := strings.Join(ev.Categories, ","); got != "design,review,implementation" {
		t.Errorf("got categories %s, want design,review,implementation (report order, only those seen)", got)
	}
	for _, s := range ev.Scores {
		w := want[s.Category]
		if s.TruePos != w.TruePos || s.FalsePos != w.FalsePos || s.FalseNeg != w.FalseNeg || s.Support != w.Support ||
			math.Abs(s.Precision-w.Precision) > 1e-9 || math.Abs(s.Recall-w.Recall) > 1e-9 || math.Abs(s.F1-w.F1) > 1e-9 {
			t.Errorf("got %+v, want %+v", s, w)
		}
	}
	if wantMacro := (0.4 + 2.0/3 + 0.5) / 3; math.Abs(ev.MacroF1-wantMacro) > 1e-9 {
		t.Errorf("got macro-F1 %v, want %v", ev.MacroF1, wantMacro)
	}
	if n := ev.Confusion["review"]["design"]; n != 1 {
		t.Errorf("got confusion[review][design] = %d, want 1", n)
	}

	var buf bytes.Buffer
	if err := ev.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"macro-F1 0.522, accuracy 0.500 (3 of 6 events)",
		"confusion matrix (rows: labeled, columns: classified)",
		`2          review -> design (rule rfc): "RFC review"`,
		`5          design -> implementation (rule fallback): "Whiteboard"`,
		`design -> implementation (rule fallback): "Coding"`,
	} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("report lacks %q:\n%s", want, buf.String())
		}
	}
	if strings.ContainsAny(buf.String(), "\x1b\a") {
		t.Errorf("report carries the id's escape sequences:\n%q", buf.String())
	}
}

func TestReadLabels(t *testing.T) {
	got, err := ReadLabels("l.jsonl", []byte("{\"id\":\"a\",\"category\":\"design\",\"rule\":\"rfc\"}\n\n{\"id\":\"b\",\"category\":\"ignore\"}\n"), cal.BuiltinWork())
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got["a"] != "design" || got["b"] != "ignore" {
		t.Errorf("got %v, want a=design b=ignore", got)
	}
	for _, tt := range []struct{ data, want string }{
		{"{\"id\":\"a\"}\n", `labels file l.jsonl, line 1: needs an "id" and a "category"`},
		{"{\"id\":\"a\",\"category\":\"design\"}\n{\"id\":\"a\",\"category\":\"review\"}\n", `labels file l.jsonl, line 2: id "a" is labeled twice`},
		{"{\"id\":\"a\",\"category\":\"off\"}\n{\"id\":\"b\",\"category\":\"desing\"}\n", `labels file l.jsonl, line 2: unknown category "desing" (want one of design, review, alignment, incident, implementation, ignore, off)`},
		{"\n{nope\n", "labels file l.jsonl, line 2: invalid character"},
	} {
		_, err := ReadLabels("l.jsonl", []byte(tt.data), cal.BuiltinWork())
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ReadLabels(%q) error = %v, want %q", tt.data, err, tt.want)
		}
	}
}
