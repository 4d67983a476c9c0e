package jsonfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"google.golang.org/api/calendar/v3"

	"github.com/weekmap/weekmap/ingest"
)

// Resource kinds, as Google writes them in "kind".
const (
	kindEvent        = "calendar#event"
	kindEvents       = "calendar#events"
	kindCalendarList = "calendar#calendarList"
	kindListEntry    = "calendar#calendarListEntry"
)

// item is one Event resource and the line of the file it starts on, so that
// later errors (a bad time, a missing id) can point at it.
type item struct {
	ev   *calendar.Event
	line int
}

// maxEvents bounds the events the json source reads from one file.
const maxEvents = ingest.MaxFileEvents

// decodeFile decodes the events of the json source's file, read whole into
// data.
func decodeFile(path string, data []byte) ([]item, error) {
	d := newBytesDecoder("events file "+path, data)
	var items []item
	for {
		ev, line, err := d.Next()
		if err == io.EOF {
			return items, nil
		}
		if err != nil {
			return nil, err
		}
		if len(items) == maxEvents {
			return nil, fmt.Errorf("events file %s, line %d: more than 100,000 events, more than weekmap reads from one file: export a shorter date range", path, line)
		}
		items = append(items, item{ev: ev, line: line})
	}
}

// state is where a Decoder is in an array: the top-level one, or the items
// of an events.list response.
type state int

const (
	outside      state = iota // not in the array
	arrayStart                // after '[': an element or ']'
	arrayNext                 // after an element: ',' or ']'
	arrayElement              // after ',': an element
)

// Decoder reads Google Calendar v3 Event resources from JSON in the shapes
// people have, in any sequence:
//
//   - a JSON array of events;
//   - one event a line (JSON lines), or events one after the other;
//   - an events.list response, {"kind": "calendar#events", "items": [...]},
//     as the API explorer shows it or a script saves it (a response a
//     line, or an array of responses, for several pages);
//   - a single event, pretty-printed or not.
//
// It takes time and memory linear in its input: it holds one value (an
// event, or one events.list response) at a time, and counts lines as it
// consumes bytes, never from the start. Anything else stops it with one
// sentence naming the input, the line, and what was found instead.
type Decoder struct {
	name    string
	r       *reader
	started bool
	outer   state // in the top-level array, if any
	inner   state // in an events.list response's items, if any
	// respEnd is the input offset just past the response whose items are
	// being read.
	respEnd int64
	err     error // sticky: io.EOF, or why the input cannot be read
}

// NewDecoder returns a Decoder reading r; name (a path, or "standard input")
// starts every error. One value, an event or a whole events.list response,
// may be at most ingest.MaxFileSize bytes long; an array or a stream of
// lines may be longer.
func NewDecoder(name string, r io.Reader) *Decoder {
	return &Decoder{name: name, r: newReader(r, ingest.MaxFileSize)}
}

// newBytesDecoder reads data in place.
func newBytesDecoder(name string, data []byte) *Decoder {
	return &Decoder{name: name, r: newBytesReader(data)}
}

// Next returns the next event and the line it starts on, or io.EOF after the
// last one. After any other error the Decoder is done: Next returns the
// same error again.
func (d *Decoder) Next() (*calendar.Event, int, error) {
	if d.err != nil {
		return nil, 0, d.err
	}
	ev, line, err := d.next()
	d.err = err
	return ev, line, err
}

func (d *Decoder) next() (*calendar.Event, int, error) {
	for {
		var (
			ev   *calendar.Event
			line int
			err  error
		)
		switch {
		case d.inner != outside:
			ev, line, err = d.step(&d.inner, d.item)
			if d.inner == outside && err == nil {
				d.r.consume(int(d.respEnd - d.r.offset())) // the fields after items
			}
		case d.outer != outside:
			ev, line, err = d.step(&d.outer, d.object)
		default:
			c, ok := d.r.peek()
			if !ok {
				if d.r.err != io.EOF {
					return nil, 0, fmt.Errorf("read %s: %w", d.name, d.r.err)
				}
				return nil, 0, io.EOF
			}
			if !d.started {
				d.started = true
				if err := d.checkStart(); err != nil {
					return nil, 0, err
				}
				continue
			}
			switch c {
			case '[':
				d.r.consume(1)
				d.outer = arrayStart
			case '{':
				ev, line, err = d.object()
			default:
				err = d.errorf(0, "found %s where events were expected: save a JSON array of events, one event a line, or an events.list response", describe(c))
			}
		}
		if ev != nil || err != nil {
			return ev, line, err
		}
	}
}

// step takes one step in an array: past a ',' or the closing ']', or
// through one element, read by elem.
func (d *Decoder) step(st *state, elem func() (*calendar.Event, int, error)) (*calendar.Event, int, error) {
	c, ok := d.r.peek()
	if !ok {
		if d.r.err != io.EOF {
			return nil, 0, fmt.Errorf("read %s: %w", d.name, d.r.err)
		}
		return nil, 0, d.errorf(0, "the input ends inside a JSON array: is it complete?")
	}
	switch {
	case c == ']' && *st != arrayElement:
		d.r.consume(1)
		*st = outside
	case *st == arrayNext && c == ',':
		d.r.consume(1)
		*st = arrayElement
	case *st == arrayNext:
		return nil, 0, d.errorf(0, "found %s after an array element where ',' or ']' was expected", describe(c))
	case c != '{':
		return nil, 0, d.errorf(0, "found %s in an array where an event (a JSON object) was expected", describe(c))
	default:
		*st = arrayNext
		return elem()
	}
	return nil, 0, nil
}

// checkStart refuses, at the start of the input, files that are plainly
// something else, and skips a byte order mark.
func (d *Decoder) checkStart() error {
	const bom, ics, utf16LE, utf16BE = "\xef\xbb\xbf", "BEGIN:VCALENDAR", "\xff\xfe", "\xfe\xff"
	switch p, _ := d.r.startsWith(bom, ics, utf16LE, utf16BE); p {
	case bom:
		d.r.consume(len(bom)) // editors on Windows write one
	case utf16LE, utf16BE:
		return d.errorf(0, "the file is UTF-16 text: save it as UTF-8")
	case ics:
		return d.errorf(0, "this is an ICS file, not JSON: read it with a source of type ics")
	}
	return nil
}

// object is a top-level value or an element of the top-level array: an
// event, or one of the responses people save instead, told apart by their
// fields. Decoding into the embedded Event costs an event nothing extra,
// and never fails on a response, whose fields an Event does not have.
type object struct {
	calendar.Event
	Items presence        `json:"items"`
	Error json.RawMessage `json:"error"`
}

// presence records that a field is there and the first byte of its value,
// without keeping the value: a response's items are read again one by one,
// with their lines.
type presence struct {
	set   bool
	first byte
}

func (p *presence) UnmarshalJSON(b []byte) error {
	*p = presence{set: true, first: b[0]}
	return nil
}

// object reads the object at the next byte. For an events.list response it
// returns no event and no error, and has moved into the response's items.
func (d *Decoder) object() (*calendar.Event, int, error) {
	v, err := d.r.value()
	if err != nil {
		return nil, 0, d.valueError(err)
	}
	line := d.r.line
	o := new(object)
	jerr := json.Unmarshal(v, o)
	if _, ok := errors.AsType[*json.SyntaxError](jerr); ok {
		return nil, 0, d.jsonError(jerr)
	}
	switch {
	case len(o.Error) > 0 && string(o.Error) != "null":
		return nil, 0, d.errorf(0, "this is an error response from the Google Calendar API, not events: %s", apiError(o.Error))
	case o.Kind == kindCalendarList || o.Kind == kindListEntry:
		return nil, 0, d.errorf(0, "this is a calendarList response (the list of your calendars), not events: save events.list output instead")
	case o.Items.set || o.Kind == kindEvents:
		if o.Kind != "" && o.Kind != kindEvents {
			return nil, 0, d.errorf(0, "this is a %s response, not events: save events.list output instead", quote(o.Kind))
		}
		if jerr != nil {
			return nil, 0, d.jsonError(jerr)
		}
		return nil, 0, d.enterItems(len(v), o.Items)
	case o.Kind != "" && o.Kind != kindEvent:
		return nil, 0, d.errorf(0, "this is a %s resource, not an event", quote(o.Kind))
	case jerr != nil:
		return nil, 0, d.jsonError(jerr)
	}
	d.r.consume(len(v))
	return &o.Event, line, nil
}

// enterItems moves into the items of the events.list response of n bytes
// at the next byte, which is all in the window and valid JSON, so that Next
// reads them one by one with their lines. Google writes "kind" first, but a
// script may have sorted the keys: any fields may come before items.
func (d *Decoder) enterItems(n int, items presence) error {
	d.respEnd = d.r.offset() + int64(n)
	if !items.set || items.first == 'n' {
		d.r.consume(n) // no items, or "items": null: no events
		return nil
	}
	if items.first != '[' {
		return d.errorf(0, "the response's items are %s, not an array of events", describe(items.first))
	}
	d.r.consume(1) // {
	for d.r.offset() < d.respEnd {
		if c, _ := d.r.peek(); c == '}' {
			break
		}
		key, _ := d.r.value()
		var name string
		_ = json.Unmarshal(key, &name) // a key of a valid object
		d.r.consume(len(key))
		d.r.peek()
		d.r.consume(1) // :
		// encoding/json matched the key regardless of case; so does this,
		// so that both read the same items.
		if c, _ := d.r.peek(); c == '[' && strings.EqualFold(name, "items") {
			d.r.consume(1)
			d.inner = arrayStart
			return nil
		}
		val, _ := d.r.value()
		d.r.consume(len(val))
		if c, _ := d.r.peek(); c == ',' {
			d.r.consume(1)
		}
	}
	// Not reached for a response encoding/json found items in.
	return d.errorf(0, "the response's items could not be found")
}

// item reads one element of a response's items, which must be an event.
func (d *Decoder) item() (*calendar.Event, int, error) {
	v, err := d.r.value()
	if err != nil {
		return nil, 0, d.valueError(err)
	}
	line := d.r.line
	ev := new(calendar.Event)
	jerr := json.Unmarshal(v, ev)
	if _, ok := errors.AsType[*json.SyntaxError](jerr); ok {
		return nil, 0, d.jsonError(jerr)
	}
	switch {
	case ev.Kind == kindListEntry:
		return nil, 0, d.errorf(0, "this is a calendarList response (the list of your calendars), not events: save events.list output instead")
	case ev.Kind != "" && ev.Kind != kindEvent:
		return nil, 0, d.errorf(0, "found a %s resource where an event was expected", quote(ev.Kind))
	case jerr != nil:
		return nil, 0, d.jsonError(jerr)
	}
	d.r.consume(len(v))
	return ev, line, nil
}
