// Package ics is the ics source: an iCalendar (RFC 5545) file or https URL,
// as Outlook, Apple Calendar, Google Calendar and most other tools export
// them. Components are decoded with github.com/arran4/golang-ical and
// recurrences expanded by ingest/recur; this package is the glue that maps
// both to weekmap's event model.
package ics

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	ical "github.com/arran4/golang-ical"

	"github.com/weekmap/weekmap/ingest"
)

// Options tune Parse.
type Options struct {
	// Calendar is the source name stored in every event's Calendar field.
	Calendar string
	// Location reads floating times (no TZID, no Z) when the file names no
	// X-WR-TIMEZONE: weekmap's configured timezone. Nil means UTC.
	Location *time.Location
	// From and To bound recurrence expansion: instances overlapping
	// [From, To) are returned. A zero From is open; To must be set.
	From, To time.Time
	// Owners are the calendar owner's e-mail addresses. Exports do not say
	// which attendee is "me"; an attendee or organizer with one of these
	// addresses (case-insensitive) is marked Self.
	Owners []string
}

// Problem is one component that could not be read and was skipped.
type Problem struct {
	File string
	// Line is where the component begins.
	Line      int
	Component string
	// UID is the component's UID, when it was readable.
	UID string
	Err error
}

func (p *Problem) Error() string {
	uid := ""
	if p.UID != "" {
		uid = fmt.Sprintf(" (UID %s)", p.UID)
	}
	return fmt.Sprintf("%s:%d: %s%s: %v", p.File, p.Line, p.Component, uid, p.Err)
}

func (p *Problem) Unwrap() error { return p.Err }

func problemLine(err error) int {
	var p *Problem
	if errors.As(err, &p) {
		return p.Line
	}
	return 0
}

// Parse reads an iCalendar file and returns its events, recurring ones
// expanded within [opts.From, opts.To), cancelled ones left out. name is
// the file name or URL used in messages.
//
// A component that cannot be read is skipped and returned as a *Problem;
// the rest of the file is still used. A file that is not iCalendar, is
// truncated, or whose every event is broken is an error.
func Parse(name string, r io.Reader, opts Options) (events []ingest.Event, problems []error, err error) {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.To.IsZero() {
		return nil, nil, fmt.Errorf("%s: expansion window has no end", name)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	header, blocks, err := split(data)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	p := &parser{file: name, opts: opts, zones: newZones(), floating: opts.Location}
	if err := p.readHeader(header); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	var comps []*ical.ComponentBase
	var compBlocks []block
	for _, b := range blocks {
		if b.name != "VEVENT" && b.name != "VTIMEZONE" {
			continue
		}
		c, err := decodeBlock(b)
		if err != nil {
			p.problem(b, "", err)
			continue
		}
		if b.name == "VTIMEZONE" {
			if id := c.GetProperty(ical.ComponentPropertyTzid); id != nil {
				p.zones.defs[strings.TrimSpace(id.Value)] = c
			}
			continue
		}
		comps, compBlocks = append(comps, c), append(compBlocks, b)
	}
	var vs []*vevent
	for i, c := range comps {
		v, err := p.readEvent(compBlocks[i], c)
		if err != nil {
			p.problem(compBlocks[i], uidOf(c), err)
			continue
		}
		vs = append(vs, v)
	}
	if len(vs) == 0 && p.broken > 0 {
		return nil, p.problems, fmt.Errorf("%s: no event could be read: %w", name, p.problems[0])
	}
	events, errs, err := p.expandAll(vs)
	if err != nil {
		return nil, p.problems, fmt.Errorf("%s: %w", name, err)
	}
	p.problems = append(p.problems, errs...)
	slices.SortStableFunc(p.problems, func(a, b error) int { return cmp.Compare(problemLine(a), problemLine(b)) })
	return events, p.problems, nil
}

type parser struct {
	file  string
	opts  Options
	zones *zones
	// floating reads times without TZID or Z: the file's X-WR-TIMEZONE, or
	// the configured zone.
	floating *time.Location
	// wrZone is the file's X-WR-TIMEZONE, if any; UTC times are shown in it
	// and recurrences expanded in it, as Google and Apple do.
	wrZone   *time.Location
	problems []error
	broken   int
}

func (p *parser) problem(b block, uid string, err error) {
	if b.name == "VEVENT" {
		p.broken++
	}
	p.problems = append(p.problems, &Problem{File: p.file, Line: b.line, Component: b.name, UID: uid, Err: err})
}

// readHeader reads the calendar's own properties. Only X-WR-TIMEZONE
// matters to weekmap.
func (p *parser) readHeader(header string) error {
	cal, err := ical.ParseCalendar(strings.NewReader("BEGIN:VCALENDAR\r\n" + header + "END:VCALENDAR\r\n"))
	if err != nil {
		return fmt.Errorf("calendar properties: %w", err)
	}
	for _, prop := range cal.CalendarProperties {
		if strings.EqualFold(prop.IANAToken, "X-WR-TIMEZONE") && strings.TrimSpace(prop.Value) != "" {
			loc, err := p.zones.lookup(prop.Value)
			if err != nil {
				return fmt.Errorf("X-WR-TIMEZONE: %w", err)
			}
			p.wrZone, p.floating = loc, loc
		}
	}
	return nil
}

// decodeBlock decodes one component with the iCalendar library, wrapped in
// a calendar of its own so that an error in it stays in it.
func decodeBlock(b block) (c *ical.ComponentBase, err error) {
	if b.err != nil {
		return nil, b.err
	}
	defer func() {
		// The library is fuzzed upstream, but a panic on one hostile
		// component must not take the sync, or the process, down.
		if r := recover(); r != nil {
			c, err = nil, fmt.Errorf("decoder failed: %v", r)
		}
	}()
	var text bytes.Buffer
	text.WriteString("BEGIN:VCALENDAR\r\n")
	text.WriteString(b.text)
	text.WriteString("END:VCALENDAR\r\n")
	cal, err := ical.ParseCalendar(&text)
	if err != nil {
		return nil, err
	}
	if len(cal.Components) != 1 {
		return nil, errors.New("malformed component")
	}
	switch v := cal.Components[0].(type) {
	case *ical.VEvent:
		return &v.ComponentBase, nil
	case *ical.VTimezone:
		return &v.ComponentBase, nil
	}
	return nil, fmt.Errorf("unexpected component %T", cal.Components[0])
}

func uidOf(c *ical.ComponentBase) string {
	if p := c.GetProperty(ical.ComponentPropertyUniqueId); p != nil {
		return strings.TrimSpace(p.Value)
	}
	return ""
}

// when is a parsed DATE or DATE-TIME value.
type when struct {
	t        time.Time
	allDay   bool
	floating bool
}

// key identifies an occurrence: its date for all-day series, its instant
// otherwise.
func (w when) key() string {
	if w.allDay {
		return w.t.Format("20060102")
	}
	return w.t.UTC().Format("20060102T150405Z")
}

// parseWhen reads one DATE or DATE-TIME value with its property's
// parameters.
func (p *parser) parseWhen(value string, params map[string][]string) (when, error) {
	value = strings.TrimSpace(value)
	vtype := strings.ToUpper(param(params, "VALUE"))
	if vtype == "DATE" || (vtype == "" && len(value) == 8) {
		t, err := time.Parse("20060102", value)
		if err != nil {
			return when{}, fmt.Errorf("bad date %q", value)
		}
		return when{t: t, allDay: true}, nil
	}
	if strings.HasSuffix(value, "Z") {
		t, err := time.Parse("20060102T150405Z", value)
		if err != nil {
			return when{}, fmt.Errorf("bad date-time %q", value)
		}
		if p.wrZone != nil {
			t = t.In(p.wrZone)
		}
		return when{t: t}, nil
	}
	loc, floating := p.floating, p.wrZone == nil
	if tzid := param(params, "TZID"); tzid != "" {
		l, err := p.zones.lookup(tzid)
		if err != nil {
			return when{}, err
		}
		loc, floating = l, false
	}
	t, err := time.ParseInLocation("20060102T150405", value, loc)
	if err != nil {
		return when{}, fmt.Errorf("bad date-time %q", value)
	}
	return when{t: t, floating: floating}, nil
}

func param(params map[string][]string, name string) string {
	for k, v := range params {
		if strings.EqualFold(k, name) && len(v) > 0 {
			return v[0]
		}
	}
	return ""
}

// parseDuration reads an RFC 5545 dur-value (P1W, P1DT2H, -PT15M). Days
// and weeks are returned apart from the time part because a day is a
// calendar day, 23 or 25 hours across a DST change.
func parseDuration(s string) (days int, d time.Duration, err error) {
	s = strings.TrimSpace(s)
	orig := s
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg, s = s[0] == '-', s[1:]
	}
	if !strings.HasPrefix(s, "P") || len(s) < 3 {
		return 0, 0, fmt.Errorf("bad duration %q", orig)
	}
	s = s[1:]
	inTime := false
	for s != "" {
		if s[0] == 'T' {
			inTime, s = true, s[1:]
			continue
		}
		n := 0
		i := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' && n < 1e7 {
			n = n*10 + int(s[i]-'0')
			i++
		}
		if i == 0 || i == len(s) {
			return 0, 0, fmt.Errorf("bad duration %q", orig)
		}
		switch unit := s[i]; {
		case unit == 'W' && !inTime:
			days += 7 * n
		case unit == 'D' && !inTime:
			days += n
		case unit == 'H' && inTime:
			d += time.Duration(n) * time.Hour
		case unit == 'M' && inTime:
			d += time.Duration(n) * time.Minute
		case unit == 'S' && inTime:
			d += time.Duration(n) * time.Second
		default:
			return 0, 0, fmt.Errorf("bad duration %q", orig)
		}
		s = s[i+1:]
	}
	if neg {
		days, d = -days, -d
	}
	return days, d, nil
}
