package classify

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
)

const labelsYAML = `# my corrections
labels:
  - series: weekly-bob   # Sync w/ Bob
    category: alignment
  - event: e1
    calendar: work
    category: review
    note: the odd one
  - title: "  Office Hours "
    category: design
  - {series: s2, category: ignore}
`

// labeledClassifier has two rules of its own and labels as labels_file.
func labeledClassifier(t *testing.T, labels string) *Classifier {
	t.Helper()
	cfg := config.Default().Rules
	cfg.UseDefaultRules = false
	dir := t.TempDir()
	cfg.RulesFile = filepath.Join(dir, "rules.yaml")
	cfg.LabelsFile = filepath.Join(dir, "labels.yaml")
	rules := `rules:
  - {name: rfc, category: design, title: ['(?i)\brfc\b']}
  - {name: review, category: review, title: ['(?i)review']}
`
	if err := os.WriteFile(cfg.RulesFile, []byte(rules), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg.LabelsFile, []byte(labels), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func TestLabelsOutrankRules(t *testing.T) {
	c := labeledClassifier(t, labelsYAML)
	series := func(id string) func(*cal.Event) {
		return func(e *cal.Event) { e.RecurringEventID = id }
	}
	id := func(id string) func(*cal.Event) { return func(e *cal.Event) { e.ID = id } }
	tests := []struct {
		name  string
		event *cal.Event
		want  Result
		// wantWhy is part of the label's trace; "" when a rule decides.
		wantWhy string
	}{
		{"series label beats the rules", event("RFC review", id("e9"), series("weekly-bob")),
			Result{"alignment", LabelRule}, `series "weekly-bob" (`},
		{"an event label beats its series' label", event("Sync w/ Bob", series("weekly-bob")),
			Result{"review", LabelRule}, `event "e1" in calendar "work" (`},
		{"an event label is of one calendar", event("Review", withCalendar("home")),
			Result{"review", "review"}, ""},
		{"a series label beats a title label", event("office hours", id("e7"), series("s2")),
			Result{"ignore", LabelRule}, `series "s2" (`},
		{"titles match trimmed and whatever their case", event("OFFICE HOURS", id("e8")),
			Result{"design", LabelRule}, `title "  Office Hours " (`},
		{"a title label needs the whole title", event("Office hours with Ann", id("e8")),
			Result{"implementation", "fallback"}, ""},
		{"another series is not labeled", event("RFC-9 discussion", id("e8"), series("other")),
			Result{"design", "rfc"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := c.Classify(tt.event)
			res, traces := c.Explain(tt.event)
			if res != got {
				t.Errorf("Explain = %+v, Classify = %+v; want them equal", res, got)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
			if tt.wantWhy == "" {
				return
			}
			if len(traces) != 1 || traces[0].Rule != LabelRule || !traces[0].Matched || !strings.Contains(traces[0].Why, tt.wantWhy) {
				t.Errorf("Explain traces = %+v, want one matched label trace saying %q", traces, tt.wantWhy)
			}
		})
	}
	if n := len(c.Labels()); n != 4 {
		t.Errorf("Labels() has %d labels, want 4", n)
	}
}

func TestLabelFileErrors(t *testing.T) {
	tests := []struct {
		name, yaml, want string
	}{
		{"unknown top key", "label:\n  - {series: a, category: design}\n", `l.yaml:1: unknown key "label" (want labels)`},
		{"not a list", "labels: {series: a}\n", "l.yaml:1: labels must be a list"},
		{"not a mapping", "labels:\n  - design\n", "l.yaml:2: labels[0]: must be a mapping"},
		{"unknown key", "labels:\n  - series: a\n    catgory: design\n", `l.yaml:3: labels[0]: unknown key "catgory" (want one of event, calendar, series, title, category, note)`},
		{"key twice", "labels:\n  - series: a\n    category: design\n    category: review\n", "l.yaml:4: labels[0]: category: appears twice"},
		{"no target", "labels:\n  - category: design\n", "l.yaml:2: labels[0]: needs one of event, series or title"},
		{"two targets", "labels:\n  - series: a\n    title: Sync\n    category: design\n", "l.yaml:3: labels[0]: title: a label is of one event, one series or one title, and this one already has series"},
		{"no category", "labels:\n  - series: a\n", "l.yaml:2: labels[0]: category is required"},
		{"empty value", "labels:\n  - {title: '  ', category: design}\n", "l.yaml:2: labels[0]: title: must not be empty"},
		{"list value", "labels:\n  - {series: [a, b], category: design}\n", "l.yaml:2: labels[0]: series: must be a string"},
		{"event without calendar", "labels:\n  - {event: e1, category: design}\n", "l.yaml:2: labels[0]: an event label needs calendar"},
		{"calendar on a series", "labels:\n  - {series: s, calendar: work, category: design}\n", "l.yaml:2: labels[0]: calendar: only an event label has one"},
		{"duplicate series", "labels:\n  - {series: a, category: design}\n  - {series: a, category: design}\n", `l.yaml:3: series "a" is already labeled on line 2`},
		{"duplicate title", "labels:\n  - {title: Sync, category: design}\n  - {title: ' SYNC', category: review}\n", `l.yaml:3: title " SYNC" (titles match whatever their case) is already labeled on line 2`},
		{"duplicate event", "labels:\n  - {event: e, calendar: w, category: design}\n  - {event: e, calendar: w, category: review}\n", `l.yaml:3: event "e" is already labeled on line 2`},
		{"syntax", "labels:\n\t- x\n", "l.yaml:2: found character that cannot start any token"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseLabelFile("l.yaml", []byte(tt.yaml))
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("got error %v, want one starting %q", err, tt.want)
			}
		})
	}
	// The same event id in two calendars is two events.
	if _, err := ParseLabelFile("l.yaml", []byte("labels:\n  - {event: e, calendar: a, category: design}\n  - {event: e, calendar: b, category: review}\n")); err != nil {
		t.Errorf("one id in two calendars: %v", err)
	}
	for _, empty := range []string{"", "# nothing yet\n", "labels:\n", "labels: []\n"} {
		f, err := ParseLabelFile("l.yaml", []byte(empty))
		if err != nil || len(f.Labels()) != 0 {
			t.Errorf("ParseLabelFile(%q) = %v, %v; want no labels and no error", empty, f.Labels(), err)
		}
	}
}

// TestLabelCategories checks that New refuses a label whose category rules
// could not give, at the line of the category, and accepts custom ones.
func TestLabelCategories(t *testing.T) {
	cfg := config.Default().Rules
	cfg.Categories = []string{"hiring"}
	cfg.LabelsFile = filepath.Join(t.TempDir(), "labels.yaml")
	data := "labels:\n  - series: a\n    category: hiring\n  - series: b\n    category: desing\n"
	if err := os.WriteFile(cfg.LabelsFile, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := New(cfg)
	want := cfg.LabelsFile + `:5: labels[1]: category: unknown category "desing" (want one of design, review, alignment, incident, implementation, hiring, ignore, off)`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}

	// A labels file that does not exist yet has no labels.
	cfg.LabelsFile = filepath.Join(t.TempDir(), "new.yaml")
	c, err := New(cfg)
	if err != nil || len(c.Labels()) != 0 {
		t.Errorf("missing labels file: %v, %d labels; want no error and none", err, len(c.Labels()))
	}
}

// TestLabelFileSet checks that Set adds and changes labels, and that
// Marshal keeps what the file said, comments included.
func TestLabelFileSet(t *testing.T) {
	f, err := ParseLabelFile("l.yaml", []byte(labelsYAML))
	if err != nil {
		t.Fatal(err)
	}
	for _, l := range []Label{
		{Kind: LabelSeries, Key: "new-series", Category: "review", Note: "Design crit"},
		{Kind: LabelEvent, Key: "123", Calendar: "work", Category: "incident"},
		{Kind: LabelSeries, Key: "weekly-bob", Category: "design", Note: "Sync w/ Bob"},
		{Kind: LabelTitle, Key: "yes", Category: "off"},
	} {
		if err := f.Set(l); err != nil {
			t.Fatalf("Set(%+v): %v", l, err)
		}
	}
	for _, bad := range []Label{
		{Kind: "day", Key: "x", Category: "design"},
		{Kind: LabelEvent, Key: "x", Category: "design"},
		{Kind: LabelSeries, Key: "x", Calendar: "work", Category: "design"},
		{Kind: LabelSeries, Key: " ", Category: "design"},
	} {
		if err := f.Set(bad); err == nil {
			t.Errorf("Set(%+v) succeeded, want an error", bad)
		}
	}
	out, err := f.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"# my corrections", "# Sync w/ Bob", "note: the odd one"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("Marshal lost %q:\n%s", want, out)
		}
	}
	back, err := ParseLabelFile("l.yaml", out)
	if err != nil {
		t.Fatalf("Marshal's output does not parse: %v\n%s", err, out)
	}
	got := map[string]string{}
	for _, l := range back.Labels() {
		got[l.Kind+" "+l.Calendar+" "+l.Key] = l.Category + " " + l.Note
	}
	want := map[string]string{
		"series  weekly-bob":     "design Sync w/ Bob",
		"event work e1":          "review the odd one",
		"title    Office Hours ": "design ",
		"series  s2":             "ignore ",
		"series  new-series":     "review Design crit",
		"event work 123":         "incident ",
		"title  yes":             "off ",
	}
	if len(got) != len(want) {
		t.Errorf("got labels %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("label %q = %q, want %q", k, got[k], v)
		}
	}
}

// TestLabelFileSetEmpty checks that labels are added to a new, an empty or
// an only-commented file.
func TestLabelFileSetEmpty(t *testing.T) {
	for _, data := range []string{"", "# mine\n", "labels:\n", "labels: []\n"} {
		f, err := ParseLabelFile("l.yaml", []byte(data))
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Set(Label{Kind: LabelSeries, Key: "a", Category: "design"}); err != nil {
			t.Fatal(err)
		}
		out, err := f.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		back, err := ParseLabelFile("l.yaml", out)
		if err != nil || len(back.Labels()) != 1 || back.Labels()[0].Key != "a" {
			t.Errorf("from %q: wrote %q, which reads back as %v, %v", data, out, back, err)
		}
	}
	f, _ := ParseLabelFile("l.yaml", nil)
	if out, err := f.Marshal(); err != nil || string(out) != "labels: []\n" {
		t.Errorf("an empty file marshals to %q, %v", out, err)
	}
}

// TestLabelRuleNameReserved checks that no rule can be called "label", so
// that the rule reported for a labeled event is never a rule's.
func TestLabelRuleNameReserved(t *testing.T) {
	_, err := ParseRules("r.yaml", []byte("rules:\n  - {name: label, category: design, title: [x]}\n"))
	want := `r.yaml:2: rule "label": name "label" is reserved for events a label decides`
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %s", err, want)
	}
}
