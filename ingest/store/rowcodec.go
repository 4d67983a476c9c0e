package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/weekmap/weekmap/cal"
)

// The events table's data column holds one Event. Rows written before
// schema version 3 are JSON objects (they start with '{'); rows written
// since are rowFormat1, a compact binary encoding that decodes about twenty
// times faster than encoding/json (BenchmarkDecodeRow), and decoding was
// most of what reading a year of events cost (docs/PERFORMANCE.md). Both
// are read; only rowFormat1 is written.
//
// rowFormat1 is the byte 0x01, then the fields of Event in the order
// appendRow writes them: strings as a uvarint length and the bytes;
// booleans together in one flag byte; times as the byte 1, a varint of
// Unix seconds, a uvarint of nanoseconds and a varint of the zone offset
// in seconds (a zero time is the byte 0 alone); lists as a uvarint count
// and the items. Changing it means a new format byte: rows already written
// must stay readable.
//
// rowFormat2 is rowFormat1 with ICalUID after the last field; format 1
// rows read with an empty ICalUID (the next full sync of the source writes
// them again).
const (
	rowFormat1 = 0x01
	rowFormat2 = 0x02
)

// A time starts with one of these.
const (
	zeroTime = 0
	someTime = 1
)

// Event flag bits.
const (
	flagAllDay = 1 << iota
	flagOrganizerSelf
)

// Attendee flag bits.
const (
	flagSelf = 1 << iota
	flagResource
	flagOptional
	flagOrganizer
)

// appendRow appends e in rowFormat2 to b.
func appendRow(b []byte, e *cal.Event) []byte {
	b = append(b, rowFormat2)
	b = appendString(b, e.Calendar)
	b = appendString(b, e.ID)
	b = appendString(b, e.Title)
	b = appendString(b, e.Description)
	b = appendTime(b, e.Start)
	b = appendTime(b, e.End)
	b = appendString(b, e.TimeZone)
	b = appendString(b, e.StartDate)
	b = appendString(b, e.EndDate)
	b = appendString(b, e.Status)
	b = appendString(b, e.Transparency)
	b = appendString(b, e.EventType)
	b = appendString(b, e.Organizer.Email)
	b = append(b, packFlags(e.AllDay, e.Organizer.Self))
	b = binary.AppendUvarint(b, uint64(len(e.Attendees)))
	for i := range e.Attendees {
		a := &e.Attendees[i]
		b = appendString(b, a.Email)
		b = appendString(b, a.ResponseStatus)
		b = append(b, packFlags(a.Self, a.Resource, a.Optional, a.Organizer))
	}
	b = appendString(b, e.RecurringEventID)
	b = appendString(b, e.ColorID)
	b = binary.AppendUvarint(b, uint64(len(e.Categories)))
	for _, c := range e.Categories {
		b = appendString(b, c)
	}
	b = appendTime(b, e.Updated)
	return appendString(b, e.ICalUID)
}

// packFlags sets bit i of its answer when bools[i] is true, in the order
// of the flag constants above.
func packFlags(bools ...bool) byte {
	var f byte
	for i, set := range bools {
		if set {
			f |= 1 << i
		}
	}
	return f
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendTime(b []byte, t time.Time) []byte {
	if t.IsZero() {
		return append(b, zeroTime)
	}
	_, offset := t.Zone()
	b = append(b, someTime)
	b = binary.AppendVarint(b, t.Unix())
	b = binary.AppendUvarint(b, uint64(t.Nanosecond()))
	return binary.AppendVarint(b, int64(offset))
}

// errRow is what every malformed row is.
var errRow = errors.New("malformed event row")

// rowReader decodes one rowFormat1 row b. Its strings are substrings of s,
// one copy of b, so a row costs one allocation for its text. After the
// first error every read returns a zero value and err stays set.
type rowReader struct {
	b   []byte
	s   string
	off int
	err error
}

func (r *rowReader) uvarint() uint64 {
	if r.err != nil {
		return 0
	}
	x, n := binary.Uvarint(r.b[r.off:])
	if n <= 0 {
		r.err = errRow
		return 0
	}
	r.off += n
	return x
}

func (r *rowReader) varint() int64 {
	if r.err != nil {
		return 0
	}
	x, n := binary.Varint(r.b[r.off:])
	if n <= 0 {
		r.err = errRow
		return 0
	}
	r.off += n
	return x
}

func (r *rowReader) byte() byte {
	if r.err != nil {
		return 0
	}
	if r.off >= len(r.s) {
		r.err = errRow
		return 0
	}
	r.off++
	return r.s[r.off-1]
}

func (r *rowReader) string() string {
	n := r.uvarint()
	if r.err != nil {
		return ""
	}
	if n > uint64(len(r.s)-r.off) {
		r.err = errRow
		return ""
	}
	s := r.s[r.off : r.off+int(n)]
	r.off += int(n)
	return s
}

// count reads a list length; each item takes at least min bytes, so a
// length the rest of the row cannot hold is an error, not an allocation.
func (r *rowReader) count(min int) int {
	n := r.uvarint()
	if r.err == nil && n > uint64((len(r.s)-r.off)/min) {
		r.err = errRow
	}
	if r.err != nil {
		return 0
	}
	return int(n)
}

func (r *rowReader) time() time.Time {
	switch r.byte() {
	case zeroTime:
		return time.Time{}
	case someTime:
	default:
		r.err = errRow
		return time.Time{}
	}
	sec := r.varint()
	nsec := r.uvarint()
	offset := r.varint()
	if r.err != nil {
		return time.Time{}
	}
	if nsec >= uint64(time.Second) || offset <= math.MinInt32 || offset > math.MaxInt32 {
		r.err = errRow
		return time.Time{}
	}
	t := time.Unix(sec, int64(nsec))
	if offset == 0 {
		return t.UTC()
	}
	return t.In(time.FixedZone("", int(offset)))
}

// decodeRow decodes a data column written by appendRow or, for rows from
// older stores, as JSON.
func decodeRow(data []byte, e *cal.Event) error {
	if len(data) > 0 && data[0] == '{' {
		return decodeJSONRow(data, e)
	}
	if len(data) == 0 || data[0] != rowFormat1 && data[0] != rowFormat2 {
		return errRow
	}
	r := rowReader{b: data, s: string(data), off: 1}
	*e = cal.Event{
		Calendar:    r.string(),
		ID:          r.string(),
		Title:       r.string(),
		Description: r.string(),
		Start:       r.time(),
		End:         r.time(),
		TimeZone:    r.string(),
	}
	e.StartDate = r.string()
	e.EndDate = r.string()
	e.Status = r.string()
	e.Transparency = r.string()
	e.EventType = r.string()
	e.Organizer.Email = r.string()
	flags := r.byte()
	e.AllDay = flags&flagAllDay != 0
	e.Organizer.Self = flags&flagOrganizerSelf != 0
	if n := r.count(3); n > 0 {
		e.Attendees = make([]cal.Attendee, n)
		for i := range e.Attendees {
			a := &e.Attendees[i]
			a.Email = r.string()
			a.ResponseStatus = r.string()
			f := r.byte()
			a.Self = f&flagSelf != 0
			a.Resource = f&flagResource != 0
			a.Optional = f&flagOptional != 0
			a.Organizer = f&flagOrganizer != 0
		}
	}
	e.RecurringEventID = r.string()
	e.ColorID = r.string()
	if n := r.count(1); n > 0 {
		e.Categories = make([]string, n)
		for i := range e.Categories {
			e.Categories[i] = r.string()
		}
	}
	e.Updated = r.time()
	if data[0] == rowFormat2 {
		e.ICalUID = r.string()
	}
	if r.err == nil && r.off != len(r.s) {
		r.err = errRow
	}
	if r.err != nil {
		*e = cal.Event{}
		return fmt.Errorf("%w (%d bytes, stopped at byte %d)", r.err, len(r.s), r.off)
	}
	return nil
}
