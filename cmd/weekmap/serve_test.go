package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/weekmap/weekmap/config"
)

// serveConfig writes a config with one json source, server.weeks 3 and,
// if token is set, an auth token file.
func serveConfig(t *testing.T, token string) string {
	t.Helper()
	cfgPath := writeCalendar(t, twoEvents)
	dir := filepath.Dir(cfgPath)
	extra := "server: {weeks: 3, sync_interval: 1m"
	if token != "" {
		writeFile(t, dir, "token", token+"\n")
		extra += ", auth_token_file: token"
	}
	f, err := os.OpenFile(cfgPath, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(extra + "}\n"); err != nil {
		t.Fatal(err)
	}
	return cfgPath
}

func testServer(t *testing.T, cfgPath string) (*server, *httptest.Server) {
	t.Helper()
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	a := &app{stdout: io.Discard, stderr: io.Discard, now: func() time.Time { return time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC) }}
	a.log = newLogger(io.Discard, 0)
	s, err := newServer(context.Background(), a, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.store.Close() })
	hs := httptest.NewServer(s.handler())
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
	s.syncAll(ctx)
	if err := s.recompute(ctx); err != nil {
		t.Fatal(err)
	}
	s.ready.Store(true)
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
	s.ready.Store(true)
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
}

// syncBuffer is a bytes.Buffer safe to write from one goroutine and read
// from another.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestServeShutsDownCleanly runs the real command, waits until it is ready,
// then cancels it as SIGTERM would and expects exit status 0.
func TestServeShutsDownCleanly(t *testing.T) {
	cfg := serveConfig(t, "")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- runAt(ctx, []string{"serve", "--config", cfg, "--addr", "127.0.0.1:0"}, &stdout, &stderr, time.Now)
	}()
	urlRE := regexp.MustCompile(`http://(127\.0\.0\.1:\d+)/`)
	var base string
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		if m := urlRE.FindStringSubmatch(stdout.String()); m != nil {
			base = "http://" + m[1]
			if code, _ := status(t, base+"/readyz", ""); code == http.StatusOK {
				break
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	if base == "" {
		t.Fatalf("serve did not start: stdout %q, stderr %q", stdout.String(), stderr.String())
	}
	if code, _ := status(t, base+"/readyz", ""); code != http.StatusOK {
		t.Fatalf("serve never became ready: stderr %q", stderr.String())
	}
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Errorf("serve exited %d after shutdown, want 0; stderr %q", code, stderr.String())
		}
	case <-time.After(15 * time.Second):
		t.Fatal("serve did not exit within 15s of shutdown")
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
	s.syncAll(ctx)
	if err := s.recompute(ctx); err != nil {
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
