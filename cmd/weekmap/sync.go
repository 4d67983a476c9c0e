package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"time"

	"golang.org/x/term"

	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/ingest/google"
	"github.com/weekmap/weekmap/ingest/jsonfile"
)

func runSync(ctx context.Context, a *app, args []string) error {
	fs := a.newFlags("sync")
	source := fs.String("source", "", "sync only the source `NAME`")
	full := fs.Bool("full", false, "ignore sync tokens and cache validators: fetch everything again")
	if err := a.parse(fs, args); err != nil {
		return err
	}
	cfg, err := a.config()
	if err != nil {
		return err
	}
	names, err := calendarNames(cfg.Ingest.Sources, *source)
	if err != nil {
		return err
	}
	st, err := ingest.OpenStore(ctx, cfg.Ingest.Store)
	if err != nil {
		return err
	}
	defer st.Close()

	var failed int
	var last error
	for _, sc := range cfg.Ingest.Sources {
		if !slices.Contains(names, sc.Name) {
			continue
		}
		if err := a.syncOne(ctx, st, sc, *full); err != nil {
			last = err
			failed++
			if len(names) > 1 {
				// One failing source does not stop the others.
				fmt.Fprintf(a.stderr, "weekmap sync: %v\n", err)
			}
		}
	}
	switch {
	case failed == 0:
		return nil
	case len(names) == 1:
		return last
	default:
		return fmt.Errorf("%d of %d sources failed (see above)", failed, len(names))
	}
}

func (a *app) syncOne(ctx context.Context, st *ingest.Store, sc ingest.SourceConfig, full bool) error {
	src, err := newSource(sc)
	if err != nil {
		return err
	}
	start := time.Now()
	res, err := src.Sync(ctx, st, ingest.SyncOptions{Full: full, Now: a.now()})
	if err != nil {
		return err
	}
	counts, err := st.Counts(ctx)
	if err != nil {
		return err
	}
	took := time.Since(start).Round(time.Millisecond)
	a.log.Debug("synced", "source", sc.Name, "pages", res.Pages, "upserted", res.Upserted, "deleted", res.Deleted, "full", res.Full, "duration", took)
	if res.Unchanged {
		fmt.Fprintf(a.stdout, "%s: unchanged, %d events stored (%v)\n", sc.Name, counts[sc.Name], took)
		return nil
	}
	fmt.Fprintf(a.stdout, "%s: %d events stored, %d new or changed, %d deleted (%v)\n", sc.Name, counts[sc.Name], res.Upserted, res.Deleted, took)
	return nil
}

// newSource builds the ingest.Source for a configured source.
func newSource(sc ingest.SourceConfig) (ingest.Source, error) {
	switch sc.Type {
	case ingest.TypeJSON:
		return jsonfile.New(sc), nil
	case ingest.TypeGoogle:
		// newSource has no app to take a logger from: warnings (an expired
		// sync token, retries) go to stderr, where weekmap's log goes.
		opts := google.Options{Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))}
		if term.IsTerminal(int(os.Stderr.Fd())) {
			opts.Progress = os.Stderr
		}
		return google.New(sc, opts), nil
	default:
		return nil, fmt.Errorf("%s sources are not supported by this version of weekmap yet (json and google are)", sc.Type)
	}
}
