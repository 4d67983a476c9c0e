//go:build !unix

package ingest

import "os"

// openNonBlocking is os.Open where opens cannot be made non-blocking.
func openNonBlocking(path string) (*os.File, error) { return os.Open(path) }
