package main

import (
	"bytes"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeStopsWithin5sOfSIGTERM sends SIGTERM to `weekmap serve` while
// its first sync waits on a Google page that takes a minute, and expects
// the process to exit 0 within 5 s, saying the sync was abandoned.
func TestServeStopsWithin5sOfSIGTERM(t *testing.T) {
	bin := weekmapBinary(t)
	f, cfg := connectedCalendar(t, 12, 3)
	f.SetPageDelay(time.Minute)
	f.ResetRequests()
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "--config", cfg, "serve", "--addr", "127.0.0.1:0")
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer cmd.Process.Kill()
	deadline := time.Now().Add(10 * time.Second)
	for len(f.Requests()) == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start syncing within 10 s\n%s", stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond) // well inside the slow page

	sent := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		took := time.Since(sent)
		if err != nil {
			t.Errorf("serve exited with %v after SIGTERM; want status 0\n%s", err, stderr.String())
		}
		if took > 5*time.Second {
			t.Errorf("serve took %v to exit after SIGTERM; want at most 5 s", took)
		}
		t.Logf("exited %v after SIGTERM", took.Round(time.Millisecond))
	case <-time.After(15 * time.Second):
		t.Fatalf("serve still running 15 s after SIGTERM\n%s", stderr.String())
	}
	if !strings.Contains(stderr.String(), "sync abandoned on shutdown") {
		t.Errorf("serve's log does not say the sync was abandoned:\n%s", stderr.String())
	}
}
