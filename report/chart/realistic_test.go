package chart

import (
	"testing"
	"time"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/classify"
	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/internal/sample"
	"github.com/weekmap/weekmap/report"
)

// realisticReport is twelve weeks of the demo's sample calendar, classified
// by the built-in rules and accounted by report.Build, as `weekmap report`
// would see them: the page as people get it.
func realisticReport(t testing.TB) report.Report {
	t.Helper()
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, time.November, 18, 15, 30, 0, 0, loc)
	cfg := config.Default()
	cfg.Week.Timezone = loc
	cls, err := classify.New(cfg.Rules)
	if err != nil {
		t.Fatal(err)
	}
	var events []report.Classified
	for _, e := range sample.Generate(now, loc) {
		res := cls.Classify(&e)
		events = append(events, report.Classified{Event: e, Category: res.Category, Rule: res.Rule})
	}
	weeks := report.LastWeeks(now, sample.Weeks, loc)
	me := report.Person{
		Name: "me", Calendars: []string{sample.Calendar}, Events: events,
		Coverage: report.Coverage{
			Windows:  []report.Window{{From: weeks[0].Start, To: weeks[len(weeks)-1].End}},
			Earliest: weeks[0].Start,
		},
		Sources: []report.SourceSync{{Name: sample.Calendar, LastSuccess: now.Add(-12 * time.Minute)}},
	}
	return report.Build(cfg.Week, cal.BuiltinWork(), now, weeks, []report.Person{me})
}
