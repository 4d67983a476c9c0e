package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/weekmap/weekmap/report"
	"github.com/weekmap/weekmap/report/assets"
	"github.com/weekmap/weekmap/report/chart"
	"github.com/weekmap/weekmap/report/metrics"
)

// reportServer serves the chart page, /metrics and health endpoints from the
// latest computed report. Requests never touch the store or a calendar API:
// the page is rendered and the metrics snapshot taken when a report is set.
type reportServer struct {
	log       *slog.Logger
	collector *metrics.Collector
	registry  *prometheus.Registry
	page      atomic.Pointer[[]byte]
}

func newReportServer(log *slog.Logger) *reportServer {
	c := metrics.NewCollector()
	return &reportServer{log: log, collector: c, registry: metrics.NewRegistry(c, version)}
}

// set publishes a new report to the page and the metrics.
func (s *reportServer) set(r report.Report) error {
	var buf bytes.Buffer
	if err := chart.Render(&buf, r, chart.Options{AssetsPath: "/assets/"}); err != nil {
		return fmt.Errorf("render page: %w", err)
	}
	page := buf.Bytes()
	s.page.Store(&page)
	s.collector.Set(&r)
	return nil
}

func (s *reportServer) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.servePage)
	mux.Handle("GET /assets/", assets.Handler())
	mux.Handle("GET /metrics", metrics.Handler(s.registry))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	return securityHeaders(mux)
}

func (s *reportServer) servePage(w http.ResponseWriter, _ *http.Request) {
	page := s.page.Load()
	if page == nil {
		http.Error(w, "no report yet: the first sync has not finished", http.StatusServiceUnavailable)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(*page)
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
