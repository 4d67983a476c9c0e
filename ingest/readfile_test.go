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
	missing := filepath.Join(dir, "missing")
	if _, _, err := ReadFile(missing, 10); !errors.Is(err, os.ErrNotExist) || err.Error() != missing+" does not exist: export the calendar to that path, or correct the source's path (a relative path starts at the config file's folder)" {
		t.Errorf("got %v for a missing file, want ErrNotExist in a sentence that says what to do", err)
	}
	if _, err := StatFile(missing); !errors.Is(err, os.ErrNotExist) || !strings.HasPrefix(err.Error(), missing+" does not exist: ") {
		t.Errorf("StatFile: got %v for a missing file, want ErrNotExist in a sentence that says what to do", err)
	}
	if os.Getuid() != 0 {
		locked := filepath.Join(dir, "locked.ics")
		if err := os.WriteFile(locked, nil, 0o000); err != nil {
			t.Fatal(err)
		}
		if _, _, err := ReadFile(locked, 10); !errors.Is(err, os.ErrPermission) || !strings.Contains(err.Error(), "cannot be read by this user") {
			t.Errorf("got %v for an unreadable file, want ErrPermission in a sentence", err)
		}
	}
}
