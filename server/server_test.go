package server

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/weekmap/weekmap/classify"
	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest/store"
)

// now is the servers' clock in these tests: a Friday in 2026-W47.
var now = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

const twoEvents = `{"id":"d1","summary":"RFC-12: sharding design","start":{"dateTime":"2026-11-17T10:00:00+01:00"},"end":{"dateTime":"2026-11-17T12:00:00+01:00"}}
{"id":"s1","summary":"Standup","start":{"dateTime":"2026-11-18T09:30:00+01:00"},"end":{"dateTime":"2026-11-18T09:45:00+01:00"}}
`

func writeFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// serveConfig writes a config with one json source of events in 2026-W47,
// server.weeks 3 and, if token is set, an auth token file.
func serveConfig(t *testing.T, token string) string {
	t.Helper()
	dir := t.TempDir()
	writeFile(t, dir, "events.jsonl", twoEvents)
	cfg := "store: ./store/weekmap.db\nsources:\n  - {name: work, type: json, path: events.jsonl}\nserver: {weeks: 3, sync_interval: 1m"
	if token != "" {
		writeFile(t, dir, "token", token+"\n")
		cfg += ", auth_token_file: token"
	}
	return writeFile(t, dir, "weekmap.yaml", cfg+"}\n")
}

// newServer is the Server of the config at cfgPath, with its store open
// until the test ends and the clock at now, logging to log (nil: nowhere).
func newServer(t *testing.T, cfgPath string, log *slog.Logger) *Server {
	t.Helper()
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	st, err := store.Open(context.Background(), cfg.Store)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	cls, err := classify.New(cfg.Rules)
	if err != nil {
		t.Fatal(err)
	}
	s, err := New(cfg, st, cls, Options{Log: log, Now: func() time.Time { return now }, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// testServer serves newServer's handler over httptest.
func testServer(t *testing.T, cfgPath string) (*Server, *httptest.Server) {
	t.Helper()
	s := newServer(t, cfgPath, nil)
	hs := httptest.NewServer(s.Handler())
	t.Cleanup(hs.Close)
	return s, hs
}

func status(t *testing.T, url, token string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", url, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func TestServeReadinessAndMetrics(t *testing.T) {
	s, hs := testServer(t, serveConfig(t, ""))
	if code, _ := status(t, hs.URL+"/readyz", ""); code != http.StatusServiceUnavailable {
		t.Errorf("/readyz before the first sync = %d, want 503", code)
	}
	if code, _ := status(t, hs.URL+"/healthz", ""); code != http.StatusOK {
		t.Errorf("/healthz = %d, want 200 while the process is up", code)
	}
	ctx := context.Background()
	s.SyncAll(ctx, false)
	if err := s.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	s.MarkReady()
	if code, _ := status(t, hs.URL+"/readyz", ""); code != http.StatusOK {
		t.Errorf("/readyz after the first sync = %d, want 200", code)
	}
	code, page := status(t, hs.URL+"/", "")
	if code != http.StatusOK || !strings.Contains(page, "2026-W47") {
		t.Errorf("/ = %d, want the report page of the synced calendar", code)
	}
	_, metrics := status(t, hs.URL+"/metrics", "")
	weeks := map[string]bool{}
	for _, m := range regexp.MustCompile(`weekmap_week_design_share_ratio\{person="me",week="([^"]+)"`).FindAllStringSubmatch(metrics, -1) {
		weeks[m[1]] = true
	}
	// server.weeks is 3, but W45 and W46 come before the first event:
	// weeks without data are no samples.
	if len(weeks) != 1 || !weeks["2026-W47"] {
		t.Errorf("exported weeks %v, want only 2026-W47 of the last server.weeks = 3", weeks)
	}
}

func TestServeAuthToken(t *testing.T) {
	const token = "s3cret-token-of-32-characters-xx"
	s, hs := testServer(t, serveConfig(t, token))
	if err := s.SyncAll(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	s.MarkReady()
	tests := []struct {
		path, token string
		want        int
	}{
		{"/healthz", "", http.StatusOK},
		{"/", "", http.StatusUnauthorized},
		{"/metrics", "", http.StatusUnauthorized},
		{"/readyz", "", http.StatusUnauthorized},
		{"/assets/echarts.min.js", "", http.StatusUnauthorized},
		{"/metrics", "wrong-token-of-32-characters-xxx", http.StatusUnauthorized},
		{"/metrics", token[:10], http.StatusUnauthorized},
		{"/metrics", token, http.StatusOK},
		{"/readyz", token, http.StatusOK},
	}
	for _, tt := range tests {
		code, body := status(t, hs.URL+tt.path, tt.token)
		if code != tt.want {
			t.Errorf("GET %s with token %q = %d, want %d", tt.path, tt.token, code, tt.want)
		}
		if strings.Contains(body, token) {
			t.Errorf("GET %s leaks the token in its body", tt.path)
		}
	}
	// The scheme is case-insensitive; every answer, refusals included,
	// carries the security headers.
	for _, auth := range []string{"bearer " + token, "BEARER " + token, "Bearer  " + token} {
		req, _ := http.NewRequest("GET", hs.URL+"/readyz", nil)
		req.Header.Set("Authorization", auth)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("Authorization %q: got %d, want 200", auth[:8], resp.StatusCode)
		}
	}
	for _, path := range []string{"/readyz", "/metrics", "/healthz"} {
		resp, err := http.Get(hs.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		for _, h := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
			if resp.Header.Get(h) == "" {
				t.Errorf("GET %s (%d) has no %s header", path, resp.StatusCode, h)
			}
		}
	}
}

// TestServePageSelectors checks /?person= and /?weeks= with two people.
func TestServePageSelectors(t *testing.T) {
	cfgPath := serveConfig(t, "")
	dir := filepath.Dir(cfgPath)
	writeFile(t, dir, "side.jsonl", strings.SplitN(twoEvents, "\n", 2)[0]+"\n")
	data, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.Replace(string(data), "sources:\n", "people: [{name: me}, {name: ann}]\nsources:\n  - {name: side, type: json, path: side.jsonl, person: ann}\n", 1)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	s, hs := testServer(t, cfgPath)
	ctx := context.Background()
	s.SyncAll(ctx, false)
	if err := s.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	code, page := status(t, hs.URL+"/", "")
	if code != http.StatusOK || !strings.Contains(page, `href="/?person=ann`) {
		t.Errorf("/ = %d; want a link to the other person", code)
	}
	if code, page = status(t, hs.URL+"/?person=ann&weeks=2", ""); code != http.StatusOK || !strings.Contains(page, "weekmap · ann") {
		t.Errorf("/?person=ann&weeks=2 = %d, want ann's page", code)
	}
	for _, tt := range []struct {
		query string
		want  int
	}{
		{"?person=nope", http.StatusNotFound},
		{"?weeks=abc", http.StatusBadRequest},
		{"?weeks=0", http.StatusBadRequest},
	} {
		if code, _ := status(t, hs.URL+"/"+tt.query, ""); code != tt.want {
			t.Errorf("GET /%s = %d, want %d", tt.query, code, tt.want)
		}
	}
}

// elsewhere is a loopback listener that says it listens on a public
// address, as one bound to 0.0.0.0 or a LAN address would.
type elsewhere struct{ net.Listener }

func (elsewhere) Addr() net.Addr { return &net.TCPAddr{IP: net.ParseIP("192.0.2.10"), Port: 9464} }

// TestRunWarnsWithoutAuthOffLoopback: serving other hosts without a token
// is allowed (a trusted network, a proxy in front) but said at start-up.
func TestRunWarnsWithoutAuthOffLoopback(t *testing.T) {
	for _, tc := range []struct {
		name      string
		token     string
		public    bool
		wantWarns bool
	}{
		{"loopback, no token", "", false, false},
		{"public, token", "0123456789abcdef0123", true, false},
		{"public, no token", "", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var logs bytes.Buffer
			s := newServer(t, serveConfig(t, tc.token), slog.New(slog.NewTextHandler(&logs, nil)))
			var ln net.Listener
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			if tc.public {
				ln = elsewhere{ln}
			}
			ctx, cancel := context.WithCancel(context.Background())
			cancel() // start and stop at once: the warning comes first
			if err := s.Run(ctx, ln); err != nil {
				t.Fatal(err)
			}
			warned := strings.Contains(logs.String(), "serving without authentication")
			if warned != tc.wantWarns {
				t.Errorf("warned = %v, want %v; log:\n%s", warned, tc.wantWarns, logs.String())
			}
		})
	}
}

// TestServeReloadsLabels: `weekmap label` writes the labels file while
// serve runs; the next report uses it without a restart, and a labels file
// that no longer loads keeps the labels read before.
func TestServeReloadsLabels(t *testing.T) {
	cfgPath := serveConfig(t, "")
	dir := filepath.Dir(cfgPath)
	data, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "weekmap.yaml", "labels_file: labels.yaml\n"+string(data))
	s, hs := testServer(t, cfgPath)
	ctx := context.Background()
	if err := s.SyncAll(ctx, false); err != nil {
		t.Fatal(err)
	}
	designHours := func() string {
		t.Helper()
		if err := s.Recompute(ctx); err != nil {
			t.Fatal(err)
		}
		_, metrics := status(t, hs.URL+"/metrics", "")
		m := regexp.MustCompile(`weekmap_week_category_seconds\{category="design",person="me",week="2026-W47",weeks_ago="0"\} (\S+)`).FindStringSubmatch(metrics)
		if m == nil {
			t.Fatalf("no design seconds for 2026-W47 in\n%s", metrics)
		}
		return m[1]
	}
	if got := designHours(); got != "7200" {
		t.Fatalf("design seconds before any label = %s, want 7200 (the RFC)", got)
	}
	writeFile(t, dir, "labels.yaml", "labels:\n  - title: Standup\n    category: design\n")
	if got := designHours(); got != "8100" {
		t.Errorf("design seconds after labelling the standup = %s, want 8100", got)
	}
	writeFile(t, dir, "labels.yaml", "labels:\n  - title: Standup\n    category: desing\n")
	if got := designHours(); got != "8100" {
		t.Errorf("design seconds after a broken edit = %s, want 8100 (the labels read before)", got)
	}
}
