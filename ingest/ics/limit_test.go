package ics

import (
	"fmt"
	"strings"
	"testing"
)

// dailySeries is a calendar of n daily series, each starting on 2025-01-01
// (425 occurrences before the window ends on 2026-05-01).
func dailySeries(n int) string {
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n")
	for i := range n {
		fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:s%d\r\nDTSTAMP:20250101T000000Z\r\nDTSTART:20250101T%02d0000Z\r\nDURATION:PT30M\r\nRRULE:FREQ=DAILY\r\nSUMMARY:Series %d\r\nEND:VEVENT\r\n", i, i%24, i)
	}
	b.WriteString("END:VCALENDAR\r\n")
	return b.String()
}

// TestFileOccurrenceLimit: a file whose series together walk more
// occurrences than maxFileOccurrences is refused as a whole, with one
// sentence that says why, while one just under the limit is read.
func TestFileOccurrenceLimit(t *testing.T) {
	old := maxFileOccurrences
	maxFileOccurrences = 2000
	t.Cleanup(func() { maxFileOccurrences = old })
	opts := Options{Calendar: "cal", Location: berlin, From: windowFrom, To: windowTo}

	events, problems, err := Parse("four.ics", strings.NewReader(dailySeries(4)), opts) // 1,700 walked
	if err != nil || len(problems) != 0 {
		t.Fatalf("4 series: got %v, %v; want them read", err, problems)
	}
	if want := 4 * 61; len(events) != want { // March and April, every day
		t.Errorf("4 series: got %d events, want %d", len(events), want)
	}

	events, _, err = Parse("five.ics", strings.NewReader(dailySeries(5)), opts) // 2,125
	if err == nil {
		t.Fatalf("5 series: got %d events, want the file refused", len(events))
	}
	for _, want := range []string{"five.ics", "more than 2000 occurrences", "sync window", `"s4"`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("got %q, want it to mention %s", err, want)
		}
	}
}
