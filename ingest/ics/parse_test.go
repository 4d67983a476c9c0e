package ics

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/weekmap/weekmap/cal"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

var (
	berlin, _   = time.LoadLocation("Europe/Berlin")
	windowFrom  = time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	windowTo    = time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	ownerEmails = []string{"ann@example.com"}
)

func parseFile(t *testing.T, name string) ([]cal.Event, []error) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	events, problems, err := Parse(name, f, Options{Calendar: "cal", Location: berlin, From: windowFrom, To: windowTo, Owners: ownerEmails})
	if err != nil {
		t.Fatalf("Parse(%s): got error %v, want none", name, err)
	}
	return events, problems
}

// render writes one event a line with every field the mapping sets, times
// in Berlin so that a reader can check them against the files.
func render(events []cal.Event) string {
	var b strings.Builder
	for _, e := range events {
		when := e.Start.In(berlin).Format("2006-01-02 15:04 MST") + " → " + e.End.In(berlin).Format("2006-01-02 15:04 MST")
		if e.AllDay {
			when = e.StartDate + " → " + e.EndDate + " (all day)"
		}
		fmt.Fprintf(&b, "%s\n  %s tz=%q\n  title=%q status=%s transp=%s type=%s series=%q\n", e.ID, when, e.TimeZone, e.Title, e.Status, e.Transparency, e.EventType, e.RecurringEventID)
		if e.Organizer.Email != "" || len(e.Attendees) > 0 || len(e.Categories) > 0 {
			fmt.Fprintf(&b, "  organizer=%s self=%v categories=%q\n", e.Organizer.Email, e.Organizer.Self, e.Categories)
		}
		for _, a := range e.Attendees {
			fmt.Fprintf(&b, "  attendee %s %s self=%v resource=%v optional=%v organizer=%v\n", a.Email, a.ResponseStatus, a.Self, a.Resource, a.Optional, a.Organizer)
		}
	}
	return b.String()
}

// TestGolden parses the project's own exports (Outlook, Apple, Google
// style) and compares every mapped field with a reviewed golden file.
func TestGolden(t *testing.T) {
	for _, name := range []string{"outlook.ics", "apple.ics", "google.ics", "broken.ics"} {
		t.Run(name, func(t *testing.T) {
			events, problems := parseFile(t, name)
			var out strings.Builder
			out.WriteString(render(events))
			for _, p := range problems {
				fmt.Fprintf(&out, "problem: %v\n", p)
			}
			golden := filepath.Join("testdata", strings.TrimSuffix(name, ".ics")+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(out.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if got := out.String(); got != string(want) {
				t.Errorf("got:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}
