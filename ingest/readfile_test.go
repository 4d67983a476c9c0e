package ingest

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestReadFile(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.ics")
	if err := os.WriteFile(small, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	data, info, err := ReadFile(small, 10)
	if err != nil || string(data) != "hello" || info.Size() != 5 {
		t.Fatalf("got %q, %v, %v, want hello", data, info, err)
	}
	if _, _, err := ReadFile(small, 4); err == nil || !strings.Contains(err.Error(), "is larger than") {
		t.Errorf("got %v for a file over the limit, want a size error", err)
	}
	if _, _, err := ReadFile(dir, 10); !errors.Is(err, ErrNotRegular) {
		t.Errorf("got %v for a folder, want ErrNotRegular", err)
	}
	if _, _, err := ReadFile(filepath.Join(dir, "missing"), 10); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("got %v for a missing file, want ErrNotExist", err)
	}
}
