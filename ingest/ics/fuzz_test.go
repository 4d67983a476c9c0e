package ics

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// FuzzParse feeds arbitrary bytes to Parse, which must never panic or hang:
// every file's content is attacker-controlled. Seeds are the project's own
// test files (a Confluence export among them), small hand-broken ones, and
// the shapes the lenient reader handles: parameters after the ':', lines
// folded without a space, malformed parameters, lines over the length and
// parameter limits.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob(filepath.Join("testdata", "*.ics"))
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, s := range []string{
		"",
		"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
		"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;X=\"a\"b:20260101\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
		"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTART:20260101T000000Z\r\nRRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
		"BEGIN:VCALENDAR\r\nBEGIN:VTIMEZONE\r\nTZID:X\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\nTZOFFSETFROM:+9999\r\nTZOFFSETTO:-0000\r\nRRULE:FREQ=DAILY\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nDTSTART;TZID=X:20260101T000000\r\nDURATION:-P1W\r\nRECURRENCE-ID;RANGE=THISANDFUTURE:20260101\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
		"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:c\r\nDTSTART:20260301T090000Z\r\nORGANIZER:X-KEY=1;CN=An\r\nn B;CUTYPE=INDIVIDUAL:mailto:a@b\r\nATTENDEE;CN=B:mailto:b@c;PARTSTAT=DECLINED;ROLE=OPT-\r\nPARTICIPANT\r\nATTENDEE:MAILTO:;;=;\"x;y\"=\"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
		"BEGIN:VCALENDAR\r\nstray\r\nBEGIN:VEVENT\r\nnot a property\r\nUID:d\r\nDTSTART;TZID=\"a:20260301T090000\r\nDTSTART;X=\"a\"b;=c;D:20260301\r\nRECURRENCE-ID;X=a\"b:20260301\r\nSUMMARY;X=\x01:t\r\nEND:VEVENT\r\nend\r\nEND:VCALENDAR\r\n",
		eventWith(manyParams(maxParams + 1)),
		eventWith(manyParams(maxParams)),
		eventWith("DESCRIPTION:" + strings.Repeat("x", maxLineBytes)),
		eventWith("DESCRIPTION:" + strings.Repeat("x", maxLineBytes/2) + "\r\n" + strings.Repeat("y", maxLineBytes/2)),
	} {
		f.Add([]byte(s))
	}
	from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, data []byte) {
		events, _, err := Parse("fuzz.ics", bytes.NewReader(data), Options{Calendar: "c", Location: berlin, From: from, To: to})
		if err != nil && len(events) > 0 {
			t.Errorf("got %d events with error %v, want none", len(events), err)
		}
		for _, e := range events {
			if e.ID == "" || e.End.Before(e.Start) {
				t.Errorf("got event id %q %v..%v, want an id and end >= start", e.ID, e.Start, e.End)
			}
		}
	})
}
