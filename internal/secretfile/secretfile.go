// Package secretfile reads files that hold secrets — OAuth tokens, the
// server's bearer token, a service account key — and refuses one that
// others can read: a secret readable by everyone on the machine is no
// longer a secret, and saying so is better than using it.
package secretfile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
)

// ErrTooOpen is returned, wrapped, for a secret file readable or writable
// by its group or others.
var ErrTooOpen = errors.New("is readable by others")

// Read reads the secret file at path, at most 1 MiB. what names it in
// errors ("server.auth_token_file"); an error never holds the contents.
func Read(what, path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	if err := Check(path, info); err != nil {
		return nil, fmt.Errorf("%s %w", what, err)
	}
	if info.Size() > 1<<20 {
		return nil, fmt.Errorf("%s %s is larger than 1 MiB: it is not a secret weekmap wrote or expects", what, path)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	return data, nil
}

// Check refuses a secret file whose mode lets its group or others in,
// with the command that fixes it. Windows has no such mode bits.
func Check(path string, info fs.FileInfo) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	if perm := info.Mode().Perm(); perm&0o077 != 0 {
		return fmt.Errorf("%s %w (mode %04o): run chmod 600 %s", path, ErrTooOpen, perm, path)
	}
	return nil
}
