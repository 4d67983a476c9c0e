package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"slices"
	"time"

	"github.com/weekmap/weekmap/cal"
)

// WriteJSON writes r as SPEC section 6 shows it, indented.
func WriteJSON(w io.Writer, r Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	return nil
}

// MarshalJSON encodes the report in the shape of SPEC section 6: times in
// RFC 3339 without fractions, seconds keyed in category order with every
// category present, design_share rounded to 4 decimals.
func (r Report) MarshalJSON() ([]byte, error) {
	order := r.Categories
	if len(order) == 0 {
		order = cal.BuiltinWork()
	}
	out := jsonReport{
		GeneratedAt: rfc3339(r.GeneratedAt),
		Timezone:    r.Timezone,
		Target:      jsonTarget{Categories: nonNil(r.Target.Categories), MinShare: r.Target.MinShare},
		Calendars:   make([]jsonCalendar, 0, len(r.Calendars)),
	}
	for _, c := range r.Calendars {
		jc := jsonCalendar{Name: c.Name, Weeks: make([]jsonWeek, 0, len(c.Weeks))}
		for _, w := range c.Weeks {
			jw := jsonWeek{
				Week:               w.Week,
				Start:              rfc3339(w.Start),
				End:                rfc3339(w.End),
				Seconds:            orderedSeconds{order: order, seconds: w.Seconds},
				UnscheduledSeconds: w.UnscheduledSeconds,
				TotalSeconds:       w.TotalSeconds,
				BelowTarget:        w.BelowTarget,
				EventsCounted:      w.EventsCounted,
			}
			if w.DesignShare != nil {
				share := math.Round(*w.DesignShare*1e4) / 1e4
				jw.DesignShare = &share
			}
			jc.Weeks = append(jc.Weeks, jw)
		}
		out.Calendars = append(out.Calendars, jc)
	}
	return json.Marshal(out)
}

type jsonReport struct {
	GeneratedAt string         `json:"generated_at"`
	Timezone    string         `json:"timezone"`
	Target      jsonTarget     `json:"target"`
	Calendars   []jsonCalendar `json:"calendars"`
}

type jsonTarget struct {
	Categories []string `json:"categories"`
	MinShare   float64  `json:"min_share"`
}

type jsonCalendar struct {
	Name  string     `json:"name"`
	Weeks []jsonWeek `json:"weeks"`
}

type jsonWeek struct {
	Week               string         `json:"week"`
	Start              string         `json:"start"`
	End                string         `json:"end"`
	Seconds            orderedSeconds `json:"seconds"`
	UnscheduledSeconds int64          `json:"unscheduled_seconds"`
	TotalSeconds       int64          `json:"total_seconds"`
	DesignShare        *float64       `json:"design_share"`
	BelowTarget        bool           `json:"below_target"`
	EventsCounted      int            `json:"events_counted"`
}

// orderedSeconds encodes every category of order, 0 when missing, then any
// other keys by name (a category the configuration no longer has).
type orderedSeconds struct {
	order   []string
	seconds Seconds
}

func (o orderedSeconds) MarshalJSON() ([]byte, error) {
	keys := slices.Clone(o.order)
	var extra []string
	for k := range o.seconds {
		if !slices.Contains(keys, k) {
			extra = append(extra, k)
		}
	}
	slices.Sort(extra)
	keys = append(keys, extra...)

	var b bytes.Buffer
	b.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			b.WriteByte(',')
		}
		name, err := json.Marshal(k)
		if err != nil {
			return nil, err
		}
		b.Write(name)
		fmt.Fprintf(&b, ":%d", o.seconds[k])
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func rfc3339(t time.Time) string { return t.Format(time.RFC3339) }

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
