package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	"github.com/weekmap/weekmap/internal/version"
	"github.com/weekmap/weekmap/server"
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
	p, err := newPipeline(ctx, cfg)
	if err != nil {
		return err
	}
	defer p.store.Close()
	srv, err := server.New(cfg, p.store, p.cls, server.Options{Log: a.log, Now: a.now, Version: version.Version()})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Server.Addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w (set server.addr or --addr)", cfg.Server.Addr, err)
	}
	a.log.Info("serving", "url", srv.URL(ln), "sync_interval", cfg.Server.SyncInterval, "weeks", cfg.Server.Weeks)
	fmt.Fprintf(a.stdout, "weekmap serve: report at %s (metrics at /metrics)\n", srv.URL(ln))
	return srv.Run(ctx, ln)
}
