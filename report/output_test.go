package report

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// sampleReport is four weeks of two people. "me" has two calendars that
// share a meeting (counted once), a custom category, a day of vacation
// with a standup in it (not counted), a week before any data, and the
// current week in progress; "ann" has one calendar and a quiet week.
func sampleReport(t *testing.T, edit func(*config.Week)) Report {
	t.Helper()
	loc := mustLoad(t, "Europe/Berlin")
	cats := append(append([]string{}, workCategories()...), "oncall")
	cfg := defaultWeek()
	edit(&cfg)
	now := time.Date(2026, time.November, 18, 19, 0, 0, 0, loc)
	weeks := LastWeeks(now, 4, loc)
	w0, w1, w2 := weeks[1], weeks[2], weeks[3]
	inWork := func(e Classified) Classified { e.Calendar = "work"; return e }
	inSide := func(e Classified) Classified { e.Calendar = "side-project"; return e }
	uid := func(u string) func(*Classified) { return func(e *Classified) { e.ICalUID = u } }
	// The weekly sync is a small group with someone outside, the 1:1 two
	// people, the incident call a large group.
	sync := with("ana@example.com", "Ben@Example.com", "cy@partner.example")
	oneOnOne := with("sam@example.com")
	var crowd []string
	for i := range 10 {
		crowd = append(crowd, fmt.Sprintf("sre%d@example.com", i))
	}
	mine := []Classified{
		inWork(event("1", "design", clock(w0, 1, "10:00"), clock(w0, 1, "12:00"), titled("RFC: storage tiering"))),
		inWork(event("2", "review", clock(w0, 2, "14:00"), clock(w0, 2, "15:30"), titled("PR review <script>"))),
		inWork(event("3", "alignment", clock(w0, 3, "10:00"), clock(w0, 3, "11:00"), series("sync"), titled("Weekly sync"), sync)),
		inWork(event("4", "oncall", clock(w0, 4, "18:00"), clock(w0, 4, "22:00"), titled("On-call handover"))),
		inWork(event("5", "ignore", clock(w1, 0, "12:00"), clock(w1, 0, "13:00"), titled("Lunch"))),
		inWork(event("6", "incident", clock(w1, 1, "09:00"), clock(w1, 1, "13:00"), titled("SEV2 payments"), with(crowd...))),
		inWork(event("7", "alignment", clock(w1, 3, "10:00"), clock(w1, 3, "11:00"), series("sync"), titled("Weekly sync"), sync)),
		inWork(allDay("8", "off", "2026-11-13", "2026-11-14", titled("Vacation"))),
		inWork(event("8s", "alignment", clock(w1, 4, "09:30"), clock(w1, 4, "09:45"), titled("Standup"))),
		inWork(event("9", "design", clock(w2, 0, "13:00"), clock(w2, 0, "17:00"), titled("Design doc: quotas"))),
		inWork(event("10", "alignment", clock(w2, 3, "10:00"), clock(w2, 3, "11:00"), series("sync"), titled("Weekly sync"), sync)),
		inWork(event("11", "review", clock(w2, 4, "15:00"), clock(w2, 4, "16:20"), titled("Code review"), uid("cr-1"))),
		inWork(event("12", "alignment", clock(w1, 2, "11:00"), clock(w1, 2, "11:30"), series("1:1"), titled("1:1 Sam <> me"), oneOnOne)),
		inWork(event("13", "alignment", clock(w2, 2, "11:00"), clock(w2, 2, "11:30"), series("1:1"), titled("1:1 Sam <> me"), oneOnOne)),
		inWork(event("14", "implementation", clock(w2, 2, "13:00"), clock(w2, 2, "15:00"), titled("Focus time"), withType(cal.TypeFocusTime))),
		inSide(event("s1", "review", clock(w2, 1, "20:00"), clock(w2, 1, "21:00"), titled("OSS review"))),
		inSide(event("s2", "review", clock(w2, 4, "15:00"), clock(w2, 4, "16:20"), titled("Code review (copy)"), uid("cr-1"))),
	}
	synced := time.Date(2026, time.November, 18, 17, 45, 0, 0, time.UTC)
	me := Person{Name: "me", Calendars: []string{"work", "side-project"}, Events: mine,
		Coverage: Coverage{Windows: everything.Windows, Earliest: clock(w0, 1, "10:00")},
		Sources: []SourceSync{{Name: "work", LastSuccess: synced},
			{Name: "side-project", LastSuccess: synced.Add(-26 * time.Hour), Failing: "revoked", Stale: true}}}
	ann := person("ann", []Classified{
		event("a1", "design", clock(w1, 2, "09:00"), clock(w1, 2, "17:00"), titled("Design sprint")),
	})
	return Build(cfg, cats, now, weeks, []Person{me, ann})
}

func TestGolden(t *testing.T) {
	reports := map[string]func(*config.Week){
		"report": func(*config.Week) {},
		"unscheduled-none": func(c *config.Week) {
			c.Accounting.Unscheduled = config.UnscheduledNone
			c.Target = config.Target{Categories: []string{"design", "review"}, MinShare: 0.125}
		},
	}
	writers := map[string]func(*bytes.Buffer, Report) error{
		"json": func(b *bytes.Buffer, r Report) error { return WriteJSON(b, r) },
		"txt":  func(b *bytes.Buffer, r Report) error { return WriteText(b, r) },
		"csv":  func(b *bytes.Buffer, r Report) error { return WriteCSV(b, r) },
		"md":   func(b *bytes.Buffer, r Report) error { return WriteMarkdown(b, r, MarkdownOptions{}) },
		"redacted.md": func(b *bytes.Buffer, r Report) error {
			return WriteMarkdown(b, r, MarkdownOptions{Redact: true})
		},
	}
	for name, edit := range reports {
		for ext, write := range writers {
			t.Run(name+"."+ext, func(t *testing.T) {
				var b bytes.Buffer
				if err := write(&b, sampleReport(t, edit)); err != nil {
					t.Fatal(err)
				}
				golden(t, filepath.Join("testdata", name+"."+ext), b.Bytes())
			})
		}
	}
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("got\n%s\nwant (%s)\n%s", got, path, want)
	}
}

func TestReportJSONShape(t *testing.T) {
	loc := mustLoad(t, "America/New_York")
	third, half := 1.0/3, 0.5
	r := Report{
		GeneratedAt: time.Date(2026, 11, 23, 18, 0, 0, 0, time.UTC),
		Timezone:    "America/New_York",
		Categories:  []string{"review", "design"},
		People: []PersonReport{{Name: "me", Calendars: []string{"work"}, Weeks: []WeekReport{
			{Week: "2026-W47", Start: time.Date(2026, 11, 16, 0, 0, 0, 999, loc), End: time.Date(2026, 11, 23, 0, 0, 0, 0, loc),
				Seconds: Seconds{"design": 5, "legacy": 7}, DesignShare: &third},
			{Week: "2026-W48", Seconds: Seconds{}, DesignShare: &half},
			{Week: "2026-W49"},
			{Week: "2026-W50", Seconds: Seconds{}, NoData: true},
		}}},
	}
	var b bytes.Buffer
	if err := WriteJSON(&b, r); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		`"generated_at": "2026-11-23T18:00:00Z"`,
		`"target": {` + "\n" + `    "categories": [],`,
		`"start": "2026-11-16T00:00:00-05:00"`,
		`"seconds": {` + "\n" + `            "review": 0,` + "\n" + `            "design": 5,` + "\n" + `            "legacy": 7` + "\n",
		`"design_share": 0.3333,`,
		`"design_share": 0.5,`,
		`"design_share": null,`,
		`"people": [` + "\n" + `    {` + "\n" + `      "name": "me",` + "\n" + `      "team": null,` + "\n" + `      "calendars": [` + "\n" + `        "work"`,
		`"min_group_size": 0,` + "\n" + `  "teams": []` + "\n}",
		`"time_off_seconds": 0,` + "\n" + `          "no_data": true,`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("got\n%s\nwant it to contain\n%s", out, want)
		}
	}
	// json.Marshal gives the same shape as WriteJSON.
	direct, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var compact bytes.Buffer
	if err := json.Compact(&compact, b.Bytes()); err != nil {
		t.Fatal(err)
	}
	if got, want := string(direct), strings.TrimSpace(compact.String()); got != want {
		t.Errorf("json.Marshal: got %s, want %s", got, want)
	}
}

func TestWriteTextNoCalendars(t *testing.T) {
	var b bytes.Buffer
	r := Report{Timezone: "UTC", Target: TargetSummary{Categories: []string{"design"}, MinShare: 0.07}}
	if err := WriteText(&b, r); err != nil {
		t.Fatal(err)
	}
	want := "Target: design ≥ 7% of work time · weeks in UTC\n\nNo one to report.\n"
	if got := b.String(); got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
