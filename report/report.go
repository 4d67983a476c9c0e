// Package report turns classified events into weeks — time accounting as
// the README's "How the week is counted" describes it — and renders them:
// text, CSV, JSON and Markdown here, the HTML page in report/chart and
// Prometheus metrics in report/metrics.
package report

import (
	"time"

	"github.com/weekmap/weekmap/cal"
)

// Report is the weekly report: each person's weeks and each team's. Its
// JSON encoding (MarshalJSON) is the `weekmap report --format json` output.
type Report struct {
	GeneratedAt time.Time
	Timezone    string
	Target      TargetSummary
	People      []PersonReport
	// Teams are the teams reported, in the order of the config (see
	// TeamReport).
	Teams []TeamReport
	// MinGroupSize is how many members with data a team's week needs to
	// be shown (teams.min_group_size).
	MinGroupSize int
	// Categories lists the work categories in display order (the five
	// built-in ones, then any custom ones).
	Categories []string
	// FocusCategory is the category whose time Splits divides into booked
	// and unscheduled: the one working time without events goes to
	// (accounting.unscheduled), implementation when that is none.
	FocusCategory string
	// Redacted marks a report that Redact stripped of titles and
	// attendee addresses, for sharing.
	Redacted bool
}

// TargetSummary is the target as reported.
type TargetSummary struct {
	Categories []string
	MinShare   float64
}

// PersonReport holds one person's weeks, oldest first, accounted over all
// their calendars together.
type PersonReport struct {
	Name string
	// Team is the person's team; "" for none.
	Team string
	// Calendars are the person's sources, in the order of the config.
	Calendars []string
	// Sources are the same calendars with when each last synced without
	// error, so that a reader can tell how fresh the figures are.
	Sources []SourceSync
	Weeks   []WeekReport
	// TopMeetings are the recurring meetings that took the most counted
	// time over the report's weeks, largest first (the HTML and markdown
	// outputs show them).
	TopMeetings []Meeting
	// Collaborators are the people the person shared the most meeting time
	// with over the report's weeks, by e-mail address, and Domains the
	// same by the addresses' domains; largest first. Only meetings of up
	// to eight people count: an all-hands says nothing about whom you work
	// with. A redacted report has neither.
	Collaborators []Collaborator
	Domains       []Collaborator
	// Summary totals all the weeks; Periods each month or quarter of them
	// when asked for (see Summarize).
	Summary *Summary
	Periods []Summary
}

// WeekReport is one person's ISO week.
type WeekReport struct {
	Week       string // "2026-W47"
	Start, End time.Time
	// Seconds has every work category as a key, 0 when empty.
	Seconds            Seconds
	UnscheduledSeconds int64
	TotalSeconds       int64
	// TimeOffSeconds is the working time taken by time off.
	TimeOffSeconds int64
	// NoData marks a week that is not wholly known (see Coverage.Has):
	// before the person's earliest event, or cut by a calendar's sync
	// window. Its figures are all 0: it is not an answer.
	NoData        bool
	DesignShare   *float64
	BelowTarget   bool
	EventsCounted int
	// Splits divides the week's work time by meeting size, by recurrence
	// and within the focus category; see Splits.
	Splits Splits
	// Events are the events that overlap the week, counted or not, in
	// start order: what the HTML page lists behind a number. Weeks
	// without data have none.
	Events []WeekEvent
}

// SourceSync is one of a person's calendars and how its syncs went.
type SourceSync struct {
	Name string
	// LastSuccess is when it last synced without error; zero if it never
	// has.
	LastSuccess time.Time
	// Failing is the reason its last sync failed (as in
	// weekmap_sync_errors_total), or "" if it did not.
	Failing string
	// Stale is set when the last success is older than
	// config.Server.StaleAfter at the report's generation (or there was
	// none): the report may miss the calendar's latest changes.
	Stale bool
}

// Current reports whether the calendar's data is up to date.
func (s SourceSync) Current() bool { return s.Failing == "" && !s.Stale }

// Collaborator is an attendee's address (or its domain) and the counted
// meeting time shared with them.
type Collaborator struct {
	// Key is the e-mail address or the domain, in lower case.
	Key     string
	Seconds int64
	// Meetings counts the meetings shared, an instance of a series each.
	Meetings int
}

// WeekEvent is an event as one week's accounting saw it.
type WeekEvent struct {
	Title string
	// Start and End are the event's own bounds in the report's time zone
	// (local midnights for an all-day event), not clipped to the week.
	Start, End time.Time
	AllDay     bool
	Category   string
	Rule       string
	// Seconds is the time this week credited to the event after overlaps
	// were resolved: less than its length when a higher-ranked event or
	// time off took part of it, 0 when not counted.
	Seconds int64
	// Counted says whether the event counts as work; Reason (one of the
	// Reason constants) says why not.
	Counted bool
	Reason  string
	// Off marks time off itself (category off, out of office, a holidays
	// calendar), as against an event that falls in it.
	Off bool
	// People is the number of people at the event (see Splits).
	People int
	// Series is the 1-based rank of the event's series among the person's
	// TopMeetings, 0 if it is none of them.
	Series int

	seriesID string
}

// Seconds maps category to seconds. It encodes to JSON in the category order
// of the report rather than alphabetically.
type Seconds map[string]int64

// Meeting is a recurring meeting's counted time.
type Meeting struct {
	// Title and Category are the latest instance's: titles drift over a
	// series' life and the newest is the one the owner recognises.
	Title    string
	Category string
	// Seconds is the time the series won after overlap resolution.
	Seconds int64
	// Count is how many instances were credited with time.
	Count int
}

// Classified is an event with the category and rule classify gave it.
type Classified struct {
	cal.Event
	Category string
	Rule     string
}
