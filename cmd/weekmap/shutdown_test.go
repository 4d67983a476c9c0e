package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestServeStopsWithin5sOfSIGTERM sends SIGTERM to `weekmap serve` in the
// middle of its first sync and expects the process to exit 0 within 5 s,
// saying the sync was abandoned: while it waits on a Google page that takes
// a minute, and while it reads, expands and stores a 20 MB ICS file.
func TestServeStopsWithin5sOfSIGTERM(t *testing.T) {
	bin := weekmapBinary(t)
	tests := []struct {
		name string
		// setup returns the config and a function that returns once the
		// sync is under way.
		setup func(t *testing.T) (cfg string, started func() bool)
	}{
		{"google page that takes a minute", func(t *testing.T) (string, func() bool) {
			f, cfg := connectedCalendar(t, 12, 3)
			f.SetPageDelay(time.Minute)
			f.ResetRequests()
			return cfg, func() bool { return len(f.Requests()) > 0 }
		}},
		{"20 MB ICS file", func(t *testing.T) (string, func() bool) {
			dir := t.TempDir()
			writeBigICS(t, filepath.Join(dir, "big.ics"), 100_000)
			cfg := filepath.Join(dir, "weekmap.yaml")
			if err := os.WriteFile(cfg, []byte("store: ./weekmap.db\nsources:\n  - {name: big, type: ics, path: big.ics}\n"), 0o600); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			// Reading the file alone takes longer than this.
			return cfg, func() bool { return time.Since(start) > 1500*time.Millisecond }
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, started := tc.setup(t)
			var stderr bytes.Buffer
			cmd := exec.Command(bin, "--config", cfg, "serve", "--addr", "127.0.0.1:0")
			cmd.Stderr = &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			defer cmd.Process.Kill()
			deadline := time.Now().Add(10 * time.Second)
			for !started() {
				if time.Now().After(deadline) {
					t.Fatalf("serve did not start syncing within 10 s\n%s", stderr.String())
				}
				time.Sleep(20 * time.Millisecond)
			}
			time.Sleep(200 * time.Millisecond)

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
		})
	}
}

// writeBigICS writes an ICS file of n half-hour events in November 2026,
// about 200 bytes each.
func writeBigICS(t *testing.T, path string, n int) {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//weekmap//test//EN\r\n")
	base := time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)
	for i := range n {
		start := base.Add(time.Duration(i%600)*10*time.Minute + time.Duration(i/600%20)*24*time.Hour)
		fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:e%d@example.com\r\nDTSTART:%s\r\nDTEND:%s\r\nSUMMARY:Meeting %d\r\nDESCRIPTION:Agenda in the team's meeting notes, linked from the invitation.\r\nEND:VEVENT\r\n",
			i, start.Format("20060102T150405Z"), start.Add(30*time.Minute).Format("20060102T150405Z"), i)
	}
	b.WriteString("END:VCALENDAR\r\n")
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
}
