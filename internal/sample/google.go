package sample

import (
	"time"

	"github.com/weekmap/weekmap/cal"
	"google.golang.org/api/calendar/v3"
)

// GoogleEvent is e as the Google Calendar API would return it, so the demo
// can serve the sample through a Calendar API stand-in and sync it with the
// real Google source.
func GoogleEvent(e *cal.Event) *calendar.Event {
	ev := &calendar.Event{
		Id:               e.ID,
		Summary:          e.Title,
		Description:      e.Description,
		Status:           e.Status,
		Transparency:     e.Transparency,
		EventType:        e.EventType,
		RecurringEventId: e.RecurringEventID,
		ColorId:          e.ColorID,
		Organizer:        &calendar.EventOrganizer{Email: e.Organizer.Email, Self: e.Organizer.Self},
	}
	if e.AllDay {
		ev.Start = &calendar.EventDateTime{Date: e.StartDate}
		ev.End = &calendar.EventDateTime{Date: e.EndDate}
	} else {
		ev.Start = &calendar.EventDateTime{DateTime: e.Start.Format(time.RFC3339), TimeZone: e.TimeZone}
		ev.End = &calendar.EventDateTime{DateTime: e.End.Format(time.RFC3339), TimeZone: e.TimeZone}
	}
	for _, a := range e.Attendees {
		ev.Attendees = append(ev.Attendees, &calendar.EventAttendee{
			Email: a.Email, Self: a.Self, ResponseStatus: a.ResponseStatus,
			Resource: a.Resource, Optional: a.Optional, Organizer: a.Organizer,
		})
	}
	return ev
}
