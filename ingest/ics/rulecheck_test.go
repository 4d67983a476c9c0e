package ics

import (
	"strings"
	"testing"
	"time"
)

// TestHostileRulesFinish is the regression test for inputs FuzzParse
// found to hang or crash: rules an expander walks without end because they
// never yield, rules whose arithmetic overflows, and a VTIMEZONE rule with
// millions of onsets. Each file must parse quickly and keep its DTSTART
// instance.
func TestHostileRulesFinish(t *testing.T) {
	event := func(start, rule string) string {
		return "BEGIN:VEVENT\r\nUID:u\r\nSUMMARY:s\r\nDTSTART" + start + "\r\nRRULE:" + rule + "\r\nEND:VEVENT\r\n"
	}
	zone := func(rule string) string {
		return "BEGIN:VTIMEZONE\r\nTZID:Hostile Zone\r\nBEGIN:STANDARD\r\nDTSTART:19700101T000000\r\n" +
			"TZOFFSETFROM:+0100\r\nTZOFFSETTO:+0100\r\nRRULE:" + rule + "\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n"
	}
	tests := []struct {
		name, body string
		wantEvents int
	}{
		{"secondly bysetpos", event(":20260302T090000Z", "FREQ=SECONDLY;BYSETPOS=2"), 1},
		{"bysetpos with near until", event(":20260302T090000Z", "FREQ=MINUTELY;BYSETPOS=2;UNTIL=20260303T000000Z"), 1},
		{"unreachable byhour", event(":20260302T000000Z", "FREQ=HOURLY;INTERVAL=2;BYHOUR=1"), 1},
		{"unreachable bysecond", event(":20260302T000000Z", "FREQ=SECONDLY;INTERVAL=2;BYSECOND=1"), 1},
		{"no April 31", event(":20260302T090000Z", "FREQ=MINUTELY;BYMONTH=4;BYMONTHDAY=31"), 1},
		{"an ordinal no month has", event(":20260302T090000Z", "FREQ=MONTHLY;BYDAY=-6MO"), 1},
		{"an interval past any year", event(":20260302T090000Z", "FREQ=HOURLY;INTERVAL=9223372036854775807"), 1},
		{"minutely zone", zone("FREQ=MINUTELY") + event(";TZID=Hostile Zone:20260302T090000", "FREQ=DAILY;COUNT=2"), 0},
		{"never-yielding zone", zone("FREQ=SECONDLY;BYSETPOS=2") + event(";TZID=Hostile Zone:20260302T090000", "FREQ=DAILY;COUNT=2"), 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := "BEGIN:VCALENDAR\r\n" + tt.body + "END:VCALENDAR\r\n"
			done := make(chan struct{})
			var events int
			go func() {
				defer close(done)
				got, _, _ := Parse("hostile.ics", strings.NewReader(in), Options{Calendar: "c", Location: berlin, From: windowFrom, To: windowTo})
				events = len(got)
			}()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				// The goroutine cannot be stopped; fail loudly rather than
				// let the run hang until the test binary's timeout.
				t.Fatalf("Parse still running after 5s, want it to finish")
			}
			if events != tt.wantEvents {
				t.Errorf("got %d events, want %d", events, tt.wantEvents)
			}
		})
	}
}
