package main

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestPersonWeek: one person with a JSON file and an ICS export that share
// a meeting and overlap another, a public-holidays calendar, and a
// Google-style all-day vacation: one week, the meeting once, the overlap
// once, the holiday and the vacation without working hours or meetings.
func TestPersonWeek(t *testing.T) {
	dir := t.TempDir()
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC) // Friday of 2026-W47, Europe/Berlin
	// Monday 10-11 design review in both calendars (same iCalUID); Monday
	// 14-16 planning in the file, 15-17 incident in the export (overlap:
	// incident ranks first from 15 to 17); Wednesday's standup falls on the
	// vacation day; Thursday is a public holiday with a 1:1 on it.
	writeFile(t, dir, "work.json", `[
 {"id":"w1","iCalUID":"review-42@example.com","summary":"Design review: ledger","start":{"dateTime":"2026-11-16T10:00:00+01:00"},"end":{"dateTime":"2026-11-16T11:00:00+01:00"}},
 {"id":"w2","summary":"Q1 planning","start":{"dateTime":"2026-11-16T14:00:00+01:00"},"end":{"dateTime":"2026-11-16T16:00:00+01:00"}},
 {"id":"w3","summary":"Vacation","transparency":"transparent","start":{"date":"2026-11-18"},"end":{"date":"2026-11-19"}},
 {"id":"w4","summary":"Standup","start":{"dateTime":"2026-11-18T09:30:00+01:00"},"end":{"dateTime":"2026-11-18T09:45:00+01:00"},"attendees":[{"email":"me@example.com","self":true,"responseStatus":"accepted"},{"email":"a@example.com"},{"email":"b@example.com"}]},
 {"id":"w5","summary":"1:1 Ana","start":{"dateTime":"2026-11-19T10:00:00+01:00"},"end":{"dateTime":"2026-11-19T10:30:00+01:00"},"attendees":[{"email":"me@example.com","self":true,"responseStatus":"accepted"},{"email":"ana@example.com"}]}
]`)
	writeFile(t, dir, "export.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n"+
		"BEGIN:VEVENT\r\nUID:review-42@example.com\r\nDTSTAMP:20261101T000000Z\r\nDTSTART;TZID=Europe/Berlin:20261116T100000\r\nDTEND;TZID=Europe/Berlin:20261116T110000\r\nSUMMARY:Design review: ledger\r\nEND:VEVENT\r\n"+
		"BEGIN:VEVENT\r\nUID:sev2@example.com\r\nDTSTAMP:20261101T000000Z\r\nDTSTART;TZID=Europe/Berlin:20261116T150000\r\nDTEND;TZID=Europe/Berlin:20261116T170000\r\nSUMMARY:SEV2: payments down\r\nEND:VEVENT\r\n"+
		"END:VCALENDAR\r\n")
	writeFile(t, dir, "holidays.ics", "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:test\r\n"+
		"BEGIN:VEVENT\r\nUID:h1\r\nDTSTAMP:20261101T000000Z\r\nDTSTART;VALUE=DATE:20261119\r\nDTEND;VALUE=DATE:20261120\r\nSUMMARY:Bürgerfest\r\nTRANSP:TRANSPARENT\r\nEND:VEVENT\r\n"+
		"END:VCALENDAR\r\n")
	cfg := writeFile(t, dir, "weekmap.yaml", `store: ./weekmap.db
people: [{name: me, emails: [me@example.com]}]
sources:
  - {name: work, type: json, path: work.json}
  - {name: export, type: ics, path: export.ics}
  - {name: holidays, type: ics, path: holidays.ics, holidays: true}
`)
	if code, _, errOut := runCLI(t, now, "sync", "--config", cfg); code != 0 {
		t.Fatalf("sync: %s", errOut)
	}
	code, out, errOut := runCLI(t, now, "report", "--config", cfg, "--week", "2026-W47", "--format", "json")
	if code != 0 {
		t.Fatalf("report: %s", errOut)
	}
	var rep struct {
		People []struct {
			Name      string   `json:"name"`
			Calendars []string `json:"calendars"`
			Weeks     []struct {
				Seconds       map[string]int64 `json:"seconds"`
				Total         int64            `json:"total_seconds"`
				TimeOff       int64            `json:"time_off_seconds"`
				NoData        bool             `json:"no_data"`
				EventsCounted int              `json:"events_counted"`
			} `json:"weeks"`
		} `json:"people"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.People) != 1 || strings.Join(rep.People[0].Calendars, ",") != "work,export,holidays" {
		t.Fatalf("got %+v, want one person with the three calendars", rep)
	}
	w := rep.People[0].Weeks[0]
	// Working time: Mon, Tue, Fri 8 h each = 24 h (Wednesday is vacation,
	// Thursday a holiday: 16 h of time off). Counted: review 1 h, planning
	// 14-15 (1 h, the rest under the incident), incident 15-17 (2 h, one of
	// them after working hours). Unscheduled: 24 - 1 - 1 - 1 (15-16 and
	// 16-17 inside the day: only 15-17 overlaps 09-17 for 2 h) ...
	want := map[string]int64{"design": 0, "review": 3600, "alignment": 3600, "incident": 7200, "implementation": (24 - 1 - 1 - 2) * 3600}
	for c, s := range want {
		if w.Seconds[c] != s {
			t.Errorf("seconds[%s] = %d, want %d", c, w.Seconds[c], s)
		}
	}
	if w.TimeOff != 16*3600 || w.NoData || w.EventsCounted != 3 {
		t.Errorf("time off %d s, no data %v, counted %d; want 16 h, false, 3 (the review once, planning, incident)", w.TimeOff, w.NoData, w.EventsCounted)
	}

	// The events list says why the standup and the 1:1 do not count, and
	// that the export's copy of the review is a duplicate.
	code, out, _ = runCLI(t, now, "events", "--config", cfg, "--week", "2026-W47", "--format", "json")
	if code != 0 {
		t.Fatal("events failed")
	}
	var rows []map[string]any
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	reasons := map[string]string{}
	for _, r := range rows {
		reasons[r["calendar"].(string)+"/"+r["id"].(string)] = r["reason"].(string)
	}
	for id, want := range map[string]string{
		"work/w4": "time off", "work/w5": "time off", "work/w3": "time off", "holidays/h1": "time off",
		"export/review-42@example.com": "duplicate", "work/w1": "",
	} {
		if reasons[id] != want {
			t.Errorf("%s: reason %q, want %q (all: %v)", id, reasons[id], want, reasons)
		}
	}
}

// TestReportNoData: weeks before the first event are "no data" in every
// format, and not samples in the history.
func TestReportNoData(t *testing.T) {
	cfg := writeCalendar(t, twoEvents) // events in 2026-W47 only
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	if code, _, errOut := runCLI(t, now, "sync", "--config", cfg); code != 0 {
		t.Fatalf("sync: %s", errOut)
	}
	for format, want := range map[string]string{
		"text":     "2026-W46  no  data",
		"csv":      "me,2026-W46,2026-11-09T00:00:00+01:00,2026-11-16T00:00:00+01:00,,,,,,,,,no data,false,",
		"markdown": "| 2026-W46 | | | | | | | | no data |",
		"json":     `"no_data": true`,
	} {
		code, out, errOut := runCLI(t, now, "report", "--config", cfg, "--weeks", "3", "--format", format)
		if format == "text" {
			out = regexp.MustCompile(` +`).ReplaceAllString(out, "  ")
		}
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("%s: exit %d (%s), want a no-data week like %q in:\n%s", format, code, errOut, want, out)
		}
		if strings.Contains(out, "▼") && format != "json" && strings.Count(out, "▼") > 1 {
			t.Errorf("%s: a week without data is marked below target:\n%s", format, out)
		}
	}
	code, out, _ := runCLI(t, now.AddDate(0, 0, 7), "report", "--config", cfg, "--weeks", "3", "--format", "openmetrics")
	if code != 0 || strings.Contains(out, "2026-W46") || !strings.Contains(out, "2026-W47") {
		t.Errorf("openmetrics: exit %d, want W47 and no W46 (no data):\n%s", code, out)
	}
}
