package classify

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/weekmap/weekmap/ingest"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// labeled is an event with the category and rule it should get.
type labeled struct {
	event    *ingest.Event
	category string
	rule     string
}

// realistic returns titles as they appear in backend engineers' calendars,
// with the category and rule the built-in set should give them.
func realistic() []labeled {
	return []labeled{
		// Not work.
		{event("OOO", withType("outOfOffice")), Ignore, "out-of-office"},
		{event("Office (Berlin)", withType("workingLocation")), Ignore, "calendar-markers"},
		{event("Flight to Lisbon", withType("fromGmail")), Ignore, "calendar-markers"},
		{event("Vacation - back on Monday"), Ignore, "time-off"},
		{event("Urlaub"), Ignore, "time-off"},
		{event("Vacaciones"), Ignore, "time-off"},
		{event("Congé"), Ignore, "time-off"},
		{event("Congés payés"), Ignore, "time-off"},
		{event("Lunch"), Ignore, "personal"},
		{event("Lunch & learn: Kafka internals", withPeople(30)), Ignore, "personal"},
		{event("Mittagessen"), Ignore, "personal"},
		{event("Almuerzo con el equipo"), Ignore, "personal"},
		{event("Déjeuner"), Ignore, "personal"},
		{event("Dentist"), Ignore, "personal"},
		{event("Zahnarzt"), Ignore, "personal"},
		{event("School pickup"), Ignore, "personal"},
		// Incidents, before reviews and retros.
		{event("Postmortem action items review", withPeople(6)), Incident, "incidents"},
		{event("SEV2: checkout latency", withPeople(8)), Incident, "incidents"},
		{event("Incident retro: payments outage", withPeople(7)), Incident, "incidents"},
		{event("On-call handoff", withPeople(2), recurring), Incident, "incidents"},
		{event("War room – database migration", withPeople(12)), Incident, "incidents"},
		{event("Game day: region failover", withPeople(6)), Incident, "incidents"},
		{event("PIR for login outage", withPeople(5)), Incident, "incidents"},
		{event("Störung Datenbank", withPeople(4)), Incident, "incidents"},
		// Hiring.
		{event("Coding interview – backend candidate", withPeople(2)), Alignment, "interviews"},
		{event("Interview debrief", withPeople(5)), Alignment, "interviews"},
		{event("Entrevista técnica", withPeople(2)), Alignment, "interviews"},
		// Heads-down work.
		{event("Focus time", withType("focusTime")), Implementation, "focus-time"},
		{event("Focus time"), Implementation, "focus-blocks"}, // no event type: the title decides
		{event("Heads down: migrate billing jobs"), Implementation, "focus-blocks"},
		{event("No meetings"), Implementation, "focus-blocks"},
		// Reviews.
		{event("Design review: payments API", withPeople(6)), Review, "reviews"},
		{event("Code review session", withPeople(3)), Review, "reviews"},
		{event("Production readiness review (PRR) – search", withPeople(5)), Review, "reviews"},
		{event("ARB", withPeople(9), recurring), Review, "reviews"},
		{event("Security review of the auth service", withPeople(3)), Review, "reviews"},
		{event("Code-Review Zahlungsdienst", withPeople(3)), Review, "reviews"},
		{event("Revisión de código", withPeople(2)), Review, "reviews"},
		{event("Revue de code", withPeople(2)), Review, "reviews"},
		{event("Quarterly business review", withPeople(20)), Alignment, "status-reviews"},
		// Design.
		{event("RFC-142 discussion", withPeople(4)), Design, "design"},
		{event("ADR 12: choose a queue", withPeople(3)), Design, "design"},
		{event("Architecture deep dive: event bus", withPeople(6)), Design, "design"},
		{event("Whiteboard session – rate limiting", withPeople(3)), Design, "design"},
		{event("Tech spec walkthrough: notifications", withPeople(5)), Design, "design"},
		{event("System design: sharding"), Design, "design"},
		{event("Private API design", withPeople(2)), Design, "design"},
		{event("Congestion control design", withPeople(2)), Design, "design"},
		{event("Architektur-Besprechung", withPeople(5)), Design, "design"},
		{event("Diseño de la API de pagos", withPeople(4)), Design, "design"},
		{event("Conception technique : cache", withPeople(3)), Design, "design"},
		// Alignment.
		{event("1:1 Anna / Ben", withPeople(2), recurring), Alignment, "meetings"},
		{event("Anna <> Ben", withPeople(2)), Alignment, "meetings"},
		{event("Daily standup", withPeople(7), recurring), Alignment, "meetings"},
		{event("Sprint planning", withPeople(8)), Alignment, "meetings"},
		{event("Sprint retro", withPeople(8)), Alignment, "meetings"},
		{event("All-hands", withPeople(200)), Alignment, "meetings"},
		{event("Engineering town hall", withPeople(150)), Alignment, "meetings"},
		{event("Project kickoff: search v2", withPeople(9)), Alignment, "meetings"},
		{event("Weekly infra sync", withPeople(6), recurring), Alignment, "meetings"},
		{event("Wöchentliches Teammeeting", withPeople(6)), Alignment, "meetings"},
		{event("Reunión semanal del equipo", withPeople(6)), Alignment, "meetings"},
		{event("Réunion d'équipe", withPeople(6)), Alignment, "meetings"},
		{event("Rétrospective", withPeople(6)), Alignment, "meetings"},
		{event("Point hebdo", withPeople(4)), Alignment, "meetings"},
		// Hands-on work together.
		{event("Pair programming with Ben", withPeople(2)), Implementation, "hands-on"},
		{event("Mob programming: flaky tests", withPeople(4)), Implementation, "hands-on"},
		{event("Hack week"), Implementation, "hands-on"},
		// Titles that say nothing.
		{event("Chat", withPeople(2), withDescription("Going through https://github.com/acme/api/pull/123")), Review, "pull-request-links"},
		{event("Chat", withPeople(2), withDescription("Doc: RFC-88 (draft)")), Design, "design-doc-links"},
		{event("Quick chat", withPeople(4)), Alignment, "group-meetings"},
		{event("Quick chat", withPeople(2), recurring), Alignment, "recurring-one-on-ones"},
		{event("Quick chat", withPeople(2)), Implementation, "fallback"},
		{event("Support rotation"), Implementation, "fallback"},
		{event("Write migration script"), Implementation, "fallback"},
	}
}

func TestDefaultRules(t *testing.T) {
	c := classifier(t, "", true)
	hit := map[string]bool{}
	for _, tt := range realistic() {
		got := c.Classify(tt.event)
		hit[got.Rule] = true
		if want := (Result{tt.category, tt.rule}); got != want {
			t.Errorf("Classify(%q, type %q, %d people): got %s/%s, want %s/%s",
				tt.event.Title, tt.event.EventType, tt.event.People(), got.Category, got.Rule, want.Category, want.Rule)
		}
	}
	// Every built-in rule should be exercised by some title above, so that
	// a rule that can never fire (shadowed or broken) shows up here.
	for _, r := range c.Rules() {
		if !hit[r.Name] {
			t.Errorf("built-in rule %q: no realistic event reached it", r.Name)
		}
	}
}

// TestDefaultRulesParse keeps the embedded file valid on its own, as a user
// who copies it would load it.
func TestDefaultRulesParse(t *testing.T) {
	rules, err := ParseRules("default_rules.yaml", DefaultRules())
	if err != nil {
		t.Fatalf("ParseRules(default rules): %v", err)
	}
	if len(rules) < 10 {
		t.Errorf("got %d built-in rules, want at least 10", len(rules))
	}
	for _, r := range rules {
		if !knownCategory(DefaultConfig(), r.Category) {
			t.Errorf("built-in rule %q: unknown category %q", r.Name, r.Category)
		}
	}
	// DefaultRules hands out a copy: changing it must not change the rules.
	b := DefaultRules()
	b[0] = 'X'
	if DefaultRules()[0] == 'X' {
		t.Error("DefaultRules: got shared bytes, want a copy")
	}
}

// TestExplainDefaultsGolden pins the explanation of a few events against the
// built-in rules; run with -update after changing default_rules.yaml.
func TestExplainDefaultsGolden(t *testing.T) {
	c := classifier(t, "", true)
	events := []*ingest.Event{
		event("Postmortem action items review", withPeople(6)),
		event("Focus time", withType("focusTime")),
		event("Quick chat", withPeople(2), recurring),
		event("Write migration script"),
	}
	var b bytes.Buffer
	for _, e := range events {
		res, traces := c.Explain(e)
		fmt.Fprintf(&b, "%q type=%q people=%d recurring=%v => %s (rule %s)\n",
			e.Title, e.EventType, e.People(), e.Recurring(), res.Category, res.Rule)
		for _, tr := range traces {
			fmt.Fprintf(&b, "  %s\n", formatTrace(tr))
		}
	}
	golden := filepath.Join("testdata", "explain-defaults.golden")
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
		t.Errorf("Explain with the built-in rules:\ngot\n%s\nwant\n%s", got, want)
	}
}

// BenchmarkClassify measures the built-in rules over a realistic mix of
// events. Run: go test ./classify -bench Classify -benchmem
func BenchmarkClassify(b *testing.B) {
	c := classifier(b, "", true)
	var events []*ingest.Event
	for _, tt := range realistic() {
		events = append(events, tt.event)
	}
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		c.Classify(events[n%len(events)])
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}
