package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

const eventsFixture = twoEvents + `{"id":"o1","summary":"Vacation","eventType":"outOfOffice","start":{"date":"2026-11-20"},"end":{"date":"2026-11-21"}}
{"id":"h1","summary":"evil\u001b[2J\u001b]0;pwned\u0007title","start":{"dateTime":"2026-11-18T14:00:00+01:00"},"end":{"dateTime":"2026-11-18T15:00:00+01:00"}}
{"id":"n1","summary":"Next week","start":{"dateTime":"2026-11-23T10:00:00+01:00"},"end":{"dateTime":"2026-11-23T11:00:00+01:00"}}
`

func TestEventsCommand(t *testing.T) {
	cfg := writeCalendar(t, eventsFixture)
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	if code, _, errOut := runCLI(t, now, "sync", "--config", cfg); code != 0 {
		t.Fatalf("sync: %s", errOut)
	}

	code, out, errOut := runCLI(t, now, "events", "--config", cfg, "--format", "json")
	if code != 0 {
		t.Fatalf("events exited %d: %s", code, errOut)
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("events --format json is not a JSON array: %v\n%s", err, out)
	}
	var ids []string
	for _, r := range rows {
		ids = append(ids, r["id"].(string))
		for _, key := range []string{"id", "calendar", "title", "start", "end", "all_day", "category", "rule", "counted", "reason"} {
			if _, ok := r[key]; !ok {
				t.Errorf("event %v lacks %q", r["id"], key)
			}
		}
	}
	// The current week (2026-W47) only, ordered by start; n1 is next week.
	if got, want := strings.Join(ids, ","), "d1,s1,h1,x1,o1"; got != want {
		t.Errorf("got events %s, want %s", got, want)
	}
	byID := map[string]map[string]any{}
	for _, r := range rows {
		byID[r["id"].(string)] = r
	}
	if r := byID["d1"]; r["start"] != "2026-11-17T10:00:00+01:00" || r["counted"] != true || r["reason"] != "" || r["category"] != "design" {
		t.Errorf("d1 = %v, want a counted design event starting 2026-11-17T10:00:00+01:00", r)
	}
	if r := byID["x1"]; r["counted"] != false || r["reason"] != "declined" {
		t.Errorf("x1 = %v, want not counted because declined", r)
	}
	if r := byID["o1"]; r["start"] != "2026-11-20" || r["end"] != "2026-11-21" || r["all_day"] != true || r["reason"] != "time off" || r["person"] != "me" || r["calendar"] != "work" {
		t.Errorf("o1 = %v, want an all-day time-off event of me's work calendar with dates", r)
	}

	code, out, _ = runCLI(t, now, "events", "--config", cfg, "--from", "2026-11-23", "--to", "2026-11-24", "--format", "json")
	if code != 0 || !strings.Contains(out, `"id": "n1"`) || strings.Contains(out, `"id": "d1"`) {
		t.Errorf("--from/--to: exit %d, output %s; want only n1", code, out)
	}

	code, out, _ = runCLI(t, now, "events", "--config", cfg)
	if code != 0 {
		t.Fatalf("events text exited %d", code)
	}
	if strings.ContainsAny(out, "\x1b\x07") {
		t.Errorf("text output passes terminal control characters through: %q", out)
	}
	for _, want := range []string{"no: declined", "all day", "evil\uFFFD[2J"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}

	code, _, errOut = runCLI(t, now, "events", "--config", cfg, "--week", "2026-W47", "--from", "2026-11-16")
	if code != 2 || !strings.Contains(errOut, "either --week or --from/--to") {
		t.Errorf("--week with --from: exit %d, stderr %q", code, errOut)
	}
}
