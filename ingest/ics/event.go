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

	"github.com/weekmap/weekmap/ingest"
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
	base ingest.Event
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
		sum := sha256.Sum256([]byte(b.text))
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
			v.exdates = append(v.exdates, w)
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
func (p *parser) mapEvent(props map[string][]*ical.IANAProperty, text func(string) string) ingest.Event {
	// Titles keep their spaces: they are the user's text.
	raw := func(name string) string {
		if ps := props[name]; len(ps) > 0 {
			return ps[0].Value
		}
		return ""
	}
	e := ingest.Event{
		Calendar:     p.opts.Calendar,
		Title:        raw("SUMMARY"),
		Description:  raw("DESCRIPTION"),
		Status:       ingest.StatusConfirmed,
		Transparency: ingest.TransparencyOpaque,
		EventType:    ingest.TypeDefault,
	}
	switch strings.ToUpper(text("STATUS")) {
	case "TENTATIVE":
		e.Status = ingest.StatusTentative
	case "CANCELLED":
		e.Status = ingest.StatusCancelled
	}
	if strings.EqualFold(text("TRANSP"), "TRANSPARENT") {
		e.Transparency = ingest.TransparencyTransparent
	}
	// Outlook's own free/busy value says more than TRANSP: "out of office"
	// exists only here.
	switch strings.ToUpper(text("X-MICROSOFT-CDO-BUSYSTATUS")) {
	case "FREE":
		e.Transparency = ingest.TransparencyTransparent
	case "OOF":
		e.EventType = ingest.TypeOutOfOffice
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
		e.Organizer.Email = address(o[0].Value)
		e.Organizer.Self = p.owner(e.Organizer.Email)
	}
	for _, a := range props["ATTENDEE"] {
		email := address(a.Value)
		att := ingest.Attendee{
			Email:     email,
			Self:      p.owner(email),
			Optional:  strings.EqualFold(param(a.ICalParameters, "ROLE"), "OPT-PARTICIPANT"),
			Organizer: email != "" && strings.EqualFold(email, e.Organizer.Email),
		}
		switch strings.ToUpper(param(a.ICalParameters, "CUTYPE")) {
		case "ROOM", "RESOURCE":
			att.Resource = true
		}
		switch strings.ToUpper(param(a.ICalParameters, "PARTSTAT")) {
		case "ACCEPTED":
			att.ResponseStatus = ingest.ResponseAccepted
		case "DECLINED":
			att.ResponseStatus = ingest.ResponseDeclined
		case "TENTATIVE":
			att.ResponseStatus = ingest.ResponseTentative
		default:
			// NEEDS-ACTION, or no PARTSTAT, which RFC 5545 says means it.
			att.ResponseStatus = ingest.ResponseNeedsAction
		}
		e.Attendees = append(e.Attendees, att)
	}
	return e
}

// address turns a cal-address ("mailto:Ann@Example.com") into an e-mail.
func address(v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 7 && strings.EqualFold(v[:7], "mailto:") {
		v = v[7:]
	}
	return v
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
