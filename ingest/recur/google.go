package recur

import (
	"cmp"
	"fmt"
	"strings"
	"time"
)

// ParseRecurrence reads the recurrence lines of a Google Calendar event
// ("RRULE:FREQ=WEEKLY;BYDAY=MO", "RDATE;TZID=Europe/Berlin:20260401T150000",
// "EXDATE;VALUE=DATE:20260309") into the Series of a master that starts at
// start (a UTC midnight for an all-day master). Times without TZID or Z
// are read in start's zone; load finds the zone a TZID names.
//
// EXRULE and any other line are errors: dropping an EXRULE would invent
// instances.
func ParseRecurrence(lines []string, start time.Time, allDay bool, load func(string) (*time.Location, error)) (*Series, error) {
	s := &Series{Start: start, AllDay: allDay}
	for _, line := range lines {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		head, value, ok := strings.Cut(line, ":")
		name, params, _ := strings.Cut(head, ";")
		// An RRULE's parameters (RFC 5545 allows only extensions) do not
		// change it.
		switch name = strings.ToUpper(name); {
		case !ok:
			return nil, fmt.Errorf("bad recurrence line %q: no value", name)
		case name == "RRULE":
			s.Rules = append(s.Rules, value)
		case name == "RDATE" || name == "EXDATE":
			dates, err := parseDates(value, params, start.Location(), load)
			if err != nil {
				return nil, fmt.Errorf("bad recurrence line %s: %w", name, err)
			}
			if name == "RDATE" {
				s.RDates = append(s.RDates, dates...)
			} else {
				s.ExDates = append(s.ExDates, dates...)
			}
		default:
			return nil, fmt.Errorf("unsupported recurrence line %q: only RRULE, RDATE and EXDATE are understood", name)
		}
	}
	return s, nil
}

// parseDates reads the comma-separated values of an RDATE or EXDATE with
// its parameters (VALUE, TZID).
func parseDates(value, params string, loc *time.Location, load func(string) (*time.Location, error)) ([]Date, error) {
	kind := ""
	for p := range strings.SplitSeq(params, ";") {
		if p == "" {
			continue
		}
		k, v, _ := strings.Cut(p, "=")
		switch v = strings.Trim(v, `"`); strings.ToUpper(k) {
		case "VALUE":
			kind = strings.ToUpper(v)
		case "TZID":
			l, err := load(v)
			if err != nil {
				return nil, fmt.Errorf("unknown time zone %q", v)
			}
			loc = l
		default:
			return nil, fmt.Errorf("unsupported parameter %q", k)
		}
	}
	var out []Date
	for v := range strings.SplitSeq(value, ",") {
		d, err := parseDate(strings.TrimSpace(v), kind, loc)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

func parseDate(v, kind string, loc *time.Location) (Date, error) {
	startText, endText, period := strings.Cut(v, "/")
	if period != (kind == "PERIOD") {
		return Date{}, fmt.Errorf("%q is not a %s", v, strings.ToLower(cmp.Or(kind, "date-time")))
	}
	var d Date
	switch {
	case kind == "DATE" || kind == "" && len(startText) == 8:
		t, err := time.Parse("20060102", startText)
		if err != nil {
			return Date{}, fmt.Errorf("bad date %q", startText)
		}
		return Date{Time: t, AllDay: true}, nil
	case strings.HasSuffix(startText, "Z"):
		t, err := time.Parse("20060102T150405Z", startText)
		if err != nil {
			return Date{}, fmt.Errorf("bad date-time %q", startText)
		}
		d.Time = t
	default:
		t, err := time.ParseInLocation("20060102T150405", startText, loc)
		if err != nil {
			return Date{}, fmt.Errorf("bad date-time %q", startText)
		}
		d.Time = t
	}
	if !period {
		return d, nil
	}
	if strings.HasPrefix(endText, "P") {
		length, err := parseLength(endText)
		if err != nil {
			return Date{}, err
		}
		d.Length, d.HasLength = length, true
		return d, nil
	}
	end, err := parseDate(endText, "", loc)
	if err != nil || end.AllDay || end.Time.Before(d.Time) {
		return Date{}, fmt.Errorf("bad period %q", v)
	}
	d.Length, d.HasLength = end.Time.Sub(d.Time), true
	return d, nil
}

// parseLength reads a positive RFC 5545 duration (P1W, P1DT2H, PT15M) as
// an exact length; a period's days are 24 hours.
func parseLength(s string) (time.Duration, error) {
	rest, ok := strings.CutPrefix(s, "P")
	if !ok || rest == "" {
		return 0, fmt.Errorf("bad duration %q", s)
	}
	var d time.Duration
	inTime := false
	for rest != "" {
		if rest[0] == 'T' {
			inTime, rest = true, rest[1:]
			continue
		}
		n, i := 0, 0
		for i < len(rest) && rest[i] >= '0' && rest[i] <= '9' && n < 1e7 {
			n = n*10 + int(rest[i]-'0')
			i++
		}
		if i == 0 || i == len(rest) {
			return 0, fmt.Errorf("bad duration %q", s)
		}
		unit := map[bool]map[byte]time.Duration{
			false: {'W': 7 * 24 * time.Hour, 'D': 24 * time.Hour},
			true:  {'H': time.Hour, 'M': time.Minute, 'S': time.Second},
		}[inTime][rest[i]]
		if unit == 0 {
			return 0, fmt.Errorf("bad duration %q", s)
		}
		d += time.Duration(n) * unit
		rest = rest[i+1:]
	}
	return d, nil
}
