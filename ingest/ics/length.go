package ics

import (
	"errors"
	"fmt"
	"time"

	ical "github.com/arran4/golang-ical"
)

// readSpan reads an event's DTSTART and its length (DTEND, DURATION or the
// default) into v, and returns the start.
//
// RFC 5545 wants DTEND of DTSTART's value type and later than it (3.8.2.2),
// and the DURATION of a DATE DTSTART in whole days or weeks (3.8.2.5).
// Files that break this are read the way calendar apps and the reference
// expander read them, since the RFC says nothing of them: a time of day on
// either side makes the event timed (a DATE is then its midnight), a
// floating time beside a zoned one is read in that zone, and an end before
// the start is a swapped pair (so a negative DURATION reaches back from
// DTSTART).
func (p *parser) readSpan(v *vevent, dtstart, dtend, duration *ical.IANAProperty) (when, error) {
	if dtstart == nil {
		return when{}, errors.New("no DTSTART")
	}
	start, err := p.parseWhen(dtstart.Value, dtstart.ICalParameters)
	if err != nil {
		return when{}, fmt.Errorf("DTSTART: %w", err)
	}
	switch {
	case dtend != nil:
		end, err := p.parseWhen(dtend.Value, dtend.ICalParameters)
		if err != nil {
			return when{}, fmt.Errorf("DTEND: %w", err)
		}
		start, end = align(start, end)
		if end.t.Before(start.t) {
			start, end = end, start
		}
		if start.allDay {
			v.days = int(end.t.Sub(start.t).Round(24*time.Hour) / (24 * time.Hour))
		} else {
			v.dur = end.t.Sub(start.t)
		}
	case duration != nil:
		// Days and the time part stay apart: an instance lasts so many
		// calendar days (23 or 25 hours across a DST change), then the rest.
		if v.days, v.dur, err = parseDuration(duration.Value); err != nil {
			return when{}, fmt.Errorf("DURATION: %w", err)
		}
		if start.allDay && v.dur != 0 {
			start = when{t: midnight(start.t, p.floating), floating: p.wrZone == nil}
		}
		if end := start.t.AddDate(0, 0, v.days).Add(v.dur); end.Before(start.t) {
			start.t, v.days, v.dur = end, -v.days, -v.dur
		}
	case start.allDay:
		v.days = 1
	}
	v.start = start
	return start, nil
}

// align makes the two ends of an event alike when a file mixes value
// types: a DATE beside a DATE-TIME stands for that date's midnight in the
// other's zone, and a floating time beside a zoned one is read in that
// zone.
func align(start, end when) (when, when) {
	switch {
	case start.allDay && !end.allDay:
		start = when{t: midnight(start.t, end.t.Location()), floating: end.floating}
	case end.allDay && !start.allDay:
		end = when{t: midnight(end.t, start.t.Location()), floating: start.floating}
	}
	switch {
	case start.floating && !end.floating:
		start = when{t: sameClock(start.t, end.t.Location())}
	case end.floating && !start.floating:
		end = when{t: sameClock(end.t, start.t.Location())}
	}
	return start, end
}

func midnight(t time.Time, loc *time.Location) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, loc)
}

// sameClock is t's wall-clock time in loc.
func sameClock(t time.Time, loc *time.Location) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), loc)
}
