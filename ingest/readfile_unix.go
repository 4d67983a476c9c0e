//go:build unix

package ingest

import (
	"os"
	"syscall"
)

// openNonBlocking opens path for reading with O_NONBLOCK, which makes
// opening a FIFO return at once instead of waiting for a writer; for a
// regular file the flag changes nothing.
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
