package classify

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/calendar/v3"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest/googleevent"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// labeled is an event with the category and rule it should get.
type labeled struct {
	event    *cal.Event
	category string
	rule     string
}

// withAllDay makes the event an all-day one, as time off and holidays are.
func withAllDay(e *cal.Event) {
	e.AllDay, e.StartDate, e.EndDate = true, "2026-11-16", "2026-11-17"
	e.Start = time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)
	e.End = e.Start.AddDate(0, 0, 1)
}

// realistic returns titles as they appear in backend engineers' calendars,
// with the category and rule the built-in set should give them.
func realistic() []labeled {
	return []labeled{
		// Not work.
		{event("OOO", withType("outOfOffice")), cal.Off, "out-of-office"},
		{event("Office (Berlin)", withType("workingLocation")), cal.Ignore, "calendar-markers"},
		{event("Flight to Lisbon", withType("fromGmail")), cal.Ignore, "calendar-markers"},
		{event("Vacation - back on Monday"), cal.Off, "time-off"},
		{event("Urlaub"), cal.Off, "time-off"},
		{event("Vacaciones"), cal.Off, "time-off"},
		{event("Congé"), cal.Off, "time-off"},
		{event("Congés payés"), cal.Off, "time-off"},
		{event("RTT"), cal.Off, "time-off"},
		// Someone's leave shared with the team as an all-day invitation.
		{event("Ana OOO", withAllDay, withPeople(8)), cal.Off, "time-off-all-day"},
		// A timed meeting about leave is a meeting, not time away.
		{event("Handover before my PTO", withPeople(2)), cal.Alignment, "one-on-ones"},
		{event("Parental leave policy Q&A", withPeople(30)), cal.Alignment, "group-meetings"},
		{event("Übergabe vor meinem Urlaub", withPeople(3)), cal.Alignment, "group-meetings"},
		{event("RTT regression investigation"), cal.Implementation, "fallback"},
		{event("Lunch"), cal.Ignore, "personal"},
		{event("WFH", withAllDay), cal.Ignore, "working-location"},
		{event("Team drinks 🍻", withPeople(15)), cal.Ignore, "social"},
		{event("Bank holiday", withAllDay), cal.Off, "public-holidays"},
		{event("Public holiday", withAllDay, withPeople(40)), cal.Off, "public-holidays"},
		{event("Christmas Day"), cal.Off, "holidays"}, // timed: the holidays rule, after the work words
		{event("Bank appointment"), cal.Ignore, "appointments"},
		{event("🍕"), cal.Ignore, "personal"},
		{event("Personal"), cal.Ignore, "personal"},
		{event("Busy (personal)"), cal.Ignore, "personal"},
		// A talk over lunch is learning with colleagues, not a meal break.
		{event("Lunch & learn: Kafka internals", withPeople(30)), cal.Alignment, "learning-sessions"},
		{event("Brown bag: intro to eBPF", withPeople(25)), cal.Alignment, "learning-sessions"},
		{event("Working lunch: Q3 planning", withPeople(4)), cal.Alignment, "working-meals"},
		{event("Mittagessen"), cal.Ignore, "personal"},
		{event("Almuerzo con el equipo"), cal.Ignore, "personal"},
		{event("Déjeuner"), cal.Ignore, "personal"},
		{event("Dentist"), cal.Ignore, "personal"},
		{event("Zahnarzt"), cal.Ignore, "personal"},
		{event("School pickup"), cal.Ignore, "personal"},
		// Incidents, before reviews and retros; zero downtime and graceful
		// degradation are design goals.
		{event("Zero-downtime migration design", withPeople(4)), cal.Design, "design"},
		{event("Demographics dashboard implementation"), cal.Implementation, "hands-on"},
		{event("Retrofit upgrade"), cal.Implementation, "fallback"},
		{event("Train the ranking model"), cal.Implementation, "fallback"},
		{event("Train to Hamburg"), cal.Ignore, "personal"},
		{event("Follow up on call with Acme", withPeople(3)), cal.Alignment, "vague-meetings"},
		{event("On call"), cal.Incident, "incidents"},
		{event("Réunion hebdomadaire", withPeople(6)), cal.Alignment, "meetings"},
		// Incidents, before reviews and retros.
		{event("Postmortem action items review", withPeople(6)), cal.Incident, "incidents"},
		{event("SEV2: checkout latency", withPeople(8)), cal.Incident, "incidents"},
		{event("Incident retro: payments outage", withPeople(7)), cal.Incident, "incidents"},
		{event("On-call handoff", withPeople(2), recurring), cal.Incident, "incidents"},
		{event("War room – database migration", withPeople(12)), cal.Incident, "incidents"},
		{event("Game day: region failover", withPeople(6)), cal.Incident, "incidents"},
		{event("PIR for login outage", withPeople(5)), cal.Incident, "incidents"},
		{event("Störung Datenbank", withPeople(4)), cal.Incident, "incidents"},
		{event("🔥 Payments down", withPeople(10)), cal.Incident, "incidents"},
		{event("INC-2231 follow-up", withPeople(6)), cal.Incident, "incidents"},
		{event("COE: failed deploy", withPeople(6)), cal.Incident, "incidents"},
		{event("Pager handoff", withPeople(2), recurring), cal.Incident, "incidents"},
		{event("DR drill", withPeople(7)), cal.Incident, "incidents"},
		{event("Passation d'astreinte", withPeople(2), recurring), cal.Incident, "incidents"},
		// Hiring.
		{event("Coding interview – backend candidate", withPeople(2)), cal.Alignment, "interviews"},
		{event("Interview debrief", withPeople(5)), cal.Alignment, "interviews"},
		{event("Entrevista técnica", withPeople(2)), cal.Alignment, "interviews"},
		{event("System design interview (L5)", withPeople(2)), cal.Alignment, "interviews"},
		// Heads-down work.
		{event("Focus time", withType("focusTime")), cal.Implementation, "focus-blocks"},
		{event("Payments migration", withType("focusTime")), cal.Implementation, "focus-time"},
		{event("Code review block", withType("focusTime")), cal.Review, "reviews"}, // the title says what the focus is for
		{event("Prep for ARB: storage tiering"), cal.Design, "review-prep"},        // preparing a review is writing the design
		{event("Read & comment: payments RFC"), cal.Review, "reviews"},
		{event("Focus time"), cal.Implementation, "focus-blocks"}, // no event type: the title decides
		{event("Heads down: migrate billing jobs"), cal.Implementation, "focus-blocks"},
		{event("No meetings"), cal.Implementation, "focus-blocks"},
		{event("DNB"), cal.Implementation, "focus-blocks"},
		{event("🧠 Focus"), cal.Implementation, "focus-blocks"},
		{event("Ne pas déranger"), cal.Implementation, "focus-blocks"},
		// Reviews.
		{event("Design review: payments API", withPeople(6)), cal.Review, "reviews"},
		{event("Code review session", withPeople(3)), cal.Review, "reviews"},
		{event("Production readiness review (PRR) – search", withPeople(5)), cal.Review, "reviews"},
		{event("ARB", withPeople(9), recurring), cal.Review, "reviews"},
		{event("Security review of the auth service", withPeople(3)), cal.Review, "reviews"},
		{event("Code-cal.Review Zahlungsdienst", withPeople(3)), cal.Review, "reviews"},
		{event("Revisión de código", withPeople(2)), cal.Review, "reviews"},
		{event("Revue de code", withPeople(2)), cal.Review, "reviews"},
		{event("Quarterly business review", withPeople(20)), cal.Alignment, "status-reviews"},
		{event("Holiday readiness review", withPeople(12)), cal.Review, "reviews"},
		{event("[Eng] PR walkthrough – pooling", withPeople(3)), cal.Review, "reviews"},
		{event("Sicherheitsreview Login", withPeople(4)), cal.Review, "reviews"},
		// Design.
		{event("RFC-142 discussion", withPeople(4)), cal.Design, "design"},
		{event("ADR 12: choose a queue", withPeople(3)), cal.Design, "design"},
		{event("Architecture deep dive: event bus", withPeople(6)), cal.Design, "design"},
		{event("Whiteboard session – rate limiting", withPeople(3)), cal.Design, "design"},
		{event("Tech spec walkthrough: notifications", withPeople(5)), cal.Design, "design"},
		{event("System design: sharding"), cal.Design, "design"},
		{event("Private API design", withPeople(2)), cal.Design, "design"},
		{event("Congestion control design", withPeople(2)), cal.Design, "design"},
		{event("Architektur-Besprechung", withPeople(5)), cal.Design, "design"},
		{event("Diseño de la API de pagos", withPeople(4)), cal.Design, "design"},
		{event("Conception technique : cache", withPeople(3)), cal.Design, "design"},
		{event("[PAY-1234] schema discussion", withPeople(4)), cal.Design, "design"},
		{event("Third-party webhook design", withPeople(3)), cal.Design, "design"},
		{event("Break-glass access design", withPeople(3)), cal.Design, "design"},
		{event("Leave management service architecture", withPeople(3)), cal.Design, "design"},
		// Alignment.
		{event("1:1 Anna / Ben", withPeople(2), recurring), cal.Alignment, "meetings"},
		{event("Anna <> Ben", withPeople(2)), cal.Alignment, "meetings"},
		{event("Daily standup", withPeople(7), recurring), cal.Alignment, "meetings"},
		{event("Sprint planning", withPeople(8)), cal.Alignment, "meetings"},
		{event("Sprint retro", withPeople(8)), cal.Alignment, "meetings"},
		{event("All-hands", withPeople(200)), cal.Alignment, "meetings"},
		{event("Engineering town hall", withPeople(150)), cal.Alignment, "meetings"},
		{event("Project kickoff: search v2", withPeople(9)), cal.Alignment, "meetings"},
		{event("Weekly infra sync", withPeople(6), recurring), cal.Alignment, "vague-meetings"},
		{event("1:1s with skip levels", withPeople(2)), cal.Alignment, "meetings"},
		{event("Updated invitation: Sprint planning", withPeople(8)), cal.Alignment, "meetings"},
		{event("Wöchentliches Teammeeting", withPeople(6)), cal.Alignment, "meetings"},
		{event("Reunión semanal del equipo", withPeople(6)), cal.Alignment, "meetings"},
		{event("Réunion d'équipe", withPeople(6)), cal.Alignment, "vague-meetings"},
		{event("Rétrospective", withPeople(6)), cal.Alignment, "meetings"},
		{event("Point hebdo", withPeople(4)), cal.Alignment, "meetings"},
		// Hands-on work together.
		{event("Pair programming with Ben", withPeople(2)), cal.Implementation, "hands-on"},
		{event("Mob programming: flaky tests", withPeople(4)), cal.Implementation, "hands-on"},
		{event("Hack week"), cal.Implementation, "hands-on"},
		{event("Debugging memory leak"), cal.Implementation, "building"},
		{event("Programación en pareja", withPeople(2)), cal.Implementation, "hands-on"},
		// Titles that say nothing.
		{event("Chat", withPeople(2), withDescription("Going through https://github.com/acme/api/pull/123")), cal.Review, "pull-request-links"},
		{event("Chat", withPeople(2), withDescription("Doc: RFC-88 (draft)")), cal.Design, "design-doc-links"},
		{event("Sync", withPeople(3), withDescription("Agenda: open questions on the RFC for the new auth flow")), cal.Design, "design-doc-links"},
		{event("Call", withPeople(8), withDescription("Bridge for SEV2: elevated checkout errors")), cal.Incident, "incident-links"},
		{event("Sync", withPeople(5), recurring), cal.Alignment, "vague-meetings"},
		{event("Quick chat", withPeople(4)), cal.Alignment, "vague-meetings"},
		{event("Project Phoenix", withPeople(8), recurring), cal.Alignment, "group-meetings"},
		{event("Ben", withPeople(2), recurring), cal.Alignment, "one-on-ones"},
		{event("Hallway", withPeople(2)), cal.Alignment, "one-on-ones"},
		// Time off in every language is off; so are holiday calendars'
		// all-day events, by name or by their one-line description.
		{event("有給休暇", withAllDay), cal.Off, "time-off"},
		{event("午後半休"), cal.Off, "time-off"},
		{event("Férias 🏖️", withAllDay), cal.Off, "time-off"},
		{event("Licença-maternidade", withAllDay), cal.Off, "time-off"},
		{event("Licencia por enfermedad", withAllDay), cal.Off, "time-off"},
		{event("Feriado puente", withAllDay), cal.Off, "time-off"},
		{event("Pont de l'Ascension", withAllDay), cal.Off, "time-off"},
		{event("Brückentag", withAllDay), cal.Off, "time-off"},
		{event("Ferie 🌴", withAllDay), cal.Off, "time-off"},
		{event("Permesso (mezza giornata)"), cal.Off, "time-off"},
		{event("Company recharge day", withAllDay), cal.Off, "time-off"},
		{event("勤労感謝の日", withAllDay), cal.Off, "public-holidays"},
		{event("Ferragosto", withAllDay), cal.Off, "public-holidays"},
		{event("Tag der Deutschen Einheit", withAllDay), cal.Off, "public-holidays"},
		{event("Armistice 1918", withAllDay, withDescription("Jour férié")), cal.Off, "public-holidays"},
		{event("Día de Andalucía", withAllDay, withDescription("Festivo regional")), cal.Off, "holiday-calendars"},
		{event("Valentine's Day", withAllDay, withDescription("Observance")), cal.Ignore, "observances"},
		{event("Independence Day launch review", withPeople(5)), cal.Review, "reviews"}, // timed: work
		{event("Licença do Datadog: renovação", withPeople(3)), cal.Alignment, "group-meetings"},
		{event("Krankenversicherung: Tarif-Entwurf", withPeople(3)), cal.Design, "design"},
		// Not work in the other languages.
		{event("ランチ"), cal.Ignore, "personal"},
		{event("保育園 お迎え"), cal.Ignore, "personal"},
		{event("Almoço"), cal.Ignore, "personal"},
		{event("Consulta médica"), cal.Ignore, "personal"},
		{event("Turno médico"), cal.Ignore, "personal"},
		{event("Zmittag"), cal.Ignore, "personal"},
		{event("Pranzo"), cal.Ignore, "personal"},
		{event("Visita medica"), cal.Ignore, "personal"},
		{event("Cita"), cal.Ignore, "appointments"},
		{event("サーバー班 飲み会 🍻", withPeople(6)), cal.Ignore, "social"},
		{event("🎂 Aniversário da Sofia", withPeople(12)), cal.Ignore, "social"},
		{event("Pot de départ de Jean 🥂", withPeople(30)), cal.Ignore, "social"},
		{event("Aperitivo di Natale", withPeople(20)), cal.Ignore, "social"},
		{event("在宅勤務", withAllDay), cal.Ignore, "working-location"},
		{event("Kinesis consumer design", withPeople(3)), cal.Design, "design"},  // not "kiné"
		{event("Cenários de teste do checkout"), cal.Implementation, "fallback"}, // not "cena"
		// Placeholders alone in the calendar hold time for something else,
		// unless their description says what work they hold.
		{event("Busy"), cal.Ignore, "placeholders"},
		{event("Hold"), cal.Ignore, "placeholders"},
		{event(""), cal.Ignore, "placeholders"},
		{event("Mirror: busy"), cal.Ignore, "placeholders"},
		{event("Occupé"), cal.Ignore, "placeholders"},
		{event("仮押さえ"), cal.Ignore, "placeholders"},
		{event("Busy (via Clockwise)"), cal.Ignore, "placeholders"},
		{event("Flight hold"), cal.Ignore, "personal"},
		{event("blocked", withDescription("heads-down: implementing the eviction worker from RFC-112")), cal.Implementation, "solo-work-descriptions"},
		{event("Hold", withDescription("Draft the design doc for sharding")), cal.Design, "design-doc-links"},
		{event("Bloqueado", withDescription("Trabalho focado, sem reuniões")), cal.Implementation, "hands-on-descriptions"},
		{event("Hold for Jonas", withPeople(2)), cal.Alignment, "one-on-ones"},
		// Titles meeting tools write: the agenda decides, then the people.
		{event("Zoom Meeting", withPeople(4), withDescription("Topic: Postmortem for the payments outage")), cal.Incident, "incident-links"},
		{event("Microsoft Teams Meeting", withPeople(3), withDescription("Code review of PR #431 before merge")), cal.Review, "pull-request-links"},
		{event("Reunión de Zoom de Carla", withPeople(3), withDescription("Design jam: modelo de datos de pagos")), cal.Design, "design-doc-links"},
		{event("Microsoft Teams-Besprechung", withPeople(4), withDescription("Störung im Zahlungsverkehr, bitte dazukommen")), cal.Incident, "incident-links"},
		{event("30 Minute Meeting between Ann Lee and Bo Kim", withPeople(2), withDescription("Please share anything that will help prepare for our meeting.: the schema for rate cards")), cal.Design, "design-doc-links"},
		{event("Meeting with Sam", withPeople(2), withDescription("Topic: Pairing on flaky integration tests")), cal.Implementation, "hands-on-descriptions"},
		{event("Priya Raman's Personal Meeting Room", withPeople(2)), cal.Alignment, "vague-meetings"},
		{event("Untitled event", withPeople(3), withDescription("Agenda: cycle demo day")), cal.Alignment, "vague-meetings"},
		// Purpose beats form.
		{event("Focus: design doc for test selection"), cal.Design, "design"},
		{event("Focus: PR reviews"), cal.Review, "reviews"},
		{event("Focus time", withType("focusTime"), withDescription("Writing the RFC for multi-region")), cal.Design, "focus-for-designs"},
		{event("Focus time", withType("focusTime"), withDescription("Review queue: 5 PRs")), cal.Review, "focus-for-reviews"},
		{event("Focus: finish RFC implementation"), cal.Implementation, "implementing-designs"},
		{event("Working session: RFC card tokenization", withPeople(3)), cal.Design, "design"},
		{event("Spike planning: vector search", withPeople(3)), cal.Design, "design"},
		{event("Spike: vector search"), cal.Implementation, "hands-on"},
		{event("TECHNICAL APPROACH — EDI rewrite", withPeople(3)), cal.Design, "design"},
		{event("Retro: Sunday's telemetry outage", withPeople(5)), cal.Incident, "incidents"},
		{event("Review", withPeople(4), withDescription("H1 roadmap review: what we commit to")), cal.Alignment, "plan-reviews"},
		{event("Review", withPeople(3), withDescription("Walk through PR #12")), cal.Review, "reviews"},
		{event("Office hours: architecture", withPeople(8)), cal.Alignment, "office-hours"},
		{event("Daily batch job fix"), cal.Implementation, "building"},
		// Work words in the other languages.
		{event("【設計】ランキングAPI スキーマ検討", withPeople(3)), cal.Design, "design"},
		{event("ER図レビュー", withPeople(3)), cal.Review, "reviews"},
		{event("ER図の作成"), cal.Design, "design"},
		{event("ふりかえり", withPeople(6)), cal.Alignment, "meetings"},
		{event("休憩"), cal.Ignore, "personal"},
		{event("設計レビュー: 報酬配布バッチ", withPeople(4)), cal.Review, "reviews"},
		{event("障害対応: ログイン不可", withPeople(5)), cal.Incident, "incidents"},
		{event("オンコール引き継ぎ", withPeople(2)), cal.Incident, "incidents"},
		{event("もくもく会", withPeople(4)), cal.Implementation, "hands-on"},
		{event("Go勉強会 #12", withPeople(20)), cal.Alignment, "learning-sessions"},
		{event("週次定例", withPeople(6)), cal.Alignment, "meetings"},
		{event("面接 (二次)", withPeople(3)), cal.Alignment, "interviews"},
		{event("Revisão de código — RP-2201", withPeople(2)), cal.Review, "reviews"},
		{event("Desenho da arquitetura — reconciliação", withPeople(3)), cal.Design, "design"},
		{event("Escalação: cliente sem extratos", withPeople(4)), cal.Incident, "incidents"},
		{event("Pareamento com o Lucas", withPeople(2)), cal.Implementation, "hands-on"},
		{event("Traspaso de guardia", withPeople(2)), cal.Incident, "incidents"},
		{event("Sincro semanal", withPeople(4)), cal.Alignment, "meetings"},
		{event("Revisió de codi", withPeople(3)), cal.Review, "reviews"},
		{event("CAT — Comité d'architecture technique", withPeople(4)), cal.Review, "reviews"},
		{event("Atelier tableau blanc : compensation", withPeople(3)), cal.Design, "design"},
		{event("Mise en production + surveillance", withPeople(3)), cal.Implementation, "hands-on"},
		{event("Pikett-Übergabe", withPeople(2)), cal.Incident, "incidents"},
		{event("Lösungsdesign: Dokumentenablage", withPeople(3)), cal.Design, "design"},
		{event("Revisione del codice ROB-771", withPeople(2)), cal.Review, "reviews"},
		{event("Passaggio consegne reperibilità", withPeople(2)), cal.Incident, "incidents"},
		{event("Lavagna: protocollo robot", withPeople(3)), cal.Design, "design"},
		{event("Stand-up giornaliero", withPeople(6)), cal.Alignment, "meetings"},
		{event("Support rotation"), cal.Implementation, "fallback"},
		{event("Release candidate testing"), cal.Implementation, "hands-on"}, // not hiring
		{event("Entretien du cluster Kafka"), cal.Implementation, "fallback"},
		{event("Write migration script"), cal.Implementation, "fallback"},
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

// labeledSets are the hand-labeled sets in testdata, each with the least
// number of events it must hold and the floors the built-in rules must
// keep on it: macro-F1 0.90 on every set (issue 3), and on tune, the set
// of issue 16's calendar styles the rules were widened on, macro-F1 0.95
// and a recall of 0.90 in every category.
var labeledSets = []struct {
	name      string
	minEvents int
	macroF1   float64
	recall    float64
}{
	{"dev", 300, 0.90, 0},
	{"eval", 300, 0.90, 0},
	{"holdout", 200, 0.90, 0},
	{"tune", 500, 0.95, 0.90},
	{"blind", 500, 0.95, 0.90},
}

// TestDefaultRulesLabeledSets measures the built-in rules on the labeled
// sets in testdata: dev (written to tune the rules), eval (written blind to
// the rules by another engineer; scored 0.890 before its first error
// analysis), holdout (written blind to the rules and to both other sets,
// never used for tuning) and tune (written blind to the rules in the
// styles of issue 16: seven languages, titles made by meeting tools,
// placeholders, time off; the rules were then widened on it) and blind
// (written blind to everything, scored once before and once after that
// widening; see testdata/blind/README.md). Run with -v
// to see the scores, the confusion matrix and every miss.
func TestDefaultRulesLabeledSets(t *testing.T) {
	for _, set := range labeledSets {
		t.Run(set.name, func(t *testing.T) {
			events := filepath.Join("testdata", set.name, "events.jsonl")
			if set.name == "holdout" {
				if _, err := os.Stat(events); err != nil {
					t.Skip("no holdout set")
				}
			}
			items := readLabeled(t, events, filepath.Join("testdata", set.name, "labels.jsonl"))
			if len(items) < set.minEvents {
				t.Fatalf("got %d labeled %s events, want at least %d", len(items), set.name, set.minEvents)
			}
			ev := Evaluate(classifier(t, "", true), items)
			var b strings.Builder
			if err := ev.WriteText(&b); err != nil {
				t.Fatal(err)
			}
			t.Logf("built-in rules on the %s set:\n%s", set.name, b.String())
			if ev.MacroF1 < set.macroF1 {
				t.Errorf("%s set macro-F1: got %.3f, want at least %.2f", set.name, ev.MacroF1, set.macroF1)
			}
			rules := config.Default().Rules
			for _, s := range ev.Scores {
				if !rules.Known(s.Category) {
					t.Errorf("%s set: unknown category %q in labels or results", set.name, s.Category)
				}
				if s.Support > 0 && s.Recall < set.recall {
					t.Errorf("%s set, %s recall: got %.3f, want at least %.2f", set.name, s.Category, s.Recall, set.recall)
				}
			}
		})
	}
}

// readLabeled reads Google Calendar v3 events (one a line) and their labels
// ({"id","category"} a line), mapping each event as the google source would.
func readLabeled(t *testing.T, eventsPath, labelsPath string) []Labeled {
	t.Helper()
	data, err := os.ReadFile(labelsPath)
	if err != nil {
		t.Fatal(err)
	}
	labels, err := ReadLabels(labelsPath, data, cal.BuiltinWork())
	if err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(eventsPath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var items []Labeled
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for line := 1; sc.Scan(); line++ {
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		var raw calendar.Event
		if err := json.Unmarshal(sc.Bytes(), &raw); err != nil {
			t.Fatalf("%s:%d: %v", eventsPath, line, err)
		}
		e, err := googleevent.Map("dev", &raw)
		if err != nil {
			t.Fatalf("%s:%d: %v", eventsPath, line, err)
		}
		want, ok := labels[e.ID]
		if !ok {
			t.Fatalf("%s:%d: event %s has no label", eventsPath, line, e.ID)
		}
		delete(labels, e.ID)
		items = append(items, Labeled{Event: e, Want: want})
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	for id := range labels {
		t.Errorf("%s: label for %s, which is not an event", labelsPath, id)
	}
	return items
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
	known := config.Default().Rules
	for _, r := range rules {
		if !known.Known(r.Category) {
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
	events := []*cal.Event{
		event("Postmortem action items review", withPeople(6)),
		event("Focus time", withType("focusTime")),
		event("Sync", withPeople(3), withDescription("Open questions on RFC-88")),
		event("Ben", withPeople(2), recurring),
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
	var events []*cal.Event
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
