package server

import (
	"bytes"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"sync"

	"github.com/weekmap/weekmap/report"
	"github.com/weekmap/weekmap/report/chart"
)

// publish makes r the report the page and the metrics show. person, if
// set, loads one person's report with the events of each week, which r
// leaves out (see Recompute); without it, r has them. The default page is
// rendered at once, so a report that cannot be shown fails here and not on
// a visitor's request.
func (s *Server) publish(r report.Report, person func(name string) (report.Report, error)) error {
	p := &published{report: r, person: person, pages: map[pageKey][]byte{}}
	if _, err := p.page(pageKey{}); err != nil {
		return fmt.Errorf("render page: %w", err)
	}
	s.current.Store(p)
	s.collector.Set(&r)
	return nil
}

// maxPages bounds the rendered pages kept per report: a page is tens to
// hundreds of kilobytes, and a team of a thousand has thousands of pages.
const maxPages = 64

// published is one report and the pages rendered from it so far, keyed by
// person or team and week range, the oldest dropped past maxPages.
type published struct {
	report report.Report
	person func(name string) (report.Report, error)
	mu     sync.Mutex
	pages  map[pageKey][]byte
	order  []pageKey // of pages, oldest first
}

type pageKey struct {
	person, team string
	weeks        int
}

// weekChoices are the ranges the page offers, where the report has them.
var weekChoices = []int{4, 8, 12, 26, 52}

// page renders (or returns the cached) page of one person and range.
func (p *published) page(k pageKey) ([]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if b, ok := p.pages[k]; ok {
		return b, nil
	}
	var names, teams []string
	for _, c := range p.report.People {
		names = append(names, c.Name)
	}
	total := 0
	for _, t := range p.report.Teams {
		teams = append(teams, t.Name)
		total = len(t.Weeks)
	}
	if len(p.report.People) > 0 {
		total = len(p.report.People[0].Weeks)
	}
	var choices []int
	for _, n := range weekChoices {
		if n < total {
			choices = append(choices, n)
		}
	}
	choices = append(choices, total)
	link := func(key string) func(name string, weeks int) string {
		return func(name string, weeks int) string {
			q := url.Values{}
			if name != "" {
				q.Set(key, name)
			}
			if weeks > 0 {
				q.Set("weeks", strconv.Itoa(weeks))
			}
			return "/?" + q.Encode()
		}
	}
	// A person's page lists the events behind its numbers: load them for
	// that person alone.
	r := p.report
	if name := p.personShown(k); name != "" && p.person != nil {
		var err error
		if r, err = p.person(name); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	err := chart.Render(&buf, r, chart.Options{
		AssetsPath: "/assets/", Person: k.person, Team: k.team, Weeks: k.weeks,
		People: names, Teams: teams, WeekChoices: choices,
		Link: link("person"), TeamLink: link("team"),
	})
	if err != nil {
		return nil, err
	}
	// Only the ranges the page links to are kept: a crawler asking for every
	// weeks=N must not grow the cache without bound.
	if k.weeks == 0 || slices.Contains(choices, k.weeks) {
		p.pages[k] = buf.Bytes()
		p.order = append(p.order, k)
		if len(p.order) > maxPages {
			delete(p.pages, p.order[0])
			p.order = p.order[1:]
		}
	}
	return buf.Bytes(), nil
}

// personShown is the person page k shows, or "" for a team's page: the
// person asked for, or by default the first person (as chart.Render picks).
func (p *published) personShown(k pageKey) string {
	switch {
	case k.team != "":
		return ""
	case k.person != "":
		if !slices.ContainsFunc(p.report.People, func(pr report.PersonReport) bool { return pr.Name == k.person }) {
			return "" // Render says there is no such person
		}
		return k.person
	case len(p.report.People) > 0:
		return p.report.People[0].Name
	}
	return ""
}
