package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/classify"
	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/ingest/googleevent"
	"github.com/weekmap/weekmap/internal/fakegoogle"
	"github.com/weekmap/weekmap/report"
	"github.com/weekmap/weekmap/report/metrics"
)

// generated maps cfg's generated events as the google source stores them
// (cancelled ones dropped).
func generated(tb testing.TB, name string, cfg fakegoogle.LoadConfig) []cal.Event {
	tb.Helper()
	var out []cal.Event
	for _, ev := range fakegoogle.Generate(cfg) {
		if ev.Status == cal.StatusCancelled {
			continue
		}
		e, err := googleevent.Map(name, ev)
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, e)
	}
	return out
}

func newClassifier(tb testing.TB) *classify.Classifier {
	tb.Helper()
	c, err := classify.New(config.Default().Rules)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}

func classified(c *classify.Classifier, events []cal.Event) []report.Classified {
	out := make([]report.Classified, len(events))
	for i := range events {
		res := c.Classify(&events[i])
		out[i] = report.Classified{Event: events[i], Category: res.Category, Rule: res.Rule}
	}
	return out
}

// BenchmarkClassify classifies generated events with the built-in rules.
func BenchmarkClassify(b *testing.B) {
	from, to := spanOf()
	events := generated(b, "work", fakegoogle.LoadConfig{Events: 20_000, From: from, To: to, Seed: 4})
	c := newClassifier(b)
	b.ReportAllocs()
	n := 0
	for b.Loop() {
		c.Classify(&events[n%len(events)])
		n++
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "events/s")
}

// benchPerson is a person with one calendar of the same name and data in
// every week.
func benchPerson(name string, events []report.Classified) report.Person {
	always := report.Window{From: time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)}
	return report.Person{Name: name, Calendars: []string{name}, Events: events,
		Coverage: report.Coverage{Windows: []report.Window{always}, Earliest: always.From}}
}

// yearOfEvents is the default report config, the 52 weeks up to now and a
// calendar of 100,000 generated events over them.
func yearOfEvents(b *testing.B) (config.Week, []report.Week, []cal.Event) {
	cfg := config.Default().Week
	loc := cfg.Timezone
	weeks := report.LastWeeks(now, 52, loc)
	return cfg, weeks, generated(b, "work", fakegoogle.LoadConfig{Events: 100_000, From: weeks[0].Start, To: weeks[51].End, Seed: 5})
}

// BenchmarkReport52Weeks builds the report of 52 weeks over a calendar of
// 100,000 classified events (report.Build alone).
func BenchmarkReport52Weeks(b *testing.B) {
	cfg, weeks, events := yearOfEvents(b)
	c := newClassifier(b)
	input := []report.Person{benchPerson("work", classified(c, events))}
	b.ResetTimer()
	for b.Loop() {
		r := report.Build(cfg, c.Categories(), now, weeks, input)
		if len(r.People[0].Weeks) != 52 {
			b.Fatalf("got %d weeks, want 52", len(r.People[0].Weeks))
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/report")
}

// BenchmarkReport52WeeksFromStore is what `weekmap report --weeks 52`
// does after startup (report.Load, as the command calls it for every
// format but html): read 52 weeks of a 100,000-event calendar from the
// SQLite store, classify every event and build the report.
func BenchmarkReport52WeeksFromStore(b *testing.B) {
	_, weeks, events := yearOfEvents(b)
	st := openStore(b, b.TempDir())
	ctx := context.Background()
	if err := st.Update(ctx, func(tx ingest.Tx) error {
		for i := range events {
			if err := tx.Upsert(&events[i], 1); err != nil {
				return err
			}
		}
		return tx.SetState(ingest.SyncState{Calendar: "work", Gen: 1, LastSuccess: now})
	}); err != nil {
		b.Fatal(err)
	}
	cfg := config.Default()
	cfg.Sources = []config.Source{{Name: "work", Type: config.TypeJSON, Person: config.DefaultPerson,
		SyncWindow: config.Window{Past: config.Span(60 * 7 * 24 * time.Hour), Future: config.Span(2 * 7 * 24 * time.Hour)}}}
	c := newClassifier(b)
	classify := func(e *cal.Event) (string, string) {
		res := c.Classify(e)
		return res.Category, res.Rule
	}
	b.ResetTimer()
	for b.Loop() {
		r, err := report.Load(ctx, st, cfg, classify, report.Scope{WithoutEvents: true}, weeks, now, true)
		if err != nil {
			b.Fatal(err)
		}
		if len(r.People) != 1 || len(r.People[0].Weeks) != 52 || r.People[0].Weeks[0].NoData {
			b.Fatalf("got %d people, want one with 52 weeks of data", len(r.People))
		}
	}
	b.ReportMetric(b.Elapsed().Seconds()/float64(b.N), "s/report")
}

// teamReport is the 12-week report of 200 calendars of 2,000 events.
func teamReport(tb testing.TB, calendars int) report.Report {
	tb.Helper()
	cfg := config.Default().Week
	loc := cfg.Timezone
	weeks := report.LastWeeks(now, 12, loc)
	c := newClassifier(tb)
	var input []report.Person
	for i := range calendars {
		name := "member" + string(rune('a'+i%26)) + string(rune('a'+i/26))
		events := generated(tb, name, fakegoogle.LoadConfig{Calendar: name, Events: 2000, From: weeks[0].Start, To: weeks[11].End, Seed: 6})
		input = append(input, benchPerson(name, classified(c, events)))
	}
	return report.Build(cfg, c.Categories(), now, weeks, input)
}

// metricsHandler is what `weekmap serve` exports: the report collector and
// the sync metrics of every source, on a registry of its own.
func metricsHandler(tb testing.TB, r *report.Report) (http.Handler, *metrics.Collector, *ingest.Metrics) {
	tb.Helper()
	col := metrics.NewCollector()
	col.Set(r)
	reg := metrics.NewRegistry("bench")
	m := ingest.NewMetrics()
	if err := m.Register(reg); err != nil {
		tb.Fatal(err)
	}
	for _, cal := range r.People {
		m.Init(cal.Name)
		m.CountResponse(cal.Name, http.StatusOK)
		m.Finished(cal.Name, time.Second, now, 2000, nil)
	}
	return metrics.Handler(reg, col), col, m
}

// BenchmarkMetricsScrape times scrapes of /metrics over HTTP with a
// report of 200 (and 1,000) people × 12 weeks and every source's sync
// metrics; it reports the median and 99th percentile latency over all
// scrapes. The 1,000 people are the 200 five times under other names: the
// scrape's cost is in the series, not in the events behind them.
func BenchmarkMetricsScrape(b *testing.B) {
	r := teamReport(b, 200)
	b.Run("people=200", func(b *testing.B) { benchmarkScrape(b, r) })
	big := r
	big.People = nil
	for k := range 5 {
		for _, p := range r.People {
			p.Name = fmt.Sprintf("%s-%d", p.Name, k)
			big.People = append(big.People, p)
		}
	}
	b.Run("people=1000", func(b *testing.B) { benchmarkScrape(b, big) })
}

func benchmarkScrape(b *testing.B, r report.Report) {
	h, _, _ := metricsHandler(b, &r)
	srv := httptest.NewServer(h)
	defer srv.Close()
	// Like Prometheus, ask for gzip; the latency is weekmap's part of a
	// scrape (until the last byte arrives), not the scraper's decompressing.
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	scrape := func() (took time.Duration, size int) {
		start := time.Now()
		req, _ := http.NewRequest("GET", srv.URL+"/metrics", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			b.Fatalf("scrape: %v, status %d", err, resp.StatusCode)
		}
		return time.Since(start), len(body)
	}
	// Prometheus keeps its connection open between scrapes: the first
	// scrape's TCP handshake is not what a scrape costs.
	scrape()
	var lat []time.Duration
	var size int
	for b.Loop() {
		var took time.Duration
		took, size = scrape()
		lat = append(lat, took)
	}
	slices.Sort(lat)
	pct := func(p float64) float64 { return float64(lat[int(p*float64(len(lat)-1))].Microseconds()) / 1000 }
	b.ReportMetric(pct(0.50), "p50_ms")
	b.ReportMetric(pct(0.99), "p99_ms")
	b.ReportMetric(float64(size)/1024, "gzip_body_KiB")
}
