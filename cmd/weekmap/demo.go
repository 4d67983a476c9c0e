package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"golang.org/x/oauth2"

	"github.com/spf13/cobra"
	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest/google"
	"github.com/weekmap/weekmap/internal/fakegoogle"
	"github.com/weekmap/weekmap/internal/sample"
	"github.com/weekmap/weekmap/internal/version"
	"github.com/weekmap/weekmap/server"
)

// demoWeeks is how many weeks the sample calendar spans.
const demoWeeks = 12

func newDemoCmd(a *app) *cobra.Command {
	var addr string
	cmd := &cobra.Command{
		Use:   "demo [--addr 127.0.0.1:8080]",
		Short: "Serve the report and /metrics on a built-in sample calendar",
		Long: `demo serves the chart report, /metrics and /healthz on a built-in sample
calendar: twelve weeks of a backend engineer's events ending this week, with
their teammates' calendars for the team view (/?team=platform: five people, one
of whom joined eight weeks ago; and a team of two, never shown). It needs no
config, no network and no credentials: the sample is synced from an in-process
stand-in of the Google Calendar API with the real Google source, so the page
and every metric come from the same code as a real calendar.`,
		Example: "  weekmap demo\n  weekmap demo --addr 127.0.0.1:9000",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runDemo(cmd.Context(), a, addr)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8080", "listen `address`")
	return cmd
}

func runDemo(ctx context.Context, a *app, addr string) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	dir, err := os.MkdirTemp("", "weekmap-demo-")
	if err != nil {
		return fmt.Errorf("create a temporary store: %w", err)
	}
	defer os.RemoveAll(dir)
	srv, stopAPI, err := newDemo(ctx, a, dir)
	if err != nil {
		return err
	}
	defer stopAPI()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (pick another with --addr)", addr, err)
	}
	fmt.Fprintf(a.stdout, "weekmap demo: the sample calendar's report is at http://%s/ (metrics at /metrics); Ctrl-C stops\n", ln.Addr())
	return server.Serve(ctx, ln, srv, a.log)
}

// newDemo serves the sample calendars the way real ones are served: the
// engineer's and their teammates' (sample.People) are put into an
// in-process stand-in of the Google Calendar API on 127.0.0.1, synced with
// the real Google source into a store in dir (a full sync, then an
// incremental one), classified with the built-in rules and
// accounted with the default settings (Europe/Berlin, 09:00-17:00). So the
// page and every metric, sync metrics included, come from the real code
// path; nothing needs a config, the network or credentials. The returned
// stop function shuts the stand-in down and closes the store.
func newDemo(ctx context.Context, a *app, dir string) (http.Handler, func(), error) {
	cfg := config.Default()
	loc := cfg.Timezone
	now := a.now().In(loc)

	api := fakegoogle.New()
	stop := api.Close
	access, refresh := api.IssueToken()
	secret := filepath.Join(dir, "client_secret.json")
	err := os.WriteFile(secret, api.ClientSecretJSON(), 0o600)
	// The engineer's calendar, then each teammate's, each a google source
	// of its own person with a token of its own.
	add := func(name, person, calendarID string, events []cal.Event) {
		for _, e := range events {
			api.Put(calendarID, sample.GoogleEvent(&e))
		}
		sc := config.Source{
			Name: name, Person: person, Type: config.TypeGoogle, CalendarID: calendarID,
			ClientSecret: secret, Token: filepath.Join(dir, name+".token.json"),
			Endpoint: api.Endpoint(), SyncWindow: config.DefaultWindow(),
		}
		err = errors.Join(err, google.SaveToken(sc.Token, &oauth2.Token{AccessToken: access, RefreshToken: refresh, TokenType: "Bearer", Expiry: time.Now().Add(time.Hour)}))
		cfg.Sources = append(cfg.Sources, sc)
	}
	cfg.People = []config.Person{{Name: config.DefaultPerson, Team: sample.Team}}
	add(sample.Calendar, config.DefaultPerson, "primary", sample.Generate(now, loc))
	for _, p := range sample.People {
		cfg.People = append(cfg.People, config.Person{Name: p.Name, Team: p.Team})
		add(p.Name, p.Name, p.Name+"@example.com", sample.GenerateFor(p, now, loc))
	}
	if err != nil {
		stop()
		return nil, nil, fmt.Errorf("set up the demo calendars: %w", err)
	}
	cfg.Store = filepath.Join(dir, "demo.db")

	p, err := newPipeline(ctx, cfg)
	if err != nil {
		stop()
		return nil, nil, err
	}
	// The store stays open while the demo serves: a person's page reads
	// that person's events from it.
	stopAPI := stop
	stop = func() {
		p.store.Close()
		stopAPI()
	}
	srv, err := server.New(cfg, p.store, p.cls, server.Options{Log: a.log, Now: a.now, Version: version.Version()})
	if err == nil {
		// A full sync, then an incremental one, as a user's first two
		// syncs would be.
		for _, full := range []bool{true, false} {
			if err = srv.SyncAll(ctx, full); err != nil {
				err = fmt.Errorf("sync the demo calendar: %w", err)
				break
			}
		}
	}
	if err == nil {
		err = srv.Recompute(ctx)
	}
	if err != nil {
		stop()
		return nil, nil, err
	}
	srv.MarkReady()
	return srv.Handler(), stop, nil
}
