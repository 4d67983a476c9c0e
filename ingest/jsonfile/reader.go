package jsonfile

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strconv"
)

// readSize is how much the reader asks its source for at a time.
const readSize = 64 << 10

// errTooLarge reports a value longer than the reader's limit.
var errTooLarge = errors.New("value too large")

// reader is the decoder's window on its input: the bytes read and not yet
// consumed, and the line of the first of them. Lines are counted as bytes
// are consumed, so finding the line of an event never rescans what came
// before it, however long the file. The window holds one JSON value at
// most (an event, or a whole events.list response), never the whole
// stream, unless the input was handed over in memory to begin with.
type reader struct {
	src   io.Reader // nil when buf is the whole input
	buf   []byte
	base  int64 // offset in the input of buf[0]
	pos   int   // first unconsumed byte of buf
	line  int   // 1-based line of buf[pos]
	err   error // the first read error; io.EOF at the end of the input
	limit int   // the most bytes one value may span
}

func newReader(src io.Reader, limit int) *reader {
	return &reader{src: src, line: 1, limit: limit}
}

// newBytesReader reads data in place, without copying it.
func newBytesReader(data []byte) *reader {
	return &reader{buf: data, line: 1, err: io.EOF, limit: len(data)}
}

// fill reads more input after the unconsumed bytes. It reports false when
// nothing more will come: the end of the input or a read error (r.err).
func (r *reader) fill() bool {
	if r.err != nil {
		return false
	}
	if r.pos > 0 {
		// Keep only what is still to be consumed, so the window is one
		// value long, not the length of the stream.
		n := copy(r.buf, r.buf[r.pos:])
		r.buf, r.base, r.pos = r.buf[:n], r.base+int64(r.pos), 0
	}
	if cap(r.buf)-len(r.buf) < readSize {
		r.buf = slices.Grow(r.buf, max(readSize, len(r.buf)))
	}
	// A reader may return no bytes and no error; a few retries are enough
	// for the well-behaved ones, and io.ErrNoProgress for the rest.
	for range 100 {
		n, err := r.src.Read(r.buf[len(r.buf):cap(r.buf)])
		r.buf = r.buf[:len(r.buf)+n]
		if err != nil {
			r.err = err
		}
		if n > 0 {
			return true
		}
		if err != nil {
			return false
		}
	}
	r.err = io.ErrNoProgress
	return false
}

// peek skips whitespace and returns the next byte without consuming it. It
// reports false at the end of the input.
func (r *reader) peek() (byte, bool) {
	for {
		for r.pos < len(r.buf) {
			switch c := r.buf[r.pos]; c {
			case '\n':
				r.line++
				r.pos++
			case ' ', '\t', '\r':
				r.pos++
			default:
				return c, true
			}
		}
		if !r.fill() {
			return 0, false
		}
	}
}

// startsWith reports whether the unconsumed bytes start with one of
// prefixes, reading only while they could: input that cannot match is
// answered from what has been read, so a pipe is not waited on.
func (r *reader) startsWith(prefixes ...string) (string, bool) {
	for {
		w, more := r.buf[r.pos:], false
		for _, p := range prefixes {
			if bytes.HasPrefix(w, []byte(p)) {
				return p, true
			}
			more = more || len(w) < len(p) && bytes.HasPrefix([]byte(p), w)
		}
		if !more || !r.fill() {
			return "", false
		}
	}
}

// offset returns the offset in the input of the next unconsumed byte.
func (r *reader) offset() int64 { return r.base + int64(r.pos) }

// consume moves past the next n bytes, which must have been read, counting
// the lines they end.
func (r *reader) consume(n int) {
	r.line += bytes.Count(r.buf[r.pos:r.pos+n], []byte{'\n'})
	r.pos += n
}

// lineAhead returns the line of the byte n bytes past the next unconsumed
// one; errors use it to point into a value before consuming it.
func (r *reader) lineAhead(n int) int {
	n = max(0, min(n, len(r.buf)-r.pos))
	return r.line + bytes.Count(r.buf[r.pos:r.pos+n], []byte{'\n'})
}

// value returns the next JSON value, which starts at the next unconsumed
// byte, reading until its end is in the window; it does not consume it. It
// finds the end by brackets, strings and escapes alone: the caller decodes
// the bytes with encoding/json, which checks the rest and reports any error
// at its offset. A value cut off by the end of the input is returned as it
// is, for the same reason.
func (r *reader) value() ([]byte, error) {
	var (
		closers  []byte // the brackets still open, as the bytes that close them
		inString bool
		escaped  bool
		scalar   bool // a number or literal, which ends at a delimiter
	)
	for i := 0; ; i++ {
		for r.pos+i >= len(r.buf) {
			if i > r.limit {
				return nil, errTooLarge
			}
			if !r.fill() {
				if r.err != io.EOF {
					return nil, r.err
				}
				return r.buf[r.pos:], nil
			}
		}
		c := r.buf[r.pos+i]
		switch {
		case escaped:
			escaped = false
		case inString:
			// Strings are most of an event: find their end in one call.
			rest := r.buf[r.pos+i:]
			j := bytes.IndexAny(rest, `"\`)
			if j < 0 {
				i += len(rest) - 1
				continue
			}
			i += j
			if rest[j] == '\\' {
				escaped = true
				continue
			}
			inString = false
			if len(closers) == 0 {
				return r.buf[r.pos : r.pos+i+1], nil
			}
		case i == 0 && c != '"' && c != '{' && c != '[':
			scalar = true
		case scalar:
			if isDelimiter(c) {
				return r.buf[r.pos : r.pos+i], nil
			}
		case c == '"':
			inString = true
		case c == '{':
			closers = append(closers, '}')
		case c == '[':
			closers = append(closers, ']')
		case c == '}' || c == ']':
			// A mismatched bracket ends the value too: encoding/json then
			// reports it where it is, rather than after the rest of the
			// input has been read in search of a match.
			if closers[len(closers)-1] != c {
				return r.buf[r.pos : r.pos+i+1], nil
			}
			closers = closers[:len(closers)-1]
			if len(closers) == 0 {
				return r.buf[r.pos : r.pos+i+1], nil
			}
		}
	}
}

func isDelimiter(c byte) bool {
	switch c {
	case ' ', '\t', '\r', '\n', ',', ':', '{', '}', '[', ']', '"':
		return true
	}
	return false
}

// describe names what a JSON value that starts with c is, for errors that
// say what was found instead of events.
func describe(c byte) string {
	switch {
	case c == '{':
		return "a JSON object"
	case c == '[':
		return "a JSON array"
	case c == '"':
		return "a JSON string"
	case c == '-' || '0' <= c && c <= '9':
		return "a JSON number"
	case c == 't' || c == 'f':
		return "a JSON true or false"
	case c == 'n':
		return "a JSON null"
	case c == ']' || c == '}' || c == ',' || c == ':':
		return "'" + string(c) + "'"
	}
	return strconv.Quote(string([]byte{c})) + " (not JSON)"
}
