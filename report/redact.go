package report

import "slices"

// Redact returns a copy of r for sharing: no event or meeting title and
// no attendee address is left in it, so that no output written from it
// can hold one. Meetings keep their category and events their category
// and rule, which is what the outputs show instead. r is not changed.
func (r Report) Redact() Report {
	out := r
	out.Redacted = true
	out.People = make([]PersonReport, len(r.People))
	for i, p := range r.People {
		p.Collaborators, p.Domains = nil, nil
		p.TopMeetings = slices.Clone(p.TopMeetings)
		for j := range p.TopMeetings {
			p.TopMeetings[j].Title = ""
		}
		p.Weeks = slices.Clone(p.Weeks)
		for w := range p.Weeks {
			p.Weeks[w].Events = slices.Clone(p.Weeks[w].Events)
			for e := range p.Weeks[w].Events {
				p.Weeks[w].Events[e].Title = ""
				p.Weeks[w].Events[e].seriesID = ""
			}
		}
		out.People[i] = p
	}
	return out
}
