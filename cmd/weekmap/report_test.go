package main

import (
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// sharedWeek is a week of meetings whose titles and attendees must not
// leave in a redacted report: ordinary ones, and ones made to break out of
// a page or a note.
const sharedWeek = `{"id":"m1","summary":"Acquisition of Zentrix: due diligence","start":{"dateTime":"2026-11-16T10:00:00+01:00"},"end":{"dateTime":"2026-11-16T11:00:00+01:00"},"attendees":[{"email":"me@example.com","self":true,"responseStatus":"accepted"},{"email":"cfo@example.com"},{"email":"banker@lazard-example.com"}]}
{"id":"m2","summary":"</script><img src=x onerror=alert(1)>","start":{"dateTime":"2026-11-17T14:00:00+01:00"},"end":{"dateTime":"2026-11-17T15:00:00+01:00"},"attendees":[{"email":"me@example.com","self":true,"responseStatus":"accepted"},{"email":"\"><b>x</b>@evil.example"}]}
{"id":"m3","summary":"Performance review: Dana Whitfield","recurringEventId":"pr","start":{"dateTime":"2026-11-18T09:00:00+01:00"},"end":{"dateTime":"2026-11-18T09:30:00+01:00"},"attendees":[{"email":"me@example.com","self":true,"responseStatus":"accepted"},{"email":"dana.whitfield@example.com"}]}
{"id":"m4","summary":"| pipe [link](https://evil.example) ` + "`code`" + `","start":{"dateTime":"2026-11-19T16:00:00+01:00"},"end":{"dateTime":"2026-11-19T17:00:00+01:00"}}
`

var sharedSecrets = []string{
	"Acquisition of Zentrix: due diligence",
	"</script><img src=x onerror=alert(1)>",
	"Performance review: Dana Whitfield",
	"| pipe [link](https://evil.example) `code`",
	"cfo@example.com", "banker@lazard-example.com", `"><b>x</b>@evil.example`, "dana.whitfield@example.com",
}

// TestReportRedact checks --redact in every format: the report holds no
// event title and no attendee address in any escaping, and still has its
// figures. Without --redact, markdown and html show the titles (so the
// search would find them) and text and json the people met.
func TestReportRedact(t *testing.T) {
	cfg := writeCalendar(t, sharedWeek)
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	if code, _, errOut := runCLI(t, now, "sync", "--config", cfg); code != 0 {
		t.Fatalf("sync: %s", errOut)
	}
	forms := func(s string) []string {
		quoted, _ := json.Marshal(s)
		return []string{s, html.EscapeString(s), strings.Trim(string(quoted), `"`)}
	}
	for _, format := range []string{"text", "json", "csv", "markdown", "html", "openmetrics"} {
		t.Run(format, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "report")
			code, _, errOut := runCLI(t, now, "report", "--config", cfg, "--week", "2026-W47", "--format", format, "--redact", "--out", out)
			if code != 0 {
				t.Fatalf("report --redact --format %s: exit %d: %s", format, code, errOut)
			}
			raw, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			got := string(raw)
			for _, secret := range sharedSecrets {
				for _, f := range forms(secret) {
					if strings.Contains(got, f) {
						t.Errorf("got %q (as %q) in the redacted %s report, want no titles or addresses", secret, f, format)
					}
				}
			}
			if !strings.Contains(got, "2026-W47") && format != "openmetrics" && format != "json" {
				t.Errorf("got a redacted %s report without its week:\n%.400s", format, got)
			}

			code, plain, errOut := runCLI(t, now, "report", "--config", cfg, "--week", "2026-W47", "--format", format)
			if code != 0 {
				t.Fatalf("report --format %s: exit %d: %s", format, code, errOut)
			}
			want := map[string]string{"markdown": "Performance review: Dana Whitfield", "html": "Acquisition of Zentrix: due diligence",
				"text": "cfo@example.com", "json": "cfo@example.com"}[format]
			if want != "" && !strings.Contains(plain, want) {
				t.Errorf("got a %s report without %q when not redacted, want it", format, want)
			}
		})
	}
}

// TestReportHTMLRedactedFile checks the file a user would send: the
// self-contained page, redacted, lists the events by category and rule and
// says it is redacted.
func TestReportHTMLRedactedFile(t *testing.T) {
	cfg := writeCalendar(t, sharedWeek)
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	if code, _, errOut := runCLI(t, now, "sync", "--config", cfg); code != 0 {
		t.Fatalf("sync: %s", errOut)
	}
	out := filepath.Join(t.TempDir(), "for-my-manager.html")
	if code, _, errOut := runCLI(t, now, "report", "--config", cfg, "--weeks", "2", "--format", "html", "--redact", "--out", out); code != 0 {
		t.Fatalf("report: %s", errOut)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	page := string(raw)
	for _, want := range []string{
		"<dt>Redacted</dt>", `class="title placeholder">alignment event, rule `, "<dt>Last synced</dt><dd>work: 20 Nov 2026, 13:00 CET</dd>",
		`<table class="numbers" data-numbers>`, "Events behind the numbers",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("got a redacted page without %q, want it", want)
		}
	}
}
