package main

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/weekmap/weekmap/classify"
	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/ingest/sample"
	"github.com/weekmap/weekmap/report"
)

// demoWeeks is how many weeks the sample calendar spans.
const demoWeeks = 12

func runDemo(ctx context.Context, a *app, args []string) error {
	fs := a.newFlags("demo")
	addr := fs.String("addr", "127.0.0.1:8080", "listen `address`")
	if err := a.parse(fs, args); err != nil {
		return err
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	dir, err := os.MkdirTemp("", "weekmap-demo-")
	if err != nil {
		return fmt.Errorf("create a temporary store: %w", err)
	}
	defer os.RemoveAll(dir)
	srv, err := newDemo(ctx, a, dir)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (pick another with --addr)", *addr, err)
	}
	fmt.Fprintf(a.stdout, "weekmap demo: the sample calendar's report is at http://%s/ (metrics at /metrics); Ctrl-C stops\n", ln.Addr())
	return serveHTTP(ctx, ln, srv, a.log)
}

// newDemo builds the sample calendar into a store in dir and returns the
// handler serving its report. It needs no config, network or credentials:
// the built-in defaults (Europe/Berlin, 09:00-17:00, the built-in rules) apply.
func newDemo(ctx context.Context, a *app, dir string) (http.Handler, error) {
	rc := report.DefaultConfig()
	loc, err := time.LoadLocation(rc.Timezone)
	if err != nil {
		return nil, fmt.Errorf("demo time zone: %w", err)
	}
	now := a.now().In(loc)
	st, err := ingest.OpenStore(ctx, filepath.Join(dir, "demo.db"))
	if err != nil {
		return nil, err
	}
	defer st.Close()
	events := sample.Generate(now, loc)
	err = st.Update(ctx, func(tx *ingest.Tx) error {
		for i := range events {
			if err := tx.Upsert(&events[i], 1); err != nil {
				return err
			}
		}
		return tx.SetState(ingest.SyncState{Calendar: sample.Calendar, Gen: 1, LastSuccess: now, LastFull: now})
	})
	if err != nil {
		return nil, fmt.Errorf("store the sample calendar: %w", err)
	}
	cls, err := classify.New(classify.DefaultConfig())
	if err != nil {
		return nil, err
	}
	r, err := buildReport(ctx, st, &rc, cls, []string{sample.Calendar}, report.LastWeeks(now, demoWeeks, loc), now)
	if err != nil {
		return nil, err
	}
	srv := newReportServer(a.log)
	if err := srv.set(r); err != nil {
		return nil, err
	}
	a.log.Debug("demo ready", "events", len(events))
	return srv.handler(), nil
}
