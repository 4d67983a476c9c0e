// Package googleevent maps Google Calendar v3 Event resources to
// cal.Event and expands recurring masters into instances. The google and
// json sources share it, so an event means the same whichever way it came in.
package googleevent

import (
	"errors"
	"fmt"
	"time"

	"google.golang.org/api/calendar/v3"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/ingest"
)

const dateLayout = "2006-01-02"

// Map converts one Google Calendar event to an cal.Event of calendarName.
//
// Timed events take their instants from dateTime, shown in timeZone when
// Google names one. All-day events keep their dates in StartDate and
// EndDate (exclusive) and have Start and End at those dates' UTC midnights.
// A missing end makes a timed event zero-length and an all-day event one
// day long. A cancelled event may lack times altogether (Google sends only
// the id of a deleted instance); its Start and End are then zero.
//
// Errors name the event id, quoted so that escape sequences in it cannot
// reach a terminal, and never its title: both come from whoever sent the
// invitation.
func Map(calendarName string, ev *calendar.Event) (cal.Event, error) {
	if ev == nil {
		return cal.Event{}, errors.New("map event: no event")
	}
	if ev.Id == "" {
		return cal.Event{}, errors.New("map event: event has no id")
	}
	e := cal.Event{
		Calendar:         calendarName,
		ID:               ev.Id,
		ICalUID:          ev.ICalUID,
		Title:            ev.Summary,
		Description:      ev.Description,
		Status:           orDefault(ev.Status, cal.StatusConfirmed),
		Transparency:     orDefault(ev.Transparency, cal.TransparencyOpaque),
		EventType:        orDefault(ev.EventType, cal.TypeDefault),
		RecurringEventID: ev.RecurringEventId,
		ColorID:          ev.ColorId,
	}
	if ev.Organizer != nil {
		e.Organizer = cal.Organizer{Email: ev.Organizer.Email, Self: ev.Organizer.Self}
	}
	for _, a := range ev.Attendees {
		if a == nil {
			continue
		}
		e.Attendees = append(e.Attendees, cal.Attendee{
			Email:          a.Email,
			Self:           a.Self,
			ResponseStatus: a.ResponseStatus,
			Resource:       a.Resource,
			Optional:       a.Optional,
			Organizer:      a.Organizer,
		})
	}
	if ev.Updated != "" {
		u, err := time.Parse(time.RFC3339Nano, ev.Updated)
		if err != nil {
			return cal.Event{}, fmt.Errorf("event %q: updated %q is not an RFC 3339 time", ev.Id, ev.Updated)
		}
		e.Updated = u
	}
	if err := setTimes(&e, ev); err != nil {
		return cal.Event{}, fmt.Errorf("event %q: %w", ev.Id, err)
	}
	return e, nil
}

func setTimes(e *cal.Event, ev *calendar.Event) error {
	if !hasTime(ev.Start) {
		if e.Status == cal.StatusCancelled && !hasTime(ev.End) {
			return nil
		}
		return errors.New("no start time")
	}
	start, err := parseWhen("start", ev.Start)
	if err != nil {
		return err
	}
	e.TimeZone = start.zone
	if start.allDay {
		end := start
		end.t = start.t.AddDate(0, 0, 1)
		if hasTime(ev.End) {
			if end, err = parseWhen("end", ev.End); err != nil {
				return err
			}
			if !end.allDay {
				return errors.New("start is a date but end is a date-time")
			}
		}
		if !end.t.After(start.t) {
			return fmt.Errorf("all-day end %s is not after start %s", end.t.Format(dateLayout), start.t.Format(dateLayout))
		}
		e.AllDay = true
		e.Start, e.End = start.t, end.t
		e.StartDate, e.EndDate = start.t.Format(dateLayout), end.t.Format(dateLayout)
		return nil
	}
	end := start
	if hasTime(ev.End) {
		if end, err = parseWhen("end", ev.End); err != nil {
			return err
		}
		if end.allDay {
			return errors.New("start is a date-time but end is a date")
		}
	}
	if end.t.Before(start.t) {
		return fmt.Errorf("end %s is before start %s", end.t.Format(time.RFC3339), start.t.Format(time.RFC3339))
	}
	e.Start, e.End = start.t, end.t
	return nil
}

// when is a parsed EventDateTime.
type when struct {
	t      time.Time
	allDay bool
	// zone is the IANA zone Google named, if this Go knows it.
	zone string
	loc  *time.Location
}

func hasTime(d *calendar.EventDateTime) bool {
	return d != nil && (d.DateTime != "" || d.Date != "")
}

func parseWhen(which string, d *calendar.EventDateTime) (when, error) {
	var w when
	if d.TimeZone != "" {
		// An unknown zone name (Google has used a few non-IANA aliases) is
		// not fatal: the dateTime's own offset still gives the instant.
		if loc, err := ingest.LoadLocation(d.TimeZone); err == nil {
			w.zone, w.loc = d.TimeZone, loc
		}
	}
	if d.DateTime != "" {
		t, err := time.Parse(time.RFC3339Nano, d.DateTime)
		if err != nil {
			return w, fmt.Errorf("%s dateTime %q is not an RFC 3339 time", which, d.DateTime)
		}
		if w.loc != nil {
			t = t.In(w.loc)
		}
		w.t = t
		return w, nil
	}
	t, err := time.Parse(dateLayout, d.Date)
	if err != nil {
		return w, fmt.Errorf("%s date %q is not a YYYY-MM-DD date", which, d.Date)
	}
	w.t, w.allDay = t, true
	return w, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
