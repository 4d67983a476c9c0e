package googleevent

import (
	"errors"
	"fmt"
	"time"

	"google.golang.org/api/calendar/v3"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/ingest/recur"
)

// Instance id suffixes as Google writes them: the instance's original start
// in UTC, or its date for all-day series.
const (
	timedIDLayout  = "20060102T150405Z"
	allDayIDLayout = "20060102"
)

// Expand turns a recurring master (an event with recurrence lines: RRULE,
// RDATE and EXDATE as Google writes them) into the instances that overlap
// [from, to). A zero from leaves the window open to the past; to must be set.
// budget is the file's: one per file, shared by all its masters.
//
// Occurrences are computed in the master's timeZone, so a weekly 09:00
// meeting stays at 09:00 local time across daylight-saving changes; all-day
// series are computed on dates. The master's own start is always the first
// instance, as in Google Calendar. Each instance has Google's id,
// "<masterid>_<YYYYMMDDTHHMMSSZ>" (all-day: "<masterid>_<YYYYMMDD>"), and
// RecurringEventID set to the master's id; everything else is copied from
// the master.
//
// A rule that can never produce an instance, or more than
// recur.MaxOccurrences before the window's end, fails the master with an
// error for which recur.SkipsSeries is true: the caller skips the master
// and reads on. An error wrapping recur.ErrBudget means the file's masters
// together are too much work: the caller refuses the file.
func Expand(calendarName string, master *calendar.Event, from, to time.Time, budget *recur.Budget) ([]cal.Event, error) {
	base, err := Map(calendarName, master)
	if err != nil {
		return nil, err
	}
	if len(master.Recurrence) == 0 {
		return nil, fmt.Errorf("event %q: not a recurring event", master.Id)
	}
	if base.Start.IsZero() {
		return nil, fmt.Errorf("event %q: recurring event has no start time", master.Id)
	}
	if to.IsZero() {
		return nil, fmt.Errorf("event %q: expansion window has no end", master.Id)
	}
	// Map put a timed start in the event's named zone, or left it at the
	// dateTime's fixed offset when there is none; all-day starts are UTC
	// midnights, so date arithmetic never meets DST.
	series, err := recur.ParseRecurrence(master.Recurrence, base.Start, base.AllDay, ingest.LoadLocation)
	if err != nil {
		return nil, fmt.Errorf("event %q: %w", master.Id, err)
	}
	occs, err := series.Expand(to, budget)
	if errors.Is(err, recur.ErrBudget) {
		return nil, fmt.Errorf("%w (stopped at event %q): export a shorter date range, or drop old recurring events from the file", err, master.Id)
	}
	if err != nil {
		return nil, fmt.Errorf("event %q: %w", master.Id, err)
	}
	length := base.End.Sub(base.Start)
	days := int(length / (24 * time.Hour))
	var kept []recur.Occurrence
	for _, o := range occs {
		if start, end := span(base, o, length, days); cal.Overlaps(start, end, from, to) {
			kept = append(kept, o)
		}
	}
	// The instances are paid for, as they will be stored, before they are
	// made.
	if err := budget.Keep(len(kept), len(kept)*len(base.Attendees)); err != nil {
		return nil, fmt.Errorf("%w (stopped at event %q): export a shorter date range, or drop old recurring events from the file", err, master.Id)
	}
	out := make([]cal.Event, 0, len(kept))
	for _, o := range kept {
		out = append(out, instance(base, master.Id, o, length, days))
	}
	return out, nil
}

// InstanceID returns the id Google gives the instance of series masterID
// that originally started at originalStart (an event's originalStartTime).
// An override in a listing carries that originalStartTime, which is how it
// finds the expanded instance it replaces.
func InstanceID(masterID string, originalStart *calendar.EventDateTime) (string, error) {
	if masterID == "" {
		return "", errors.New("instance id: no series id")
	}
	if !hasTime(originalStart) {
		return "", fmt.Errorf("instance of %q: no original start time", masterID)
	}
	w, err := parseWhen("original start", originalStart)
	if err != nil {
		return "", fmt.Errorf("instance of %q: %w", masterID, err)
	}
	if w.allDay {
		return masterID + "_" + w.t.Format(allDayIDLayout), nil
	}
	return masterID + "_" + w.t.UTC().Format(timedIDLayout), nil
}

// span is when the master's occurrence o happens: it lasts as long as the
// master (all-day: as many days), or as its RDATE period.
func span(base cal.Event, o recur.Occurrence, length time.Duration, days int) (start, end time.Time) {
	if o.HasLength {
		length, days = o.Length, int(o.Length/(24*time.Hour))
	}
	if base.AllDay {
		return o.Start, o.Start.AddDate(0, 0, days)
	}
	return o.Start, o.Start.Add(length)
}

// instance is the master's occurrence o.
func instance(base cal.Event, masterID string, o recur.Occurrence, length time.Duration, days int) cal.Event {
	start, end := span(base, o, length, days)
	e := base
	// The instances share the master's attendee list and categories
	// (read-only from here on): a master with a long list would otherwise
	// be copied into memory once per instance.
	e.Attendees = base.Attendees
	e.Categories = base.Categories
	e.RecurringEventID = masterID
	e.Start, e.End = start, end
	if base.AllDay {
		e.ID = masterID + "_" + start.Format(allDayIDLayout)
		e.StartDate, e.EndDate = e.Start.Format(dateLayout), e.End.Format(dateLayout)
		return e
	}
	e.ID = masterID + "_" + start.UTC().Format(timedIDLayout)
	return e
}
