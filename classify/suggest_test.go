package classify

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
)

func TestWordsAndPhrases(t *testing.T) {
	tests := []struct {
		title   string
		words   string
		phrases []string
	}{
		{"Sync w/ Bob", "sync|w|bob", []string{"sync", "sync w", "sync w bob", "w bob", "bob"}},
		{"1:1 Ann <> Ben", "1|1|ann|ben", []string{"1 1 ann", "1 ann", "1 ann ben", "ann", "ann ben", "ben"}},
		{"Übergabe Q3-Planung", "übergabe|q3|planung", []string{"übergabe", "übergabe q3", "übergabe q3 planung", "q3 planung", "planung"}},
		{"2026 12 07", "2026|12|07", nil},
		{"", "", nil},
	}
	for _, tt := range tests {
		ws := words(tt.title)
		if got := strings.Join(ws, "|"); got != tt.words {
			t.Errorf("words(%q) = %q, want %q", tt.title, got, tt.words)
		}
		if got := phrases(ws, 3); !slices.Equal(got, tt.phrases) {
			t.Errorf("phrases(%q) = %q, want %q", tt.title, got, tt.phrases)
		}
	}
}

func TestPhraseRegexp(t *testing.T) {
	tests := []struct {
		words   []string
		want    string
		match   []string
		noMatch []string
	}{
		{[]string{"sync", "w", "bob"}, `(?i)\bsync\W+w\W+bob\b`,
			[]string{"Sync w/ Bob", "weekly SYNC - w - bob!"}, []string{"Sync with Bob", "async w bob", "sync w bobby"}},
		{[]string{"übergabe"}, `(?i)(?:^|[^\pL\pN])übergabe(?:[^\pL\pN]|$)`,
			[]string{"Übergabe", "Schicht-Übergabe 7"}, []string{"Übergaben", "xübergabe"}},
	}
	for _, tt := range tests {
		got := phraseRegexp(tt.words)
		if got != tt.want {
			t.Errorf("phraseRegexp(%q) = %s, want %s", tt.words, got, tt.want)
		}
		re := regexp.MustCompile(got)
		for _, s := range tt.match {
			if !re.MatchString(s) {
				t.Errorf("%s does not match %q", got, s)
			}
		}
		for _, s := range tt.noMatch {
			if re.MatchString(s) {
				t.Errorf("%s matches %q", got, s)
			}
		}
	}
}

// suggestClassifier is the classifier of rules (a rules_file's YAML, "" for
// none), with or without the built-in rules.
func suggestClassifier(t *testing.T, rules string, defaults bool) (*Classifier, config.Rules) {
	t.Helper()
	cfg := config.Default().Rules
	cfg.UseDefaultRules = defaults
	if rules != "" {
		cfg.RulesFile = filepath.Join(t.TempDir(), "rules.yaml")
		if err := os.WriteFile(cfg.RulesFile, []byte(rules), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c, cfg
}

// pasteSuggestions appends the items of the suggestions' YAML to the
// rules_file of cfg (creating it if cfg has none), as the output tells a
// person to, and returns the classifier of the result.
func pasteSuggestions(t *testing.T, cfg config.Rules, out []byte) *Classifier {
	t.Helper()
	own := []byte("rules:\n")
	if cfg.RulesFile != "" {
		var err error
		if own, err = os.ReadFile(cfg.RulesFile); err != nil {
			t.Fatal(err)
		}
	} else {
		cfg.RulesFile = filepath.Join(t.TempDir(), "rules.yaml")
	}
	_, items, ok := bytes.Cut(out, []byte("\nrules:\n"))
	if !ok {
		t.Fatalf("suggestions lack a rules: list:\n%s", out)
	}
	if err := os.WriteFile(cfg.RulesFile, append(own, items...), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("the rules_file with the suggestions pasted in does not check: %v", err)
	}
	return c
}

// TestSuggestRaisesEval proposes rules for the labeled sets, with and
// without the built-in rules and a rules_file, and checks that every
// suggestion set passes the checks of `rules check` and, pasted at the end
// of the rules_file, raises the accuracy of `rules eval` by what it says.
func TestSuggestRaisesEval(t *testing.T) {
	own := `rules:
  - {name: mine, category: alignment, title: ['(?i)\bsync\b']}
`
	for _, set := range []string{"dev", "eval"} {
		items := readLabeled(t, filepath.Join("testdata", set, "events.jsonl"), filepath.Join("testdata", set, "labels.jsonl"))
		for _, tt := range []struct {
			name     string
			rules    string
			defaults bool
		}{
			{"fallback only", "", false},
			{"rules_file only", own, false},
			{"built-in rules", "", true},
			{"rules_file and built-in rules", own, true},
		} {
			t.Run(set+"/"+tt.name, func(t *testing.T) {
				c, cfg := suggestClassifier(t, tt.rules, tt.defaults)
				s, err := Suggest(c, items, SuggestOptions{})
				if err != nil {
					t.Fatal(err)
				}
				var out bytes.Buffer
				if err := s.WriteYAML(&out); err != nil {
					t.Fatal(err)
				}
				if _, err := ParseRules("suggested.yaml", out.Bytes()); err != nil {
					t.Fatalf("the suggestions do not parse as a rules file: %v\n%s", err, out.String())
				}
				before := Evaluate(c, items)
				after := Evaluate(pasteSuggestions(t, cfg, out.Bytes()), items)
				if before.Accuracy != s.Before.Accuracy || after.Accuracy != s.After.Accuracy || after.MacroF1 != s.After.MacroF1 {
					t.Errorf("Suggest says accuracy %.3f -> %.3f (macro-F1 -> %.3f); pasted in, rules eval says %.3f -> %.3f (%.3f)",
						s.Before.Accuracy, s.After.Accuracy, s.After.MacroF1, before.Accuracy, after.Accuracy, after.MacroF1)
				}
				fixes := 0
				for _, sg := range s.Rules {
					fixes += sg.Fixes - sg.Breaks
					if sg.Precision < DefaultSuggestOptions.MinPrecision || sg.Correct < DefaultSuggestOptions.MinSupport || sg.Fixes <= sg.Breaks {
						t.Errorf("suggestion %s: precision %.2f, support %d, fixes %d, breaks %d; want at least %.2f and %d, and more fixes than breaks",
							sg.Rule.Name, sg.Precision, sg.Correct, sg.Fixes, sg.Breaks, DefaultSuggestOptions.MinPrecision, DefaultSuggestOptions.MinSupport)
					}
				}
				if got, want := len(before.Misses)-len(after.Misses), fixes; got != want {
					t.Errorf("pasted in, the suggestions fix %d events, want %d (their fixes less their breaks)", got, want)
				}
				if len(s.Rules) > 0 && after.Accuracy <= before.Accuracy {
					t.Errorf("accuracy %.3f -> %.3f with %d suggestions, want a rise", before.Accuracy, after.Accuracy, len(s.Rules))
				}
				if !tt.defaults && (len(s.Rules) < 10 || after.Accuracy < before.Accuracy+0.15) {
					t.Errorf("without the built-in rules: %d suggestions, accuracy %.3f -> %.3f; want at least 10 and a rise of 0.15", len(s.Rules), before.Accuracy, after.Accuracy)
				}
				t.Logf("%d suggestions, accuracy %.3f -> %.3f, macro-F1 %.3f -> %.3f", len(s.Rules), before.Accuracy, after.Accuracy, before.MacroF1, after.MacroF1)
			})
		}
	}
}

// TestSuggestGolden pins the output for a small labeled set.
func TestSuggestGolden(t *testing.T) {
	ev := func(id, title string) cal.Event { return *event(title, func(e *cal.Event) { e.ID = id }) }
	items := []Labeled{
		{ev("1", "Sync w/ Bob"), "alignment"},
		{ev("2", "Sync w/ Bob"), "alignment"},
		{ev("3", "sync w/ bob (moved)"), "alignment"},
		{ev("4", "Roadmap sync"), "alignment"},
		{ev("5", "Roadmap sync"), "alignment"},
		{ev("6", "Sync: RFC-7 edge cases"), "design"},
		{ev("7", "Schema whiteboard"), "design"},
		{ev("8", "Whiteboard: queues"), "design"},
		{ev("9", "whiteboard session"), "design"},
		{ev("10", "Übergabe Nachtschicht"), "incident"},
		{ev("11", "Übergabe Frühschicht"), "incident"},
		{ev("12", "Write importer"), "implementation"},
		{ev("13", "Lunch"), "ignore"},
		{ev("14", "Lunch w/ Bob"), "ignore"},
		{ev("15", "Bob's farewell lunch"), "ignore"},
	}
	c, _ := suggestClassifier(t, `rules:
  - {name: rfc, category: design, title: ['(?i)\brfc\b']}
  - {name: suggested-design-whiteboard, category: review, title: ['^never$']}
`, false)
	s, err := Suggest(c, items, SuggestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := s.WriteYAML(&b); err != nil {
		t.Fatal(err)
	}
	golden := filepath.Join("testdata", "suggest.golden")
	if *update {
		if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("suggestions:\ngot\n%s\nwant\n%s", got, want)
	}

	// Nothing to learn from: one event of each category.
	s, err = Suggest(c, items[11:13], SuggestOptions{})
	if err != nil {
		t.Fatal(err)
	}
	b.Reset()
	if err := s.WriteYAML(&b); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "no title keyword improves") || !strings.HasSuffix(b.String(), "\nrules: []\n") {
		t.Errorf("with nothing to suggest, got\n%s", b.String())
	}
	if _, err := ParseRules("none.yaml", b.Bytes()); err != nil {
		t.Errorf("the empty suggestion does not parse: %v", err)
	}
}
