// Package report turns classified events into weeks — time accounting per
// see README, "How the week is counted" — and renders them: text, JSON, HTML charts and Prometheus
// metrics.
package report

import (
	"time"

	"github.com/weekmap/weekmap/cal"
)

// Report is the weekly report: each person's weeks. Its JSON encoding
// (MarshalJSON) is the `weekmap report --format json` output.
type Report struct {
	GeneratedAt time.Time
	Timezone    string
	Target      TargetSummary
	People      []PersonReport
	// Categories lists the work categories in display order (the five
	// built-in ones, then any custom ones).
	Categories []string
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
	// Calendars are the person's sources, in the order of the config.
	Calendars []string
	Weeks     []WeekReport
	// TopMeetings are the recurring meetings that took the most counted
	// time over the report's weeks, largest first (the HTML and markdown
	// outputs show them).
	TopMeetings []Meeting
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
	// NoData marks a week none of the person's sources has data for:
	// before their earliest event, or outside every source's sync window.
	// Its figures are all 0: it is not an answer.
	NoData        bool
	DesignShare   *float64
	BelowTarget   bool
	EventsCounted int
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
