//go:build unix

package ics

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest"
)

// TestSyncSpecialFile: /dev/zero reports size 0 and never ends, a FIFO
// blocks an ordinary open until someone writes to it. As a source's path,
// both are refused at once with a sentence that names the file, and
// nothing is stored.
func TestSyncSpecialFile(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "cal.ics")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	for _, path := range []string{"/dev/zero", fifo} {
		st := openStore(t)
		src := New(config.Source{Name: "exported", Type: config.TypeICS, Path: path, SyncWindow: syncWindow}, berlin, nil, nil)
		done := make(chan error, 1)
		go func() {
			_, err := syncSource(context.Background(), st, src, ingest.Options{Now: syncNow})
			done <- err
		}()
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), path+": not a regular file") {
				t.Errorf("%s: got %v, want it refused as not a regular file", path, err)
			}
			t.Log(err)
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: Sync still running after 5 s", path)
		}
		if ids := storedIDs(t, st); len(ids) > 0 {
			t.Errorf("%s: got %q stored, want nothing", path, ids)
		}
	}
}
