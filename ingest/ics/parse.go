// Package ics is the ics source: an iCalendar (RFC 5545) file or https URL,
// as Outlook, Apple Calendar, Google Calendar and most other tools export
// them. Content lines are read here, leniently, as calendar apps read them,
// into github.com/arran4/golang-ical's component types; recurrences are
// expanded by ingest/recur. This package is the glue that maps both to
// weekmap's event model.
package ics

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"time"

	ical "github.com/arran4/golang-ical"
	"github.com/weekmap/weekmap/cal"
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
	// Logger receives, at debug level, each malformed line that was
	// dropped: file, line and property name, never the value. Nil
	// discards them.
	Logger *slog.Logger
}

// Problem is one component that could not be read and was skipped, or one
// property line over a limit that was dropped from a component that was
// still read.
type Problem struct {
	File string
	// Line is where the component begins, or the dropped property's line.
	Line      int
	Component string
	// UID is the component's UID, when it was readable.
	UID string
	// Property is set when only that property was dropped; it is "line"
	// for a line without a property name.
	Property string
	Err      error
}

func (p *Problem) Error() string {
	uid := ""
	if p.UID != "" {
		// Quoted: a UID is anyone's text, and escape sequences in it must
		// not reach a terminal.
		uid = fmt.Sprintf(" (UID %q)", p.UID)
	}
	if p.Property != "" {
		return fmt.Sprintf("%s:%d: %s%s: %s dropped: %v", p.File, p.Line, p.Component, uid, p.Property, p.Err)
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

// Result is what Read found in a file.
type Result struct {
	// Events are the file's events, recurring ones expanded.
	Events []cal.Event
	// Problems are the components skipped and the properties dropped, each
	// a *Problem, in line order.
	Problems []error
	// Attendees is set when some event lists attendees. Without
	// Options.Owners none of them is the user, so the user's declined
	// meetings count.
	Attendees bool
}

// Parse is Read for callers that need only the events and problems.
func Parse(name string, r io.Reader, opts Options) (events []cal.Event, problems []error, err error) {
	res, err := Read(name, r, opts)
	return res.Events, res.Problems, err
}

// Read reads an iCalendar file and returns its events, recurring ones
// expanded within [opts.From, opts.To), cancelled ones left out. name is
// the file name or URL used in messages.
//
// A component that cannot be read is skipped and reported as a *Problem;
// the rest of the file is still used. So is a property line over a limit,
// which is dropped; a malformed property line is dropped and logged at
// debug. A file that is not iCalendar, is truncated, or whose every event
// is broken is an error; Result then holds no events, only the problems
// found before the error, if any.
func Read(name string, r io.Reader, opts Options) (Result, error) {
	return ReadContext(context.Background(), name, r, opts)
}

// ReadContext is Read that stops when ctx is done: a large file takes
// seconds to read and expand, and a sync must end promptly at shutdown.
func ReadContext(ctx context.Context, name string, r io.Reader, opts Options) (Result, error) {
	if opts.Location == nil {
		opts.Location = time.UTC
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.To.IsZero() {
		return Result{}, fmt.Errorf("%s: expansion window has no end", name)
	}
	data, err := io.ReadAll(r)
	if err != nil {
		return Result{}, fmt.Errorf("%s: %w", name, err)
	}
	header, blocks, err := split(data)
	if err != nil {
		return Result{}, fmt.Errorf("%s: %w", name, err)
	}
	p := &parser{ctx: ctx, file: name, opts: opts, zones: newZones(), floating: opts.Location}
	if err := p.readHeader(header); err != nil {
		return Result{}, fmt.Errorf("%s: %w", name, err)
	}
	var comps []*ical.ComponentBase
	var compBlocks []block
	vevents := 0
	for i, b := range blocks {
		if err := p.check(i); err != nil {
			return Result{}, err
		}
		if b.name != "VEVENT" && b.name != "VTIMEZONE" {
			continue
		}
		if b.name == "VEVENT" {
			if vevents++; vevents > ingest.MaxFileEvents {
				return Result{}, fmt.Errorf("%s, line %d: more than 100,000 events, more than weekmap reads from one file: export a shorter date range", name, b.line)
			}
		}
		c, dropped, err := decodeBlock(b)
		if err != nil {
			p.problem(b, "", err)
			continue
		}
		if err := p.dropped(b, uidOf(c), dropped); err != nil {
			p.problem(b, uidOf(c), err)
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
	res := Result{}
	var vs []*vevent
	for i, c := range comps {
		if err := p.check(i); err != nil {
			return Result{}, err
		}
		v, err := p.readEvent(compBlocks[i], c)
		if err != nil {
			p.problem(compBlocks[i], uidOf(c), err)
			continue
		}
		vs = append(vs, v)
		res.Attendees = res.Attendees || len(v.base.Attendees) > 0
	}
	if len(vs) == 0 && p.broken != nil {
		return Result{Problems: p.problems}, fmt.Errorf("%s: no event could be read: %w", name, p.broken)
	}
	events, errs, err := p.expandAll(vs)
	if err != nil {
		return Result{Problems: p.problems}, fmt.Errorf("%s: %w", name, err)
	}
	p.problems = append(p.problems, errs...)
	slices.SortStableFunc(p.problems, func(a, b error) int { return cmp.Compare(problemLine(a), problemLine(b)) })
	res.Events, res.Problems = events, p.problems
	return res, nil
}

type parser struct {
	ctx   context.Context
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
	// broken is the first VEVENT that could not be read, if any.
	broken error
	// kept and keptAttendees count the instances emit stored and their
	// attendee entries, which expandSeries pays for.
	kept, keptAttendees int
}

// check returns ctx's error every 256th step i of a loop over the file.
func (p *parser) check(i int) error {
	if i%256 != 0 {
		return nil
	}
	return p.ctx.Err()
}

func (p *parser) problem(b block, uid string, err error) {
	prob := &Problem{File: p.file, Line: b.line, Component: b.name, UID: uid, Err: err}
	if b.name == "VEVENT" && p.broken == nil {
		p.broken = prob
	}
	p.problems = append(p.problems, prob)
}

// dropped reports the lines of b that were not read: those over a limit as
// problems, malformed ones at debug. It returns an error, which makes the
// whole event broken, when the line was a VEVENT's DTSTART or
// RECURRENCE-ID: without its start an event has no time, and an override
// without its RECURRENCE-ID would be read as a second master of its
// series, or replace it.
func (p *parser) dropped(b block, uid string, dropped []droppedLine) error {
	for _, d := range dropped {
		if b.name == "VEVENT" && (d.name == "DTSTART" || d.name == "RECURRENCE-ID") {
			return fmt.Errorf("%s on line %d: %w", d.name, d.line, d.err)
		}
	}
	for _, d := range dropped {
		p.droppedLine(b.name, uid, d)
	}
	return nil
}

func (p *parser) droppedLine(component, uid string, d droppedLine) {
	if !d.overLimit {
		p.opts.Logger.Debug("ics: malformed line dropped", "file", p.file, "line", d.line,
			"component", component, "property", d.name, "err", d.err)
		return
	}
	name := d.name
	if name == "" {
		name = "line"
	}
	p.problems = append(p.problems, &Problem{File: p.file, Line: d.line, Component: component, UID: uid, Property: name, Err: d.err})
}

// readHeader reads the calendar's own properties. Only X-WR-TIMEZONE
// matters to weekmap.
func (p *parser) readHeader(header []contentLine) error {
	for _, l := range header {
		prop, bad := parseProperty(l)
		if bad != nil {
			p.droppedLine("VCALENDAR", "", *bad)
			continue
		}
		if prop.IANAToken == "X-WR-TIMEZONE" && strings.TrimSpace(prop.Value) != "" {
			loc, err := p.zones.lookup(prop.Value)
			if err != nil {
				return fmt.Errorf("X-WR-TIMEZONE: %w", err)
			}
			p.wrZone, p.floating = loc, loc
		}
	}
	return nil
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
