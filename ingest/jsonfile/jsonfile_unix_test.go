//go:build unix

package jsonfile

import (
	"context"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/weekmap/weekmap/ingest"
)

// A device would never end and a FIFO would block the sync: both are
// refused at once, in a sentence naming the path.
func TestSyncSpecialFiles(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "events.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/dev/zero", fifo} {
		t.Run(path, func(t *testing.T) {
			st, _, before := syncedBasic(t)
			done := make(chan error, 1)
			go func() {
				_, err := syncSource(context.Background(), st, source(path), ingest.Options{Now: now})
				done <- err
			}()
			select {
			case err := <-done:
				if err == nil || !strings.Contains(err.Error(), path+": not a regular file") {
					t.Errorf("got error %v, want one naming %s as not a regular file", err, path)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("sync of %s still running after 10 s", path)
			}
			unchanged(t, st, before)
		})
	}
}
