package ics

import (
	"fmt"
	"iter"
	"strings"
)

// maxDepth bounds how deeply components may nest (VCALENDAR > VEVENT >
// VALARM is three). Deeper nesting is no real calendar and would only make
// the parser recurse.
const maxDepth = 6

// contentLine is one logical line of a file: a property, BEGIN or END, its
// folded continuations joined.
type contentLine struct {
	// no is the number of the physical line it starts on.
	no int
	// text is the unfolded line, or its first maxLineBytes or so when it is
	// longer: a line over the limit is never read, only named.
	text string
	// size is the length of the whole unfolded line.
	size int
}

// block is one top-level component of a calendar, cut out with its line
// number so that each can be decoded, and fail, on its own.
type block struct {
	name string
	line int
	// lines are its content lines, its BEGIN and END included.
	lines []contentLine
	// raw is its text as it stands in the file, from BEGIN to END.
	raw string
	// err is set when the block is broken in its structure (an END that
	// never comes, nesting too deep); it is then not decoded.
	err error
}

// text is the block's physical lines without blank ones, each ended by
// CRLF: what identifies a component that has no UID.
func (b block) text() string {
	var s strings.Builder
	for line := range strings.SplitSeq(b.raw, "\n") {
		line = strings.TrimSuffix(line, "\r")
		if strings.TrimSpace(line) != "" {
			s.WriteString(line + "\r\n")
		}
	}
	return s.String()
}

// span is a content line with where it stands in the file: from the start
// of its first physical line to the end of its last.
type span struct {
	contentLine
	start, end int
}

// unfold yields the content lines of text, a file without its byte order
// mark.
//
// A line that begins with a space or a tab continues the previous one, as
// RFC 5545 says. So does, as calendar apps read it, a line that cannot
// begin a property (no NAME: or NAME;…: at its start): some exporters fold
// long lines without the leading space. Only a BEGIN or END line is never
// continued that way, so that a stray line cannot change the structure of
// the file; the stray line stands alone and is dropped as malformed. Blank
// lines are skipped.
func unfold(text string) iter.Seq[span] {
	return func(yield func(span) bool) {
		var cur span
		have := false
		// joined holds cur's text once continuations are added to it.
		var joined strings.Builder
		emit := func() bool {
			if joined.Len() > 0 {
				cur.text = joined.String()
				joined = strings.Builder{}
			}
			return yield(cur)
		}
		no, off := 0, 0
		for off < len(text) {
			phys, _, _ := strings.Cut(text[off:], "\n")
			start := off
			off = min(off+len(phys)+1, len(text))
			no++
			phys = strings.TrimSuffix(phys, "\r")
			if strings.TrimSpace(phys) == "" {
				continue
			}
			cont := ""
			switch {
			case !have:
			case phys[0] == ' ' || phys[0] == '\t':
				cont = phys[1:]
			case !startsProperty(phys) && !isBeginEnd(cur.text):
				cont = phys
			default:
				if !emit() {
					return
				}
				have = false
			}
			if !have {
				cur = span{contentLine{no: no, text: phys, size: len(phys)}, start, off}
				have = true
				continue
			}
			if joined.Len() == 0 {
				joined.WriteString(cur.text)
			}
			// Past the limit only the size is kept: the line is dropped.
			if joined.Len()+len(cont) <= maxLineBytes {
				joined.WriteString(cont)
			}
			cur.size += len(cont)
			cur.end = off
		}
		if have {
			emit()
		}
	}
}

// startsProperty reports whether line can begin a property: a name (a
// letter, then letters, digits and dashes) followed by ':', or by ';' and
// a parameter name with its '='. A physical line may end anywhere, even
// inside a parameter name, when the line is folded.
func startsProperty(line string) bool {
	if line == "" || !isLetter(line[0]) {
		return false
	}
	n := nameLen(line)
	switch {
	case n == len(line):
		return false
	case line[n] == ':':
		return true
	case line[n] == ';':
		rest := line[n+1:]
		k := nameLen(rest)
		return k == len(rest) || rest[k] == '='
	}
	return false
}

// isBeginEnd reports whether line is a BEGIN or END line.
func isBeginEnd(line string) bool {
	kind, _ := beginEnd(line)
	return kind != ""
}

// beginEnd returns "BEGIN" or "END" for such a line, else "", and the
// component it names, upper-cased.
func beginEnd(line string) (kind, component string) {
	name, v, ok := strings.Cut(line, ":")
	if !ok {
		return "", ""
	}
	switch {
	case strings.EqualFold(name, "BEGIN"):
		kind = "BEGIN"
	case strings.EqualFold(name, "END"):
		kind = "END"
	default:
		return "", ""
	}
	return kind, strings.ToUpper(strings.TrimSpace(v))
}

// split cuts a file into its calendar-level property lines and its
// top-level components. It only looks at BEGIN and END lines; everything
// else is left to decodeBlock. Several VCALENDAR objects in one file (some
// tools concatenate exports) are read as one.
//
// A file that has no VCALENDAR, or ends before its END:VCALENDAR (a
// truncated download), is an error: storing what it holds would delete the
// events that were cut off.
func split(data []byte) (header []contentLine, blocks []block, err error) {
	text := strings.TrimPrefix(string(data), "\xef\xbb\xbf")
	var cur *block
	curStart := 0
	depth, calLine, calendars := 0, 0, 0
	// skipping is set after an over-nested component was cut off: its
	// remaining lines are dropped up to the next top-level component.
	skipping := false
	flush := func(end int, err error) {
		cur.raw, cur.err = text[curStart:end], err
		blocks = append(blocks, *cur)
		cur = nil
	}
	for line := range unfold(text) {
		kind, value := beginEnd(line.text)
		if calLine == 0 {
			if kind != "BEGIN" || value != "VCALENDAR" {
				if calendars == 0 {
					return nil, nil, fmt.Errorf("line %d: not an iCalendar file (want BEGIN:VCALENDAR): a feed that answers with a web page may need its subscription URL renewed", line.no)
				}
				return nil, nil, fmt.Errorf("line %d: text after END:VCALENDAR", line.no)
			}
			calLine, calendars = line.no, calendars+1
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
			flush(line.start, fmt.Errorf("no END:%s before line %d", cur.name, line.no))
			depth = 0
		}
		switch {
		case cur == nil && kind == "END" && value == "VCALENDAR":
			calLine = 0
		case cur == nil && kind == "BEGIN":
			cur = &block{name: value, line: line.no, lines: []contentLine{line.contentLine}}
			curStart, depth = line.start, 1
		case cur == nil && kind == "END":
			return nil, nil, fmt.Errorf("line %d: END:%s without its BEGIN", line.no, value)
		case cur == nil:
			header = append(header, line.contentLine)
		default:
			cur.lines = append(cur.lines, line.contentLine)
			switch kind {
			case "BEGIN":
				depth++
				if depth > maxDepth {
					flush(line.end, fmt.Errorf("components nested more than %d deep at line %d", maxDepth, line.no))
					depth, skipping = 0, true
				}
			case "END":
				depth--
				if depth == 0 {
					flush(line.end, nil)
				}
			}
		}
	}
	if cur != nil {
		return nil, nil, fmt.Errorf("file ends inside %s begun at line %d: it looks cut off; export it again, or sync again when the download is complete", cur.name, cur.line)
	}
	if calLine != 0 {
		return nil, nil, fmt.Errorf("file ends inside VCALENDAR begun at line %d: it looks cut off; export it again, or sync again when the download is complete", calLine)
	}
	if calendars == 0 {
		if strings.TrimSpace(text) == "" {
			return nil, nil, fmt.Errorf("the file is empty; if an export is being written, sync again when it is done (an empty calendar is BEGIN:VCALENDAR and END:VCALENDAR)")
		}
		return nil, nil, fmt.Errorf("not an iCalendar file (no BEGIN:VCALENDAR)")
	}
	return header, blocks, nil
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
