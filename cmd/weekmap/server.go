package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/internal/version"
	"github.com/weekmap/weekmap/report"
	"github.com/weekmap/weekmap/report/assets"
	"github.com/weekmap/weekmap/report/chart"
	"github.com/weekmap/weekmap/report/metrics"
)

// reportServer serves the chart page, /metrics and health endpoints from the
// latest computed report. Requests never touch the store or a calendar API:
// pages are rendered from the report in memory (and cached until the next
// report), and the metrics come from a snapshot taken when a report is set.
type reportServer struct {
	log       *slog.Logger
	collector *metrics.Collector
	registry  *prometheus.Registry
	current   atomic.Pointer[published]
}

// published is one report and the pages rendered from it so far, keyed by
// calendar and week range.
type published struct {
	report report.Report
	mu     sync.Mutex
	pages  map[pageKey][]byte
}

type pageKey struct {
	person string
	weeks  int
}

// weekChoices are the ranges the page offers, where the report has them.
var weekChoices = []int{4, 8, 12, 26, 52}

func newReportServer(log *slog.Logger) *reportServer {
	c := metrics.NewCollector()
	return &reportServer{log: log, collector: c, registry: metrics.NewRegistry(version.Version())}
}

// addSyncMetrics exports m on /metrics. Call it before handler.
func (s *reportServer) addSyncMetrics(m *ingest.Metrics) error {
	return m.Register(s.registry)
}

// set publishes a new report to the page and the metrics. The default page
// is rendered at once, so a report that cannot be shown fails here and not
// on a visitor's request.
func (s *reportServer) set(r report.Report) error {
	p := &published{report: r, pages: map[pageKey][]byte{}}
	if _, err := p.page(pageKey{}); err != nil {
		return fmt.Errorf("render page: %w", err)
	}
	s.current.Store(p)
	s.collector.Set(&r)
	return nil
}

// page renders (or returns the cached) page of one calendar and range.
func (p *published) page(k pageKey) ([]byte, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if b, ok := p.pages[k]; ok {
		return b, nil
	}
	var names []string
	for _, c := range p.report.People {
		names = append(names, c.Name)
	}
	total := 0
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
	var buf bytes.Buffer
	err := chart.Render(&buf, p.report, chart.Options{
		AssetsPath: "/assets/", Person: k.person, Weeks: k.weeks,
		People: names, WeekChoices: choices,
		Link: func(person string, weeks int) string {
			q := url.Values{}
			if person != "" {
				q.Set("person", person)
			}
			if weeks > 0 {
				q.Set("weeks", strconv.Itoa(weeks))
			}
			return "/?" + q.Encode()
		},
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

func (s *reportServer) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.servePage)
	mux.Handle("GET /assets/", assets.Handler())
	mux.Handle("GET /metrics", metrics.Handler(s.registry, s.collector))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	return securityHeaders(mux)
}

// servePage serves /?person=NAME&weeks=N (both optional).
func (s *reportServer) servePage(w http.ResponseWriter, r *http.Request) {
	p := s.current.Load()
	if p == nil {
		http.Error(w, "no report yet: the first sync has not finished", http.StatusServiceUnavailable)
		return
	}
	k := pageKey{person: r.URL.Query().Get("person")}
	if v := r.URL.Query().Get("weeks"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 520 {
			http.Error(w, "weeks must be a number from 1 to 520", http.StatusBadRequest)
			return
		}
		k.weeks = n
	}
	page, err := p.page(k)
	switch {
	case errors.Is(err, chart.ErrNoPerson):
		http.Error(w, "no such person", http.StatusNotFound)
		return
	case err != nil:
		s.log.Error("render page", "err", err)
		http.Error(w, "the page could not be rendered", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(page)
}

// securityHeaders keeps the page to our own origin: event titles are
// attacker-controlled, so even if one slipped through escaping it could not
// load or send anything elsewhere.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

// serveHTTP serves h on ln until ctx is done, then shuts down gracefully.
func serveHTTP(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
