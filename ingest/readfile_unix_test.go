//go:build unix

package ingest

import (
	"errors"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// TestReadFileSpecial: /dev/zero reports size 0 and never ends, and a FIFO
// blocks an ordinary open until someone writes to it. Both are refused at
// once.
func TestReadFileSpecial(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "events.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	for _, path := range []string{"/dev/zero", fifo} {
		done := make(chan error, 1)
		go func() {
			_, _, err := ReadFile(path, 1<<20)
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, ErrNotRegular) {
				t.Errorf("%s: got %v, want ErrNotRegular", path, err)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: ReadFile still blocked after 5 s", path)
		}
	}
}
