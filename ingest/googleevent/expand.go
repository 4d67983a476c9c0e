package googleevent

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/teambition/rrule-go"
	"github.com/weekmap/weekmap/cal"
	"google.golang.org/api/calendar/v3"
)

// maxOccurrences bounds how many occurrences of one series Expand walks
// through, counted from the series' first start. Ten years of hourly
// meetings fit; a hostile FREQ=SECONDLY rule from 1970 does not, and fails
// instead of hanging the sync.
const maxOccurrences = 100_000

// Instance id suffixes as Google writes them: the instance's original start
// in UTC, or its date for all-day series.
const (
	timedIDLayout  = "20060102T150405Z"
	allDayIDLayout = "20060102"
)

// Expand turns a recurring master (an event with recurrence lines: RRULE,
// RDATE and EXDATE as Google writes them) into the instances that overlap
// [from, to). A zero from leaves the window open to the past; to must be set.
//
// Occurrences are computed in the master's timeZone, so a weekly 09:00
// meeting stays at 09:00 local time across daylight-saving changes; all-day
// series are computed on dates. The master's own start is always the first
// instance, as in Google Calendar. Each instance has Google's id,
// "<masterid>_<YYYYMMDDTHHMMSSZ>" (all-day: "<masterid>_<YYYYMMDD>"), and
// RecurringEventID set to the master's id; everything else is copied from
// the master.
func Expand(calendarName string, master *calendar.Event, from, to time.Time) ([]cal.Event, error) {
	base, err := Map(calendarName, master)
	if err != nil {
		return nil, err
	}
	if len(master.Recurrence) == 0 {
		return nil, fmt.Errorf("event %s: not a recurring event", master.Id)
	}
	if base.Start.IsZero() {
		return nil, fmt.Errorf("event %s: recurring event has no start time", master.Id)
	}
	if to.IsZero() {
		return nil, fmt.Errorf("event %s: expansion window has no end", master.Id)
	}
	// Map put a timed start in the event's named zone, or left it at the
	// dateTime's fixed offset when there is none; all-day starts are UTC
	// midnights, so date arithmetic never meets DST.
	loc := base.Start.Location()
	set, err := recurrenceSet(master.Recurrence, loc)
	if err != nil {
		return nil, fmt.Errorf("event %s: %w", master.Id, err)
	}
	set.DTStart(base.Start)
	set.RDate(base.Start)

	length := base.End.Sub(base.Start)
	days := int(length / (24 * time.Hour))
	var out []cal.Event
	next := set.Iterator()
	for n := 0; ; n++ {
		t, ok := next()
		if !ok || !t.Before(to) {
			break
		}
		if n >= maxOccurrences {
			return nil, fmt.Errorf("event %s: recurrence has more than %d occurrences before the window ends", master.Id, maxOccurrences)
		}
		inst := instance(base, master.Id, t, length, days)
		if overlaps(inst.Start, inst.End, from, to) {
			out = append(out, inst)
		}
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
		return "", fmt.Errorf("instance of %s: no original start time", masterID)
	}
	w, err := parseWhen("original start", originalStart)
	if err != nil {
		return "", fmt.Errorf("instance of %s: %w", masterID, err)
	}
	if w.allDay {
		return masterID + "_" + w.t.Format(allDayIDLayout), nil
	}
	return masterID + "_" + w.t.UTC().Format(timedIDLayout), nil
}

// recurrenceSet parses Google's recurrence lines. Local times without TZID
// are read in loc, the master's zone.
func recurrenceSet(lines []string, loc *time.Location) (*rrule.Set, error) {
	clean := make([]string, 0, len(lines))
	for _, line := range lines {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		name, _, _ := strings.Cut(line, ":")
		name, _, _ = strings.Cut(name, ";")
		switch strings.ToUpper(name) {
		case "RRULE", "RDATE", "EXDATE":
			clean = append(clean, line)
		default:
			// Silently dropping an EXRULE would invent instances.
			return nil, fmt.Errorf("unsupported recurrence line %q: only RRULE, RDATE and EXDATE are understood", name)
		}
	}
	set, err := rrule.StrSliceToRRuleSetInLoc(clean, loc)
	if err != nil {
		return nil, fmt.Errorf("bad recurrence: %w", err)
	}
	return set, nil
}

func instance(base cal.Event, masterID string, start time.Time, length time.Duration, days int) cal.Event {
	e := base
	e.Attendees = slices.Clone(base.Attendees)
	e.Categories = slices.Clone(base.Categories)
	e.RecurringEventID = masterID
	if base.AllDay {
		e.ID = masterID + "_" + start.Format(allDayIDLayout)
		e.Start, e.End = start, start.AddDate(0, 0, days)
		e.StartDate, e.EndDate = e.Start.Format(dateLayout), e.End.Format(dateLayout)
		return e
	}
	e.ID = masterID + "_" + start.UTC().Format(timedIDLayout)
	e.Start, e.End = start, start.Add(length)
	return e
}

// overlaps reports whether [start, end) meets [from, to). A zero-length
// event is a point and counts when from <= start < to. A zero from is open.
func overlaps(start, end, from, to time.Time) bool {
	if !start.Before(to) {
		return false
	}
	if from.IsZero() {
		return true
	}
	if start.Equal(end) {
		return !start.Before(from)
	}
	return end.After(from)
}
