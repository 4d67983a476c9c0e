package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
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
JSON files and feeds, the file again if it changed. server.sync_concurrency
sources sync at once (default 8). One failing source does not stop the others;
the exit status is 1 if any failed. On a terminal a live line shows the
progress; one summary line per source follows, in the order of the config.`,
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
	// One HTTP client for every source, so that they share connections.
	b := sources.Builder{Log: a.log, HTTPClient: ingest.HTTPClient(ingest.DefaultTimeouts)}
	jobs, err := b.Jobs(cfg, names, full)
	if err != nil {
		return err
	}
	var line *progressLine
	if f, ok := a.stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		line = &progressLine{w: a.stderr, total: len(jobs)}
	}
	for i := range jobs {
		jobs[i].Options.Now = a.now()
		if line != nil {
			jobs[i].Options.Progress = line.show
		}
	}
	engine := &ingest.Engine{Store: st, Log: a.log}
	sum := &syncSummary{a: a, jobs: jobs, line: line, index: map[string]int{}, results: make([]*syncResult, len(jobs))}
	for i, j := range jobs {
		sum.index[j.Name] = i
	}
	// server.sync_concurrency sources at once: a sync mostly waits for
	// the calendar API, and SQLite takes the writes one at a time.
	engine.SyncEach(ctx, jobs, cfg.Server.SyncConcurrency, sum.done)
	sum.flush()
	switch {
	case sum.failed == 0:
		return nil
	case len(jobs) == 1:
		return sum.last
	default:
		return fmt.Errorf("%d of %d sources failed (see above)", sum.failed, len(jobs))
	}
}

// syncSummary prints one line per source as syncs finish, in the order of
// the config whatever order they finish in, so that the output of two runs
// reads alike.
type syncSummary struct {
	a    *app
	jobs []ingest.Job
	line *progressLine
	// index is each job's place in jobs, by name.
	index map[string]int

	mu      sync.Mutex
	results []*syncResult
	next    int // the first job not printed yet
	failed  int
	last    error
}

type syncResult struct {
	res ingest.Result
	err error
}

// done is SyncEach's callback, called from the goroutines of the syncs.
func (s *syncSummary) done(j ingest.Job, res ingest.Result, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.results[s.index[j.Name]] = &syncResult{res, err}
	s.line.finished()
	for ; s.next < len(s.jobs) && s.results[s.next] != nil; s.next++ {
		s.print(s.jobs[s.next].Name, s.results[s.next])
	}
}

// flush prints the results still held back by a job that never ran (the
// sync was interrupted before it started).
func (s *syncSummary) flush() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for ; s.next < len(s.jobs); s.next++ {
		if r := s.results[s.next]; r != nil {
			s.print(s.jobs[s.next].Name, r)
		}
	}
}

func (s *syncSummary) print(name string, r *syncResult) {
	s.line.clear()
	res, a := r.res, s.a
	took := res.Took.Round(time.Millisecond)
	switch {
	case r.err != nil:
		s.last = r.err
		s.failed++
		if len(s.jobs) > 1 {
			// One failing source does not stop the others.
			fmt.Fprintf(a.stderr, "weekmap sync: %s\n", textsafe.Lines(r.err.Error()))
		}
	case res.Unchanged:
		fmt.Fprintf(a.stdout, "%s: unchanged, %d events stored (%v)\n", name, res.Stored, took)
	case res.Why != "":
		fmt.Fprintf(a.stdout, "%s: synced fully because %s: %d events stored, %d new or changed, %d deleted (%v)\n", name, res.Why, res.Stored, res.Upserted, res.Deleted, took)
	default:
		fmt.Fprintf(a.stdout, "%s: %d events stored, %d new or changed, %d deleted (%v)\n", name, res.Stored, res.Upserted, res.Deleted, took)
	}
}

// progressLine is the live line `weekmap sync` shows on a terminal:
// rewritten in place after each page of any source, cleared before a
// summary line. It shows counts only, never an event. Its methods are safe
// for concurrent use, and do nothing on a nil line (no terminal).
type progressLine struct {
	w io.Writer
	// total is how many sources the sync runs; with more than one, the
	// line also says how many are done.
	total int

	mu       sync.Mutex
	finishes int
}

func (l *progressLine) show(p ingest.Progress) {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	done := ""
	if l.total > 1 {
		done = fmt.Sprintf("[%d/%d done] ", l.finishes, l.total)
	}
	fmt.Fprintf(l.w, "\r\x1b[K%s%s: page %d, %d events", done, p.Source, p.Pages, p.Events)
}

// finished counts one source done.
func (l *progressLine) finished() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.finishes++
}

func (l *progressLine) clear() {
	if l == nil {
		return
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprint(l.w, "\r\x1b[K")
}
