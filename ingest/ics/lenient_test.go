package ics

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestConfluenceGolden: a Confluence team-calendar export writes
// ORGANIZER/ATTENDEE parameters after the ':' and folds long lines without
// the leading space. Every event is kept, with its attendees' addresses,
// PARTSTAT, ROLE and CUTYPE as a calendar app shows them.
func TestConfluenceGolden(t *testing.T) {
	events, problems := parseFile(t, "confluence.ics")
	if len(problems) > 0 {
		t.Errorf("got problems %v, want none", problems)
	}
	got := render(events)
	golden := filepath.Join("testdata", "confluence.golden")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("got:\n%s\nwant:\n%s", got, want)
	}
	// The description is folded without leading spaces too.
	const desc = "Walk through the storage design before the build starts. Bring the numbers from the load test, and the open questions from last week's notes."
	for _, e := range events {
		if e.Title == "Architecture review" && e.Description != desc {
			t.Errorf("got description %q, want %q", e.Description, desc)
		}
	}
}

// eventWith is a calendar of one event, 10 March 2026 09:00 UTC, with the
// given lines among its properties.
func eventWith(lines ...string) string {
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:e1\r\nDTSTART:20260310T090000Z\r\n" +
		strings.Join(lines, "\r\n") + "\r\nSUMMARY:Review\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:ben@example.com\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
}

// TestMalformedPropertyDropped: a property line that cannot be read drops
// that property only; the event is kept with its other properties, and
// the line is logged at debug with its number, never its value.
func TestMalformedPropertyDropped(t *testing.T) {
	for _, tc := range []struct {
		name, line string
		// attendees is how many ATTENDEE lines remain readable.
		attendees int
		// end is the event's length in minutes.
		end int
	}{
		{"unterminated quote", `ATTENDEE;CN="Ann:mailto:ann@example.com`, 1, 60},
		{"text after a quoted value", `CATEGORIES;X-A="q"x:secret`, 1, 60},
		{"quote inside a value", `CATEGORIES;X-A=a"b:secret`, 1, 60},
		{"parameter without a name", `CATEGORIES;X-A=a;=b:secret`, 1, 60},
		{"parameter without '='", `CATEGORIES;X-A=a;B:secret`, 1, 60},
		{"control character", "CATEGORIES;X-A=a\x01b:secret", 1, 60},
		{"no colon", `CATEGORIES;X-A=secret`, 1, 60},
		{"bad DTEND", `DTEND;TZID="Europe/Berlin:20260310T110000`, 1, 0},
		{"bad RRULE", `RRULE;X="a"b:FREQ=DAILY`, 1, 60},
	} {
		t.Run(tc.name, func(t *testing.T) {
			lines := []string{tc.line}
			if !strings.HasPrefix(tc.line, "DTEND") {
				lines = append(lines, "DTEND:20260310T100000Z")
			}
			var logs bytes.Buffer
			log := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			events, problems, err := Parse("m.ics", strings.NewReader(eventWith(lines...)), Options{From: windowFrom, To: windowTo, Logger: log})
			if err != nil || len(problems) > 0 {
				t.Fatalf("got %v, %v, want the event read", err, problems)
			}
			if len(events) != 1 {
				t.Fatalf("got %d events, want 1 (RRULE dropped too)", len(events))
			}
			e := events[0]
			if e.Title != "Review" || len(e.Attendees) != tc.attendees || len(e.Categories) != 0 {
				t.Errorf("got title %q, %d attendees, categories %q; want Review, %d, none", e.Title, len(e.Attendees), e.Categories, tc.attendees)
			}
			if got := e.End.Sub(e.Start); got != time.Duration(tc.end)*time.Minute {
				t.Errorf("got length %v, want %d minutes", got, tc.end)
			}
			if !strings.Contains(logs.String(), "malformed line dropped") || !strings.Contains(logs.String(), "line=6") {
				t.Errorf("got log %q, want the line number of the dropped line at debug", logs.String())
			}
			if strings.Contains(logs.String(), "secret") || strings.Contains(logs.String(), "Europe/Berlin") {
				t.Errorf("got log %q, want no value in it", logs.String())
			}
		})
	}
}

// TestMalformedStartBreaksEvent: without a readable DTSTART an event has
// no time, and an override without its RECURRENCE-ID cannot be placed, so
// either is a broken event, reported with file, line and UID.
func TestMalformedStartBreaksEvent(t *testing.T) {
	for _, line := range []string{
		`DTSTART;TZID="Europe/Berlin:20260310T090000`,
		`RECURRENCE-ID;X="a"b:20260310T090000Z`,
		"DTSTART;X-P=" + strings.Repeat("v;X-P=", maxParams) + "v:20260310T090000Z",
	} {
		data := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:ok\r\nDTSTART:20260310T090000Z\r\nEND:VEVENT\r\n" +
			"BEGIN:VEVENT\r\nUID:bad\r\n" + line + "\r\nDTSTART:20260311T090000Z\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
		events, problems, err := Parse("s.ics", strings.NewReader(data), Options{From: windowFrom, To: windowTo})
		if err != nil || len(events) != 1 || events[0].ID != "ok" {
			t.Errorf("%.30s: got %d events, %v, want only the event ok", line, len(events), err)
		}
		name, _, _ := strings.Cut(line, ";")
		if len(problems) != 1 || !strings.Contains(problems[0].Error(), fmt.Sprintf(`s.ics:6: VEVENT (UID "bad"): %s on line 8`, name)) {
			t.Errorf("%.30s: got problems %v, want one naming the event and the line", line, problems)
		}
	}
}

// manyParams is a SUMMARY line with n parameters, as a hostile file would
// write it.
func manyParams(n int) string {
	var b strings.Builder
	b.WriteString("SUMMARY")
	for i := range n {
		fmt.Fprintf(&b, ";X-P%d=v", i)
	}
	b.WriteString(":t")
	return b.String()
}

// TestHostileLines: lines with tens of thousands of parameters (about
// 1 MB for 100,000) used to cost seconds each; they are now dropped before
// they are read, in milliseconds, and the event is kept without them.
func TestHostileLines(t *testing.T) {
	for _, tc := range []struct {
		name, line, want string
	}{
		{"100,000 parameters", manyParams(100_000), "over the limit of 256 KiB"},
		{"40,000 parameters", manyParams(40_000), "over the limit of 256 KiB"},
		{"1,000 parameters", manyParams(1_000), "more than 64 parameters"},
		{"300 KiB description", "DESCRIPTION:" + strings.Repeat("x", 300<<10), "line of 301 KiB, over the limit of 256 KiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := eventWith(tc.line, "DTEND:20260310T100000Z")
			start := time.Now()
			events, problems, err := Parse("h.ics", strings.NewReader(data), Options{From: windowFrom, To: windowTo})
			took := time.Since(start)
			t.Logf("%d bytes read in %v", len(data), took)
			// Generous: this is milliseconds on a loaded 2-core machine.
			if took > 2*time.Second {
				t.Errorf("took %v, want well under a second", took)
			}
			if err != nil || len(events) != 1 || events[0].Title != "Review" || len(events[0].Attendees) != 1 {
				t.Fatalf("got %v, %v, want the event kept", events, err)
			}
			if events[0].Description != "" {
				t.Errorf("got a description of %d bytes, want it dropped", len(events[0].Description))
			}
			name, _, _ := strings.Cut(tc.line[:20], ";")
			name, _, _ = strings.Cut(name, ":")
			var p *Problem
			if len(problems) != 1 || !errors.As(problems[0], &p) || p.Property != name || p.Line != 6 || p.UID != "e1" || !strings.Contains(p.Error(), tc.want) {
				t.Errorf("got problems %v, want %s on line 6 dropped: %s", problems, name, tc.want)
			}
		})
	}
}

// TestLongLineKept: a description of tens of KiB, as Outlook and Google
// write them, folded every 75 octets, is read whole.
func TestLongLineKept(t *testing.T) {
	desc := strings.Repeat("Agenda item, notes and links. ", 6000) // 180 KB
	var folded strings.Builder
	line := "DESCRIPTION:" + desc
	for len(line) > 75 {
		folded.WriteString(line[:75] + "\r\n ")
		line = line[75:]
	}
	folded.WriteString(line)
	events, problems, err := Parse("l.ics", strings.NewReader(eventWith(folded.String())), Options{From: windowFrom, To: windowTo})
	if err != nil || len(problems) > 0 || len(events) != 1 {
		t.Fatalf("got %d events, %v, %v, want the event", len(events), problems, err)
	}
	if got := events[0].Description; got != strings.ReplaceAll(desc, `\,`, ",") {
		t.Errorf("got a description of %d bytes, want the %d of the file", len(got), len(desc))
	}
}

// TestProblemQuotesUID: a UID is anyone's text. Escape sequences in it are
// quoted in problem messages, so they cannot reach a terminal.
func TestProblemQuotesUID(t *testing.T) {
	uid := "evil\x1b[2J\x1b]0;pwned\x07"
	data := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTART:bad\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	_, problems, err := Parse("u.ics", strings.NewReader(data), Options{From: windowFrom, To: windowTo})
	if err == nil || len(problems) != 1 {
		t.Fatalf("got %v, %v, want the only event broken", problems, err)
	}
	data = strings.Replace(eventWith(manyParams(100)), "UID:e1", "UID:"+uid, 1)
	_, dropped, _ := Parse("u.ics", strings.NewReader(data), Options{From: windowFrom, To: windowTo})
	if len(dropped) != 1 {
		t.Fatalf("got problems %v, want one dropped SUMMARY", dropped)
	}
	for _, msg := range []string{err.Error(), problems[0].Error(), dropped[0].Error()} {
		if strings.ContainsAny(msg, "\x1b\x07") || !strings.Contains(msg, `"evil\x1b[2J\x1b]0;pwned\a"`) {
			t.Errorf("got %q, want the UID quoted with its escapes escaped", msg)
		}
	}
}

// TestFolding: lines folded with a space or tab, or without (a line that
// cannot begin a property continues the previous one), are joined; a
// stray line after BEGIN or END does not change the structure.
func TestFolding(t *testing.T) {
	data := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nstray text\r\nUID:f1\r\nDTSTART:20260310T090000Z\r\n" +
		"SUMMARY:Plan the \r\n next\r\n\t steps, then\r\nwrite them down\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	events, problems, err := Parse("f.ics", strings.NewReader(data), Options{From: windowFrom, To: windowTo})
	if err != nil || len(problems) > 0 || len(events) != 1 {
		t.Fatalf("got %d events, %v, %v, want one", len(events), problems, err)
	}
	if got, want := events[0].Title, "Plan the next steps, thenwrite them down"; got != want {
		t.Errorf("got title %q, want %q", got, want)
	}
}

// BenchmarkHostileLine reads an event with a 100,000-parameter SUMMARY
// line (about 1 MB), which golang-ical took 31 s to parse.
func BenchmarkHostileLine(b *testing.B) {
	data := eventWith(manyParams(100_000), "DTEND:20260310T100000Z")
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, _, err := Parse("h.ics", strings.NewReader(data), Options{From: windowFrom, To: windowTo}); err != nil {
			b.Fatal(err)
		}
	}
}
