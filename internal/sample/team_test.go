package sample

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/weekmap/weekmap/cal"
)

// TestGenerateFor: each teammate's calendar is their own (not the
// engineer's, nor another teammate's), the same on every call, and starts
// with their first week; the team has five people, the default minimum.
func TestGenerateFor(t *testing.T) {
	loc := mustZone(t, "Europe/Berlin")
	now := time.Date(2026, 11, 18, 15, 0, 0, 0, loc)
	mine := Generate(now, loc)
	seen := [][]string{titles(mine)}
	inTeam := 1 // the engineer
	for _, p := range People {
		events := GenerateFor(p, now, loc)
		if !reflect.DeepEqual(events, GenerateFor(p, now, loc)) {
			t.Errorf("%s: two calls differ", p.Name)
		}
		if len(events) == 0 {
			t.Fatalf("%s has no events", p.Name)
		}
		first := windowStart(now, loc).AddDate(0, 0, 7*(Weeks-p.Weeks))
		if events[0].Start.Before(first) || events[0].Start.After(first.AddDate(0, 0, 7)) {
			t.Errorf("%s's first event starts %v, want in the week of %v", p.Name, events[0].Start, first)
		}
		got := titles(events)
		for _, other := range seen {
			if slices.Equal(got, other) {
				t.Errorf("%s's calendar is the same as another's", p.Name)
			}
		}
		seen = append(seen, got)
		if p.Team == Team {
			inTeam++
		}
	}
	if inTeam != 5 {
		t.Errorf("%s has %d people, want 5 (the default minimum group size)", Team, inTeam)
	}
}

func titles(events []cal.Event) []string {
	var out []string
	for _, e := range events {
		out = append(out, e.Start.Format(time.RFC3339)+" "+e.Title)
	}
	return out
}
