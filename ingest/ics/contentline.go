package ics

import (
	"errors"
	"fmt"
	"strings"

	ical "github.com/arran4/golang-ical"
)

// Limits on one content line, checked before it is read, so that a hostile
// line costs no more than its length. A line over either is dropped with a
// problem; if it is an event's DTSTART, the event is skipped.
const (
	// maxLineBytes bounds a content line after unfolding. The longest
	// lines of real exports are descriptions: Outlook's HTML ones
	// (X-ALT-DESC) and Google's run to tens of KiB.
	maxLineBytes = 256 << 10
	// maxParams bounds the parameters of a content line. The busiest
	// lines of real exports, Apple's and Google's ATTENDEE lines, carry
	// about eight.
	maxParams = 64
)

// droppedLine is a content line that was not read.
type droppedLine struct {
	line int
	// name is the property's name, "" when the line has none.
	name string
	err  error
	// overLimit is set for a line over maxLineBytes or maxParams, which is
	// reported as a problem; a malformed line is only logged at debug.
	overLimit bool
}

// parseProperty reads one content line, NAME *(;PARAM=VALUE[,VALUE]):VALUE.
// Names are upper-cased (RFC 5545 makes them case-insensitive); a TEXT
// value is unescaped as golang-ical does; parameter values are taken
// literally, as RFC 5545 says. A line without parameters has nil
// ICalParameters. A dropped line says why, never with its value, which is
// anyone's text.
func parseProperty(l contentLine) (ical.BaseProperty, *droppedLine) {
	s := l.text
	n := nameLen(s)
	name := ""
	if n > 0 && n < len(s) && (s[n] == ';' || s[n] == ':') {
		name = strings.ToUpper(s[:n])
	}
	drop := func(overLimit bool, err error) (ical.BaseProperty, *droppedLine) {
		return ical.BaseProperty{}, &droppedLine{line: l.no, name: name, err: err, overLimit: overLimit}
	}
	if l.size > maxLineBytes {
		return drop(true, fmt.Errorf("line of %d KiB, over the limit of %d KiB", (l.size+1023)>>10, maxLineBytes>>10))
	}
	if name == "" {
		return drop(false, errors.New("not a property (no NAME: at its start)"))
	}
	prop := ical.BaseProperty{IANAToken: name}
	// Sized once, and only for a line with parameters: a file of lines
	// each with many spent a third of its time growing maps. The count is
	// a hint; a ':' or ';' may be quoted.
	var values []string
	if s[n] == ';' {
		hint := 1
		if colon := strings.IndexByte(s, ':'); colon > n {
			hint = min(strings.Count(s[n:colon], ";"), maxParams)
		}
		prop.ICalParameters = make(map[string][]string, hint)
		// values backs the parameters' first values: one allocation.
		values = make([]string, 0, hint)
	}
	i := n
	for count := 0; s[i] == ';'; count++ {
		if count == maxParams {
			return drop(true, fmt.Errorf("more than %d parameters", maxParams))
		}
		i++
		k := nameLen(s[i:])
		if k == 0 {
			return drop(false, errors.New("a parameter without a name"))
		}
		param := strings.ToUpper(s[i : i+k])
		i += k
		if i == len(s) || s[i] != '=' {
			return drop(false, fmt.Errorf("parameter %s without '='", param))
		}
		for {
			v, next, err := paramValue(s, i+1)
			if err != nil {
				return drop(false, fmt.Errorf("parameter %s: %w", param, err))
			}
			if vs, ok := prop.ICalParameters[param]; ok {
				prop.ICalParameters[param] = append(vs, v)
			} else {
				values = append(values, v)
				prop.ICalParameters[param] = values[len(values)-1 : len(values) : len(values)]
			}
			if i = next; i == len(s) {
				return drop(false, errors.New("no ':' before the value"))
			}
			if s[i] != ',' {
				break
			}
		}
	}
	if s[i] != ':' {
		return drop(false, errors.New("no ':' before the value"))
	}
	prop.Value = s[i+1:]
	// Only a backslash starts an escape; most values have none.
	if strings.IndexByte(prop.Value, '\\') >= 0 && valueType(prop) == ical.ValueDataTypeText {
		prop.Value = ical.FromText(prop.Value)
	}
	return prop, nil
}

// valueType is prop.GetValueType without walking every parameter.
func valueType(prop ical.BaseProperty) ical.ValueDataType {
	if v := prop.ICalParameters[string(ical.ParameterValue)]; len(v) == 1 {
		return ical.ValueDataType(v[0])
	}
	return (&ical.BaseProperty{IANAToken: prop.IANAToken}).GetValueType()
}

// paramValue reads the parameter value at s[i:], quoted or not, and
// returns it with the index of the ',', ';' or ':' after it (or len(s)).
func paramValue(s string, i int) (string, int, error) {
	if i < len(s) && s[i] == '"' {
		end := strings.IndexByte(s[i+1:], '"')
		if end < 0 {
			return "", 0, errors.New("a quoted value without its closing quote")
		}
		v := s[i+1 : i+1+end]
		next := i + end + 2
		if next < len(s) && !strings.ContainsRune(",;:", rune(s[next])) {
			return "", 0, errors.New("text after a quoted value")
		}
		return v, next, checkControls(v)
	}
	end := strings.IndexAny(s[i:], ",;:")
	if end < 0 {
		end = len(s) - i
	}
	v := s[i : i+end]
	if strings.IndexByte(v, '"') >= 0 {
		return "", 0, errors.New("a quote inside a value")
	}
	return v, i + end, checkControls(v)
}

// checkControls refuses the control characters RFC 5545 forbids in
// parameter values (all but the tab).
func checkControls(v string) error {
	for i := range len(v) {
		if c := v[i]; c < 0x20 && c != '\t' {
			return errors.New("a control character in a value")
		}
	}
	return nil
}

// nameLen is the length of the name (letters, digits, dashes) at the start
// of s.
func nameLen(s string) int {
	for i := range len(s) {
		if c := s[i]; !isLetter(c) && !('0' <= c && c <= '9') && c != '-' {
			return i
		}
	}
	return len(s)
}

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// decodeBlock reads a VEVENT or VTIMEZONE block into golang-ical's types,
// which the rest of the package works on. A line that cannot be read is
// dropped and returned; the component is still read. Components nested in
// a VEVENT (alarms) are skipped unread, as are any in a VTIMEZONE but its
// STANDARD and DAYLIGHT parts: weekmap never looks at them.
func decodeBlock(b block) (*ical.ComponentBase, []droppedLine, error) {
	if b.err != nil {
		return nil, nil, b.err
	}
	// Sized for every line: most are the component's own properties.
	c := &ical.ComponentBase{Properties: make([]ical.IANAProperty, 0, len(b.lines))}
	var part *ical.ComponentBase
	partName := ""
	skip := 0
	var dropped []droppedLine
	// split ends a block at the END that balances its BEGIN, so the lines
	// between are balanced too.
	for _, l := range b.lines[1 : len(b.lines)-1] {
		kind, value := beginEnd(l.text)
		switch {
		case skip > 0:
			switch kind {
			case "BEGIN":
				skip++
			case "END":
				skip--
			}
			continue
		case kind == "BEGIN":
			if part == nil && b.name == "VTIMEZONE" && (value == "STANDARD" || value == "DAYLIGHT") {
				part, partName = &ical.ComponentBase{}, value
			} else {
				skip = 1
			}
			continue
		case kind == "END":
			switch {
			case part == nil:
			case partName == "STANDARD":
				c.Components = append(c.Components, &ical.Standard{ComponentBase: *part})
			default:
				c.Components = append(c.Components, &ical.Daylight{ComponentBase: *part})
			}
			part = nil
			continue
		}
		prop, bad := parseProperty(l)
		if bad != nil {
			dropped = append(dropped, *bad)
			continue
		}
		to := c
		if part != nil {
			to = part
		}
		to.Properties = append(to.Properties, ical.IANAProperty{BaseProperty: prop})
	}
	return c, dropped, nil
}
