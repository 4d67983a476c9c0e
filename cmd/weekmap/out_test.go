//go:build unix

package main

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReportOutTargets: --out writes a new or regular file privately and
// atomically, writes through a symlink to its target (the link stays), and
// writes into a FIFO (a reader gets the report; the FIFO stays a FIFO).
func TestReportOutTargets(t *testing.T) {
	cfg := writeCalendar(t, twoEvents)
	now := time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)
	if code, _, errOut := runCLI(t, now, "sync", "--config", cfg); code != 0 {
		t.Fatalf("sync: %s", errOut)
	}
	report := func(out string) {
		t.Helper()
		if code, _, errOut := runCLI(t, now, "report", "--config", cfg, "--format", "csv", "--weeks", "1", "--out", out); code != 0 {
			t.Fatalf("report --out %s: %s", out, errOut)
		}
	}
	isReport := func(what string, data []byte) {
		t.Helper()
		if !strings.HasPrefix(string(data), "person,week,") {
			t.Errorf("%s holds %.60q, want the CSV report", what, data)
		}
	}
	dir := t.TempDir()

	t.Run("regular file is private", func(t *testing.T) {
		out := filepath.Join(dir, "week.csv")
		report(out)
		info, err := os.Stat(out)
		if err != nil {
			t.Fatal(err)
		}
		if info.Mode().Perm() != 0o600 {
			t.Errorf("report file mode %v, want -rw------- (it holds meeting titles)", info.Mode().Perm())
		}
		data, _ := os.ReadFile(out)
		isReport(out, data)
	})

	t.Run("symlink", func(t *testing.T) {
		target := filepath.Join(dir, "shared", "week.csv")
		os.MkdirAll(filepath.Dir(target), 0o700)
		if err := os.WriteFile(target, []byte("old"), 0o600); err != nil {
			t.Fatal(err)
		}
		link := filepath.Join(dir, "latest.csv")
		if err := os.Symlink(target, link); err != nil {
			t.Fatal(err)
		}
		report(link)
		if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
			t.Errorf("the link is now %v, %v; want it still a symlink", info.Mode(), err)
		}
		data, _ := os.ReadFile(target)
		isReport("the link's target", data)
	})

	t.Run("FIFO", func(t *testing.T) {
		fifo := filepath.Join(dir, "pipe")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Skipf("no FIFOs here: %v", err)
		}
		got := make(chan []byte, 1)
		go func() {
			f, err := os.Open(fifo)
			if err != nil {
				got <- []byte(err.Error())
				return
			}
			defer f.Close()
			b, _ := io.ReadAll(f)
			got <- b
		}()
		report(fifo)
		select {
		case b := <-got:
			isReport("what the FIFO's reader read", b)
		case <-time.After(5 * time.Second):
			t.Fatal("the FIFO's reader got nothing")
		}
		if info, err := os.Lstat(fifo); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
			t.Errorf("the FIFO is now %v, %v; want it still a FIFO", info.Mode(), err)
		}
	})
}
