package server

import (
	"context"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/weekmap/weekmap/report"
)

// TestServePageNumbersAndEvents checks that the page as served has what the
// file has: what it covers and how fresh it is, the table of numbers, and
// the events behind them, for the range asked; under a
// Content-Security-Policy that allows no inline script.
func TestServePageNumbersAndEvents(t *testing.T) {
	s, hs := testServer(t, serveConfig(t, ""))
	ctx := context.Background()
	s.SyncAll(ctx, false)
	if err := s.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(hs.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'none'; script-src 'self'; ") {
		t.Errorf("got Content-Security-Policy %q, want scripts from the page's own origin only, none inline", csp)
	}
	code, page := status(t, hs.URL+"/", "")
	if code != http.StatusOK {
		t.Fatalf("/ = %d", code)
	}
	// Under that policy an inline script would not run: every script
	// element loads a file from /assets/ or holds data.
	for _, tag := range regexp.MustCompile(`<script[^>]*>`).FindAllString(page, -1) {
		if !strings.HasPrefix(tag, `<script src="/assets/`) && tag != `<script type="application/json" id="weekmap-charts">` {
			t.Errorf("the served page has %s, which the policy would block", tag)
		}
	}
	for _, script := range regexp.MustCompile(`<script src="(/assets/[^"]+)"`).FindAllStringSubmatch(page, -1) {
		if code, _ := status(t, hs.URL+script[1], ""); code != http.StatusOK {
			t.Errorf("GET %s = %d, want the script", script[1], code)
		}
	}
	for _, want := range []string{
		"<dt>Period</dt><dd>2026-W45 – 2026-W47 (2 – 22 Nov 2026)</dd>",
		"<dt>Time zone</dt><dd>Europe/Berlin</dd>",
		"<dt>Generated</dt><dd>20 Nov 2026, 13:00 CET</dd>",
		"<dt>Last synced</dt><dd>work: 20 Nov 2026, 13:00 CET</dd>",
		`<tr data-week="2026-W45" class="nodata">`,
		`<tr data-week="2026-W47"><th scope="row">`,
		`<details id="events-2026-W47" data-week="2026-W47">`,
		`<td class="when">Tue 17 Nov, 10:00–12:00</td><td class="title">RFC-12: sharding design</td><td class="num">2 h</td>`,
		`<td class="when">Wed 18 Nov, 09:30–09:45</td><td class="title">Standup</td><td class="num">15 min</td>`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("got a page without %q, want it", want)
		}
	}
	// A range of one week lists that week's events only.
	if _, page := status(t, hs.URL+"/?weeks=1", ""); strings.Count(page, "<details id=\"events-") != 1 {
		t.Errorf("got %d weeks of events on /?weeks=1, want 1", strings.Count(page, "<details id=\"events-"))
	}
}

// TestPersonPagesLoadedOnDemand: the published report holds no event
// lists; a person's page loads that person's, once per page kept, and no
// more than maxPages pages are kept.
func TestPersonPagesLoadedOnDemand(t *testing.T) {
	s, _ := testServer(t, serveConfig(t, ""))
	ctx := context.Background()
	s.SyncAll(ctx, false)
	if err := s.Recompute(ctx); err != nil {
		t.Fatal(err)
	}
	p := s.current.Load()
	for _, w := range p.report.People[0].Weeks {
		if len(w.Events) > 0 {
			t.Fatalf("the published report holds week %s's events; want them loaded per page", w.Week)
		}
	}
	page, err := p.page(pageKey{person: "me"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(page), "RFC-12: sharding design") {
		t.Errorf("me's page does not list the week's events")
	}

	// A report of many people, each page loading its person's report.
	loads := map[string]int{}
	many := p.report
	many.People = nil
	for i := range maxPages + 6 {
		pr := p.report.People[0]
		pr.Name = "p" + strconv.Itoa(i)
		many.People = append(many.People, pr)
	}
	pub := &published{report: many, pages: map[pageKey][]byte{}, person: func(name string) (report.Report, error) {
		loads[name]++
		r := many
		r.People = []report.PersonReport{p.report.People[0]}
		r.People[0].Name = name
		return r, nil
	}}
	for i := range maxPages + 6 {
		if _, err := pub.page(pageKey{person: "p" + strconv.Itoa(i)}); err != nil {
			t.Fatal(err)
		}
	}
	if len(pub.pages) > maxPages {
		t.Errorf("%d pages kept, want at most %d", len(pub.pages), maxPages)
	}
	pub.page(pageKey{person: "p1"}) // evicted: loaded again
	pub.page(pageKey{person: "p69"})
	if loads["p1"] != 2 || loads["p69"] != 1 {
		t.Errorf("loads of p1 and p69 = %d, %d; want 2 (evicted, then asked again) and 1 (kept)", loads["p1"], loads["p70"])
	}
}
