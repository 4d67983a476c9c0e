package config

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// Span is a length of time written in days or weeks: "14d", "26w".
type Span time.Duration

var spanRE = regexp.MustCompile(`^([0-9]+)([dw])$`)

func (s *Span) parseScalar(v string) error {
	m := spanRE.FindStringSubmatch(strings.TrimSpace(v))
	if m == nil {
		return fmt.Errorf("%q is not a span: use a whole number of days or weeks, like 14d or 26w", v)
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n > 520*7 {
		return fmt.Errorf("%q is longer than ten years", v)
	}
	day := 24 * time.Hour
	if m[2] == "w" {
		day *= 7
	}
	*s = Span(time.Duration(n) * day)
	return nil
}

// String writes the span as the config does: "26w", or "3d".
func (s Span) String() string {
	d := time.Duration(s)
	week := 7 * 24 * time.Hour
	if d%week == 0 {
		return strconv.FormatInt(int64(d/week), 10) + "w"
	}
	return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"
}

// Clock is a time of day in minutes after midnight, written "09:00".
// "24:00" is midnight at the end of the day, for working hours that run
// to it.
type Clock int

func (c *Clock) parseScalar(v string) error {
	if v == "24:00" {
		*c = 24 * 60
		return nil
	}
	bad := fmt.Errorf("%q is not a time of day like \"09:00\"", v)
	if len(v) != 5 || v[2] != ':' {
		return bad
	}
	for _, i := range []int{0, 1, 3, 4} {
		if v[i] < '0' || v[i] > '9' {
			return bad
		}
	}
	h, m := int(v[0]-'0')*10+int(v[1]-'0'), int(v[3]-'0')*10+int(v[4]-'0')
	if h > 23 || m > 59 {
		return bad
	}
	*c = Clock(h*60 + m)
	return nil
}

// String writes the time as the config does: "09:00".
func (c Clock) String() string { return fmt.Sprintf("%02d:%02d", int(c)/60, int(c)%60) }

// loadZone loads an IANA zone. "Local" and "" are refused: they would
// silently mean the machine's zone, which a server may not share with its
// user.
func loadZone(name string) (*time.Location, error) {
	if name == "" || name == "Local" {
		return nil, fmt.Errorf("%q is not an IANA time zone like Europe/Berlin", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("%q is not an IANA time zone like Europe/Berlin: %w", name, err)
	}
	return loc, nil
}
