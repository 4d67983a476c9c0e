package ingest

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// MaxFileSize bounds what a file source reads: far above any real export (a
// decade of a busy calendar is a few MiB), low enough that a hostile or
// mistaken file cannot fill memory.
const MaxFileSize = 50 << 20

// MaxFileEvents bounds the events a file source reads from one file (JSON
// items, ICS VEVENTs). Ten years of twenty meetings a working day are
// 50,000; a file of 100,000 small events takes about 250 MiB and 2-4 s to
// sync on a 2-core machine (the hostile-input test in cmd/weekmap holds
// it under 512 MiB and 10 s), and the 50 MiB a file may have would
// otherwise hold over 800,000 tiny ones, and gigabytes.
const MaxFileEvents = 100_000

// ErrNotRegular is returned by ReadFile for a path that is not a regular
// file: a device such as /dev/zero would never end, a FIFO would block
// until someone writes to it, a folder has no events.
var ErrNotRegular = errors.New("not a regular file")

// ReadFile reads the regular file at path, at most limit bytes. It opens
// the file without blocking (a FIFO put in the file's place would otherwise
// hang the sync), checks what it opened rather than what the path named a
// moment before, and reads through a limited reader, so that neither a
// device that reports size 0 nor a file that grows while it is read can
// exceed limit. Errors name the path and say what to do.
func ReadFile(path string, limit int64) ([]byte, fs.FileInfo, error) {
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, nil, pathError(path, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, nil, fmt.Errorf("%s: %w (%s): point the source at an exported calendar file", path, ErrNotRegular, fileKind(info.Mode()))
	}
	if info.Size() > limit {
		return nil, nil, WithReason(ReasonInvalidData, fmt.Errorf("%s is larger than %d MiB, more than weekmap reads from one file: export a shorter date range", path, limit>>20))
	}
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", path, err)
	}
	if int64(len(data)) > limit {
		return nil, nil, WithReason(ReasonInvalidData, fmt.Errorf("%s grew past %d MiB while it was read, more than weekmap reads from one file: export a shorter date range", path, limit>>20))
	}
	return data, info, nil
}

// StatFile is os.Stat whose errors say what to do.
func StatFile(path string) (fs.FileInfo, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, pathError(path, err)
	}
	return info, nil
}

// pathError says what to do about a file that cannot be opened; it still
// matches fs.ErrNotExist or fs.ErrPermission with errors.Is.
func pathError(path string, err error) error {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return &saidError{fmt.Sprintf("%s does not exist: export the calendar to that path, or correct the source's path (a relative path starts at the config file's folder)", path), err}
	case errors.Is(err, fs.ErrPermission):
		return &saidError{fmt.Sprintf("%s cannot be read by this user: let the user weekmap runs as read it", path), err}
	}
	return err
}

// saidError is an error told in one sentence of its own, wrapping the
// error it explains.
type saidError struct {
	msg string
	err error
}

func (e *saidError) Error() string { return e.msg }
func (e *saidError) Unwrap() error { return e.err }

func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}
