package google

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"golang.org/x/oauth2"
	"google.golang.org/api/calendar/v3"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/ingest/googleevent"
	"github.com/weekmap/weekmap/ingest/store"
	"github.com/weekmap/weekmap/internal/fakegoogle"
)

var testNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// env is one google source wired to a fake, with a fresh store.
type env struct {
	fake    *fakegoogle.Server
	store   *store.Store
	cfg     config.Source
	metrics *ingest.Metrics
	src     *Source

	mu     sync.Mutex
	sleeps []time.Duration
}

func newEnv(t *testing.T) *env {
	t.Helper()
	f := fakegoogle.New()
	t.Cleanup(f.Close)
	dir := t.TempDir()
	secret := filepath.Join(dir, "client_secret.json")
	if err := os.WriteFile(secret, f.ClientSecretJSON(), 0o600); err != nil {
		t.Fatal(err)
	}
	access, refresh := f.IssueToken()
	tokPath := filepath.Join(dir, "work.token.json")
	if err := SaveToken(tokPath, &oauth2.Token{AccessToken: access, RefreshToken: refresh, TokenType: "Bearer", Expiry: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), filepath.Join(dir, "weekmap.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	e := &env{fake: f, store: st, metrics: ingest.NewMetrics(), cfg: config.Source{
		Name: "work", Type: config.TypeGoogle, CalendarID: "primary", ClientSecret: secret,
		Token: tokPath, Endpoint: f.Endpoint(), SyncWindow: config.DefaultWindow(),
	}}
	if err := e.metrics.Register(prometheus.NewRegistry()); err != nil {
		t.Fatal(err)
	}
	e.src = New(e.cfg, Options{Backoff: Backoff{Attempts: 6, Base: time.Second, Max: 32 * time.Second,
		Sleep: func(ctx context.Context, d time.Duration) error {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.sleeps = append(e.sleeps, d)
			return ctx.Err()
		}}})
	return e
}

func (e *env) sync(t *testing.T, full bool) (ingest.Result, error) {
	t.Helper()
	return e.engine().Sync(context.Background(), "work", e.src, ingest.Options{Now: testNow, Full: full})
}

// engine syncs into the env's store and records the env's metrics.
func (e *env) engine() *ingest.Engine {
	return &ingest.Engine{Store: e.store, Metrics: e.metrics, Log: slog.New(slog.DiscardHandler)}
}

// seed puts n varied events on the fake's primary calendar: timed,
// all-day, with attendees and descriptions, and a private one with no
// title (it still takes time, so it must be kept).
func seed(f *fakegoogle.Server, n int) {
	for i := range n {
		start := testNow.Add(time.Duration(i-n/2) * 25 * time.Hour)
		ev := &calendar.Event{
			Id:          fmt.Sprintf("ev%03d", i),
			Summary:     fmt.Sprintf("Meeting %d", i),
			Description: fmt.Sprintf("agenda %d", i),
			Start:       &calendar.EventDateTime{DateTime: start.Format(time.RFC3339), TimeZone: "Europe/Berlin"},
			End:         &calendar.EventDateTime{DateTime: start.Add(45 * time.Minute).Format(time.RFC3339)},
			Attendees: []*calendar.EventAttendee{
				{Email: "me@example.com", Self: true, ResponseStatus: "accepted"},
				{Email: fmt.Sprintf("p%d@example.com", i), ResponseStatus: "needsAction"},
			},
			Organizer: &calendar.EventOrganizer{Email: "me@example.com", Self: true},
		}
		switch i % 4 {
		case 1:
			ev.Summary, ev.Description, ev.Attendees = "", "", nil // private: no title
		case 2:
			day := start.Format(time.DateOnly)
			ev.Start = &calendar.EventDateTime{Date: day}
			ev.End = &calendar.EventDateTime{Date: start.AddDate(0, 0, 1).Format(time.DateOnly)}
		case 3:
			ev.EventType, ev.Transparency, ev.ColorId = "focusTime", "transparent", "11"
		}
		f.Put("primary", ev)
	}
}

// describe renders an event for comparison, with every field the report
// reads, so that a field the selection drops shows up as a difference.
func describe(e cal.Event) string {
	var att []string
	for _, a := range e.Attendees {
		att = append(att, fmt.Sprintf("%s/%v/%s/%v", a.Email, a.Self, a.ResponseStatus, a.Resource))
	}
	return fmt.Sprintf("%s|%q|%q|%s|%s|%v|%s|%s|%s|%s|%s|org=%s/%v|%v", e.ID, e.Title, e.Description,
		e.Start.UTC().Format(time.RFC3339), e.End.UTC().Format(time.RFC3339), e.AllDay, e.Status,
		e.Transparency, e.EventType, e.ColorID, e.TimeZone, e.Organizer.Email, e.Organizer.Self, att)
}

// checkStore compares the store with the fake's events within the window.
func (e *env) checkStore(t *testing.T) {
	t.Helper()
	from, to := e.cfg.SyncWindow.Bounds(testNow)
	var want []string
	for _, ev := range e.fake.Events("primary") {
		m, err := googleevent.Map("work", ev)
		if err != nil {
			t.Fatal(err)
		}
		if m.End.After(from) && m.Start.Before(to) {
			want = append(want, describe(m))
		}
	}
	stored, err := e.store.Events(context.Background(), "work", time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, ev := range stored {
		got = append(got, describe(ev))
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("store differs from the fake:\n got %d events: %s\nwant %d events: %s", len(got), strings.Join(got, "\n  "), len(want), strings.Join(want, "\n  "))
	}
}

func TestSyncFullThenIncremental(t *testing.T) {
	e := newEnv(t)
	e.fake.SetPageSize(4)
	seed(e.fake, 10)

	res, err := e.sync(t, false)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Full || res.Pages != 3 || res.Upserted != 10 {
		t.Errorf("first sync = %+v, want full, 3 pages, 10 upserted", res)
	}
	e.checkStore(t)
	reqs := e.fake.Requests()
	if len(reqs) != 3 {
		t.Fatalf("got %d events.list calls, want 3", len(reqs))
	}
	from, to := e.cfg.SyncWindow.Bounds(testNow)
	for i, r := range reqs {
		q := r.Query
		for key, want := range map[string]string{
			"singleEvents": "true", "showDeleted": "true", "maxResults": "2500", "fields": eventFields,
			"timeMin": from.Format(time.RFC3339), "timeMax": to.Format(time.RFC3339),
		} {
			if got := q.Get(key); got != want {
				t.Errorf("call %d: %s = %q, want %q", i, key, got, want)
			}
		}
		if (i == 0) == q.Has("pageToken") {
			t.Errorf("call %d: pageToken present = %v", i, q.Has("pageToken"))
		}
	}

	e.fake.ResetRequests()
	changed := e.fake.Events("primary")[0]
	changed.Summary = "Design review: moved"
	e.fake.Put("primary", changed)
	e.fake.Delete("primary", "ev004")
	e.fake.Put("primary", &calendar.Event{Id: "new1", Start: &calendar.EventDateTime{DateTime: "2026-11-19T10:00:00Z"}, End: &calendar.EventDateTime{DateTime: "2026-11-19T11:00:00Z"}})
	res, err = e.sync(t, false)
	if err != nil {
		t.Fatal(err)
	}
	if res.Full || res.Upserted != 2 || res.Deleted != 1 {
		t.Errorf("incremental sync = %+v, want not full, 2 upserted, 1 deleted", res)
	}
	e.checkStore(t)
	for i, r := range e.fake.Requests() {
		if r.Query.Get("syncToken") == "" {
			t.Errorf("call %d has no syncToken", i)
		}
		for _, p := range []string{"timeMin", "timeMax", "orderBy", "q", "updatedMin"} {
			if r.Query.Has(p) {
				t.Errorf("incremental call %d sends %s", i, p)
			}
		}
	}

	e.fake.ResetRequests()
	res, err = e.sync(t, false)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(e.fake.Requests()); got != 1 || !res.Unchanged {
		t.Errorf("sync with no changes made %d events.list calls (unchanged=%v), want exactly 1 (true)", got, res.Unchanged)
	}
	if got := metricValue(t, e.metrics, "weekmap_events"); got != 10 {
		t.Errorf("weekmap_events = %v, want 10", got)
	}
	if got := metricValue(t, e.metrics, "weekmap_api_requests_total", "code", "200"); got != 5 {
		t.Errorf("weekmap_api_requests_total{code=200} = %v, want 5", got)
	}
	if got := metricValue(t, e.metrics, "weekmap_sync_last_success_timestamp_seconds"); got != float64(testNow.Unix()) {
		t.Errorf("weekmap_sync_last_success_timestamp_seconds = %v, want the sync's time %v, as the store records it", got, testNow.Unix())
	}
}

func TestSyncFullReconciles(t *testing.T) {
	e := newEnv(t)
	seed(e.fake, 6)
	if _, err := e.sync(t, false); err != nil {
		t.Fatal(err)
	}
	e.fake.Delete("primary", "ev002")
	res, err := e.sync(t, true)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Full || res.Deleted != 1 {
		t.Errorf("--full sync = %+v, want full with 1 deleted", res)
	}
	e.checkStore(t)
}

// TestMetricsLint checks the exposition passes Prometheus' lint rules and
// carries only source names and status codes as label values.
func TestMetricsLint(t *testing.T) {
	e := newEnv(t)
	seed(e.fake, 3)
	if _, err := e.sync(t, false); err != nil {
		t.Fatal(err)
	}
	reg := prometheus.NewPedanticRegistry()
	m := ingest.NewMetrics()
	if err := m.Register(reg); err != nil {
		t.Fatal(err)
	}
	e.metrics = m
	if _, err := e.sync(t, false); err != nil {
		t.Fatal(err)
	}
	problems, err := testutil.GatherAndLint(reg)
	if err != nil || len(problems) > 0 {
		t.Errorf("lint: %v %v", err, problems)
	}
	if n, err := testutil.GatherAndCount(reg); err != nil || n != 13 {
		t.Errorf("got %d series (%v), want 13: last success, duration, requests{code=200}, events and the 9 error reasons at 0", n, err)
	}
}
