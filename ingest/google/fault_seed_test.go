package google

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/api/calendar/v3"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/ingest/store"
	"github.com/weekmap/weekmap/internal/fakegoogle"
)

// faultSeeds is how many seeded runs TestRandomFaultsConverge makes; each
// takes a fraction of a second because backoff sleeps return at once.
// WEEKMAP_FAULT_SEEDS=n runs more (or fewer) of them.
func faultSeeds(t *testing.T) int {
	if v, err := strconv.Atoi(os.Getenv("WEEKMAP_FAULT_SEEDS")); err == nil && v > 0 {
		return v
	}
	if testing.Short() {
		return 8
	}
	return 30
}

// TestRandomFaultsConverge syncs a generated calendar through a fake that
// fails at random — 429, 403 rate limits, 500/503, reset connections,
// truncated JSON, and a 410 in the middle of an incremental listing — over
// a first full sync and two rounds of changes. After each round, and
// after reruns where retries ran out, the store must equal, field by
// field, that of a fault-free sync of the same calendar into a new store.
func TestRandomFaultsConverge(t *testing.T) {
	var mu sync.Mutex
	total := map[string]float64{}
	reruns := 0
	seeds := faultSeeds(t)
	t.Run("seeds", func(t *testing.T) {
		for seed := range uint64(seeds) {
			t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
				t.Parallel()
				r := newFaultRun(t, seed)
				r.run(t)
				mu.Lock()
				defer mu.Unlock()
				for _, reason := range []string{ingest.ReasonRateLimited, ingest.ReasonServerError, ingest.ReasonNetwork, ingest.ReasonFullSyncRequired} {
					total[reason] += counterValue(t, r.env.metrics, reason)
				}
				reruns += r.reruns
			})
		}
	})
	if t.Failed() || seeds < 8 {
		return
	}
	// The runs must have met every kind of fault, or they prove nothing.
	for reason, n := range total {
		if n == 0 {
			t.Errorf("no run met a %s fault over %d seeds, want some", reason, seeds)
		}
	}
	if reruns == 0 {
		t.Errorf("no run exhausted its retries over %d seeds, want some reruns", seeds)
	}
	t.Logf("faults met: %v; syncs rerun after retries ran out: %d", total, reruns)
}

// faultRun is one seeded run.
type faultRun struct {
	env    *env
	rng    *rand.Rand
	access string // for draining the fault queue outside the source
	reruns int
	// inject410 is set while an incremental listing should meet a 410
	// after its first page.
	inject410 bool
}

func newFaultRun(t *testing.T, seed uint64) *faultRun {
	e := newEnv(t)
	rng := rand.New(rand.NewPCG(seed, 0x5eed))
	e.fake.SetPageSize(20 + rng.IntN(40))
	e.fake.Load(fakegoogle.LoadConfig{Events: 150 + rng.IntN(200), From: testNow.AddDate(0, 0, -60), To: testNow.AddDate(0, 0, 10), Seed: seed})
	access, _ := e.fake.IssueToken()
	return &faultRun{env: e, rng: rng, access: access}
}

func (r *faultRun) run(t *testing.T) {
	r.syncWithFaults(t, "first full sync")
	r.checkConverged(t, "first full sync")
	for round := 1; round <= 2; round++ {
		r.mutate(round)
		r.inject410 = r.rng.IntN(2) == 0
		if round == 2 && !r.inject410 && r.rng.IntN(3) == 0 {
			// Google may also expire the token between syncs: the first
			// call gets the 410, and the listing is a full one.
			r.env.fake.ExpireSyncTokens()
		}
		what := fmt.Sprintf("incremental sync %d (410 mid-listing: %v)", round, r.inject410)
		r.syncWithFaults(t, what)
		r.checkConverged(t, what)
	}
}

var randomFaults = []fakegoogle.Fault{
	{Status: http.StatusServiceUnavailable, Reason: "backendError"},
	{Status: http.StatusInternalServerError, Reason: "backendError"},
	{Status: http.StatusTooManyRequests, Reason: "rateLimitExceeded"},
	{Status: http.StatusForbidden, Reason: "userRateLimitExceeded"},
	{Reset: true},
	{Truncate: true},
}

// burst queues, with probability p, a run of random faults for the next
// calls: mostly one or two, sometimes as many as the backoff allows, so
// that the sync fails and must be rerun.
func (r *faultRun) burst(p float64) {
	if r.rng.Float64() >= p {
		return
	}
	n := 1 + r.rng.IntN(2)
	if r.rng.IntN(12) == 0 {
		n = DefaultBackoff.Attempts
	}
	faults := make([]fakegoogle.Fault, n)
	for i := range faults {
		faults[i] = randomFaults[r.rng.IntN(len(randomFaults))]
	}
	r.env.fake.FailNext(faults...)
}

// syncWithFaults syncs until a sync succeeds, injecting faults before the
// first call and after every stored page.
func (r *faultRun) syncWithFaults(t *testing.T, what string) {
	t.Helper()
	opts := ingest.Options{Now: testNow, Progress: func(p ingest.Progress) {
		if r.inject410 && p.Pages == 1 {
			r.inject410 = false
			r.env.fake.FailNext(fakegoogle.Fault{Status: http.StatusGone, Reason: "fullSyncRequired"})
			return
		}
		r.burst(0.3)
	}}
	for attempt := range 12 {
		r.burst(0.5)
		res, err := r.env.engine().Sync(context.Background(), "work", r.env.src, opts)
		// Logged for the failure report: which listings were full, where they broke.
		t.Logf("%s, run %d: %+v, err: %v", what, attempt+1, res, err)
		if err == nil {
			return
		}
		if !strings.Contains(err.Error(), "list events") {
			t.Fatalf("%s: sync %d failed in a way a rerun cannot fix: %v", what, attempt+1, err)
		}
		r.reruns++
	}
	t.Fatalf("%s: no sync succeeded in 12 runs", what)
}

// drain uses up faults queued but not met (the listing ended first), so
// that the fault-free reference sync meets none. Only non-zero faults are
// ever queued, so the first whole page means the queue is empty.
func (r *faultRun) drain(t *testing.T) {
	t.Helper()
	for range 64 {
		req, _ := http.NewRequest(http.MethodGet, r.env.fake.Endpoint()+"calendars/primary/events?singleEvents=true&maxResults=1", nil)
		req.Header.Set("Authorization", "Bearer "+r.access)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			continue
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err == nil && resp.StatusCode == http.StatusOK && json.Valid(body) {
			return
		}
	}
	t.Fatal("the fake still fails after 64 calls")
}

// mutate changes the calendar as a week of real use does: moved and
// renamed meetings, changed answers, new events, deleted ones; all within
// the sync window, where an incremental and a full sync agree.
func (r *faultRun) mutate(round int) {
	f := r.env.fake
	events := f.Events("primary")
	for i := range 40 + r.rng.IntN(80) {
		ev := events[r.rng.IntN(len(events))]
		switch r.rng.IntN(4) {
		case 0:
			f.Delete("primary", ev.Id)
		case 1:
			ev.Summary = fmt.Sprintf("Design review: round %d change %d", round, i)
			f.Put("primary", ev)
		case 2:
			if len(ev.Attendees) > 0 {
				a := *ev.Attendees[0]
				a.ResponseStatus = "declined"
				ev.Attendees = append([]*calendar.EventAttendee{&a}, ev.Attendees[1:]...)
			}
			ev.Description = "moved"
			f.Put("primary", ev)
		default:
			start := testNow.Add(time.Duration(r.rng.IntN(50*24)-40*24) * time.Hour).Truncate(15 * time.Minute)
			f.Put("primary", &calendar.Event{Id: fmt.Sprintf("new%d_%d", round, i), Summary: "Pairing with Lee", Status: "confirmed",
				Start: &calendar.EventDateTime{DateTime: start.Format(time.RFC3339)}, End: &calendar.EventDateTime{DateTime: start.Add(time.Hour).Format(time.RFC3339)},
				Attendees: []*calendar.EventAttendee{{Email: "me@example.com", Self: true, ResponseStatus: "accepted"}, {Email: "lee@partner.io"}}})
		}
	}
}

// checkConverged syncs the same calendar without faults into a new store
// and compares every stored event, field by field, and the sync tokens.
func (r *faultRun) checkConverged(t *testing.T, what string) {
	t.Helper()
	r.drain(t)
	ctx := context.Background()
	ref, err := store.Open(ctx, filepath.Join(t.TempDir(), "reference.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer ref.Close()
	src := New(r.env.cfg, Options{Backoff: Backoff{Attempts: 1}})
	refEngine := &ingest.Engine{Store: ref, Log: slog.New(slog.DiscardHandler)}
	if _, err := refEngine.Sync(ctx, "work", src, ingest.Options{Now: testNow}); err != nil {
		t.Fatalf("%s: fault-free reference sync: %v", what, err)
	}
	want, err := ref.Events(ctx, "work", time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := r.env.store.Events(ctx, "work", time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(want) == 0 {
		t.Fatalf("%s: the reference store is empty", what)
	}
	if diff := diffEvents(got, want); diff != "" {
		t.Fatalf("%s: store differs from a fault-free sync:\n%s", what, diff)
	}
	gotState, err := r.env.store.State(ctx, "work")
	if err != nil {
		t.Fatal(err)
	}
	wantState, err := ref.State(ctx, "work")
	if err != nil {
		t.Fatal(err)
	}
	if gotState.SyncToken != wantState.SyncToken {
		t.Errorf("%s: got sync token %q, want %q", what, gotState.SyncToken, wantState.SyncToken)
	}
}

// diffEvents compares two stores' events by id and then field by field,
// and describes up to ten differences (ids and field names only).
func diffEvents(got, want []cal.Event) string {
	byID := func(a, b cal.Event) int { return strings.Compare(a.ID, b.ID) }
	slices.SortFunc(got, byID)
	slices.SortFunc(want, byID)
	var diffs []string
	add := func(format string, args ...any) {
		if len(diffs) < 10 {
			diffs = append(diffs, fmt.Sprintf(format, args...))
		}
	}
	i, j := 0, 0
	for i < len(got) || j < len(want) {
		switch {
		case j == len(want) || (i < len(got) && got[i].ID < want[j].ID):
			add("event %s: stored, but not by a fault-free sync", got[i].ID)
			i++
		case i == len(got) || want[j].ID < got[i].ID:
			add("event %s: missing", want[j].ID)
			j++
		default:
			for _, f := range fieldDiffs(got[i], want[j]) {
				add("event %s: %s", got[i].ID, f)
			}
			i++
			j++
		}
	}
	if len(diffs) == 0 {
		return ""
	}
	return fmt.Sprintf("got %d events, want %d\n  %s", len(got), len(want), strings.Join(diffs, "\n  "))
}

// fieldDiffs names the fields of cal.Event in which a and b differ;
// times are compared as instants with the same offset.
func fieldDiffs(a, b cal.Event) []string {
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	var out []string
	for k := range va.NumField() {
		fa, fb := va.Field(k).Interface(), vb.Field(k).Interface()
		if ta, ok := fa.(time.Time); ok {
			tb := fb.(time.Time)
			if !ta.Equal(tb) || ta.Format(time.RFC3339Nano) != tb.Format(time.RFC3339Nano) {
				out = append(out, fmt.Sprintf("%s: got %v, want %v", va.Type().Field(k).Name, ta, tb))
			}
			continue
		}
		if !reflect.DeepEqual(fa, fb) {
			out = append(out, fmt.Sprintf("%s differs", va.Type().Field(k).Name))
		}
	}
	return out
}
