package classify

import (
	"testing"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
)

// benchTitles are realistic titles: some decided by early rules (time
// off, meals), some by late ones (hands-on work, vague meetings with a
// telling description), and some by nothing but the fallback.
var benchTitles = []string{
	"OOO", "PTO - dentist", "Vacation 🌴", "Urlaub", "Out of office: conference", "Sick day",
	"WFH", "Working from home", "Lunch", "Lunch & Learn: Kafka internals", "Brown bag: SLOs",
	"Coffee break", "Doctor appt", "School pick-up", "Gym", "Team lunch 🍕", "Happy hour 🍻",
	"Farewell drinks for Sam", "Flight to Berlin", "Commute", "Haircut", "Kita abholen",
	"INC-4411 postmortem", "Incident review: payments outage", "SEV2 war room", "On-call handoff",
	"PagerDuty rotation sync", "Chaos day prep", "Hotfix deploy 🔥", "Phone screen - backend candidate",
	"Interview: Staff Engineer (system design)", "Hiring debrief", "Candidate lunch",
	"Focus time", "Heads down", "Deep work block", "Do not book", "🎧 coding", "Fokuszeit",
	"Q3 performance review", "Sprint review", "QBR prep", "Design review: search v2",
	"Code review backlog", "PR walkthrough", "Go/no-go for launch", "Architecture review board",
	"RFC-231 write-up", "ADR-0042: feature flags", "Design: ledger sharding",
	"Tech spec - notifications", "Whiteboarding session", "Brainstorm: onboarding flow",
	"Threat modeling: auth service", "Capacity planning 2027", "API contract with mobile",
	"Alex / Sam 1:1", "1on1 Priya", "Skip-level with Dana", "Daily standup", "Sprint planning",
	"Retro", "All hands", "Backlog grooming", "Kick-off: billing revamp", "Town hall Q&A",
	"Pairing with Lee", "Mob programming", "Hackathon day 2", "Bug bash", "Spike: gRPC streaming",
	"Debugging flaky tests", "Refactor invoice module", "Release 4.12", "Load testing checkout",
	"Tech debt Friday", "Runbook updates", "Migration work: Postgres 17", "Christmas party",
	"Bank holiday", "Thanksgiving", "Sync", "Weekly sync", "Catch-up", "Quick chat", "Call",
	"Check-in", "Huddle", "Zoom", "Discussion", "Touch base re: Q4",
	"Write migration script", "Billing export", "Customer escalation - ACME", "Prep slides",
	"Read papers", "Email triage", "Expense reports", "Admin", "Vendor demo: observability",
	"Board deck review", "Team offsite planning", "Mentoring session", "Office hours",
	"Guild: frontend", "Roadmap alignment", "OKR check-in", "Quarterly business review",
	"[PAY-1234] ledger rounding", "INFRA-88: terraform drift", "FW: Updated invitation: Planning",
	"Updated invitation: Weekly sync @ Mon", "Invitation: Chat about caching",
	"Besprechung Projekt Phoenix", "Jour fixe", "Reunión semanal", "Point hebdo", "Déjeuner d'équipe",
	"Entretien technique", "Vorstellungsgespräch", "Störung Zahlungsdienst", "Feiertag",
	"Ünternehmensstrategie", "Straße & İstanbul trip", "ΣΥΝΑΝΤΗΣΗ ομάδας", "Revisión de diseño",
	"Architekturreview", "Sicherheitsreview", "Konzept-Review", "Entwicklung Sprint 12",
	"Programmierung", "Déploiement v2", "Travail de fond", "Desarrollo API",
	"Ben", "Ana + Raj", "Project Atlas", "Phoenix", "Q4 numbers", "Follow-up",
	"Customer call: Globex", "Partner intro call", "Team building", "Demo day", "Staff meeting",
	"Status update", "Company meeting", "AMA with CTO", "Onboarding: new hires",
	"Data pipeline", "Search relevance", "Payments", "Infra", "Platform weekly",
	"Blocked", "Hold", "Busy", "Tentative", "Placeholder", "TBD", "?", "",
}

// benchDescriptions are short descriptions, most empty, as in real calendars.
var benchDescriptions = []string{
	"", "", "", "",
	"Agenda: open questions on RFC-88",
	"https://github.com/acme/payments/pull/4411",
	"Join Zoom Meeting https://zoom.us/j/123456789",
	"Notes: https://docs.acme.io/design-doc/ledger",
	"Follow-up from INC-3312",
	"Please review before the meeting.",
	"Bring laptops.",
}

// benchEvents crosses the titles with descriptions and attendee counts.
func benchEvents() []*cal.Event {
	var events []*cal.Event
	for i, title := range benchTitles {
		opts := []func(*cal.Event){withDescription(benchDescriptions[i%len(benchDescriptions)])}
		if n := i % 5; n > 0 {
			opts = append(opts, withPeople(n+1))
		}
		if i%3 == 0 {
			opts = append(opts, recurring)
		}
		if i%17 == 0 {
			opts = append(opts, withType(cal.TypeFocusTime))
		}
		events = append(events, event(title, opts...))
	}
	return events
}

// BenchmarkClassifyRules compares the built-in rules with the prefilter
// against a plain loop over every regexp, on the same events. Run:
//
//	go test -run '^$' -bench ClassifyRules -cpu 1 ./classify/
func BenchmarkClassifyRules(b *testing.B) {
	c := classifier(b, "", true)
	events := benchEvents()
	for _, bc := range []struct {
		name      string
		prefilter bool
	}{{"prefilter", true}, {"plain", false}} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				c.classify(events[n%len(events)], bc.prefilter)
				n++
			}
			b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

// BenchmarkPrefilterScan measures the prefilter alone: one Aho-Corasick
// pass over the title and description, which also decides the patterns
// whose matches are a few words.
func BenchmarkPrefilterScan(b *testing.B) {
	c := classifier(b, "", true)
	events := benchEvents()
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		in := input{e: events[n%len(events)], c: c}
		in.possible(0)
		in.release()
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}

// BenchmarkNewDefault measures compiling the built-in rules: the regexps
// and the prefilter's automaton. Run:
//
//	go test -run '^$' -bench NewDefault -benchmem ./classify/
func BenchmarkNewDefault(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(config.Default().Rules); err != nil {
			b.Fatal(err)
		}
	}
}
