package chart

import (
	"strconv"
)

// selector is a row of links to the same page for another person or week
// range. Plain links need no script and work in every browser.
type selector struct {
	Label   string
	Choices []choice
}

// choice is one link of a selector. Href and Text reach the page through
// html/template, which escapes them for the attribute and the text node:
// person names come from the config, but are escaped all the same.
type choice struct {
	Text string
	Href string
	// Current is the aria-current value of the choice being shown: "page"
	// for a link to another page, "location" for one within this page; ""
	// for the others.
	Current string
}

// selectors returns the person, team and week-range selectors the options
// ask for: none without Link, and none for a choice of fewer than two.
func selectors(shown subject, opt Options) []selector {
	if opt.Link == nil {
		return nil
	}
	var out []selector
	people, teams := len(opt.People), len(opt.Teams)
	if opt.TeamLink == nil {
		teams = 0
	}
	if people >= 1 && people+teams >= 2 {
		s := selector{Label: "Person"}
		for _, name := range opt.People {
			s.Choices = append(s.Choices, choice{
				Text:    displayText(name),
				Href:    opt.Link(name, opt.Weeks),
				Current: currentIf(shown.person != nil && name == shown.person.Name, "page"),
			})
		}
		out = append(out, s)
	}
	if teams >= 1 && people+teams >= 2 {
		s := selector{Label: "Team"}
		for _, name := range opt.Teams {
			s.Choices = append(s.Choices, choice{
				Text:    displayText(name),
				Href:    opt.TeamLink(name, opt.Weeks),
				Current: currentIf(shown.team != nil && name == shown.team.Name, "page"),
			})
		}
		out = append(out, s)
	}
	link, weeks := opt.Link, 0
	if shown.team != nil {
		link, weeks = opt.TeamLink, len(shown.team.Weeks)
	} else {
		weeks = len(shown.person.Weeks)
	}
	if len(opt.WeekChoices) >= 2 && link != nil {
		// With no range asked for, every week is shown, and the
		// choice of that length is the current one.
		current := opt.Weeks
		if current <= 0 {
			current = weeks
		}
		s := selector{Label: "Weeks"}
		for _, n := range opt.WeekChoices {
			s.Choices = append(s.Choices, choice{
				Text:    strconv.Itoa(n) + " weeks",
				Href:    link(shown.name(), n),
				Current: currentIf(n == current, "page"),
			})
		}
		out = append(out, s)
	}
	return out
}

// currentIf is value when the choice is the one shown, else "".
func currentIf(shown bool, value string) string {
	if shown {
		return value
	}
	return ""
}
