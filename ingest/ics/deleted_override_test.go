package ics

import (
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// startsInBerlin parses a file of October and November 2026 and lists its
// events as "2006-01-02 15:04 title", Berlin time.
func startsInBerlin(t *testing.T, name string, r io.Reader) []string {
	t.Helper()
	berlin, _ := time.LoadLocation("Europe/Berlin")
	events, problems, err := Parse(name, r, Options{Calendar: "work", Location: berlin,
		From: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil || len(problems) > 0 {
		t.Fatalf("Parse: %v %v", err, problems)
	}
	var got []string
	for _, e := range events {
		got = append(got, e.Start.In(berlin).Format("2006-01-02 15:04")+" "+e.Title)
	}
	return got
}

// TestDeletedOverride: an instance moved by an override and later deleted
// by the series (a newer SEQUENCE with an EXDATE for it) does not happen.
func TestDeletedOverride(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "deleted-override.ics"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got := startsInBerlin(t, "deleted-override.ics", f)
	want := []string{"2026-11-02 09:30 Standup", "2026-11-16 09:30 Standup"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q (the moved 9 November instance was deleted afterwards)", got, want)
	}
}

// TestOverrideShapes: how overrides apply, table by table.
func TestOverrideShapes(t *testing.T) {
	for _, tc := range []struct {
		name string
		file string
		want []string
	}{
		{
			// Moved by a day across the end of summer time: 09:00 stays
			// 09:00 on the later days.
			"this and future across a DST change",
			"BEGIN:VEVENT\r\nUID:tf\r\nDTSTART;TZID=Europe/Berlin:20261021T090000\r\nDTEND;TZID=Europe/Berlin:20261021T100000\r\nRRULE:FREQ=DAILY;COUNT=6\r\nSUMMARY:daily\r\nEND:VEVENT\r\n" +
				"BEGIN:VEVENT\r\nUID:tf\r\nRECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Europe/Berlin:20261024T090000\r\nDTSTART;TZID=Europe/Berlin:20261025T090000\r\nDTEND;TZID=Europe/Berlin:20261025T100000\r\nSUMMARY:moved\r\nEND:VEVENT\r\n",
			[]string{"2026-10-21 09:00 daily", "2026-10-22 09:00 daily", "2026-10-23 09:00 daily",
				"2026-10-25 09:00 moved", "2026-10-26 09:00 moved", "2026-10-27 09:00 moved"},
		},
		{
			// A RECURRENCE-ID given as a date names that day's instance.
			"a date for a timed series",
			"BEGIN:VEVENT\r\nUID:s1\r\nDTSTART;TZID=Europe/Berlin:20261020T090000\r\nDTEND;TZID=Europe/Berlin:20261020T100000\r\nRRULE:FREQ=DAILY;COUNT=3\r\nSUMMARY:daily\r\nEND:VEVENT\r\n" +
				"BEGIN:VEVENT\r\nUID:s1\r\nRECURRENCE-ID;VALUE=DATE:20261021\r\nDTSTART;TZID=Europe/Berlin:20261021T140000\r\nDTEND;TZID=Europe/Berlin:20261021T150000\r\nSUMMARY:moved\r\nEND:VEVENT\r\n",
			[]string{"2026-10-20 09:00 daily", "2026-10-21 14:00 moved", "2026-10-22 09:00 daily"},
		},
		{
			// EXDATE and RECURRENCE-ID without their TZID mean the
			// series' wall clock (New York), not weekmap's zone (Berlin).
			"floating exclusion and override of a zoned series",
			"BEGIN:VEVENT\r\nUID:ny\r\nDTSTART;TZID=America/New_York:20261109T090000\r\nDTEND;TZID=America/New_York:20261109T100000\r\nRRULE:FREQ=DAILY;COUNT=4\r\nEXDATE:20261110T090000\r\nSUMMARY:daily\r\nEND:VEVENT\r\n" +
				"BEGIN:VEVENT\r\nUID:ny\r\nRECURRENCE-ID:20261111T090000\r\nDTSTART;TZID=America/New_York:20261111T110000\r\nDTEND;TZID=America/New_York:20261111T120000\r\nSUMMARY:moved\r\nEND:VEVENT\r\n",
			[]string{"2026-11-09 15:00 daily", "2026-11-11 17:00 moved", "2026-11-12 15:00 daily"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := startsInBerlin(t, "o.ics", strings.NewReader(calendar(tc.file))); !slices.Equal(got, tc.want) {
				t.Errorf("got %q\nwant %q", got, tc.want)
			}
		})
	}
}
