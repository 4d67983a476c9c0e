package jsonfile

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"google.golang.org/api/calendar/v3"
)

// item is one Event resource and the line of the file it starts on, so that
// later errors (a bad time, a missing id) can point at it.
type item struct {
	ev   *calendar.Event
	line int
}

// Decode parses a file of Google Calendar v3 Event resources, either a JSON
// array or one resource a line, as the json source reads it. Errors name
// path and the line.
func Decode(path string, data []byte) ([]*calendar.Event, error) {
	items, err := decodeFile(path, data)
	if err != nil {
		return nil, err
	}
	out := make([]*calendar.Event, len(items))
	for i, it := range items {
		out[i] = it.ev
	}
	return out, nil
}

// decodeFile reads data, either a JSON array of Event resources or one
// resource a line, and reports the first problem with the file's name and
// line.
func decodeFile(path string, data []byte) ([]item, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")) // editors on Windows add a BOM
	trimmed := bytes.TrimLeft(data, " \t\r\n")
	if len(trimmed) > 0 && trimmed[0] == '[' {
		return decodeArray(path, data)
	}
	return decodeLines(path, data)
}

func decodeLines(path string, data []byte) ([]item, error) {
	var items []item
	for i, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		var ev calendar.Event
		if err := json.Unmarshal(line, &ev); err != nil {
			return nil, lineError(path, i+1, err)
		}
		items = append(items, item{ev: &ev, line: i + 1})
	}
	return items, nil
}

func decodeArray(path string, data []byte) ([]item, error) {
	// A first pass over the whole file gives syntax errors an offset
	// counted from the start of the file.
	var raws []json.RawMessage
	if err := json.Unmarshal(data, &raws); err != nil {
		var syn *json.SyntaxError
		if errors.As(err, &syn) {
			// Offset counts the bytes read, the bad one included.
			return nil, lineError(path, lineAt(data, syn.Offset-1), err)
		}
		return nil, fmt.Errorf("events file %s: %w", path, err)
	}
	// The syntax is sound, so a token walk finds where each element starts.
	dec := json.NewDecoder(bytes.NewReader(data))
	if _, err := dec.Token(); err != nil {
		return nil, fmt.Errorf("events file %s: %w", path, err)
	}
	items := make([]item, 0, len(raws))
	for dec.More() {
		start := skipSeparators(data, dec.InputOffset())
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, lineError(path, lineAt(data, start), err)
		}
		var ev calendar.Event
		if err := json.Unmarshal(raw, &ev); err != nil {
			at := start
			var typ *json.UnmarshalTypeError
			if errors.As(err, &typ) && typ.Offset > 0 {
				at += typ.Offset - 1
			}
			return nil, lineError(path, lineAt(data, at), err)
		}
		items = append(items, item{ev: &ev, line: lineAt(data, start)})
	}
	return items, nil
}

func lineError(path string, line int, err error) error {
	return fmt.Errorf("events file %s, line %d: %w", path, line, err)
}

// lineAt returns the 1-based line of byte offset off in data.
func lineAt(data []byte, off int64) int {
	off = max(0, min(off, int64(len(data))))
	return 1 + bytes.Count(data[:off], []byte("\n"))
}

// skipSeparators moves off past the whitespace and comma that precede an
// array element.
func skipSeparators(data []byte, off int64) int64 {
	for off < int64(len(data)) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ',':
			off++
		default:
			return off
		}
	}
	return off
}
