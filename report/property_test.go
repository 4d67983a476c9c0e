package report

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"time"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
)

// randomEvents makes a messy week: overlapping meetings of every category,
// ignored and out-of-office time, events over midnight and over the week's
// edges, duplicates, and events that step 2 excludes.
func randomEvents(r *rand.Rand, w Week, n int) []Classified {
	cats := append(append([]string{}, workCategories()...), "ignore", "ignore")
	quarter := func() time.Time {
		// From two days before the week to two days after, in quarter hours.
		return clock(w, -2, "00:00").Add(time.Duration(r.IntN(11*24*4)) * 15 * time.Minute)
	}
	var events []Classified
	for i := range n {
		from := quarter()
		to := from.Add(time.Duration(1+r.IntN(16)) * 15 * time.Minute)
		e := event(fmt.Sprintf("e%d", i), cats[r.IntN(len(cats))], from, to)
		switch r.IntN(10) {
		case 0:
			e.Transparency = cal.TransparencyTransparent
		case 1:
			e.EventType = cal.TypeOutOfOffice
		case 2:
			invited(cal.ResponseDeclined)(&e)
		case 3:
			e.Status = cal.StatusCancelled
		}
		if r.IntN(4) == 0 {
			e.RecurringEventID = fmt.Sprintf("s%d", r.IntN(3))
		}
		events = append(events, e)
		if r.IntN(15) == 0 {
			events = append(events, e) // an exact duplicate
		}
	}
	return events
}

func TestAccountWeekProperties(t *testing.T) {
	weeks := []struct{ zone, week string }{
		{"Europe/Berlin", "2026-W47"},
		{"Europe/Berlin", "2026-W13"},
		{"America/New_York", "2026-W44"},
		{"Asia/Kolkata", "2026-W02"},
	}
	configs := map[string]func(*config.Week){
		"defaults": func(*config.Week) {},
		"unscheduled none": func(c *config.Week) {
			c.Accounting.Unscheduled = config.UnscheduledNone
		},
		"every day, count all": func(c *config.Week) {
			c.WorkingHours = config.WorkingHours{Days: days("mon", "tue", "wed", "thu", "fri", "sat", "sun"), Start: clk("00:00"), End: clk("24:00")}
			c.Accounting.CountFree = true
			c.Accounting.Precedence = []string{"implementation", "alignment"}
		},
	}
	for _, wk := range weeks {
		loc := mustLoad(t, wk.zone)
		w := mustWeek(t, wk.week, loc)
		for name, edit := range configs {
			cfg := defaultWeek()
			edit(&cfg)
			for seed := range uint64(40) {
				r := rand.New(rand.NewPCG(seed, 7))
				events := randomEvents(r, w, 5+r.IntN(40))
				t.Run(fmt.Sprintf("%s %s %s seed %d", wk.zone, wk.week, name, seed), func(t *testing.T) {
					checkProperties(t, cfg, loc, w, events, r)
				})
			}
		}
	}
}

func checkProperties(t *testing.T, cfg config.Week, loc *time.Location, w Week, events []Classified, r *rand.Rand) {
	got := AccountWeek(inZone(cfg, loc), workCategories(), nil, w, events)

	var sum int64
	for _, s := range got.Seconds {
		sum += s
	}
	if sum != got.TotalSeconds {
		t.Errorf("categories sum to %d s, want the total %d s", sum, got.TotalSeconds)
	}
	if length := int64(w.End.Sub(w.Start).Seconds()); got.TotalSeconds > length {
		t.Errorf("got total %d s, want at most the week's %d s", got.TotalSeconds, length)
	}
	if got.UnscheduledSeconds > got.TotalSeconds {
		t.Errorf("got unscheduled %d s, want at most the total %d s", got.UnscheduledSeconds, got.TotalSeconds)
	}
	if s := got.DesignShare; s != nil && (*s < 0 || *s > 1) {
		t.Errorf("got share %v, want it in [0, 1]", *s)
	}
	if (got.DesignShare == nil) != (got.TotalSeconds == 0) {
		t.Errorf("got share %v with total %d s, want nil exactly when the total is 0", got.DesignShare, got.TotalSeconds)
	}

	shuffled := append([]Classified(nil), events...)
	r.Shuffle(len(shuffled), func(i, j int) { shuffled[i], shuffled[j] = shuffled[j], shuffled[i] })
	if again := AccountWeek(inZone(cfg, loc), workCategories(), nil, w, shuffled); !reflect.DeepEqual(again, got) {
		t.Errorf("shuffled events: got %+v, want %+v", again, got)
	}

	// Splitting an event in two at any instant moves no time; only the
	// number of events can change.
	i := r.IntN(len(events))
	e := events[i]
	if d := e.End.Sub(e.Start); d > time.Minute {
		cut := e.Start.Add(time.Duration(1+r.Int64N(int64(d/time.Minute)-1)) * time.Minute)
		first, second := e, e
		first.End, second.Start = cut, cut
		second.ID += "-2"
		split := append(append(append([]Classified(nil), events[:i]...), first, second), events[i+1:]...)
		again := AccountWeek(inZone(cfg, loc), workCategories(), nil, w, split)
		again.EventsCounted, again.Events = got.EventsCounted, got.Events
		if !reflect.DeepEqual(again, got) {
			t.Errorf("split %s at %s: got %+v, want %+v", e.ID, cut, again, got)
		}
	}
}
