package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"time"

	"golang.org/x/term"

	"github.com/spf13/cobra"
	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/ingest/google"
	"github.com/weekmap/weekmap/ingest/ics"
	"github.com/weekmap/weekmap/ingest/jsonfile"
	"github.com/weekmap/weekmap/internal/textsafe"
)

func newSyncCmd(a *app) *cobra.Command {
	var source string
	var full bool
	cmd := &cobra.Command{
		Use:   "sync [--source NAME] [--full]",
		Short: "Pull every configured source into the store",
		Long: `sync brings the store up to date with every configured source: for Google,
only the changes since the last sync (a full sync the first time); for ICS and
JSON files and feeds, the file again if it changed. One failing source does not
stop the others; the exit status is 1 if any failed. On a terminal a live line
shows the progress; otherwise one summary line per source.`,
		Example: "  weekmap sync\n  weekmap sync --source work --full",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSync(cmd.Context(), a, source, full)
		},
	}
	cmd.Flags().StringVar(&source, "source", "", "sync only the source `NAME`")
	cmd.Flags().BoolVar(&full, "full", false, "ignore sync tokens and cache validators: fetch everything again")
	return cmd
}

func runSync(ctx context.Context, a *app, source string, full bool) error {
	cfg, err := a.config()
	if err != nil {
		return err
	}
	names, err := calendarNames(cfg.Sources, source)
	if err != nil {
		return err
	}
	st, err := ingest.OpenStore(ctx, cfg.Store)
	if err != nil {
		return err
	}
	defer st.Close()
	s := &syncer{a: a, cfg: cfg, store: st, progress: term.IsTerminal(int(os.Stderr.Fd()))}

	var failed int
	var last error
	for _, sc := range cfg.Sources {
		if !slices.Contains(names, sc.Name) {
			continue
		}
		res, err := s.sync(ctx, sc, full)
		if err != nil {
			last = err
			failed++
			if len(names) > 1 {
				// One failing source does not stop the others.
				fmt.Fprintf(a.stderr, "weekmap sync: %s\n", textsafe.Lines(err.Error()))
			}
			continue
		}
		if res.Unchanged {
			fmt.Fprintf(a.stdout, "%s: unchanged, %d events stored (%v)\n", sc.Name, res.stored, res.took)
		} else {
			fmt.Fprintf(a.stdout, "%s: %d events stored, %d new or changed, %d deleted (%v)\n", sc.Name, res.stored, res.Upserted, res.Deleted, res.took)
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

// syncer syncs configured sources into a store: `sync`, `serve` and `demo`
// share it, so a source behaves the same everywhere.
type syncer struct {
	a       *app
	cfg     *config.Config
	store   *ingest.Store
	metrics *ingest.Metrics // nil records nothing
	// progress shows the google source's live line on stderr.
	progress bool
}

type syncOutcome struct {
	ingest.SyncResult
	stored int
	took   time.Duration
}

// sync runs one source once and records its metrics.
func (s *syncer) sync(ctx context.Context, sc config.Source, full bool) (syncOutcome, error) {
	src, err := s.newSource(sc)
	if err != nil {
		return syncOutcome{}, err
	}
	s.metrics.Init(sc.Name)
	start := time.Now()
	res, err := src.Sync(ctx, s.store, ingest.SyncOptions{Full: full, Now: s.a.now()})
	out := syncOutcome{SyncResult: res, took: time.Since(start).Round(time.Millisecond)}
	if err == nil {
		out.stored, err = s.store.Count(ctx, sc.Name)
	}
	// The google source meters itself, with the detail of each request and
	// retry; file sources are metered here.
	if sc.Type != config.TypeGoogle {
		if err != nil && ctx.Err() == nil {
			s.metrics.CountError(sc.Name, ingest.ReasonOther)
		}
		s.metrics.Finished(sc.Name, start, time.Now(), out.stored, err)
	}
	if err != nil {
		return out, err
	}
	s.a.log.Debug("synced", "source", sc.Name, "pages", res.Pages, "upserted", res.Upserted, "deleted", res.Deleted, "full", res.Full, "duration", out.took)
	return out, nil
}

// newSource builds the ingest.Source for a configured source.
func (s *syncer) newSource(sc config.Source) (ingest.Source, error) {
	switch sc.Type {
	case config.TypeJSON:
		return jsonfile.New(sc), nil
	case config.TypeICS:
		loc := s.cfg.Timezone
		return ics.New(sc, loc, sc.Owners, nil).WithLogger(s.a.log), nil
	case config.TypeGoogle:
		opts := google.Options{Logger: s.a.log, Metrics: s.metrics}
		if s.progress {
			opts.Progress = s.a.stderr
		}
		return google.New(sc, opts), nil
	default:
		return nil, fmt.Errorf("source %s: unknown type %q", sc.Name, sc.Type)
	}
}
