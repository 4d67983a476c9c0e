package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"golang.org/x/term"

	"github.com/spf13/cobra"
	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/ingest/sources"
	"github.com/weekmap/weekmap/ingest/store"
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
	st, err := store.Open(ctx, cfg.Store)
	if err != nil {
		return err
	}
	defer st.Close()
	jobs, err := sources.Jobs(cfg, names, full, a.log)
	if err != nil {
		return err
	}
	var line *progressLine
	if f, ok := a.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		line = &progressLine{w: a.stderr}
	}
	for i := range jobs {
		jobs[i].Options.Now = a.now()
		if line != nil {
			jobs[i].Options.Progress = line.show
		}
	}
	engine := &ingest.Engine{Store: st, Log: a.log}
	var failed int
	var last error
	// One at a time, so that the progress line and the summaries read in
	// order.
	engine.SyncEach(ctx, jobs, 1, func(j ingest.Job, res ingest.Result, err error) {
		line.clear()
		took := res.Took.Round(time.Millisecond)
		switch {
		case err != nil:
			last = err
			failed++
			if len(jobs) > 1 {
				// One failing source does not stop the others.
				fmt.Fprintf(a.stderr, "weekmap sync: %s\n", textsafe.Lines(err.Error()))
			}
		case res.Unchanged:
			fmt.Fprintf(a.stdout, "%s: unchanged, %d events stored (%v)\n", j.Name, res.Stored, took)
		case res.Why != "":
			fmt.Fprintf(a.stdout, "%s: synced fully because %s: %d events stored, %d new or changed, %d deleted (%v)\n", j.Name, res.Why, res.Stored, res.Upserted, res.Deleted, took)
		default:
			fmt.Fprintf(a.stdout, "%s: %d events stored, %d new or changed, %d deleted (%v)\n", j.Name, res.Stored, res.Upserted, res.Deleted, took)
		}
	})
	switch {
	case failed == 0:
		return nil
	case len(jobs) == 1:
		return last
	default:
		return fmt.Errorf("%d of %d sources failed (see above)", failed, len(jobs))
	}
}

// progressLine is the live line `weekmap sync` shows on a terminal:
// rewritten in place after each page, cleared when the source is done. It
// shows counts only, never an event.
type progressLine struct {
	w io.Writer
}

func (l *progressLine) show(p ingest.Progress) {
	fmt.Fprintf(l.w, "\r\x1b[K%s: page %d, %d events", p.Source, p.Pages, p.Events)
}

func (l *progressLine) clear() {
	if l != nil {
		fmt.Fprint(l.w, "\r\x1b[K")
	}
}
