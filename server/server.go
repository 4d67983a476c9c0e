// Package server is `weekmap serve`: a loop that syncs every source on a
// schedule and recomputes the report, and the HTTP server that shows it —
// the chart page, /metrics, /healthz and /readyz. Requests never touch a
// calendar API or the store: they read the report computed after the last
// sync.
package server

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/exporter-toolkit/web"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/classify"
	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/ingest/google"
	"github.com/weekmap/weekmap/ingest/sources"
	"github.com/weekmap/weekmap/ingest/store"
	"github.com/weekmap/weekmap/internal/secretfile"
	"github.com/weekmap/weekmap/report"
	"github.com/weekmap/weekmap/report/metrics"
)

// Server syncs and serves one configuration's people.
type Server struct {
	cfg     *config.Config
	log     *slog.Logger
	now     func() time.Time
	store   *store.Store
	engine  *ingest.Engine
	sources sources.Builder
	metrics *ingest.Metrics

	// labelsMu guards cls, the classifier of the next report, and
	// labelsStamp, the version of the labels file it was made with (see
	// classifier).
	labelsMu    sync.Mutex
	cls         *classify.Classifier
	labelsStamp string

	registry  *prometheus.Registry
	collector *metrics.Collector
	current   atomic.Pointer[published]

	authToken []byte
	web       webConfig
	ready     atomic.Bool

	healthMu sync.Mutex
	health   map[string]ingest.SyncState
}

// Options are what a Server needs besides its config, store and rules.
type Options struct {
	Log *slog.Logger
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Version is exported as weekmap_build_info's version.
	Version string
}

// New returns a server for cfg, syncing into st and classifying with cls.
// It reads server.auth_token_file, if set.
func New(cfg *config.Config, st *store.Store, cls *classify.Classifier, opts Options) (*Server, error) {
	if opts.Log == nil {
		opts.Log = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{
		cfg: cfg, log: opts.Log, now: opts.Now, store: st, cls: cls,
		// cls was made from the labels file as it is now.
		labelsStamp: fileStamp(cfg.Rules.LabelsFile),
		metrics:     ingest.NewMetrics(),
		registry:    metrics.NewRegistry(opts.Version),
		collector:   metrics.NewCollector(),
	}
	if !cfg.Privacy.PersonMetrics {
		s.metrics.GroupBy(syncGroups(cfg))
	}
	if err := s.metrics.Register(s.registry); err != nil {
		return nil, err
	}
	s.engine = &ingest.Engine{Store: st, Metrics: s.metrics, Log: opts.Log}
	// Every round's sources share one HTTP client and the service
	// account's access tokens, which last an hour: a round of unchanged
	// calendars is then one events.list per source.
	s.sources = sources.Builder{Log: opts.Log, HTTPClient: ingest.HTTPClient(ingest.DefaultTimeouts), Tokens: &google.TokenCache{}}
	if p := cfg.Server.AuthTokenFile; p != "" {
		data, err := secretfile.Read("server.auth_token_file", p)
		if err != nil {
			return nil, err
		}
		s.authToken = []byte(strings.TrimSpace(string(data)))
		if len(s.authToken) < 16 {
			return nil, fmt.Errorf("server.auth_token_file %s: the token must be at least 16 characters", p)
		}
	}
	var err error
	if s.web, err = loadWebConfig(cfg.Server.WebConfigFile); err != nil {
		return nil, err
	}
	if err := s.refreshHealth(context.Background()); err != nil {
		return nil, err
	}
	if s.web.users > 0 && s.authToken != nil {
		// The toolkit asks for basic auth before any handler of ours runs,
		// so a bearer token could never be used.
		return nil, errors.New("server.auth_token_file and the basic_auth_users of server.web_config_file are both set: use one (Prometheus can send either basic_auth or an authorization token)")
	}
	return s, nil
}

// syncGroups names the series each source's sync metrics count in when
// person metrics are off: its person's team ("team:NAME", or "team:none"),
// since in team mode a source is named after its person.
func syncGroups(cfg *config.Config) func(source string) string {
	groups := map[string]string{}
	for _, src := range cfg.Sources {
		team := "none"
		if p, ok := cfg.Person(src.Person); ok && p.Team != "" {
			team = p.Team
		}
		groups[src.Name] = "team:" + team
	}
	return func(source string) string {
		if g, ok := groups[source]; ok {
			return g
		}
		return "team:none"
	}
}

// SyncAll syncs every source once (fully with full), server.sync_concurrency
// at a time; one failing source does not stop the others. It logs each
// outcome and returns the failures.
func (s *Server) SyncAll(ctx context.Context, full bool) error {
	jobs, err := s.sources.Jobs(s.cfg, nil, full)
	if err != nil {
		return err
	}
	index := map[string]int{}
	for i := range jobs {
		jobs[i].Options.Now = s.now()
		index[jobs[i].Name] = i
	}
	// In the order of the config, whatever order the syncs end in.
	failed := make([]error, len(jobs))
	s.engine.SyncEach(ctx, jobs, s.cfg.Server.SyncConcurrency, func(j ingest.Job, res ingest.Result, err error) {
		switch {
		case err == nil:
			s.log.Info("synced", "source", j.Name, "events", res.Stored, "pages", res.Pages, "upserted", res.Upserted,
				"deleted", res.Deleted, "unchanged", res.Unchanged, "full", res.Full, "why", res.Why, "duration", res.Took.Round(time.Millisecond))
			return
		case ctx.Err() != nil:
			s.log.Info("sync abandoned on shutdown; the store keeps its last committed state", "source", j.Name)
		default:
			s.log.Error("sync failed", "source", j.Name, "err", err)
		}
		failed[index[j.Name]] = err // each job writes its own element
	})
	if ctx.Err() == nil {
		if err := s.refreshHealth(ctx); err != nil {
			failed = append(failed, err)
		}
	}
	return errors.Join(failed...)
}

// Recompute builds the last server.weeks weeks of everyone and every team
// from the store (people only with privacy.person_metrics) and publishes
// them to the page and /metrics.
func (s *Server) Recompute(ctx context.Context) error {
	now := s.now()
	cls := s.classifier()
	classify := func(e *cal.Event) (string, string) {
		res := cls.Classify(e)
		return res.Category, res.Rule
	}
	weeks := report.LastWeeks(now, s.cfg.Server.Weeks, s.cfg.Timezone)
	// Without the weeks' event lists: a person's page loads its own when
	// asked for (see published.page), so the report of a thousand people
	// stays small.
	r, err := report.Load(ctx, s.store, s.cfg, classify, report.Scope{WithoutEvents: true}, weeks, now, false)
	if err != nil {
		return err
	}
	return s.publish(r, func(person string) (report.Report, error) {
		return report.Load(ctx, s.store, s.cfg, classify, report.Scope{Person: person}, weeks, now, false)
	})
}

// Run syncs every server.sync_interval and serves on ln until ctx is done,
// then shuts down gracefully: a sync in flight sees ctx, rolls back its
// open transaction and stops.
func (s *Server) Run(ctx context.Context, ln net.Listener) error {
	if !isLoopback(ln.Addr()) && len(s.authToken) == 0 && s.web.users == 0 {
		s.log.Warn("serving without authentication on an address other hosts can reach: anyone who reaches it reads every report; set server.auth_token_file or listen on 127.0.0.1", "addr", ln.Addr().String())
	}
	loopDone := make(chan struct{})
	loopCtx, stop := context.WithCancel(ctx)
	go func() {
		defer close(loopDone)
		s.loop(loopCtx)
	}()
	err := serve(ctx, ln, s.Handler(), s.web.path, s.log)
	stop()
	<-loopDone
	return err
}

// loop syncs every source, recomputes the report, then waits a jittered
// interval and repeats until ctx is done. It is the only place that syncs,
// so two syncs of one source never run at once.
func (s *Server) loop(ctx context.Context) {
	for {
		s.SyncAll(ctx, false) // each failure is logged
		if ctx.Err() != nil {
			return
		}
		if err := s.Recompute(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
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

// isLoopback reports whether addr only accepts connections from this host.
func isLoopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return !ok || tcp.IP.IsLoopback()
}

// Ready reports whether a report has been published since start.
func (s *Server) Ready() bool { return s.ready.Load() }

// MarkReady marks the server ready, for a caller that synced and
// recomputed itself (the demo, tests).
func (s *Server) MarkReady() { s.ready.Store(true) }

// URL is the address of the report page on ln.
func (s *Server) URL(ln net.Listener) string {
	return s.web.scheme() + "://" + ln.Addr().String() + "/"
}

// Serve serves h on ln over plain HTTP until ctx is done, then shuts down
// gracefully.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	return serve(ctx, ln, h, "", log)
}

// serve serves h on ln until ctx is done, with the exporter toolkit's TLS
// and basic auth when webConfigFile is set.
func serve(ctx context.Context, ln net.Listener, h http.Handler, webConfigFile string, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if webConfigFile != "" {
		ln = &openHealth{Listener: ln, srv: srv, open: h}
	}
	errc := make(chan error, 1)
	go func() {
		noSocket := false
		errc <- web.Serve(ln, srv, &web.FlagConfig{
			WebListenAddresses: &[]string{ln.Addr().String()},
			WebSystemdSocket:   &noSocket,
			WebConfigFile:      &webConfigFile,
		}, log)
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	// Requests in flight get 3 s to finish (a scrape takes milliseconds),
	// so the process is gone well within 5 s of SIGTERM, as service
	// managers expect; slower ones are cut off.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Warn("requests still running at shutdown were cut off", "err", err)
		srv.Close()
	}
	if err := <-errc; err != http.ErrServerClosed {
		return err
	}
	return nil
}

// openHealth keeps /healthz open when the web configuration asks for basic
// auth, as it is with the bearer token: load balancers, container health
// checks and service managers probe it without a password, and it says
// nothing but "ok". The exporter toolkit checks basic auth on every path
// (it has no path exclusion) by installing its handler as srv.Handler
// before it accepts the first connection; at that first Accept, in the
// same goroutine and before any request runs, openHealth routes /healthz
// around it to the open handler. Every other path still goes through the
// toolkit: its users, headers and rate limit.
type openHealth struct {
	net.Listener
	srv  *http.Server
	open http.Handler
	once sync.Once
}

func (l *openHealth) Accept() (net.Conn, error) {
	l.once.Do(func() {
		authed := l.srv.Handler
		l.srv.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/healthz" {
				l.open.ServeHTTP(w, r)
				return
			}
			authed.ServeHTTP(w, r)
		})
	})
	return l.Listener.Accept()
}
