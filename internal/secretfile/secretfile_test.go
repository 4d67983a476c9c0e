package secretfile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRead(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "token")
	if err := os.WriteFile(path, []byte("s3cret"), 0o600); err != nil {
		t.Fatal(err)
	}
	if got, err := Read("server.auth_token_file", path); err != nil || string(got) != "s3cret" {
		t.Errorf("got %q, %v, want the secret", got, err)
	}
	for _, mode := range []os.FileMode{0o644, 0o640, 0o604, 0o660} {
		os.Chmod(path, mode)
		_, err := Read("server.auth_token_file", path)
		want := "server.auth_token_file " + path + " is readable by others"
		if !errors.Is(err, ErrTooOpen) || !strings.HasPrefix(err.Error(), want) || !strings.HasSuffix(err.Error(), "run chmod 600 "+path) || strings.Contains(err.Error(), "s3cret") {
			t.Errorf("mode %04o: got %v, want %q… and the chmod to run, without the secret", mode, err, want)
		}
	}
	if _, err := Read("token", filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: got %v, want ErrNotExist", err)
	}
}
