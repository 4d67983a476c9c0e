// Package report turns classified events into weeks — time accounting per
// SPEC section 5 — and renders them: text, JSON, HTML charts and Prometheus
// metrics.
package report

import (
	"time"

	"github.com/weekmap/weekmap/ingest"
)

// Report is the weekly report of SPEC section 6. Its JSON encoding is the
// `weekmap report --format json` output.
type Report struct {
	GeneratedAt time.Time        `json:"generated_at"`
	Timezone    string           `json:"timezone"`
	Target      TargetSummary    `json:"target"`
	Calendars   []CalendarReport `json:"calendars"`
	// Categories lists the work categories in display order (the five
	// built-in ones, then any custom ones). Not part of the JSON shape.
	Categories []string `json:"-"`
}

// TargetSummary is the target as reported.
type TargetSummary struct {
	Categories []string `json:"categories"`
	MinShare   float64  `json:"min_share"`
}

// CalendarReport holds one calendar's weeks, oldest first.
type CalendarReport struct {
	Name  string       `json:"name"`
	Weeks []WeekReport `json:"weeks"`
	// TopMeetings are the recurring meetings that took the most counted
	// time over the report's weeks, largest first. Not in the JSON shape;
	// used by the HTML and markdown outputs.
	TopMeetings []Meeting `json:"-"`
}

// WeekReport is one calendar's ISO week.
type WeekReport struct {
	Week  string    `json:"week"` // "2026-W47"
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
	// Seconds has every work category as a key, 0 when empty.
	Seconds            Seconds  `json:"seconds"`
	UnscheduledSeconds int64    `json:"unscheduled_seconds"`
	TotalSeconds       int64    `json:"total_seconds"`
	DesignShare        *float64 `json:"design_share"`
	BelowTarget        bool     `json:"below_target"`
	EventsCounted      int      `json:"events_counted"`
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
	ingest.Event
	Category string
	Rule     string
}
