package main

import (
	"context"
	"crypto/subtle"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/report"
)

func newServeCmd(a *app) *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use:   "serve [--addr HOST:PORT]",
		Short: "Sync every server.sync_interval and serve the report, /metrics, /healthz and /readyz",
		Long: `serve runs weekmap as a service: it syncs every source every
server.sync_interval (with ±10% jitter), recomputes the report, and serves the
chart page on /, Prometheus metrics on /metrics, /healthz (the process is up)
and /readyz (a first sync has finished). SIGINT or SIGTERM stops it gracefully:
a sync in flight is abandoned at a transaction boundary, and it exits 0.`,
		Example: "  weekmap serve\n  weekmap serve --addr 127.0.0.1:9464",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runServe(cmd.Context(), a, addr)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "", "listen `address` (default server.addr from the config)")
	return cmd
}

func runServe(ctx context.Context, a *app, addr string) error {
	cfg, err := a.config()
	if err != nil {
		return err
	}
	if addr != "" {
		cfg.Server.Addr = addr
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	s, err := newServer(ctx, a, cfg)
	if err != nil {
		return err
	}
	defer s.store.Close()
	ln, err := net.Listen("tcp", cfg.Server.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (set server.addr or --addr)", cfg.Server.Addr, err)
	}
	a.log.Info("serving", "url", "http://"+ln.Addr().String()+"/", "sync_interval", cfg.Server.SyncInterval, "weeks", cfg.Server.Weeks)
	fmt.Fprintf(a.stdout, "weekmap serve: report at http://%s/ (metrics at /metrics)\n", ln.Addr())

	loopDone := make(chan struct{})
	go func() {
		defer close(loopDone)
		s.syncLoop(ctx)
	}()
	err = serveHTTP(ctx, ln, s.handler(), a.log)
	// serveHTTP returns after ctx is done (or on a listener error): a sync in
	// flight sees the same ctx, rolls back its open transaction and stops.
	stop()
	<-loopDone
	return err
}

// server is `weekmap serve`: a sync loop feeding a reportServer.
type server struct {
	*reportServer
	*pipeline
	syncer    *syncer
	a         *app
	authToken []byte
	ready     atomic.Bool
}

func newServer(ctx context.Context, a *app, cfg *config.Config) (*server, error) {
	var token []byte
	if p := cfg.Server.AuthTokenFile; p != "" {
		data, err := os.ReadFile(p)
		if err != nil {
			return nil, fmt.Errorf("server.auth_token_file: %w", err)
		}
		token = []byte(strings.TrimSpace(string(data)))
		if len(token) < 16 {
			return nil, fmt.Errorf("server.auth_token_file %s: the token must be at least 16 characters", p)
		}
	}
	p, err := newPipeline(ctx, cfg)
	if err != nil {
		return nil, err
	}
	rs := newReportServer(a.log)
	m := ingest.NewMetrics()
	if err := rs.addSyncMetrics(m); err != nil {
		p.store.Close()
		return nil, err
	}
	sy := &syncer{a: a, cfg: cfg, store: p.store, metrics: m}
	return &server{reportServer: rs, pipeline: p, syncer: sy, a: a, authToken: token}, nil
}

// syncLoop syncs every source, recomputes the report, then waits a
// jittered interval and repeats until ctx is done. It is the only place
// that syncs, so two syncs never run at once.
func (s *server) syncLoop(ctx context.Context) {
	for {
		s.syncAll(ctx)
		if ctx.Err() != nil {
			return
		}
		if err := s.recompute(ctx); err != nil {
			s.log.Error("report not updated", "err", err)
		} else {
			s.ready.Store(true)
		}
		// ±10% jitter keeps many weekmap instances from calling Google in step.
		d := s.cfg.Server.SyncInterval
		d += time.Duration((rand.Float64()*0.2 - 0.1) * float64(d))
		select {
		case <-ctx.Done():
			return
		case <-time.After(d):
		}
	}
}

// syncAll syncs each source in turn; one failing source does not stop the
// others.
func (s *server) syncAll(ctx context.Context) {
	for _, sc := range s.cfg.Sources {
		if ctx.Err() != nil {
			return
		}
		res, err := s.syncer.sync(ctx, sc, false)
		if err == nil {
			s.log.Info("synced", "source", sc.Name, "events", res.stored, "pages", res.Pages, "upserted", res.Upserted, "deleted", res.Deleted, "unchanged", res.Unchanged, "duration", res.took)
			continue
		}
		if ctx.Err() != nil {
			s.log.Info("sync abandoned on shutdown; the store keeps its last committed state", "source", sc.Name)
			return
		}
		s.log.Error("sync failed", "source", sc.Name, "err", err)
	}
}

// recompute builds the last server.weeks weeks from the store and publishes
// them to the page and /metrics.
func (s *server) recompute(ctx context.Context) error {
	now := s.a.now()
	r, err := s.report(ctx, nil, report.LastWeeks(now, s.cfg.Server.Weeks, s.loc), now, false)
	if err != nil {
		return err
	}
	return s.set(r)
}

func (s *server) handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/", s.reportServer.handler())
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if !s.ready.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			fmt.Fprintln(w, "not ready: the first sync has not finished")
			return
		}
		fmt.Fprintln(w, "ready")
	})
	h := http.TimeoutHandler(mux, 30*time.Second, "request timed out\n")
	return s.requireToken(h)
}

// requireToken enforces server.auth_token_file: every path but /healthz
// needs "Authorization: Bearer <token>", compared in constant time.
func (s *server) requireToken(next http.Handler) http.Handler {
	if s.authToken == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			next.ServeHTTP(w, r)
			return
		}
		got, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeCompare([]byte(got), s.authToken) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="weekmap"`)
			http.Error(w, "unauthorized: send Authorization: Bearer <token from server.auth_token_file>", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}
