package google

import (
	"errors"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/oauth2"
	"google.golang.org/api/calendar/v3"

	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/internal/fakegoogle"
)

// TestSyncFailures makes Google fail in each way it can, on the second
// page of a listing, and checks that the sync ends as it should and that
// the store then equals the fake: nothing lost, nothing doubled.
func TestSyncFailures(t *testing.T) {
	rateLimit := fakegoogle.Fault{Status: http.StatusForbidden, Reason: "rateLimitExceeded"}
	tests := []struct {
		name string
		// incremental syncs once before the fault, so that the faulty
		// sync is an incremental one.
		incremental bool
		// prepare runs after the first page: it breaks the fakegoogle.
		prepare     func(e *env)
		wantErr     string
		wantReasons map[string]float64
		wantSleeps  int
	}{
		{name: "429", prepare: failNext(fakegoogle.Fault{Status: 429, Reason: "rateLimitExceeded"}), wantReasons: map[string]float64{ingest.ReasonRateLimited: 1}, wantSleeps: 1},
		{name: "403 rateLimitExceeded", prepare: failNext(rateLimit, rateLimit), wantReasons: map[string]float64{ingest.ReasonRateLimited: 2}, wantSleeps: 2},
		{name: "403 userRateLimitExceeded", prepare: failNext(fakegoogle.Fault{Status: 403, Reason: "userRateLimitExceeded"}), wantReasons: map[string]float64{ingest.ReasonRateLimited: 1}, wantSleeps: 1},
		{name: "500", prepare: failNext(fakegoogle.Fault{Status: 500, Reason: "backendError"}), wantReasons: map[string]float64{ingest.ReasonServerError: 1}, wantSleeps: 1},
		{name: "503 incremental", incremental: true, prepare: failNext(fakegoogle.Fault{Status: 503, Reason: "backendError"}), wantReasons: map[string]float64{ingest.ReasonServerError: 1}, wantSleeps: 1},
		{name: "connection reset", prepare: failNext(fakegoogle.Fault{Reset: true}), wantReasons: map[string]float64{ingest.ReasonNetwork: 1}, wantSleeps: 1},
		{name: "truncated JSON", prepare: failNext(fakegoogle.Fault{Truncate: true}), wantReasons: map[string]float64{ingest.ReasonNetwork: 1}, wantSleeps: 1},
		{
			name: "503 until the attempts run out", prepare: failNext(repeat(fakegoogle.Fault{Status: 503, Reason: "backendError"}, 6)...),
			wantErr: "google source work: list events (page 2): googleapi: Error 503", wantReasons: map[string]float64{ingest.ReasonServerError: 6}, wantSleeps: 5,
		},
		{
			name: "403 forbidden is not retried", prepare: failNext(fakegoogle.Fault{Status: 403, Reason: "forbidden"}),
			wantErr: "Error 403", wantReasons: map[string]float64{ingest.ReasonOther: 1},
		},
		{name: "401 refreshes once", incremental: true, prepare: func(e *env) { e.fake.InvalidateAccessTokens() }},
		{
			name: "410 resyncs fully", incremental: true, prepare: func(e *env) { e.fake.ExpireSyncTokens() },
			wantReasons: map[string]float64{ingest.ReasonFullSyncRequired: 1},
		},
		{
			name: "revoked grant", incremental: true, prepare: func(e *env) { e.fake.RevokeRefreshTokens() },
			wantErr:     `google source work: access was revoked or expired: run "weekmap connect --source work"`,
			wantReasons: map[string]float64{ingest.ReasonRevoked: 1},
		},
		{
			name: "not connected", prepare: func(e *env) { os.Remove(e.cfg.Token) },
			wantErr:     `google source work: not connected yet: run "weekmap connect --source work"`,
			wantReasons: map[string]float64{ingest.ReasonNotConnected: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := newEnv(t)
			e.fake.SetPageSize(3)
			seed(e.fake, 8)
			if tt.incremental {
				if _, err := e.sync(t, false); err != nil {
					t.Fatal(err)
				}
				// Changes for the incremental sync to fetch, over 2 pages.
				e.fake.Delete("primary", "ev000")
				e.fake.Delete("primary", "ev003")
				for _, id := range []string{"n1", "n2", "n3"} {
					e.fake.Put("primary", &calendar.Event{Id: id, Summary: "new " + id,
						Start: &calendar.EventDateTime{DateTime: "2026-11-18T10:00:00Z"}, End: &calendar.EventDateTime{DateTime: "2026-11-18T11:00:00Z"}})
				}
			}
			e.fake.ResetRequests()
			tt.prepare(e)
			_, err := e.sync(t, false)
			if tt.wantErr == "" && err != nil {
				t.Fatalf("sync failed: %v", err)
			}
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "ya29.") || strings.Contains(err.Error(), "1//") {
					t.Errorf("error leaks a token: %v", err)
				}
			}
			for reason, want := range tt.wantReasons {
				if got := counterValue(t, e.metrics, reason); got != want {
					t.Errorf("weekmap_sync_errors_total{reason=%q} = %v, want %v", reason, got, want)
				}
			}
			if got := len(e.sleeps); got != tt.wantSleeps {
				t.Errorf("backed off %d times, want %d", got, tt.wantSleeps)
			}
			for i, d := range e.sleeps {
				if ceiling := min(e.src.opts.Backoff.Max, e.src.opts.Backoff.Base<<i); d < 0 || d > ceiling {
					t.Errorf("wait %d = %v, want within [0, %v]", i, d, ceiling)
				}
			}
			if err != nil {
				// Whatever failed, a later sync with Google healthy again
				// must end equal to the fakegoogle.
				if errors.Is(err, ErrNotConnected) {
					return
				}
				if errors.Is(err, ErrRevoked) {
					access, refresh := e.fake.IssueToken()
					writeToken(t, e.cfg.Token, access, refresh)
				}
				if _, err := e.sync(t, false); err != nil {
					t.Fatalf("sync after the failure: %v", err)
				}
			}
			e.checkStore(t)
		})
	}
}

func failNext(faults ...fakegoogle.Fault) func(e *env) {
	return func(e *env) {
		// The first page goes through; the faults hit the second one.
		e.fake.FailNext(append([]fakegoogle.Fault{{}}, faults...)...)
	}
}

func repeat(f fakegoogle.Fault, n int) []fakegoogle.Fault {
	out := make([]fakegoogle.Fault, n)
	for i := range out {
		out[i] = f
	}
	return out
}

func counterValue(t *testing.T, m *ingest.Metrics, reason string) float64 {
	t.Helper()
	return metricValue(t, m, "weekmap_sync_errors_total", "reason", reason)
}

// metricValue gathers m and returns the value of the series of name for
// source "work" with the given extra label pairs (0 if absent).
func metricValue(t *testing.T, m *ingest.Metrics, name string, labels ...string) float64 {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	if err := m.Register(reg); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"source": "work"}
	for i := 0; i+1 < len(labels); i += 2 {
		want[labels[i]] = labels[i+1]
	}
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range families {
		if mf.GetName() != name {
			continue
		}
	next:
		for _, metric := range mf.GetMetric() {
			if len(metric.GetLabel()) != len(want) {
				continue
			}
			for _, lp := range metric.GetLabel() {
				if want[lp.GetName()] != lp.GetValue() {
					continue next
				}
			}
			switch {
			case metric.Counter != nil:
				return metric.GetCounter().GetValue()
			case metric.Gauge != nil:
				return metric.GetGauge().GetValue()
			}
		}
	}
	return 0
}

func writeToken(t *testing.T, path, access, refresh string) {
	t.Helper()
	if err := SaveToken(path, &oauth2.Token{AccessToken: access, RefreshToken: refresh, TokenType: "Bearer", Expiry: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
}
