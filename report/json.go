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

// WriteJSON writes r in the shape docs/report-json.md describes, indented.
func WriteJSON(w io.Writer, r Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("write json report: %w", err)
	}
	return nil
}

// MarshalJSON encodes the report as `weekmap report --format json` prints
// it (docs/report-json.md): times in RFC 3339 without fractions, seconds
// keyed in category order with every category present, shares rounded to 4
// decimals. It holds no titles; recurring series are named by category.
// Attendee addresses are there only when the report is not redacted.
func (r Report) MarshalJSON() ([]byte, error) {
	order := r.Categories
	if len(order) == 0 {
		order = cal.BuiltinWork()
	}
	out := jsonReport{
		GeneratedAt:   rfc3339(r.GeneratedAt),
		Timezone:      r.Timezone,
		Target:        jsonTarget{Categories: nonNil(r.Target.Categories), MinShare: r.Target.MinShare},
		FocusCategory: r.FocusCategory,
		Redacted:      r.Redacted,
		People:        make([]jsonPerson, 0, len(r.People)),
		MinGroupSize:  r.MinGroupSize,
		Teams:         make([]jsonTeam, 0, len(r.Teams)),
	}
	for _, t := range r.Teams {
		out.Teams = append(out.Teams, jsonTeamOf(t, order))
	}
	for _, p := range r.People {
		jp := jsonPerson{
			Name: p.Name, Team: nilIfEmpty(p.Team), Calendars: nonNil(p.Calendars), Sources: make([]jsonSource, 0, len(p.Sources)),
			Weeks: make([]jsonWeek, 0, len(p.Weeks)), TopRecurring: make([]jsonSeries, 0, len(p.TopMeetings)),
		}
		for _, s := range p.Sources {
			js := jsonSource{Name: s.Name, Stale: s.Stale}
			if s.Failing != "" {
				js.Failing = &s.Failing
			}
			if !s.LastSuccess.IsZero() {
				last := rfc3339(s.LastSuccess)
				js.LastSuccess = &last
			}
			jp.Sources = append(jp.Sources, js)
		}
		for _, m := range p.TopMeetings {
			jp.TopRecurring = append(jp.TopRecurring, jsonSeries{Category: m.Category, Seconds: m.Seconds, Count: m.Count})
		}
		if !r.Redacted {
			jp.Collaborators = jsonCollaborators(p.Collaborators, false)
			jp.Domains = jsonCollaborators(p.Domains, true)
		}
		for _, w := range p.Weeks {
			jp.Weeks = append(jp.Weeks, jsonWeek{
				Week:               w.Week,
				Start:              rfc3339(w.Start),
				End:                rfc3339(w.End),
				Seconds:            orderedSeconds{order: order, seconds: w.Seconds},
				UnscheduledSeconds: w.UnscheduledSeconds,
				TotalSeconds:       w.TotalSeconds,
				TimeOffSeconds:     w.TimeOffSeconds,
				NoData:             w.NoData,
				DesignShare:        round4(w.DesignShare),
				BelowTarget:        w.BelowTarget,
				EventsCounted:      w.EventsCounted,
				Splits:             jsonSplitsOf(w.Splits),
			})
		}
		if p.Summary != nil {
			s := jsonSummary(*p.Summary, order)
			jp.Summary = &s
		}
		for _, s := range p.Periods {
			jp.Periods = append(jp.Periods, jsonSummary(s, order))
		}
		out.People = append(out.People, jp)
	}
	return json.Marshal(out)
}

func round4(share *float64) *float64 {
	if share == nil {
		return nil
	}
	v := math.Round(*share*1e4) / 1e4
	return &v
}

func jsonSummary(s Summary, order []string) jsonPeriod {
	return jsonPeriod{
		Label: s.Label, Weeks: s.Weeks, WeeksWithData: s.WeeksWithData, WeeksBelowTarget: s.WeeksBelow,
		Seconds:            orderedSeconds{order: order, seconds: s.Seconds},
		UnscheduledSeconds: s.UnscheduledSeconds, TotalSeconds: s.TotalSeconds, TimeOffSeconds: s.TimeOffSeconds,
		DesignShare: round4(s.DesignShare), BelowTarget: s.BelowTarget,
		Splits: jsonSplitsOf(s.Splits),
	}
}

func jsonSplitsOf(s Splits) jsonSplits {
	return jsonSplits{
		OneOnOne: s.OneOnOneSeconds, SmallGroup: s.SmallGroupSeconds, LargeGroup: s.LargeGroupSeconds, Solo: s.SoloSeconds,
		Recurring: s.RecurringSeconds, OneOff: s.OneOffSeconds, FocusBooked: s.FocusBookedSeconds,
	}
}

// jsonCollaborators lists people (by address) or domains; never nil, so
// that an unredacted report always has the key.
func jsonCollaborators(cs []Collaborator, domains bool) []jsonCollaborator {
	out := make([]jsonCollaborator, 0, len(cs))
	for _, c := range cs {
		jc := jsonCollaborator{Seconds: c.Seconds, Meetings: c.Meetings}
		if domains {
			jc.Domain = c.Key
		} else {
			jc.Address = c.Key
		}
		out = append(out, jc)
	}
	return out
}

type jsonReport struct {
	GeneratedAt   string       `json:"generated_at"`
	Timezone      string       `json:"timezone"`
	Target        jsonTarget   `json:"target"`
	FocusCategory string       `json:"focus_category"`
	Redacted      bool         `json:"redacted"`
	People        []jsonPerson `json:"people"`
	MinGroupSize  int          `json:"min_group_size"`
	Teams         []jsonTeam   `json:"teams"`
}

type jsonTarget struct {
	Categories []string `json:"categories"`
	MinShare   float64  `json:"min_share"`
}

type jsonPerson struct {
	Name          string             `json:"name"`
	Team          *string            `json:"team"`
	Calendars     []string           `json:"calendars"`
	Sources       []jsonSource       `json:"sources"`
	Weeks         []jsonWeek         `json:"weeks"`
	Summary       *jsonPeriod        `json:"summary,omitempty"`
	Periods       []jsonPeriod       `json:"periods,omitempty"`
	TopRecurring  []jsonSeries       `json:"top_recurring"`
	Collaborators []jsonCollaborator `json:"collaborators,omitzero"`
	Domains       []jsonCollaborator `json:"domains,omitzero"`
}

type jsonSource struct {
	Name        string  `json:"name"`
	LastSuccess *string `json:"last_success"`
	Failing     *string `json:"failing"`
	Stale       bool    `json:"stale"`
}

type jsonSeries struct {
	Category string `json:"category"`
	Seconds  int64  `json:"seconds"`
	Count    int    `json:"count"`
}

type jsonCollaborator struct {
	Address  string `json:"address,omitempty"`
	Domain   string `json:"domain,omitempty"`
	Seconds  int64  `json:"seconds"`
	Meetings int    `json:"meetings"`
}

type jsonSplits struct {
	OneOnOne    int64 `json:"one_on_one_seconds"`
	SmallGroup  int64 `json:"small_group_seconds"`
	LargeGroup  int64 `json:"large_group_seconds"`
	Solo        int64 `json:"solo_seconds"`
	Recurring   int64 `json:"recurring_seconds"`
	OneOff      int64 `json:"one_off_seconds"`
	FocusBooked int64 `json:"focus_booked_seconds"`
}

type jsonWeek struct {
	Week               string         `json:"week"`
	Start              string         `json:"start"`
	End                string         `json:"end"`
	Seconds            orderedSeconds `json:"seconds"`
	UnscheduledSeconds int64          `json:"unscheduled_seconds"`
	TotalSeconds       int64          `json:"total_seconds"`
	TimeOffSeconds     int64          `json:"time_off_seconds"`
	NoData             bool           `json:"no_data"`
	DesignShare        *float64       `json:"design_share"`
	BelowTarget        bool           `json:"below_target"`
	EventsCounted      int            `json:"events_counted"`
	Splits             jsonSplits     `json:"splits"`
}

type jsonPeriod struct {
	Label              string         `json:"label"`
	Weeks              int            `json:"weeks"`
	WeeksWithData      int            `json:"weeks_with_data"`
	WeeksBelowTarget   int            `json:"weeks_below_target"`
	Seconds            orderedSeconds `json:"seconds"`
	UnscheduledSeconds int64          `json:"unscheduled_seconds"`
	TotalSeconds       int64          `json:"total_seconds"`
	TimeOffSeconds     int64          `json:"time_off_seconds"`
	DesignShare        *float64       `json:"design_share"`
	BelowTarget        bool           `json:"below_target"`
	Splits             jsonSplits     `json:"splits"`
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
