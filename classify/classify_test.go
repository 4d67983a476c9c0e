package classify

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
)

var monday10 = time.Date(2026, 11, 16, 10, 0, 0, 0, time.UTC)

// event returns a one-hour default event titled title, edited by opts.
func event(title string, opts ...func(*cal.Event)) *cal.Event {
	e := &cal.Event{Calendar: "work", ID: "e1", Title: title, Start: monday10, End: monday10.Add(time.Hour)}
	for _, o := range opts {
		o(e)
	}
	return e
}

func withDescription(d string) func(*cal.Event) {
	return func(e *cal.Event) { e.Description = d }
}
func withType(t string) func(*cal.Event)  { return func(e *cal.Event) { e.EventType = t } }
func withColor(c string) func(*cal.Event) { return func(e *cal.Event) { e.ColorID = c } }
func withCalendar(c string) func(*cal.Event) {
	return func(e *cal.Event) { e.Calendar = c }
}
func withDuration(d time.Duration) func(*cal.Event) {
	return func(e *cal.Event) { e.End = e.Start.Add(d) }
}
func recurring(e *cal.Event) { e.RecurringEventID = "series1" }
func organizedByOther(e *cal.Event) {
	e.Organizer = cal.Organizer{Email: "boss@example.com"}
}

// withPeople adds the owner and n-1 colleagues at example.com.
func withPeople(n int) func(*cal.Event) {
	return func(e *cal.Event) {
		e.Attendees = append(e.Attendees, cal.Attendee{Email: "me@example.com", Self: true, ResponseStatus: cal.ResponseAccepted})
		for i := 1; i < n; i++ {
			e.Attendees = append(e.Attendees, cal.Attendee{Email: "colleague" + string(rune('a'+i)) + "@example.com"})
		}
	}
}
func withRoom(e *cal.Event) {
	e.Attendees = append(e.Attendees, cal.Attendee{Email: "room-1@resource.calendar.google.com", Resource: true})
}
func withGuest(email string) func(*cal.Event) {
	return func(e *cal.Event) { e.Attendees = append(e.Attendees, cal.Attendee{Email: email}) }
}

// classifier builds a Classifier from rule YAML, without the built-in rules
// unless defaults is set.
func classifier(t testing.TB, rulesYAML string, defaults bool) *Classifier {
	t.Helper()
	cfg := config.Default().Rules
	cfg.Domains = []string{"example.com"}
	cfg.UseDefaultRules = defaults
	if rulesYAML != "" {
		cfg.RulesFile = filepath.Join(t.TempDir(), "rules.yaml")
		if err := os.WriteFile(cfg.RulesFile, []byte(rulesYAML), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return c
}

func TestConditions(t *testing.T) {
	tests := []struct {
		name  string
		cond  string // YAML lines of the rule under test, indented by 4
		event *cal.Event
		match bool
	}{
		{"title match", `title: ['(?i)\bstandup\b']`, event("Daily Standup"), true},
		{"title any item", `title: ['^x$', '(?i)\bstandup\b']`, event("standup"), true},
		{"title no match", `title: ['(?i)\bstandup\b']`, event("Standups are cancelled"), false},
		{"title ignores description", `title: ['standup']`, event("Sync", withDescription("standup")), false},
		{"description match", `description: ['(?i)agenda']`, event("Sync", withDescription("Agenda: budget")), true},
		{"description no match", `description: ['(?i)agenda']`, event("Agenda", withDescription("none")), false},
		{"text title part", `text: ['(?i)rfc']`, event("RFC chat"), true},
		{"text description part", `text: ['(?i)rfc']`, event("Chat", withDescription("see RFC-7")), true},
		{"text across the newline", `text: ['sync\nagenda']`, event("Team sync", withDescription("agenda: x")), true},
		{"text no match", `text: ['(?i)rfc']`, event("Chat", withDescription("none")), false},
		{"event_type match", `event_type: [outOfOffice, focusTime]`, event("x", withType("focusTime")), true},
		{"event_type no match", `event_type: [focusTime]`, event("x", withType("default")), false},
		{"event_type empty is default", `event_type: [default]`, event("x"), true},
		{"attendees min met", `attendees: {min: 2}`, event("x", withPeople(2)), true},
		{"attendees min not met", `attendees: {min: 2}`, event("x", withPeople(1)), false},
		{"attendees no list is one person", `attendees: {max: 1}`, event("x"), true},
		{"attendees rooms not counted", `attendees: {min: 2}`, event("x", withPeople(1), withRoom), false},
		{"attendees max met", `attendees: {min: 2, max: 2}`, event("x", withPeople(2), withRoom), true},
		{"attendees max exceeded", `attendees: {max: 2}`, event("x", withPeople(3)), false},
		{"organizer_self true", `organizer_self: true`, event("x"), true},
		{"organizer_self true, other organizer", `organizer_self: true`, event("x", organizedByOther), false},
		{"organizer_self false", `organizer_self: false`, event("x", organizedByOther), true},
		{"recurring true", `recurring: true`, event("x", recurring), true},
		{"recurring true, single", `recurring: true`, event("x"), false},
		{"recurring false", `recurring: false`, event("x"), true},
		{"color match", `color: ["11", "5"]`, event("x", withColor("5")), true},
		{"color no match", `color: ["11"]`, event("x", withColor("5")), false},
		{"color unset", `color: ["11"]`, event("x"), false},
		{"duration inside", `duration: {min: 15m, max: 3h}`, event("x", withDuration(time.Hour)), true},
		{"duration at min", `duration: {min: 15m}`, event("x", withDuration(15*time.Minute)), true},
		{"duration below min", `duration: {min: 15m}`, event("x", withDuration(10*time.Minute)), false},
		{"duration at max", `duration: {max: 3h}`, event("x", withDuration(3*time.Hour)), true},
		{"duration above max", `duration: {max: 3h}`, event("x", withDuration(3*time.Hour+time.Minute)), false},
		{"external true", `external: true`, event("x", withPeople(2), withGuest("a@partner.org")), true},
		{"external true, all internal", `external: true`, event("x", withPeople(3)), false},
		{"external look-alike domain", `external: true`, event("x", withPeople(1), withGuest("a@notexample.com")), true},
		{"external domain case", `external: false`, event("x", withPeople(1), withGuest("a@EXAMPLE.com")), true},
		{"external ignores rooms", `external: false`, event("x", withPeople(1), withGuest("r@resource.calendar.google.com"), func(e *cal.Event) {
			e.Attendees[len(e.Attendees)-1].Resource = true
		}), true},
		{"calendar match", `calendar: [work, home]`, event("x"), true},
		{"calendar no match", `calendar: [home]`, event("x", withCalendar("work")), false},
		{"all conditions hold", "title: ['(?i)sync']\n    attendees: {min: 3}\n    recurring: true",
			event("Infra sync", withPeople(4), recurring), true},
		{"one condition fails", "title: ['(?i)sync']\n    attendees: {min: 3}\n    recurring: true",
			event("Infra sync", withPeople(4)), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := classifier(t, "rules:\n  - name: r\n    category: design\n    "+tt.cond+"\n", false)
			want := Result{Category: cal.Implementation, Rule: "fallback"}
			if tt.match {
				want = Result{Category: cal.Design, Rule: "r"}
			}
			if got := c.Classify(tt.event); got != want {
				t.Errorf("Classify: got %+v, want %+v", got, want)
			}
		})
	}
}

func TestFirstMatchWins(t *testing.T) {
	c := classifier(t, `
rules:
  - name: incident-reviews
    category: incident
    title: ['(?i)postmortem']
  - name: reviews
    category: review
    title: ['(?i)review']
  - name: big
    category: alignment
    attendees: {min: 3}
`, false)
	tests := []struct {
		title  string
		people int
		want   Result
	}{
		{"Postmortem review", 5, Result{cal.Incident, "incident-reviews"}},
		{"Code review", 5, Result{cal.Review, "reviews"}},
		{"Planning", 5, Result{cal.Alignment, "big"}},
		{"Planning", 2, Result{cal.Implementation, "fallback"}},
	}
	for _, tt := range tests {
		if got := c.Classify(event(tt.title, withPeople(tt.people))); got != tt.want {
			t.Errorf("Classify(%q, %d people): got %+v, want %+v", tt.title, tt.people, got, tt.want)
		}
	}
}

func TestUserRulesBeforeDefaults(t *testing.T) {
	user := `
rules:
  - name: team-lunch-is-alignment
    category: alignment
    title: ['(?i)team lunch']
`
	tests := []struct {
		name     string
		defaults bool
		title    string
		want     Result
	}{
		{"user rule wins", true, "Team lunch", Result{cal.Alignment, "team-lunch-is-alignment"}},
		{"defaults after user rules", true, "Lunch", Result{cal.Ignore, "personal"}},
		{"defaults off", false, "Lunch", Result{cal.Implementation, "fallback"}},
		{"defaults off, user rule", false, "Team lunch", Result{cal.Alignment, "team-lunch-is-alignment"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := classifier(t, user, tt.defaults)
			if got := c.Classify(event(tt.title)); got != tt.want {
				t.Errorf("Classify(%q): got %+v, want %+v", tt.title, got, tt.want)
			}
		})
	}
}

func TestRulesOrder(t *testing.T) {
	c := classifier(t, "rules:\n  - name: mine\n    category: design\n    recurring: true\n", true)
	rules := c.Rules()
	if len(rules) < 2 || rules[0].Name != "mine" || rules[1].Name != "out-of-office" {
		t.Errorf("Rules(): got first two %q, want mine, out-of-office", names(rules[:min(2, len(rules))]))
	}
	if got, want := rules[1].File, "default_rules.yaml"; got != want {
		t.Errorf("built-in rule file: got %q, want %q", got, want)
	}
}

func names(rules []Rule) []string {
	var out []string
	for _, r := range rules {
		out = append(out, r.Name)
	}
	return out
}

func TestFallbackCategory(t *testing.T) {
	cfg := config.Default().Rules
	cfg.UseDefaultRules = false
	cfg.Categories = []string{"unsorted"}
	cfg.FallbackCategory = "unsorted"
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Classify(event("Anything")), (Result{"unsorted", "fallback"}); got != want {
		t.Errorf("Classify: got %+v, want %+v", got, want)
	}
}

func TestCustomCategoryRule(t *testing.T) {
	cfg := config.Default().Rules
	cfg.Categories = []string{"support"}
	cfg.RulesFile = filepath.Join(t.TempDir(), "r.yaml")
	rules := "rules:\n  - name: tickets\n    category: support\n    title: ['(?i)\\bticket']\n"
	if err := os.WriteFile(cfg.RulesFile, []byte(rules), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Classify(event("Ticket triage")), (Result{"support", "tickets"}); got != want {
		t.Errorf("Classify: got %+v, want %+v", got, want)
	}
}

func TestExplain(t *testing.T) {
	c := classifier(t, `
rules:
  - name: big
    category: alignment
    attendees: {min: 3}
  - name: long-focus
    category: implementation
    event_type: [focusTime]
    duration: {min: 2h}
  - name: reviews
    category: review
    title: ['(?i)\breview\b', '(?i)\bPR\b']
    recurring: false
    organizer_self: false
`, false)
	tests := []struct {
		name  string
		event *cal.Event
		want  []Trace
	}{
		{
			name:  "third rule matches",
			event: event("PR walkthrough", withPeople(2), organizedByOther),
			want: []Trace{
				{"big", cal.Alignment, false, "attendees: 2 people, want at least 3"},
				{"long-focus", cal.Implementation, false, `event_type: "default", want one of ["focusTime"]`},
				{"reviews", cal.Review, true, "recurring: a single event; organizer_self: organized by someone else; title: [1] `(?i)\\bPR\\b` matched"},
			},
		},
		{
			name:  "fallback",
			event: event("Focus", withType("focusTime"), withDuration(90*time.Minute)),
			want: []Trace{
				{"big", cal.Alignment, false, "attendees: 1 person, want at least 3"},
				{"long-focus", cal.Implementation, false, "duration: 1h30m, want at least 2h"},
				{"reviews", cal.Review, false, "organizer_self: organized by you, want organized by someone else"},
				{"fallback", cal.Implementation, true, "no rule matched"},
			},
		},
		{
			name:  "first rule matches",
			event: event("All hands", withPeople(40)),
			want:  []Trace{{"big", cal.Alignment, true, "attendees: 40 people"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, got := c.Explain(tt.event)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Explain traces:\ngot  %s\nwant %s", traceLines(got), traceLines(tt.want))
			}
			last := tt.want[len(tt.want)-1]
			if want := (Result{last.Category, last.Rule}); res != want {
				t.Errorf("Explain result: got %+v, want %+v", res, want)
			}
			if cl := c.Classify(tt.event); cl != res {
				t.Errorf("Classify: got %+v, want Explain's %+v", cl, res)
			}
		})
	}
}

func traceLines(ts []Trace) string {
	var b strings.Builder
	for _, t := range ts {
		b.WriteString("\n  ")
		b.WriteString(formatTrace(t))
	}
	return b.String()
}

func formatTrace(t Trace) string {
	mark := "-"
	if t.Matched {
		mark = "+"
	}
	return mark + " " + t.Rule + " (" + t.Category + "): " + t.Why
}

// TestClassifyAllocs holds Classify to its promise of no allocations per
// event, including for the text condition, which joins two strings.
func TestClassifyAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation counts are meaningless under -race")
	}
	c := classifier(t, `
rules:
  - name: text
    category: design
    text: ['(?i)\bdesign doc\b']
  - name: ext
    category: alignment
    external: true
`, true)
	events := []*cal.Event{
		event("Chat", withDescription("Notes in the design doc")),
		event("Chat", withDescription(strings.Repeat("long description ", 200))),
		event("Weekly sync", withPeople(5), recurring),
		event("Something unknown"),
	}
	for _, e := range events {
		if n := testing.AllocsPerRun(100, func() { c.Classify(e) }); n != 0 {
			t.Errorf("Classify(%q): got %v allocations, want 0", e.Title, n)
		}
	}
}

// TestConcurrentClassify shares one Classifier between goroutines, as the
// server does; run with -race.
func TestConcurrentClassify(t *testing.T) {
	// The text rule never matches, but makes every call use the text buffers.
	c := classifier(t, "rules:\n  - name: t\n    category: design\n    text: ['\\nno-such-description$']\n", true)
	events := realistic()
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := range 200 {
				tt := events[(i+g)%len(events)]
				if got, want := c.Classify(tt.event), (Result{tt.category, tt.rule}); got != want {
					t.Errorf("Classify(%q): got %+v, want %+v", tt.event.Title, got, want)
					return
				}
			}
		})
	}
	wg.Wait()
}
