package ics

import (
	"bytes"
	"cmp"
	_ "embed"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	ical "github.com/arran4/golang-ical"

	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/ingest/recur"
)

//go:embed windowszones.txt
var windowsZonesData string

// windowsZone returns the IANA zone CLDR maps a Windows zone name to
// ("W. Europe Standard Time" → "Europe/Berlin"). The table is small and
// read-only, so it is scanned rather than kept in a package-level map.
func windowsZone(name string) (string, bool) {
	for line := range strings.Lines(windowsZonesData) {
		if strings.HasPrefix(line, "#") {
			continue
		}
		win, iana, ok := strings.Cut(strings.TrimRight(line, "\r\n"), "\t")
		if ok && strings.EqualFold(win, name) {
			return iana, true
		}
	}
	return "", false
}

// zones resolves the TZID parameters of one file.
type zones struct {
	// defs are the file's VTIMEZONE components by TZID.
	defs map[string]*ical.ComponentBase
	// cache holds resolved zones, and failed the reasons others could not
	// be, so that a bad TZID is reported once per event rather than once
	// per property.
	cache  map[string]*time.Location
	failed map[string]error
	// budget bounds the recurrence work of the whole file: the onsets of
	// its VTIMEZONEs here, then its events' recurrences.
	budget *recur.Budget
	// fatal is set when a VTIMEZONE exhausted the budget: the file is
	// refused.
	fatal error
}

func newZones() *zones {
	return &zones{defs: map[string]*ical.ComponentBase{}, cache: map[string]*time.Location{},
		failed: map[string]error{}, budget: recur.NewBudget()}
}

// lookup finds the zone a TZID names. An IANA name is used as it is, even
// when the file also defines it: the tz database knows the zone's history
// and the file's VTIMEZONE often does not (Outlook writes one rule for all
// years). Then come Windows names, then path-like ids such as
// "/freeassociation.sourceforge.net/Tzfile/Europe/Berlin", and last the
// file's own VTIMEZONE definition.
func (z *zones) lookup(tzid string) (*time.Location, error) {
	tzid = strings.Trim(strings.TrimSpace(tzid), `"`)
	if loc, ok := z.cache[tzid]; ok {
		return loc, nil
	}
	if err, ok := z.failed[tzid]; ok {
		return nil, err
	}
	loc, err := z.resolve(tzid)
	if err != nil {
		z.failed[tzid] = err
		return nil, err
	}
	z.cache[tzid] = loc
	return loc, nil
}

func (z *zones) resolve(tzid string) (*time.Location, error) {
	if loc := loadIANA(tzid); loc != nil {
		return loc, nil
	}
	if iana, ok := windowsZone(tzid); ok {
		if loc := loadIANA(iana); loc != nil {
			return loc, nil
		}
	}
	parts := strings.Split(strings.Trim(tzid, "/"), "/")
	for n := min(3, len(parts)-1); n >= 1; n-- {
		if loc := loadIANA(strings.Join(parts[len(parts)-n:], "/")); loc != nil {
			return loc, nil
		}
	}
	if def, ok := z.defs[tzid]; ok {
		loc, err := z.fromVTimezone(tzid, def)
		if err != nil {
			return nil, fmt.Errorf("time zone %q: %w", tzid, err)
		}
		return loc, nil
	}
	return nil, fmt.Errorf("unknown time zone %q", tzid)
}

// loadIANA loads a tz database zone. "Local" and the empty name are not
// zone names in a calendar file: they would silently mean the machine's
// zone.
func loadIANA(name string) *time.Location {
	if name == "" || strings.EqualFold(name, "local") || strings.ContainsAny(name, " \\") {
		return nil
	}
	if strings.EqualFold(name, "utc") || strings.EqualFold(name, "gmt") || strings.EqualFold(name, "z") {
		return time.UTC
	}
	loc, err := ingest.LoadLocation(name)
	if err != nil {
		return nil
	}
	return loc
}

// transition is one onset of a VTIMEZONE's STANDARD or DAYLIGHT part.
type transition struct {
	at     int64
	offset int32
	dst    bool
	name   string
}

// horizon bounds the onsets generated from a VTIMEZONE rule: the 32-bit
// TZif format ends in 2038, and weekmap only reads recent years.
var horizon = time.Date(2037, 12, 31, 0, 0, 0, 0, time.UTC)

// maxZoneOnsets bounds the onsets of one VTIMEZONE, all its STANDARD and
// DAYLIGHT parts together: yearly changes from Outlook's usual DTSTART in
// 1601 make about 870, a zone with the tz database's whole history a few
// hundred; 1,500 hostile parts from 1970 would make 100,000 and more.
const maxZoneOnsets = 10_000

// fromVTimezone builds a zone from a VTIMEZONE's STANDARD and DAYLIGHT
// parts (onsets from DTSTART, RRULE and RDATE) by writing it as TZif data,
// the only way the time package accepts a custom rule-based zone.
func (z *zones) fromVTimezone(tzid string, def *ical.ComponentBase) (*time.Location, error) {
	var ts []transition
	first := int32(0)
	firstAt := int64(1<<62 - 1)
	left := maxZoneOnsets
	tooMany := fmt.Errorf("more than %d onsets before %d", maxZoneOnsets, horizon.Year())
	for _, sub := range def.Components {
		var part *ical.ComponentBase
		dst := false
		switch c := sub.(type) {
		case *ical.Standard:
			part = &c.ComponentBase
		case *ical.Daylight:
			part, dst = &c.ComponentBase, true
		default:
			continue
		}
		from, err1 := offset(part, "TZOFFSETFROM")
		to, err2 := offset(part, "TZOFFSETTO")
		start := part.GetProperty("DTSTART")
		if err := errors.Join(err1, err2); err != nil || start == nil {
			return nil, errors.New("a part lacks DTSTART or an offset")
		}
		// Onsets are local wall-clock times in the offset before them: in
		// that fixed zone they are instants, and so is a UTC UNTIL.
		before := time.FixedZone("", int(from))
		wall, err := time.ParseInLocation("20060102T150405", start.Value, before)
		if err != nil {
			return nil, fmt.Errorf("bad DTSTART %q", start.Value)
		}
		if left <= 0 {
			return nil, tooMany
		}
		s := recur.Series{Start: wall, Limit: left}
		if rr := part.GetProperty("RRULE"); rr != nil {
			s.Rules = []string{rr.Value}
		}
		for _, rd := range part.GetProperties("RDATE") {
			for v := range strings.SplitSeq(rd.Value, ",") {
				if t, err := time.ParseInLocation("20060102T150405", v, before); err == nil {
					s.RDates = append(s.RDates, recur.Date{Time: t})
				}
			}
		}
		// A rule that never yields leaves DTSTART and the RDATEs.
		onsets, err := s.Expand(horizon, z.budget)
		switch {
		case errors.Is(err, recur.ErrBudget):
			z.fatal = fmt.Errorf("%w (stopped at time zone %q): export a shorter date range, or drop old recurring series from the file", recur.ErrBudget, tzid)
			return nil, z.fatal
		case errors.Is(err, recur.ErrTooMany):
			return nil, tooMany
		case err != nil && !errors.Is(err, recur.ErrNeverYields):
			return nil, err
		}
		if left -= len(onsets); left < 0 {
			return nil, tooMany
		}
		name := ""
		if n := part.GetProperty("TZNAME"); n != nil {
			name = n.Value
		}
		for _, o := range onsets {
			at := o.Start.Unix()
			ts = append(ts, transition{at: at, offset: to, dst: dst, name: name})
			if at < firstAt {
				firstAt, first = at, from
			}
		}
	}
	if len(ts) == 0 {
		return nil, errors.New("no STANDARD or DAYLIGHT part")
	}
	slices.SortStableFunc(ts, func(a, b transition) int { return cmp.Compare(a.at, b.at) })
	ts = slices.CompactFunc(ts, func(a, b transition) bool { return a.at == b.at })
	return time.LoadLocationFromTZData(tzid, tzif(first, ts))
}

func offset(c *ical.ComponentBase, name string) (int32, error) {
	p := c.GetProperty(ical.ComponentProperty(name))
	if p == nil {
		return 0, fmt.Errorf("no %s", name)
	}
	v := strings.TrimSpace(p.Value)
	if len(v) != 5 && len(v) != 7 || (v[0] != '+' && v[0] != '-') {
		return 0, fmt.Errorf("bad %s %q", name, v)
	}
	var parts [3]int32
	for i := 0; i*2+1 < len(v); i++ {
		a, b := v[1+2*i], v[2+2*i]
		if a < '0' || a > '9' || b < '0' || b > '9' {
			return 0, fmt.Errorf("bad %s %q", name, v)
		}
		parts[i] = int32(a-'0')*10 + int32(b-'0')
	}
	secs := parts[0]*3600 + parts[1]*60 + parts[2]
	if v[0] == '-' {
		secs = -secs
	}
	return secs, nil
}

// tzif encodes transitions as version 1 TZif data (RFC 8536): type 0 is the
// offset before the first transition; equal types are shared, so a zone
// with decades of yearly onsets still has only a handful.
func tzif(first int32, ts []transition) []byte {
	type info struct {
		off  int32
		dst  byte
		abbr byte
	}
	abbrs := []byte("LMT\x00")
	infos := []info{{off: first}}
	index := map[info]byte{infos[0]: 0}
	abbrAt := map[string]byte{"LMT": 0}
	types := make([]byte, len(ts))
	for i, t := range ts {
		name := t.name
		if name == "" || len(name) > 6 || strings.ContainsRune(name, 0) {
			name = "TZ"
		}
		at, ok := abbrAt[name]
		if !ok && len(abbrs) < 200 {
			at = byte(len(abbrs))
			abbrAt[name] = at
			abbrs = append(append(abbrs, name...), 0)
		}
		in := info{off: t.offset, abbr: at}
		if t.dst {
			in.dst = 1
		}
		idx, ok := index[in]
		if !ok && len(infos) < 255 {
			idx = byte(len(infos))
			index[in] = idx
			infos = append(infos, in)
		}
		types[i] = idx
	}
	var b bytes.Buffer
	b.WriteString("TZif")
	b.Write(make([]byte, 16))
	for _, n := range []int{0, 0, 0, len(ts), len(infos), len(abbrs)} {
		b.Write(binary.BigEndian.AppendUint32(nil, uint32(n)))
	}
	for _, t := range ts {
		b.Write(binary.BigEndian.AppendUint32(nil, uint32(int32(max(min(t.at, 1<<31-1), -1<<31)))))
	}
	b.Write(types)
	for _, in := range infos {
		b.Write(binary.BigEndian.AppendUint32(nil, uint32(in.off)))
		b.WriteByte(in.dst)
		b.WriteByte(in.abbr)
	}
	b.Write(abbrs)
	return b.Bytes()
}
