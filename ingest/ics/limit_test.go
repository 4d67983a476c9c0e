package ics

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/weekmap/weekmap/ingest/recur"
)

// The 28-week sync window weekmap uses by default.
var (
	syncFrom = time.Date(2025, 11, 17, 0, 0, 0, 0, time.UTC)
	syncTo   = time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC)
)

// calendar wraps components into a file.
func calendar(parts ...string) string {
	return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n" + strings.Join(parts, "") + "END:VCALENDAR\r\n"
}

// ruleEvent is one recurring event; start is what follows DTSTART (";TZID=…:…" or ":…").
func ruleEvent(uid, start, rule string) string {
	return "BEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTAMP:20250101T000000Z\r\nDTSTART" + start + "\r\nDURATION:PT30M\r\nRRULE:" + rule + "\r\nSUMMARY:s\r\nEND:VEVENT\r\n"
}

// parsed is what measure found.
type parsed struct {
	n        int
	problems []error
	err      error
	took     time.Duration
	peak     uint64 // heap growth, bytes
}

// measure parses a file and reports how long it took and how much the
// heap grew at most (sampled every few milliseconds).
func measure(t *testing.T, name, data string) parsed {
	t.Helper()
	runtime.GC()
	var base runtime.MemStats
	runtime.ReadMemStats(&base)
	done := make(chan struct{})
	peaks := make(chan uint64)
	go func() {
		var top uint64
		var m runtime.MemStats
		for {
			select {
			case <-done:
				peaks <- top
				return
			case <-time.After(5 * time.Millisecond):
				runtime.ReadMemStats(&m)
				top = max(top, m.HeapAlloc)
			}
		}
	}()
	start := time.Now()
	events, problems, err := Parse(name, strings.NewReader(data), Options{Calendar: "c", Location: berlin, From: syncFrom, To: syncTo})
	p := parsed{n: len(events), problems: problems, err: err, took: time.Since(start)}
	close(done)
	if top := <-peaks; top > base.HeapAlloc {
		p.peak = top - base.HeapAlloc
	}
	t.Logf("%s (%d KiB): %d events, %d problems, err %v; %v, heap +%d MiB", name, len(data)>>10, p.n, len(problems), err, p.took.Round(time.Millisecond), p.peak>>20)
	return p
}

// TestHostileFiles: files that cost minutes or gigabytes to expand end
// within seconds, either read (what could be read of them) or refused in
// one sentence that names the file, the UID and what to do.
func TestHostileFiles(t *testing.T) {
	t.Run("500 rules that never match a day", func(t *testing.T) {
		var evs []string
		for i := range 500 {
			evs = append(evs, ruleEvent(fmt.Sprintf("u%d", i), fmt.Sprintf(":20260101T%02d%02d00Z", i/60%24, i%60), "FREQ=MINUTELY;BYMONTH=4;BYMONTHDAY=31"))
		}
		p := measure(t, "april31.ics", calendar(evs...))
		if p.err != nil || len(p.problems) > 0 || p.n != 500 {
			t.Errorf("got %d events, %v, %v; want each DTSTART and nothing else", p.n, p.problems, p.err)
		}
		if p.took > 5*time.Second {
			t.Errorf("took %v, want well under 10s", p.took)
		}
	})
	t.Run("ten masters of 94,000 instances each", func(t *testing.T) {
		var evs []string
		for i := range 10 {
			evs = append(evs, ruleEvent(fmt.Sprintf("m%d", i), fmt.Sprintf(":20251117T00%02d00Z", i), "FREQ=MINUTELY;INTERVAL=3"))
		}
		p := measure(t, "minutely.ics", calendar(evs...))
		if !errors.Is(p.err, recur.ErrBudget) {
			t.Fatalf("got %v, want the file refused", p.err)
		}
		if want := `minutely.ics: its recurring events take more work to expand than weekmap spends on one file (stopped at UID "m1"): export a shorter date range, or drop old recurring series from the file`; p.err.Error() != want {
			t.Errorf("got %q, want %q", p.err, want)
		}
		if p.took > 5*time.Second || p.peak > 512<<20 {
			t.Errorf("took %v and %d MiB, want a few seconds and well under 512 MiB", p.took, p.peak>>20)
		}
	})
	t.Run("secondly steps since 2000", func(t *testing.T) {
		p := measure(t, "secondly.ics", calendar(ruleEvent("s", ":20000101T090000Z", "FREQ=SECONDLY;BYHOUR=9;BYMINUTE=0;BYSECOND=0")))
		if !errors.Is(p.err, recur.ErrBudget) || !strings.Contains(p.err.Error(), `UID "s"`) {
			t.Errorf("got %v, want the file refused at UID s", p.err)
		}
		if p.took > time.Second {
			t.Errorf("took %v, want the refusal before the walk", p.took)
		}
	})
	t.Run("40,000 overrides of this and future instances", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("BEGIN:VEVENT\r\nUID:u\r\nDTSTART:20160101T000000Z\r\nRRULE:FREQ=HOURLY\r\nEND:VEVENT\r\n")
		t0 := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
		for n := range 40_000 {
			at := t0.Add(time.Duration(n) * time.Minute).Format("20060102T150405Z")
			fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:u\r\nRECURRENCE-ID;RANGE=THISANDFUTURE:%s\r\nDTSTART:%s\r\nEND:VEVENT\r\n", at, at)
		}
		p := measure(t, "thisandfuture.ics", calendar(b.String()))
		if p.err != nil || p.n == 0 {
			t.Errorf("got %d events, %v; want the series read", p.n, p.err)
		}
		if p.took > 5*time.Second {
			t.Errorf("took %v, want a few seconds at most (it took 96 s when each instance looked at every override)", p.took)
		}
	})
	t.Run("40,000 EXDATEs and overrides of no instance", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("BEGIN:VEVENT\r\nUID:v\r\nDTSTART:20260302T090000Z\r\nRRULE:FREQ=DAILY;COUNT=2\r\n")
		t0 := time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)
		for n := range 40_000 {
			fmt.Fprintf(&b, "EXDATE:%s\r\n", t0.Add(time.Duration(n)*time.Minute).Format("20060102T150405Z"))
		}
		b.WriteString("END:VEVENT\r\n")
		for n := range 40_000 {
			at := t0.Add(time.Duration(n) * time.Minute).Format("20060102T150405Z")
			fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:v\r\nRECURRENCE-ID:%s\r\nDTSTART:%s\r\nEND:VEVENT\r\n", at, at)
		}
		p := measure(t, "exdates.ics", calendar(b.String()))
		if p.err != nil || p.n != 2 {
			t.Errorf("got %d events, %v; want the two instances, every override excluded", p.n, p.err)
		}
		if p.took > 5*time.Second {
			t.Errorf("took %v, want a few seconds at most (each override looked at every EXDATE)", p.took)
		}
	})
	t.Run("a daily master with 50,000 attendees", func(t *testing.T) {
		var b strings.Builder
		b.WriteString("BEGIN:VEVENT\r\nUID:big\r\nDTSTART:20251117T090000Z\r\nDTEND:20251117T100000Z\r\nRRULE:FREQ=DAILY\r\n")
		for n := range 50_000 {
			fmt.Fprintf(&b, "ATTENDEE:mailto:a%d@example.com\r\n", n)
		}
		b.WriteString("END:VEVENT\r\n")
		p := measure(t, "attendees.ics", calendar(b.String()))
		if !errors.Is(p.err, recur.ErrBudget) {
			t.Errorf("got %d events, %v; want the file refused (each instance stores the list)", p.n, p.err)
		}
		if p.took > 5*time.Second || p.peak > 256<<20 {
			t.Errorf("took %v and %d MiB, want seconds and well under 256 MiB (it took 1.9 GB with a copy per instance)", p.took, p.peak>>20)
		}
	})
	t.Run("100,001 events", func(t *testing.T) {
		var b strings.Builder
		for n := range 100_001 {
			fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:e%d\r\nDTSTART:20260302T090000Z\r\nEND:VEVENT\r\n", n)
		}
		p := measure(t, "many.ics", calendar(b.String()))
		if p.err == nil || !strings.Contains(p.err.Error(), "many.ics, line 400004: more than 100,000 events, more than weekmap reads from one file: export a shorter date range") {
			t.Errorf("got %d events, %v; want the file refused at its 100,001st event", p.n, p.err)
		}
	})
	t.Run("a time zone of 1,500 parts", func(t *testing.T) {
		var zone strings.Builder
		zone.WriteString("BEGIN:VTIMEZONE\r\nTZID:Hostile\r\n")
		for i := range 1500 {
			kind := []string{"STANDARD", "DAYLIGHT"}[i%2]
			fmt.Fprintf(&zone, "BEGIN:%s\r\nDTSTART:19700101T%02d%02d00\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nRRULE:FREQ=DAILY\r\nEND:%s\r\n", kind, i/60%24, i%60, kind)
		}
		zone.WriteString("END:VTIMEZONE\r\n")
		p := measure(t, "zone.ics", calendar(zone.String(),
			ruleEvent("z", ";TZID=Hostile:20260302T090000", "FREQ=DAILY;COUNT=2"), ruleEvent("ok", ":20260302T090000Z", "FREQ=DAILY;COUNT=2")))
		if p.err != nil || p.n != 2 || len(p.problems) != 1 || !strings.Contains(p.problems[0].Error(), `time zone "Hostile": more than 10000 onsets before 2037`) {
			t.Errorf("got %d events, %v, %v; want the zone's event reported and the other read", p.n, p.problems, p.err)
		}
		if p.took > 2*time.Second || p.peak > 256<<20 {
			t.Errorf("took %v and %d MiB, want well under a second and a few MiB", p.took, p.peak>>20)
		}
	})
}

// TestRealCalendarFiles: the shapes of real calendars are read whole, in a
// fraction of the budget: birthdays since 1950, a team's 500 weekly series
// over five years, Outlook's VTIMEZONE rules from 1601, a daily standup
// since 2015.
func TestRealCalendarFiles(t *testing.T) {
	var evs []string
	for i := range 300 {
		evs = append(evs, "BEGIN:VEVENT\r\nUID:b"+fmt.Sprint(i)+"\r\nDTSTART;VALUE=DATE:"+fmt.Sprintf("%d%02d%02d", 1950+i%50, 1+i%12, 1+i%28)+
			"\r\nRRULE:FREQ=YEARLY\r\nSUMMARY:Birthday\r\nEND:VEVENT\r\n")
	}
	// Outlook's own zone, under a name no table knows.
	evs = append(evs, "BEGIN:VTIMEZONE\r\nTZID:Customized Time Zone\r\n"+
		"BEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\n"+
		"BEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n")
	for i := range 500 {
		evs = append(evs, ruleEvent(fmt.Sprintf("w%d", i), fmt.Sprintf(";TZID=Customized Time Zone:202106%02dT%02d3000", 7+i%5, 8+i%10), "FREQ=WEEKLY;UNTIL=20260607T000000Z"))
	}
	evs = append(evs, ruleEvent("standup", ";TZID=Customized Time Zone:20150105T093000", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"))
	p := measure(t, "real.ics", calendar(evs...))
	if p.err != nil || len(p.problems) > 0 {
		t.Fatalf("got %v, %v; want the file read", p.err, p.problems)
	}
	// The birthdays in the window, 28 weeks of 500 series and of the
	// standup's weekdays.
	want := 500*28 + 5*28
	for i := range 300 {
		for _, y := range []int{2025, 2026} {
			if d := time.Date(y, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC); !d.Before(syncFrom) && d.Before(syncTo) {
				want++
			}
		}
	}
	if p.n != want {
		t.Errorf("got %d events, want %d", p.n, want)
	}
	if p.took > 5*time.Second {
		t.Errorf("took %v, want well under a second", p.took)
	}
	// The zone from 1601 still changes to summer time in 2026.
	events, _, _ := Parse("real.ics", strings.NewReader(calendar(evs...)), Options{Calendar: "c", From: time.Date(2026, 5, 4, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 5, 5, 0, 0, 0, 0, time.UTC)})
	for _, e := range events {
		if e.ID == "standup_20260504T073000Z" {
			return
		}
	}
	t.Errorf("no standup at 09:30 summer time (07:30 UTC) on 2026-05-04 in %v events", len(events))
}
