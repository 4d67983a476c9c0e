package report

// The JSON of a team (docs/report-json.md): a suppressed week or period
// holds its bounds and "suppressed": true, and no figure at all.

type jsonTeam struct {
	Name                string `json:"name"`
	Size                int    `json:"size"`
	Calendars           int    `json:"calendars"`
	CalendarsNotCurrent int    `json:"calendars_not_current"`
	// Weeks are jsonTeamWeek or jsonSuppressed.
	Weeks   []any `json:"weeks"`
	Summary any   `json:"summary,omitempty"`
	Periods []any `json:"periods,omitempty"`
}

type jsonTeamWeek struct {
	Week               string         `json:"week"`
	Start              string         `json:"start"`
	End                string         `json:"end"`
	Suppressed         bool           `json:"suppressed"`
	Members            int            `json:"members"`
	Seconds            orderedSeconds `json:"seconds"`
	UnscheduledSeconds int64          `json:"unscheduled_seconds"`
	TotalSeconds       int64          `json:"total_seconds"`
	TimeOffSeconds     int64          `json:"time_off_seconds"`
	DesignShare        *float64       `json:"design_share"`
	BelowTarget        bool           `json:"below_target"`
	EventsCounted      int            `json:"events_counted"`
	Splits             jsonSplits     `json:"splits"`
}

// jsonSuppressed is a week (Start and End set) or period (Label and
// Weeks set) with fewer members with data than the minimum group size.
type jsonSuppressed struct {
	Week       string `json:"week,omitempty"`
	Start      string `json:"start,omitempty"`
	End        string `json:"end,omitempty"`
	Label      string `json:"label,omitempty"`
	Weeks      int    `json:"weeks,omitempty"`
	Suppressed bool   `json:"suppressed"`
}

// jsonTeamPeriod is a team's summary: a person's, with the weeks shown in
// weeks_shown rather than weeks_with_data.
type jsonTeamPeriod struct {
	Label              string         `json:"label"`
	Weeks              int            `json:"weeks"`
	WeeksShown         int            `json:"weeks_shown"`
	WeeksBelowTarget   int            `json:"weeks_below_target"`
	Suppressed         bool           `json:"suppressed"`
	Seconds            orderedSeconds `json:"seconds"`
	UnscheduledSeconds int64          `json:"unscheduled_seconds"`
	TotalSeconds       int64          `json:"total_seconds"`
	TimeOffSeconds     int64          `json:"time_off_seconds"`
	DesignShare        *float64       `json:"design_share"`
	BelowTarget        bool           `json:"below_target"`
	Splits             jsonSplits     `json:"splits"`
}

func jsonTeamOf(t TeamReport, order []string) jsonTeam {
	jt := jsonTeam{Name: t.Name, Size: t.Size, Calendars: t.Calendars, CalendarsNotCurrent: t.NotCurrent, Weeks: make([]any, 0, len(t.Weeks))}
	for _, w := range t.Weeks {
		if w.Suppressed() {
			jt.Weeks = append(jt.Weeks, jsonSuppressed{Week: w.Week, Start: rfc3339(w.Start), End: rfc3339(w.End), Suppressed: true})
			continue
		}
		jt.Weeks = append(jt.Weeks, jsonTeamWeek{
			Week: w.Week, Start: rfc3339(w.Start), End: rfc3339(w.End), Members: w.Members,
			Seconds:            orderedSeconds{order: order, seconds: w.Seconds},
			UnscheduledSeconds: w.UnscheduledSeconds, TotalSeconds: w.TotalSeconds, TimeOffSeconds: w.TimeOffSeconds,
			DesignShare: round4(w.DesignShare), BelowTarget: w.BelowTarget, EventsCounted: w.EventsCounted,
			Splits: jsonSplitsOf(w.Splits),
		})
	}
	if t.Summary != nil {
		jt.Summary = jsonTeamSummary(*t.Summary, order)
	}
	for _, s := range t.Periods {
		jt.Periods = append(jt.Periods, jsonTeamSummary(s, order))
	}
	return jt
}

func jsonTeamSummary(s Summary, order []string) any {
	if s.WeeksWithData == 0 {
		return jsonSuppressed{Label: s.Label, Weeks: s.Weeks, Suppressed: true}
	}
	return jsonTeamPeriod{
		Label: s.Label, Weeks: s.Weeks, WeeksShown: s.WeeksWithData, WeeksBelowTarget: s.WeeksBelow,
		Seconds:            orderedSeconds{order: order, seconds: s.Seconds},
		UnscheduledSeconds: s.UnscheduledSeconds, TotalSeconds: s.TotalSeconds, TimeOffSeconds: s.TimeOffSeconds,
		DesignShare: round4(s.DesignShare), BelowTarget: s.BelowTarget,
		Splits: jsonSplitsOf(s.Splits),
	}
}

func nilIfEmpty(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}
