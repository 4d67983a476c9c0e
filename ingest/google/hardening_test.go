package google

import (
	"encoding/json"
	"errors"
	"net"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/weekmap/weekmap/ingest"
)

// TestHungEndpoint: an API endpoint that accepts connections and never
// answers ends the sync with a timeout within the client's limits, not
// never.
func TestHungEndpoint(t *testing.T) {
	e := newEnv(t)
	seed(e.fake, 2)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			defer c.Close() // hold it open, say nothing
		}
	}()
	e.cfg.Endpoint = "http://" + ln.Addr().String() + "/calendar/v3/"
	e.src = New(e.cfg, Options{
		HTTPClient: ingest.HTTPClient(ingest.Timeouts{Connect: time.Second, Header: time.Second, Overall: 3 * time.Second}),
		Backoff:    Backoff{Attempts: 2, Base: time.Millisecond, Max: time.Millisecond},
	})
	start := time.Now()
	_, err = e.sync(t, true)
	took := time.Since(start)
	if err == nil || !strings.Contains(err.Error(), "timeout") {
		t.Errorf("got %v, want a timeout", err)
	}
	// Two attempts, each bounded by the header timeout.
	if took > 5*time.Second {
		t.Errorf("the sync took %v, want it bounded by the timeouts (about 2 s)", took)
	}
	if strings.Contains(err.Error(), ln.Addr().String()) || strings.Contains(err.Error(), "primary") {
		t.Errorf("error %q names the request URL, want only what went wrong", err)
	}
}

// TestWrongClientSecret: a client secret Google refuses (invalid_client)
// is one sentence saying what to check, is not retried, and counts as
// unauthorized, not as a network problem.
func TestWrongClientSecret(t *testing.T) {
	e := newEnv(t)
	seed(e.fake, 2)
	var cs map[string]map[string]any
	data, _ := os.ReadFile(e.cfg.ClientSecret)
	json.Unmarshal(data, &cs)
	cs["installed"]["client_secret"] = "not-the-secret"
	data, _ = json.Marshal(cs)
	if err := os.WriteFile(e.cfg.ClientSecret, data, 0o600); err != nil {
		t.Fatal(err)
	}
	e.fake.InvalidateAccessTokens()
	_, err := e.sync(t, false)
	if !errors.Is(err, ErrClientRejected) {
		t.Fatalf("got %v, want ErrClientRejected", err)
	}
	want := `google source work: Google rejected the OAuth client: check that ` + e.cfg.ClientSecret +
		` is the Desktop-app OAuth client of the Google Cloud project where the Calendar API is enabled, then run "weekmap connect --source work"`
	if err.Error() != want {
		t.Errorf("got\n%s\nwant\n%s", err, want)
	}
	if got := len(e.fake.Requests()); got != 1 {
		t.Errorf("events.list called %d times, want 1: a refused client is not retried", got)
	}
	if n := len(e.sleeps); n != 0 {
		t.Errorf("got %d backoff waits, want none", n)
	}
	if got := metricValue(t, e.metrics, "weekmap_sync_errors_total", "reason", ingest.ReasonUnauthorized); got != 1 {
		t.Errorf("errors{reason=unauthorized} = %v, want 1", got)
	}
	if got := metricValue(t, e.metrics, "weekmap_sync_errors_total", "reason", ingest.ReasonNetwork); got != 0 {
		t.Errorf("errors{reason=network} = %v, want 0", got)
	}
}
