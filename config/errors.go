package config

import (
	"fmt"
	"strconv"
)

// Error is a problem at a place in a config file: "weekmap.yaml:5:
// sources[0].type: "outlook" is not a source type: use google, ics or json".
type Error struct {
	File string
	// Line is 0 when the problem has no place in the file.
	Line int
	// Key is the key path, like sources[1].sync_window.past; "" when the
	// message names the key itself.
	Key string
	Err error
}

func (e *Error) Error() string {
	s := e.File
	if e.Line > 0 {
		s += ":" + strconv.Itoa(e.Line)
	}
	if e.Key != "" {
		return fmt.Sprintf("%s: %s: %v", s, e.Key, e.Err)
	}
	return fmt.Sprintf("%s: %v", s, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// keyError is a validation problem with the value at a key path; the
// decoder turns it into an *Error with the key's line.
type keyError struct {
	path string
	err  error
}

func (e *keyError) Error() string { return e.path + ": " + e.err.Error() }

func (e *keyError) Unwrap() error { return e.err }

func errorAt(path, format string, args ...any) error {
	return &keyError{path: path, err: fmt.Errorf(format, args...)}
}
