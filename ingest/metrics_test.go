package ingest

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestMetricsGroupBy: grouped sources export one series set per group —
// the oldest success, summed events, summed counters — and no series names
// a source; while a source of the group has tried but never synced, the
// group has no last-success series (as a source of its own would not), so
// the never-synced alert fires for it.
func TestMetricsGroupBy(t *testing.T) {
	m := NewMetrics()
	m.GroupBy(func(source string) string {
		if source == "carol" {
			return "team:search"
		}
		return "team:payments"
	})
	reg := prometheus.NewRegistry()
	if err := m.Register(reg); err != nil {
		t.Fatal(err)
	}
	t0 := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	m.Init("ann")
	m.Finished("ann", time.Second, t0, 10, nil)
	m.Finished("bob", time.Second, t0.Add(-time.Hour), 5, nil) // the stalest of payments
	m.Init("dan")
	m.Finished("dan", time.Second, t0, 0, errors.New("revoked")) // never synced: payments has no last success
	m.CountError("dan", ReasonRevoked)
	m.CountResponse("ann", 200)
	m.CountResponse("bob", 200)
	m.Finished("carol", time.Second, t0, 7, nil)

	want := `
# HELP weekmap_events Events of the source in the store after its last sync.
# TYPE weekmap_events gauge
weekmap_events{source="team:payments"} 15
weekmap_events{source="team:search"} 7
# HELP weekmap_sync_last_success_timestamp_seconds When the source last synced without error, in seconds since the Unix epoch.
# TYPE weekmap_sync_last_success_timestamp_seconds gauge
weekmap_sync_last_success_timestamp_seconds{source="team:search"} 1.795176e+09
# HELP weekmap_api_requests_total Responses from the calendar API, by HTTP status code.
# TYPE weekmap_api_requests_total counter
weekmap_api_requests_total{code="200",source="team:payments"} 2
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "weekmap_events", "weekmap_sync_last_success_timestamp_seconds", "weekmap_api_requests_total"); err != nil {
		t.Error(err)
	}
	if got := testutil.ToFloat64(m.errors.WithLabelValues("team:payments", ReasonRevoked)); got != 1 {
		t.Errorf("revoked errors of payments = %v, want 1", got)
	}
	families, _ := reg.Gather()
	for _, f := range families {
		for _, metric := range f.GetMetric() {
			for _, l := range metric.GetLabel() {
				for _, name := range []string{"ann", "bob", "carol", "dan"} {
					if l.GetValue() == name {
						t.Errorf("%s has a series labelled %s=%q", f.GetName(), l.GetName(), name)
					}
				}
			}
		}
	}

	// Once dan syncs, payments' last success is its oldest: bob's.
	m.Finished("dan", time.Second, t0, 3, nil)
	want = `
# HELP weekmap_sync_last_success_timestamp_seconds When the source last synced without error, in seconds since the Unix epoch.
# TYPE weekmap_sync_last_success_timestamp_seconds gauge
weekmap_sync_last_success_timestamp_seconds{source="team:payments"} 1.7951724e+09
weekmap_sync_last_success_timestamp_seconds{source="team:search"} 1.795176e+09
`
	if err := testutil.GatherAndCompare(reg, strings.NewReader(want), "weekmap_sync_last_success_timestamp_seconds"); err != nil {
		t.Error(err)
	}
	// A restarted serve restores the same from the store.
	r := NewMetrics()
	r.GroupBy(func(string) string { return "team:payments" })
	r.Restore("ann", SyncState{LastSuccess: t0}, 10)
	r.Restore("dan", SyncState{}, 0)
	if n := testutil.CollectAndCount(r.lastSuccess); n != 0 {
		t.Errorf("restored with a never-synced member: %d last-success series, want none", n)
	}
}
