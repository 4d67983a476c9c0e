package bench

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/weekmap/weekmap/classify"
	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest/store"
	"github.com/weekmap/weekmap/internal/fakegoogle"
	"github.com/weekmap/weekmap/server"
)

// apiLatency is how long the stand-in takes to answer each request, token
// endpoint included: about what Google's events.list takes for a small
// calendar from Europe.
const apiLatency = 100 * time.Millisecond

// team is team mode on the stand-in: a service account key, in dir, that
// may act as every person p0000@corp.example, p0001@… .
type team struct {
	fake *fakegoogle.Server
	dir  string
}

func newTeam(tb testing.TB, f *fakegoogle.Server) *team {
	tb.Helper()
	key, err := fakegoogle.NewRSAKey()
	if err != nil {
		tb.Fatal(err)
	}
	sa, err := f.AddServiceAccount("weekmap@corp-project.iam.gserviceaccount.com", key)
	if err != nil {
		tb.Fatal(err)
	}
	t := &team{fake: f, dir: tb.TempDir()}
	if err := os.WriteFile(filepath.Join(t.dir, "service-account.json"), sa.JSON, 0o600); err != nil {
		tb.Fatal(err)
	}
	return t
}

func personName(i int) string  { return fmt.Sprintf("p%04d", i) }
func personEmail(i int) string { return personName(i) + "@corp.example" }

// config writes a config in team mode for the first n people, ten to a
// team, reading the Calendar API at endpoint, with extra appended, into a
// folder of its own (with its store); it returns the config's path.
func (t *team) config(tb testing.TB, name string, n int, endpoint, extra string) string {
	tb.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "store: ./weekmap.db\ngoogle_workspace:\n  service_account_key: %s\n  endpoint: %q\npeople:\n",
		filepath.Join(t.dir, "service-account.json"), endpoint)
	for i := range n {
		fmt.Fprintf(&b, "  - {name: %s, emails: [%s], team: team-%03d}\n", personName(i), personEmail(i), i/10)
	}
	b.WriteString(extra)
	dir := filepath.Join(t.dir, name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		tb.Fatal(err)
	}
	path := filepath.Join(dir, "weekmap.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// teamServer is what `weekmap serve` runs for the config at path: its
// store, and the server whose SyncAll runs one round.
func teamServer(tb testing.TB, path string) (*server.Server, *store.Store) {
	tb.Helper()
	cfg, err := config.Load(path)
	if err != nil {
		tb.Fatal(err)
	}
	st, err := store.Open(context.Background(), cfg.Store)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	cls, err := classify.New(cfg.Rules)
	if err != nil {
		tb.Fatal(err)
	}
	srv, err := server.New(cfg, st, cls, server.Options{Log: slog.New(slog.DiscardHandler), Now: func() time.Time { return now }})
	if err != nil {
		tb.Fatal(err)
	}
	return srv, st
}

// syncRound times one SyncAll, which must succeed.
func syncRound(tb testing.TB, srv *server.Server) time.Duration {
	tb.Helper()
	start := time.Now()
	if err := srv.SyncAll(context.Background(), false); err != nil {
		tb.Fatal(err)
	}
	return time.Since(start)
}

// smallTeam is a stand-in answering every request after apiLatency, with
// people calendars of 10 generated events each.
func smallTeam(tb testing.TB, people int) *team {
	tb.Helper()
	f := newFake(tb)
	from, to := spanOf()
	for i := range people {
		f.Load(fakegoogle.LoadConfig{Calendar: personEmail(i), Owner: personEmail(i), Events: 10, From: from, To: to, Seed: 8})
	}
	f.SetLatency(apiLatency)
	return newTeam(tb, f)
}

// TestSync200PeopleConcurrently: 200 people sync through one key at the
// default sync_concurrency, 8 at a time and never more (Google's per-user
// quotas are what the limit protects), and every calendar is stored; at
// sync_concurrency 1 the requests come one at a time. It asserts what the
// code does, not how long it took: BenchmarkSync200People holds the wall
// time (a few seconds, where one at a time takes 40 s).
func TestSync200PeopleConcurrently(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about 7 s")
	}
	const people = 200
	tm := smallTeam(t, people)

	serial, _ := teamServer(t, tm.config(t, "serial", 10, tm.fake.Endpoint(), "server: {sync_concurrency: 1}\n"))
	syncRound(t, serial)
	if got := tm.fake.PeakInFlight(); got != 1 {
		t.Errorf("sync_concurrency 1: %d requests at once, want 1", got)
	}

	srv, st := teamServer(t, tm.config(t, "default", people, tm.fake.Endpoint(), ""))
	took := syncRound(t, srv)
	counts, err := st.Counts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for i := range people {
		if got, want := counts[personName(i)], len(tm.fake.Events(personEmail(i))); got != want || want == 0 {
			t.Errorf("%s has %d events stored, want %d", personName(i), got, want)
		}
	}
	if got, want := tm.fake.PeakInFlight(), config.Default().Server.SyncConcurrency; got != want {
		t.Errorf("default sync_concurrency: %d requests at once, want %d", got, want)
	}
	t.Logf("200 people at the default concurrency: %v", took)
}

// BenchmarkSync200People syncs 200 people through one service account key
// with the stand-in answering every request after 100 ms, at the default
// sync_concurrency (8), as `weekmap serve` does: a first round into a new
// store, then an unchanged round, which reuses the access tokens. Run:
//
//	go test -run '^$' -bench Sync200People -benchtime 3x ./bench/
func BenchmarkSync200People(b *testing.B) {
	const people = 200
	tm := smallTeam(b, people)
	var first, unchanged time.Duration
	round := 0
	for b.Loop() {
		srv, _ := teamServer(b, tm.config(b, fmt.Sprint("round", round), people, tm.fake.Endpoint(), ""))
		round++
		first += syncRound(b, srv)
		unchanged += syncRound(b, srv)
	}
	b.ReportMetric(first.Seconds()/float64(b.N), "first_s")
	b.ReportMetric(unchanged.Seconds()/float64(b.N), "unchanged_s")
	b.ReportMetric(float64(people)*apiLatency.Seconds()*2, "serial_floor_s")
}
