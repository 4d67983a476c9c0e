package report

import (
	"fmt"
	"strings"
)

// writeTeamMarkdown writes a team as WriteMarkdown writes a person: its
// weeks with the members who had data in each (a suppressed week saying
// only Gap), a verdict over the weeks shown, and how the time went. No
// meetings and no people met: those are about the members' own meetings.
func writeTeamMarkdown(b *strings.Builder, t TeamReport, order []string, r Report) {
	if len(t.Weeks) == 0 {
		return
	}
	// Team names are configured names: no escaping needed.
	fmt.Fprintf(b, "\n## Team %s, %s to %s\n\n%s; %s.\n\n", t.Name, t.Weeks[0].Week, t.Weeks[len(t.Weeks)-1].Week,
		capitalize(r.TeamSize(t)), TeamCalendars(t))
	writeMarkdownHeader(b, order, "Total", "Time off", "Share", "People")
	for _, wk := range t.Weeks {
		fmt.Fprintf(b, "| %s |", wk.Week)
		if wk.Suppressed() {
			fmt.Fprintf(b, "%s %s | %s |\n", strings.Repeat(" |", len(order)+2), r.Gap(), r.FewerThan())
			continue
		}
		h := r.RoundWeek(wk.WeekReport)
		for _, cat := range order {
			fmt.Fprintf(b, " %s h |", FormatTenths(h.Categories[cat]))
		}
		share := "–"
		if wk.DesignShare != nil {
			share = percent(*wk.DesignShare, 0)
			if wk.BelowTarget {
				share = "**" + share + "** ▼"
			}
		}
		fmt.Fprintf(b, " %s h | %s h | %s | %d |\n", FormatTenths(h.Total), FormatTenths(h.TimeOff), share, wk.Members)
	}
	s := t.Summary
	switch {
	case s == nil:
	case s.WeeksWithData == 0:
		fmt.Fprintf(b, "\nNo week of these %d is shown: each had %s.\n", s.Weeks, r.Gap())
	case s.DesignShare != nil:
		verdict := "at or above"
		if s.BelowTarget {
			verdict = "below"
		}
		fmt.Fprintf(b, "\nOver the %d of these %d weeks shown, %s of the team's work time went to %s: %s the %s target; %d of the %d weeks were below it.\n",
			s.WeeksWithData, s.Weeks, percent(*s.DesignShare, 0), strings.Join(r.Target.Categories, ", "), verdict,
			percent(r.Target.MinShare, -1), s.WeeksBelow, s.WeeksWithData)
	}
	if s != nil && s.TotalSeconds > 0 {
		writeMarkdownSplits(b, r, *s)
	}
}
