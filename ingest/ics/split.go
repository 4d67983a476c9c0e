package ics

import (
	"bytes"
	"fmt"
	"strings"
)

// maxDepth bounds how deeply components may nest (VCALENDAR > VEVENT >
// VALARM is three). Deeper nesting is no real calendar and would only make
// the parser recurse.
const maxDepth = 6

// block is the text of one top-level component of a calendar, cut out with
// its line number so that each can be decoded, and fail, on its own.
type block struct {
	name string
	line int
	text string
	// err is set when the block is broken in its structure (an END that
	// never comes, nesting too deep); it is then not decoded.
	err error
}

// split cuts a file into its calendar-level property lines and its
// top-level components. It only looks at BEGIN and END lines; everything
// else is left to the iCalendar decoder. Several VCALENDAR objects in one
// file (some tools concatenate exports) are read as one.
//
// A file that has no VCALENDAR, or ends before its END:VCALENDAR (a
// truncated download), is an error: storing what it holds would delete the
// events that were cut off.
func split(data []byte) (header string, blocks []block, err error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var head strings.Builder
	var cur *block
	var body strings.Builder
	depth, calLine, calendars := 0, 0, 0
	// skipping is set after an over-nested component was cut off: its
	// remaining lines are dropped up to the next top-level component.
	skipping := false
	flush := func(err error) {
		cur.text, cur.err = body.String(), err
		blocks = append(blocks, *cur)
		cur = nil
		body.Reset()
	}
	lineNo := 0
	for len(data) > 0 {
		var raw []byte
		raw, data, _ = bytes.Cut(data, []byte("\n"))
		lineNo++
		line := strings.TrimSuffix(string(raw), "\r")
		if strings.TrimSpace(line) == "" {
			continue
		}
		folded := line[0] == ' ' || line[0] == '\t'
		kind, value := "", ""
		if !folded {
			name, v, ok := strings.Cut(line, ":")
			if ok && (strings.EqualFold(name, "BEGIN") || strings.EqualFold(name, "END")) {
				kind, value = strings.ToUpper(name), strings.ToUpper(strings.TrimSpace(v))
			}
		}
		if calLine == 0 {
			if kind != "BEGIN" || value != "VCALENDAR" {
				if calendars == 0 {
					return "", nil, fmt.Errorf("line %d: not an iCalendar file (want BEGIN:VCALENDAR)", lineNo)
				}
				return "", nil, fmt.Errorf("line %d: text after END:VCALENDAR", lineNo)
			}
			calLine, calendars = lineNo, calendars+1
			continue
		}
		if skipping {
			if !(kind == "BEGIN" && topLevel(value) || kind == "END" && value == "VCALENDAR") {
				continue
			}
			skipping = false
		}
		if cur != nil && (kind == "BEGIN" && topLevel(value) || kind == "END" && value == "VCALENDAR") {
			// A component that a new one interrupts lost its END line.
			flush(fmt.Errorf("no END:%s before line %d", cur.name, lineNo))
			depth = 0
		}
		switch {
		case cur == nil && kind == "END" && value == "VCALENDAR":
			calLine = 0
		case cur == nil && kind == "BEGIN":
			cur = &block{name: value, line: lineNo}
			depth = 1
			body.WriteString(line + "\r\n")
		case cur == nil && kind == "END":
			return "", nil, fmt.Errorf("line %d: END:%s without its BEGIN", lineNo, value)
		case cur == nil:
			head.WriteString(line + "\r\n")
		default:
			body.WriteString(line + "\r\n")
			switch kind {
			case "BEGIN":
				depth++
				if depth > maxDepth {
					flush(fmt.Errorf("components nested more than %d deep at line %d", maxDepth, lineNo))
					depth, skipping = 0, true
				}
			case "END":
				depth--
				if depth == 0 {
					flush(nil)
				}
			}
		}
	}
	if cur != nil {
		return "", nil, fmt.Errorf("file ends inside %s begun at line %d (truncated?)", cur.name, cur.line)
	}
	if calLine != 0 {
		return "", nil, fmt.Errorf("file ends inside VCALENDAR begun at line %d (truncated?)", calLine)
	}
	if calendars == 0 {
		return "", nil, fmt.Errorf("not an iCalendar file (no BEGIN:VCALENDAR)")
	}
	return head.String(), blocks, nil
}

// topLevel reports whether a component only ever appears directly in a
// VCALENDAR, so that meeting its BEGIN inside another means that one ended.
func topLevel(name string) bool {
	switch name {
	case "VEVENT", "VTODO", "VJOURNAL", "VFREEBUSY", "VTIMEZONE", "VCALENDAR":
		return true
	}
	return false
}
