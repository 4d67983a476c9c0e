package classify

import (
	"errors"
	"path/filepath"
	"reflect"
	"regexp/syntax"
	"testing"
	"time"

	"github.com/weekmap/weekmap/config"
)

// TestInvalidRuleFiles checks that each broken file is refused with an error
// that names the file, the line, the rule and the problem.
func TestInvalidRuleFiles(t *testing.T) {
	tests := []struct {
		file string
		want string
	}{
		{"invalid-regexp.yaml", `testdata/invalid-regexp.yaml:11: rule "standups": title[1]: bad regexp "(?i)stand(": error parsing regexp: missing closing ): ` + "`(?i)stand(`"},
		{"invalid-category.yaml", `testdata/invalid-category.yaml:3: rule "rfcs": category: unknown category "desgin" (want one of design, review, alignment, incident, implementation, support, ignore, off)`},
		{"invalid-custom-category.yaml", `testdata/invalid-custom-category.yaml:4: rule "pager": category: unknown category "oncall" (want one of design, review, alignment, incident, implementation, support, ignore, off)`},
		{"invalid-key.yaml", `testdata/invalid-key.yaml:4: rule "rfcs": unknown key "titel" (want one of name, category, title, description, text, event_type, attendees, organizer_self, recurring, color, duration, external, calendar)`},
		{"invalid-duplicate.yaml", `testdata/invalid-duplicate.yaml:5: rule "lunch": name is already used by the rule on line 2`},
		{"invalid-empty-rule.yaml", `testdata/invalid-empty-rule.yaml:2: rule "everything": has no conditions: it would match every event (add one of title, description, text, event_type, attendees, organizer_self, recurring, color, duration, external, calendar)`},
		{"invalid-min-max.yaml", `testdata/invalid-min-max.yaml:4: rule "big": attendees: min 5 is greater than max 2`},
		{"invalid-duration.yaml", `testdata/invalid-duration.yaml:5: rule "short": duration.min: "15 minutes" is not a duration like 15m or 1h30m`},
		{"invalid-attendees.yaml", `testdata/invalid-attendees.yaml:4: rule "crowd": attendees.min: "-1" is not a whole number of people`},
		{"invalid-range-key.yaml", `testdata/invalid-range-key.yaml:4: rule "long": duration: unknown key "minimum" (want min or max)`},
		{"invalid-bool.yaml", `testdata/invalid-bool.yaml:4: rule "series": recurring: "yes" must be true or false`},
		{"invalid-no-name.yaml", `testdata/invalid-no-name.yaml:5: rules[1]: name is required`},
		{"invalid-reserved.yaml", `testdata/invalid-reserved.yaml:2: rule "fallback": name "fallback" is reserved for events no rule matches`},
		{"invalid-top-key.yaml", `testdata/invalid-top-key.yaml:1: unknown key "rule" (want rules)`},
		{"invalid-no-rules.yaml", `testdata/invalid-no-rules.yaml: no rules: the file must have a "rules:" list`},
		{"invalid-syntax.yaml", `testdata/invalid-syntax.yaml:3: found a tab character that violates indentation`},
		{"invalid-multiple.yaml", `testdata/invalid-multiple.yaml:5: rule "one": title[0]: bad regexp "(": error parsing regexp: missing closing ): ` + "`(`" + `
testdata/invalid-multiple.yaml:8: rule "two": color: empty list: it could never match`},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			cfg := config.Default().Rules
			cfg.Categories = []string{"support"}
			cfg.RulesFile = filepath.Join("testdata", tt.file)
			_, err := New(cfg)
			if err == nil {
				t.Fatalf("New: got no error, want %q", tt.want)
			}
			if got := err.Error(); got != tt.want {
				t.Errorf("New: got error\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

// TestInvalidFilesAllListed keeps the table above in step with testdata.
func TestInvalidFilesAllListed(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "invalid-*.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(files), 17; got != want {
		t.Errorf("got %d testdata/invalid-*.yaml files, want %d (add new ones to TestInvalidRuleFiles)", got, want)
	}
}

func TestParseRules(t *testing.T) {
	data := []byte(`
rules:
  - name: focus
    category: implementation
    event_type: focusTime          # a lone string is a list of one
    duration: {min: 30m, max: 4h}
    attendees: {max: 1}
    organizer_self: true
  - name: pager
    category: incident
    calendar: [oncall, pager]
    color: ["11"]
    recurring: false
    external: false
    text: ['(?i)\bpage\b']
    description: ['runbook']
`)
	rules, err := ParseRules("r.yaml", data)
	if err != nil {
		t.Fatalf("ParseRules: %v", err)
	}
	if len(rules) != 2 {
		t.Fatalf("got %d rules, want 2", len(rules))
	}
	f, p := rules[0], rules[1]
	checks := []struct {
		what      string
		got, want any
	}{
		{"focus name", f.Name, "focus"},
		{"focus line", f.Line, 3},
		{"focus file", f.File, "r.yaml"},
		{"focus event_type", f.EventType, []string{"focusTime"}},
		{"focus duration.min", *f.Duration.Min, 30 * time.Minute},
		{"focus duration.max", *f.Duration.Max, 4 * time.Hour},
		{"focus attendees.min set", f.Attendees.Min != nil, false},
		{"focus attendees.max", *f.Attendees.Max, 1},
		{"focus organizer_self", *f.OrganizerSelf, true},
		{"focus recurring set", f.Recurring != nil, false},
		{"pager category", p.Category, "incident"},
		{"pager line", p.Line, 9},
		{"pager calendar", p.Calendar, []string{"oncall", "pager"}},
		{"pager color", p.Color, []string{"11"}},
		{"pager recurring", *p.Recurring, false},
		{"pager external", *p.External, false},
		{"pager text", p.Text[0].String(), `(?i)\bpage\b`},
		{"pager description", p.Description[0].String(), "runbook"},
	}
	for _, c := range checks {
		if !reflect.DeepEqual(c.got, c.want) {
			t.Errorf("%s: got %v, want %v", c.what, c.got, c.want)
		}
	}
}

func TestParseRulesEmptyList(t *testing.T) {
	rules, err := ParseRules("r.yaml", []byte("rules: []\n"))
	if err != nil || len(rules) != 0 {
		t.Errorf("ParseRules(rules: []): got %d rules, %v; want 0 rules, no error", len(rules), err)
	}
}

func TestErrorUnwraps(t *testing.T) {
	_, err := ParseRules("r.yaml", []byte("rules:\n  - name: x\n    category: design\n    title: ['(']\n"))
	var re *Error
	if !errors.As(err, &re) {
		t.Fatalf("got %T, want a *classify.Error in the chain", err)
	}
	if re.Line != 4 || re.Rule != "x" || re.File != "r.yaml" {
		t.Errorf("got file %q line %d rule %q, want r.yaml line 4 rule x", re.File, re.Line, re.Rule)
	}
	var syn *syntax.Error
	if !errors.As(err, &syn) {
		t.Errorf("got %v, want the regexp/syntax error wrapped", err)
	}
}
