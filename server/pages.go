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

// publish makes r the report the page and the metrics show. The default
// page is rendered at once, so a report that cannot be shown fails here and
// not on a visitor's request.
func (s *Server) publish(r report.Report) error {
	p := &published{report: r, pages: map[pageKey][]byte{}}
	if _, err := p.page(pageKey{}); err != nil {
		return fmt.Errorf("render page: %w", err)
	}
	s.current.Store(p)
	s.collector.Set(&r)
	return nil
}

// published is one report and the pages rendered from it so far, keyed by
// person or team and week range.
type published struct {
	report report.Report
	mu     sync.Mutex
	pages  map[pageKey][]byte
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
	var buf bytes.Buffer
	err := chart.Render(&buf, p.report, chart.Options{
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
	}
	return buf.Bytes(), nil
}
