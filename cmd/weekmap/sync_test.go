package main

import (
	"bytes"
	"testing"

	"github.com/weekmap/weekmap/ingest"
)

// TestProgressLine checks the live line `weekmap sync` shows on a terminal:
// rewritten in place after each page, and cleared at the end.
func TestProgressLine(t *testing.T) {
	var out bytes.Buffer
	l := &progressLine{w: &out}
	l.show(ingest.Progress{Source: "work", Pages: 1, Events: 2})
	l.show(ingest.Progress{Source: "work", Pages: 3, Events: 5})
	l.clear()
	if got, want := out.String(), "\r\x1b[Kwork: page 1, 2 events\r\x1b[Kwork: page 3, 5 events\r\x1b[K"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	var none *progressLine
	none.clear() // no terminal: nothing to clear, and no panic
}
