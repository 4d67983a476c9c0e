package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// An Outlook-style export: a weekly design review in a Windows zone with one
// cancelled instance, and a meeting the owner declined.
const outlookICS = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Microsoft Corporation//Outlook 16.0 MIMEDIR//EN\r\n" +
	"BEGIN:VEVENT\r\nUID:arch-review\r\nSUMMARY:Architecture review\r\n" +
	"DTSTART;TZID=W. Europe Standard Time:20261102T100000\r\nDTEND;TZID=W. Europe Standard Time:20261102T110000\r\n" +
	"RRULE:FREQ=WEEKLY;COUNT=4\r\nEXDATE;TZID=W. Europe Standard Time:20261109T100000\r\nEND:VEVENT\r\n" +
	"BEGIN:VEVENT\r\nUID:allhands\r\nSUMMARY:All hands\r\nDTSTART:20261118T150000Z\r\nDTEND:20261118T160000Z\r\n" +
	"ORGANIZER:mailto:ceo@example.com\r\nATTENDEE;PARTSTAT=DECLINED:mailto:Me@Example.com\r\nEND:VEVENT\r\n" +
	"END:VCALENDAR\r\n"

func TestICSSyncThenEvents(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "cal.ics", outlookICS)
	cfg := writeFile(t, dir, "weekmap.yaml", "sources:\n  - {name: outlook, type: ics, path: cal.ics, owners: [me@example.com]}\n")
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	code, out, errOut := runCLI(t, now, "sync", "--config", cfg)
	if code != 0 || !strings.Contains(out, "outlook: 4 events stored") {
		t.Fatalf("sync: exit %d, stdout %q, stderr %q; want 3 review instances and the all-hands stored", code, out, errOut)
	}
	code, out, errOut = runCLI(t, now, "events", "--config", cfg, "--from", "2026-11-02", "--to", "2026-11-30", "--format", "json")
	if code != 0 {
		t.Fatalf("events: %s", errOut)
	}
	var rows []eventRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range rows {
		got = append(got, r.Start+" "+r.Category+" "+r.Reason)
	}
	want := []string{
		"2026-11-02T10:00:00+01:00 review ",
		"2026-11-16T10:00:00+01:00 review ",
		"2026-11-18T16:00:00+01:00 alignment declined",
		"2026-11-23T10:00:00+01:00 review ",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("events:\n got %q\nwant %q", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "weekmap.db")); err != nil {
		t.Errorf("the store is not next to the config: %v", err)
	}
}
