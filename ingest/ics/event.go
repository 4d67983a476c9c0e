package ics

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	ical "github.com/arran4/golang-ical"
	"github.com/weekmap/weekmap/cal"
)

// vevent is one decoded VEVENT: a single event, a recurring master, or an
// override of one instance (RECURRENCE-ID).
type vevent struct {
	block block
	uid   string
	start when
	// days and dur are the length: DTEND - DTSTART, or DURATION. An
	// instance ends days calendar days and then dur after its start.
	days int
	dur  time.Duration

	recurrenceID  *when
	thisAndFuture bool
	rrules        []string
	rdates        []rdate
	exdates       []when
	cancelled     bool
	sequence      int

	// base holds everything but ids and times.
	base cal.Event
}

// rdate is one RDATE value; a PERIOD carries its own length.
type rdate struct {
	when
	length    time.Duration
	hasLength bool
}

// end is where an instance starting at start ends.
func (v *vevent) end(start time.Time) time.Time {
	return start.AddDate(0, 0, v.days).Add(v.dur)
}

// readEvent reads a VEVENT's properties. Only a missing or unreadable
// DTSTART, or a bad time, duration or rule makes it a problem: everything
// else has a default.
func (p *parser) readEvent(b block, c *ical.ComponentBase) (*vevent, error) {
	v := &vevent{block: b, uid: uidOf(c)}
	if v.uid == "" {
		// Without a UID nothing links overrides to it; a hash of the
		// component keeps its id stable across syncs.
		sum := sha256.Sum256([]byte(b.text()))
		v.uid = "nouid-" + hex.EncodeToString(sum[:8])
	}
	props := map[string][]*ical.IANAProperty{}
	for i := range c.Properties {
		name := strings.ToUpper(c.Properties[i].IANAToken)
		props[name] = append(props[name], &c.Properties[i])
	}
	first := func(name string) *ical.IANAProperty {
		if ps := props[name]; len(ps) > 0 {
			return ps[0]
		}
		return nil
	}
	text := func(name string) string {
		if p := first(name); p != nil {
			return strings.TrimSpace(p.Value)
		}
		return ""
	}

	start, err := p.readSpan(v, first("DTSTART"), first("DTEND"), first("DURATION"))
	if err != nil {
		return nil, err
	}

	if rid := first("RECURRENCE-ID"); rid != nil {
		w, err := p.parseWhen(rid.Value, rid.ICalParameters)
		if err != nil {
			return nil, fmt.Errorf("RECURRENCE-ID: %w", err)
		}
		w = floatingIn(w, start)
		v.recurrenceID = &w
		v.thisAndFuture = strings.EqualFold(param(rid.ICalParameters, "RANGE"), "THISANDFUTURE")
	}
	for _, r := range props["RRULE"] {
		// Some generators write an empty RRULE on single events.
		if rule := strings.TrimSpace(r.Value); rule != "" {
			v.rrules = append(v.rrules, rule)
		}
	}
	for _, r := range props["RDATE"] {
		for val := range strings.SplitSeq(r.Value, ",") {
			rd, err := p.parseRDate(val, r.ICalParameters)
			if err != nil {
				return nil, fmt.Errorf("RDATE: %w", err)
			}
			rd.allDay = rd.allDay || start.allDay
			v.rdates = append(v.rdates, rd)
		}
	}
	for _, x := range props["EXDATE"] {
		for val := range strings.SplitSeq(x.Value, ",") {
			w, err := p.parseWhen(val, x.ICalParameters)
			if err != nil {
				return nil, fmt.Errorf("EXDATE: %w", err)
			}
			v.exdates = append(v.exdates, floatingIn(w, start))
		}
	}
	v.sequence, _ = strconv.Atoi(text("SEQUENCE"))
	v.cancelled = strings.EqualFold(text("STATUS"), "CANCELLED")
	v.base = p.mapEvent(props, text)
	return v, nil
}

func (p *parser) parseRDate(val string, params map[string][]string) (rdate, error) {
	startText, endText, isPeriod := strings.Cut(val, "/")
	w, err := p.parseWhen(startText, params)
	if err != nil || !isPeriod {
		return rdate{when: w}, err
	}
	rd := rdate{when: w, hasLength: true}
	if strings.HasPrefix(strings.TrimLeft(endText, "+-"), "P") {
		days, d, err := parseDuration(endText)
		if err != nil {
			return rdate{}, err
		}
		rd.length = w.t.AddDate(0, 0, days).Add(d).Sub(w.t)
		return rd, nil
	}
	end, err := p.parseWhen(endText, params)
	if err != nil {
		return rdate{}, err
	}
	rd.length = end.t.Sub(w.t)
	return rd, nil
}

// mapEvent maps the properties to the event model as Google spells it.
func (p *parser) mapEvent(props map[string][]*ical.IANAProperty, text func(string) string) cal.Event {
	// Titles keep their spaces: they are the user's text.
	raw := func(name string) string {
		if ps := props[name]; len(ps) > 0 {
			return ps[0].Value
		}
		return ""
	}
	e := cal.Event{
		Calendar:     p.opts.Calendar,
		Title:        raw("SUMMARY"),
		Description:  raw("DESCRIPTION"),
		Status:       cal.StatusConfirmed,
		Transparency: cal.TransparencyOpaque,
		EventType:    cal.TypeDefault,
	}
	switch strings.ToUpper(text("STATUS")) {
	case "TENTATIVE":
		e.Status = cal.StatusTentative
	case "CANCELLED":
		e.Status = cal.StatusCancelled
	}
	if strings.EqualFold(text("TRANSP"), "TRANSPARENT") {
		e.Transparency = cal.TransparencyTransparent
	}
	// Outlook's own free/busy value says more than TRANSP: "out of office"
	// exists only here.
	switch strings.ToUpper(text("X-MICROSOFT-CDO-BUSYSTATUS")) {
	case "FREE":
		e.Transparency = cal.TransparencyTransparent
	case "OOF":
		e.EventType = cal.TypeOutOfOffice
	}
	for _, c := range props["CATEGORIES"] {
		for cat := range strings.SplitSeq(c.Value, ",") {
			if cat = strings.TrimSpace(cat); cat != "" && !slices.Contains(e.Categories, cat) {
				e.Categories = append(e.Categories, cat)
			}
		}
	}
	if lm := props["LAST-MODIFIED"]; len(lm) > 0 {
		if t, err := time.Parse("20060102T150405Z", strings.TrimSpace(lm[0].Value)); err == nil {
			e.Updated = t
		}
	}
	if o := props["ORGANIZER"]; len(o) > 0 {
		e.Organizer.Email, _ = calAddress(o[0].Value)
		e.Organizer.Self = p.owner(e.Organizer.Email)
	}
	for _, a := range props["ATTENDEE"] {
		email, after := calAddress(a.Value)
		// A parameter in its place wins over one written after the ':'.
		par := func(name string) string {
			if v := param(a.ICalParameters, name); v != "" {
				return v
			}
			return param(after, name)
		}
		att := cal.Attendee{
			Email:     email,
			Self:      p.owner(email),
			Optional:  strings.EqualFold(par("ROLE"), "OPT-PARTICIPANT"),
			Organizer: email != "" && strings.EqualFold(email, e.Organizer.Email),
		}
		switch strings.ToUpper(par("CUTYPE")) {
		case "ROOM", "RESOURCE":
			att.Resource = true
		}
		switch strings.ToUpper(par("PARTSTAT")) {
		case "ACCEPTED":
			att.ResponseStatus = cal.ResponseAccepted
		case "DECLINED":
			att.ResponseStatus = cal.ResponseDeclined
		case "TENTATIVE":
			att.ResponseStatus = cal.ResponseTentative
		default:
			// NEEDS-ACTION, or no PARTSTAT, which RFC 5545 says means it.
			att.ResponseStatus = cal.ResponseNeedsAction
		}
		e.Attendees = append(e.Attendees, att)
	}
	return e
}

// calAddress turns an ORGANIZER or ATTENDEE value ("mailto:Ann@Example.com")
// into an e-mail address.
//
// Some exporters, Confluence's team calendars among them, write parameters
// after the ':', before the address ("CN=Ann;CUTYPE=INDIVIDUAL:mailto:ann@…")
// or after it ("mailto:ann@…;PARTSTAT=ACCEPTED"). Calendar apps read them as
// parameters, so weekmap does too: the address is what follows mailto: up
// to a ';', and params are the parameters found around it.
func calAddress(v string) (email string, params map[string][]string) {
	v = strings.TrimSpace(v)
	at := indexFold(v, "mailto:")
	if at < 0 {
		return v, nil
	}
	email, after, _ := strings.Cut(v[at+len("mailto:"):], ";")
	if before, ok := strings.CutSuffix(v[:at], ":"); ok {
		params = looseParams(before, params)
	}
	return strings.TrimSpace(email), looseParams(after, params)
}

// indexFold is strings.Index for an ASCII substr, ignoring case.
func indexFold(s, substr string) int {
	for i := 0; i+len(substr) <= len(s); i++ {
		if strings.EqualFold(s[i:i+len(substr)], substr) {
			return i
		}
	}
	return -1
}

// looseParams adds to params the NAME=VALUE pairs of s, separated by ';'
// outside double quotes, and skips any other text. It reads at most
// maxParams of them.
func looseParams(s string, params map[string][]string) map[string][]string {
	for n := 0; s != "" && n < maxParams; n++ {
		end, quoted := 0, false
		for ; end < len(s) && (quoted || s[end] != ';'); end++ {
			if s[end] == '"' {
				quoted = !quoted
			}
		}
		pair := s[:end]
		s = strings.TrimPrefix(s[end:], ";")
		name, value, ok := strings.Cut(pair, "=")
		if !ok || name == "" || nameLen(name) != len(name) {
			continue
		}
		if params == nil {
			params = map[string][]string{}
		}
		name = strings.ToUpper(name)
		params[name] = append(params[name], strings.Trim(value, `"`))
	}
	return params
}

func (p *parser) owner(email string) bool {
	if email == "" {
		return false
	}
	for _, o := range p.opts.Owners {
		if strings.EqualFold(strings.TrimSpace(o), email) {
			return true
		}
	}
	return false
}

// floatingIn reads a floating date-time w (no TZID, no Z) next to a zoned
// DTSTART in DTSTART's zone, as a floating DTEND is: RFC 5545 wants
// EXDATE and RECURRENCE-ID in the form of DTSTART, and a file that drops
// the TZID means the series' own wall clock, not weekmap's time zone.
func floatingIn(w, start when) when {
	if !w.floating || w.allDay || start.floating || start.allDay {
		return w
	}
	t := w.t
	w.t = time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), start.t.Location())
	w.floating = false
	return w
}
