package sample

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/weekmap/weekmap/cal"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// precedence ranks categories as the accounting does with the default
// switches; ignore and out-of-office time never outranks work.
var precedence = map[string]int{"incident": 1, "design": 2, "review": 3, "alignment": 4, "implementation": 5, "ignore": 6, "ooo": 6}

// weekMix accounts one week of the generator's own categories as the accounting does
// section 5 (default switches, working hours Monday–Friday 09:00–17:00), one
// minute at a time. It returns seconds per work category.
func weekMix(events []plannedEvent, monday time.Time) map[string]int64 {
	next := time.Date(monday.Year(), monday.Month(), monday.Day()+7, 0, 0, 0, 0, monday.Location())
	minutes := int(next.Sub(monday) / time.Minute)
	slot := make([]string, minutes)
	for _, p := range events {
		e := p.Event
		if e.AllDay || e.Status == cal.StatusCancelled || e.MyResponse() == cal.ResponseDeclined ||
			e.EventType == cal.TypeBirthday || e.Transparency == cal.TransparencyTransparent {
			continue
		}
		from := max(0, int(e.Start.Sub(monday)/time.Minute))
		to := min(minutes, int(e.End.Sub(monday)/time.Minute))
		for m := from; m < to; m++ {
			if slot[m] == "" || precedence[p.category] < precedence[slot[m]] {
				slot[m] = p.category
			}
		}
	}
	mix := map[string]int64{}
	for day := range 5 {
		open := time.Date(monday.Year(), monday.Month(), monday.Day()+day, 9, 0, 0, 0, monday.Location())
		from := int(open.Sub(monday) / time.Minute)
		for m := from; m < from+8*60; m++ {
			if slot[m] == "" {
				slot[m] = "implementation" // unscheduled working time
			}
		}
	}
	for _, c := range slot {
		if c != "" && c != "ignore" && c != "ooo" {
			mix[c] += 60
		}
	}
	return mix
}

func designShare(mix map[string]int64) float64 {
	var total int64
	for _, s := range mix {
		total += s
	}
	return float64(mix["design"]+mix["review"]+mix["alignment"]) / float64(total)
}

func implementationShare(mix map[string]int64) float64 {
	var total int64
	for _, s := range mix {
		total += s
	}
	return float64(mix["implementation"]) / float64(total)
}

// The demo exists to show the 20% line meaning something: weeks on both
// sides of it, within a believable range, with implementation dominating.
func TestGenerateDesignShareVaries(t *testing.T) {
	for _, zone := range []string{"UTC", "America/New_York", "Asia/Kolkata", "Europe/Berlin"} {
		loc := mustZone(t, zone)
		for w := range 6 {
			now := time.Date(2026, 10, 7, 12, 0, 0, 0, loc).AddDate(0, 0, 7*w)
			events := generate(now, loc)
			start := windowStart(now, loc)
			below, above, implHeavy := 0, 0, 0
			var shares []string
			for i := range Weeks {
				monday := start.AddDate(0, 0, 7*i)
				mix := weekMix(events, monday)
				share := designShare(mix)
				shares = append(shares, fmt.Sprintf("%.2f", share))
				if share < 0.08 || share > 0.40 {
					t.Errorf("%s week of %s: got design share %.3f, want 0.08–0.40", zone, monday.Format(time.DateOnly), share)
				}
				switch {
				case share < 0.18:
					below++
				case share > 0.22:
					above++
				}
				if implementationShare(mix) >= 0.5 {
					implHeavy++
				}
			}
			if below < 3 || above < 3 {
				t.Errorf("%s window ending %s: got %d weeks clearly below and %d clearly above 20%% (%s), want at least 3 each",
					zone, now.Format(time.DateOnly), below, above, strings.Join(shares, " "))
			}
			if implHeavy < Weeks-2 {
				t.Errorf("%s window ending %s: got %d weeks where implementation is at least half, want %d or more",
					zone, now.Format(time.DateOnly), implHeavy, Weeks-2)
			}
		}
	}
}

// TestGenerateGolden pins one window as a readable agenda, so a change to the
// sample calendar shows up in review as a diff of meetings.
func TestGenerateGolden(t *testing.T) {
	loc := mustZone(t, "Europe/Berlin")
	now := time.Date(2026, 11, 19, 10, 0, 0, 0, loc)
	events := generate(now, loc)
	var b strings.Builder
	start := windowStart(now, loc)
	for i := range Weeks {
		monday := start.AddDate(0, 0, 7*i)
		y, w := monday.ISOWeek()
		mix := weekMix(events, monday)
		fmt.Fprintf(&b, "== %d-W%02d %s design share %.3f\n", y, w, modeOf(weekNumber(date{monday.Year(), monday.Month(), monday.Day()})).name, designShare(mix))
		for _, p := range events {
			if p.Start.Before(monday) || !p.Start.Before(monday.AddDate(0, 0, 7)) {
				continue
			}
			when := p.Start.Format("Mon 15:04") + "–" + p.End.Format("15:04")
			if p.AllDay {
				when = p.Start.Format("Mon") + " all day   "
			}
			fmt.Fprintf(&b, "%s %-14s %-11s %-9s %-11s %-12s %s\n", when, p.category, p.MyResponse(), p.Status, p.Transparency, p.EventType, p.Title)
		}
	}
	path := filepath.Join("testdata", "berlin-2026-W47.golden")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read golden file (run with -update to create it): %v", err)
	}
	if got := b.String(); got != string(want) {
		t.Errorf("got agenda that differs from %s (rerun with -update if intended):\n%s", path, got)
	}
}
