package bench

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/ingest/google"
	"github.com/weekmap/weekmap/internal/fakegoogle"
)

// TestAPICallsMinimum checks that a full sync makes ⌈N/2500⌉ events.list
// calls — the fake serves pages of maxResults, as Google does — and that
// a sync of an unchanged calendar makes exactly one.
func TestAPICallsMinimum(t *testing.T) {
	for _, n := range []int{0, 1, 2500, 2501, 12_000} {
		t.Run(fmt.Sprintf("events=%d", n), func(t *testing.T) {
			f := newFake(t)
			from, to := spanOf()
			f.Load(fakegoogle.LoadConfig{Events: n, From: from, To: to, Seed: 8})
			acc := connect(t, f, t.TempDir())
			st := openStore(t, t.TempDir())
			src := google.New(acc.sourceConfig("work", "primary"), google.Options{})
			for _, pass := range []struct {
				name string
				want int
			}{{"full", minCalls(n)}, {"unchanged", 1}} {
				f.ResetRequests()
				if _, err := syncGoogle(context.Background(), st, src, ingest.Options{Now: now}); err != nil {
					t.Fatal(err)
				}
				if got := len(f.Requests()); got != pass.want {
					t.Errorf("%s sync: got %d events.list calls, want %d", pass.name, got, pass.want)
				}
			}
		})
	}
}

// TestFloorMatchesSource checks that the fetch floor of BenchmarkGoogleSync
// sends the very query the source sends, so that the two are comparable.
func TestFloorMatchesSource(t *testing.T) {
	f := newFake(t)
	from, to := spanOf()
	f.Load(fakegoogle.LoadConfig{Events: 10, From: from, To: to, Seed: 9})
	acc := connect(t, f, t.TempDir())
	if _, err := syncGoogle(context.Background(), openStore(t, t.TempDir()), google.New(acc.sourceConfig("work", "primary"), google.Options{}), ingest.Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	fetchAll(t, acc.service(t, nil), "primary", syncFields)
	reqs := f.Requests()
	if len(reqs) != 2 {
		t.Fatalf("got %d calls, want 2", len(reqs))
	}
	got, want := reqs[1].Query, reqs[0].Query
	got.Del("prettyPrint")
	want.Del("prettyPrint")
	if !reflect.DeepEqual(got, want) {
		t.Errorf("floor query = %v, want the source's %v", got, want)
	}
}

// TestGenerateDeterministic checks the load generator: the same config
// gives the same events, ids are unique, every start is in the span, and
// the calendar looks real (series, attendees, descriptions).
func TestGenerateDeterministic(t *testing.T) {
	from, to := spanOf()
	cfg := fakegoogle.LoadConfig{Events: 5000, From: from, To: to, Seed: 10}
	a, b := fakegoogle.Generate(cfg), fakegoogle.Generate(cfg)
	if !reflect.DeepEqual(a, b) {
		t.Fatal("two runs of the same config differ")
	}
	if len(a) != cfg.Events {
		t.Fatalf("got %d events, want %d", len(a), cfg.Events)
	}
	ids := map[string]bool{}
	var recurring, withPeople, withDescription int
	for _, ev := range a {
		if ids[ev.Id] {
			t.Fatalf("id %s twice", ev.Id)
		}
		ids[ev.Id] = true
		start, perr := time.Parse(time.RFC3339, ev.Start.DateTime)
		if ev.Start.DateTime == "" {
			start, perr = time.Parse(time.DateOnly, ev.Start.Date)
		}
		if perr != nil || start.Before(from.Add(-24*time.Hour)) || !start.Before(to.Add(24*time.Hour)) {
			t.Errorf("event %s starts at %v (%v), want within [%v, %v)", ev.Id, start, perr, from, to)
		}
		if ev.RecurringEventId != "" {
			recurring++
		}
		if len(ev.Attendees) > 1 {
			withPeople++
		}
		if ev.Description != "" {
			withDescription++
		}
	}
	for name, got := range map[string]int{"recurring": recurring, "with attendees": withPeople, "with a description": withDescription} {
		if got < cfg.Events/10 {
			t.Errorf("%d events %s, want at least %d", got, name, cfg.Events/10)
		}
	}
}
