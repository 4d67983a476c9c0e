package cal

import (
	"strings"
	"time"
)

// Event is one calendar event instance, modelled on the Google Calendar v3
// Event resource. Every source (Google, ICS, JSON) maps to it, so classify and
// report never need to know where an event came from.
//
// Recurring series are stored expanded: an Event is always a single
// instance, with RecurringEventID naming its series.
type Event struct {
	// Calendar is the configured source name ("work").
	Calendar string `json:"calendar"`
	// ID is unique within Calendar. For Google it is the event id.
	ID string `json:"id"`
	// ICalUID is the event's iCalendar UID (Google's iCalUID, an ICS UID),
	// the same in every calendar the meeting is in; the instances of a
	// series share it.
	ICalUID string `json:"ical_uid,omitempty"`

	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`

	// Start and End are the instant bounds of a timed event. For an all-day
	// event they are midnight UTC of StartDate and EndDate; accounting reads
	// the dates in the configured zone instead.
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// TimeZone is the IANA zone the event was written in, if any.
	TimeZone string `json:"time_zone,omitempty"`
	// AllDay marks date-only events; StartDate and EndDate (exclusive) are
	// then set as YYYY-MM-DD.
	AllDay    bool   `json:"all_day,omitempty"`
	StartDate string `json:"start_date,omitempty"`
	EndDate   string `json:"end_date,omitempty"`

	// Status is confirmed, tentative or cancelled.
	Status string `json:"status,omitempty"`
	// Transparency is opaque (busy, the default) or transparent (free).
	Transparency string `json:"transparency,omitempty"`
	// EventType is Google's eventType: default, focusTime, outOfOffice,
	// workingLocation, birthday, fromGmail.
	EventType string `json:"event_type,omitempty"`

	Organizer        Organizer  `json:"organizer,omitzero"`
	Attendees        []Attendee `json:"attendees,omitempty"`
	RecurringEventID string     `json:"recurring_event_id,omitempty"`
	ColorID          string     `json:"color_id,omitempty"`
	// Categories holds ICS CATEGORIES values.
	Categories []string `json:"categories,omitempty"`

	// Updated is the source's last-modified time, when it has one.
	Updated time.Time `json:"updated,omitzero"`
}

// Organizer is who organizes an event.
type Organizer struct {
	Email string `json:"email,omitempty"`
	Self  bool   `json:"self,omitempty"`
}

// Attendee is one entry of an event's attendee list.
type Attendee struct {
	Email string `json:"email,omitempty"`
	// Self marks the calendar owner's own entry.
	Self bool `json:"self,omitempty"`
	// ResponseStatus is needsAction, declined, tentative or accepted.
	ResponseStatus string `json:"response_status,omitempty"`
	// Resource marks rooms and equipment; they are not people.
	Resource  bool `json:"resource,omitempty"`
	Optional  bool `json:"optional,omitempty"`
	Organizer bool `json:"organizer,omitempty"`
}

// Event statuses, transparencies, event types and response statuses as
// Google spells them.
const (
	StatusConfirmed = "confirmed"
	StatusTentative = "tentative"
	StatusCancelled = "cancelled"

	TransparencyOpaque      = "opaque"
	TransparencyTransparent = "transparent"

	TypeDefault         = "default"
	TypeFocusTime       = "focusTime"
	TypeOutOfOffice     = "outOfOffice"
	TypeWorkingLocation = "workingLocation"
	TypeBirthday        = "birthday"

	ResponseNeedsAction = "needsAction"
	ResponseDeclined    = "declined"
	ResponseTentative   = "tentative"
	ResponseAccepted    = "accepted"
)

// Duration is the event's length.
func (e *Event) Duration() time.Duration { return e.End.Sub(e.Start) }

// Recurring reports whether the event is an instance of a series.
func (e *Event) Recurring() bool { return e.RecurringEventID != "" }

// SelfAttendee returns the calendar owner's attendee entry, if present.
func (e *Event) SelfAttendee() (Attendee, bool) {
	for _, a := range e.Attendees {
		if a.Self {
			return a, true
		}
	}
	return Attendee{}, false
}

// OrganizerSelf reports whether the calendar owner organizes the event.
// An event with no organizer and no attendees is one the owner put in their
// own calendar, so it counts as theirs.
func (e *Event) OrganizerSelf() bool {
	if e.Organizer.Self {
		return true
	}
	return e.Organizer.Email == "" && len(e.Attendees) == 0
}

// MyResponse is the owner's response: their attendee entry's status, or
// accepted when they organize the event or it has no attendee list (an event
// of one's own needs no answer).
func (e *Event) MyResponse() string {
	if a, ok := e.SelfAttendee(); ok {
		if a.ResponseStatus == "" {
			return ResponseNeedsAction
		}
		return a.ResponseStatus
	}
	return ResponseAccepted
}

// People counts attendees that are people (resources excluded). An event
// without an attendee list has one person: the owner.
func (e *Event) People() int {
	n := 0
	for _, a := range e.Attendees {
		if !a.Resource {
			n++
		}
	}
	if n == 0 {
		return 1
	}
	return n
}

// HasExternal reports whether some person attending has an e-mail domain
// outside domains. Domains match exactly and case-insensitively: a guest at
// "notexample.com" or "example.com.evil" is external to "example.com".
func (e *Event) HasExternal(domains []string) bool {
	for _, a := range e.Attendees {
		if a.Resource || a.Email == "" {
			continue
		}
		at := strings.LastIndexByte(a.Email, '@')
		if at < 0 {
			continue
		}
		d := strings.ToLower(a.Email[at+1:])
		internal := false
		for _, want := range domains {
			if strings.EqualFold(d, want) {
				internal = true
				break
			}
		}
		if !internal {
			return true
		}
	}
	return false
}
