package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"
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
