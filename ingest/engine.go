package ingest

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/weekmap/weekmap/cal"
)

// Source fetches one calendar. It knows nothing of the store: it gets the
// cursor the last sync saved and hands back pages; the Engine commits them.
type Source interface {
	// Fetch lists the calendar: everything when req.Full (a full listing),
	// otherwise what changed since req.Cursor. It calls yield with each page
	// in order, and returns yield's error as it is. A source with nothing
	// new (an unchanged file, an HTTP 304) yields no page.
	Fetch(ctx context.Context, req Request, yield func(Page) error) error
}

// Request is one Fetch.
type Request struct {
	// Cursor is what the last successful sync saved; zero the first time.
	Cursor Cursor
	// Full asks for every event: the first sync, --full, a cursor that
	// expired or that the source refused.
	Full bool
	// Now anchors the sync window.
	Now time.Time
	// Observe is told about each API response and retry, for the sync
	// metrics. Never nil.
	Observe Observer
}

// Cursor is what a source needs to list only the changes next time.
type Cursor struct {
	// SyncToken is Google's nextSyncToken.
	SyncToken string
	// ETag and LastModified are a feed's or a file's validators.
	ETag, LastModified string
	// Expires, if set, is when the cursor stops being worth sending: a
	// file expanded within a sliding window must be expanded again each
	// day even when it has not changed.
	Expires time.Time
}

// Page is one batch of a listing, committed in one transaction.
type Page struct {
	// Full marks a page of a full listing even when the request was not
	// for one: a file or a feed always yields all its events. The events
	// a full listing does not yield are deleted at its end.
	Full bool
	// Events are new or changed events, to store.
	Events []cal.Event
	// Deleted are ids of events the source no longer has (incremental
	// listings; a full listing's absent events are deleted at its end).
	Deleted []string
	// Last marks the last page of the listing. Cursor is saved with it,
	// so an interrupted sync resumes from the old cursor and loses or
	// doubles nothing.
	Last   bool
	Cursor Cursor
}

// Observer hears what a source's API calls did.
type Observer interface {
	// Response counts one response by HTTP status code.
	Response(code int)
	// Retry counts one retried failure by reason (see the Reason constants).
	Retry(reason string)
}

// NextUTCMidnight is when a cursor of a source expanded in a window around
// now expires: the window moves every day.
func NextUTCMidnight(now time.Time) time.Time {
	return now.UTC().Truncate(24 * time.Hour).Add(24 * time.Hour)
}

// ErrCursorExpired is what a source returns when it refuses the cursor
// (Google's 410 for an old sync token): the engine then lists everything.
var ErrCursorExpired = errors.New("the source no longer accepts the sync cursor")

// Reasoned is implemented by errors that know their
// weekmap_sync_errors_total reason.
type Reasoned interface {
	SyncErrorReason() string
}

// ReasonOf is the weekmap_sync_errors_total reason of a failed sync:
// what the error says of itself, else ReasonNetwork for a failed
// connection or a timeout, else ReasonOther.
func ReasonOf(err error) string {
	var r Reasoned
	if errors.As(err, &r) {
		return r.SyncErrorReason()
	}
	// Not any net.Error: a syscall.Errno is one, and a missing file is
	// not a network problem.
	var op *net.OpError
	var ne net.Error
	if errors.As(err, &op) || errors.As(err, &ne) && ne.Timeout() {
		return ReasonNetwork
	}
	return ReasonOther
}

// WithReason gives err the weekmap_sync_errors_total reason reason; nil
// stays nil. The error reads as before.
func WithReason(reason string, err error) error {
	if err == nil {
		return nil
	}
	return &reasonedError{reason: reason, err: err}
}

type reasonedError struct {
	reason string
	err    error
}

func (e *reasonedError) Error() string           { return e.err.Error() }
func (e *reasonedError) Unwrap() error           { return e.err }
func (e *reasonedError) SyncErrorReason() string { return e.reason }

// Engine syncs sources into the store. It owns everything a source does
// not: generations and the deletion of stale rows, the cursor, the sync
// state, the metrics and progress reports.
type Engine struct {
	Store Store
	// Metrics may be nil: nothing is recorded.
	Metrics *Metrics
	// Log may be nil: nothing is logged.
	Log *slog.Logger
}

func (e *Engine) log() *slog.Logger {
	if e.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return e.Log
}

// Options tune one sync.
type Options struct {
	// Full ignores the stored cursor.
	Full bool
	// Fingerprint describes the config that shapes the source's events
	// (see config.Config.Fingerprint); when it differs from the one the
	// last sync saved, the sync is a full one.
	Fingerprint string
	// Now anchors the sync window; zero means time.Now().
	Now time.Time
	// Progress, if set, is called after each page is committed.
	Progress func(Progress)
}

// Progress reports how far a sync has come.
type Progress struct {
	Source string
	Pages  int
	Events int
}

// Result summarises one sync of one source.
type Result struct {
	Pages    int
	Upserted int
	Deleted  int
	// Stored is how many events the source has in the store afterwards.
	Stored int
	// Unchanged is true when the source had nothing new.
	Unchanged bool
	// Full is true when the sync was a full listing; Why says why, when
	// the reason is worth telling (the config of the source changed, the
	// source refused the cursor).
	Full bool
	Why  string
	Took time.Duration
}

// Sync brings the store up to date with one source, called name.
func (e *Engine) Sync(ctx context.Context, name string, src Source, opts Options) (res Result, err error) {
	start := time.Now()
	now := opts.Now
	if now.IsZero() {
		now = start
	}
	e.Metrics.Init(name)
	defer func() {
		res.Took = time.Since(start)
		if err != nil && ctx.Err() == nil {
			e.Metrics.CountError(name, ReasonOf(err))
			e.recordFailure(ctx, name, now, err)
		}
		e.Metrics.Finished(name, res.Took, now, res.Stored, err)
	}()
	state, err := e.Store.State(ctx, name)
	if err != nil {
		return res, err
	}
	cursor := Cursor{SyncToken: state.SyncToken, ETag: state.ETag, LastModified: state.LastModified, Expires: state.CursorExpires}
	full := opts.Full || cursor == (Cursor{}) || !cursor.Expires.IsZero() && !now.Before(cursor.Expires)
	why := ""
	if changed := fingerprintChanges(state.Fingerprint, opts.Fingerprint); changed != "" && state.Gen > 0 {
		why = "its config changed (" + changed + ")"
		full = true
	}
	if state.Repair != "" && state.Gen > 0 {
		why = state.Repair
		full = true
	}
	l := listing{name: name, src: src, fingerprint: opts.Fingerprint, now: now, progress: opts.Progress}
	res, err = e.list(ctx, l, full, cursor)
	if errors.Is(err, ErrCursorExpired) && !full {
		e.log().Warn("the source no longer accepts the sync cursor; listing everything again", "source", name)
		e.Metrics.CountError(name, ReasonFullSyncRequired)
		why = "the source no longer accepted the sync cursor"
		res, err = e.list(ctx, l, true, Cursor{})
	}
	res.Why = why
	if err != nil {
		return res, err
	}
	if res.Stored, err = e.Store.Count(ctx, name); err != nil {
		return res, err
	}
	return res, nil
}

// recordFailure keeps the failure in the source's state, so that a
// restarted serve knows the source is failing before it syncs again. A
// store that cannot record it is logged: the sync's own error matters more.
func (e *Engine) recordFailure(ctx context.Context, name string, now time.Time, failure error) {
	err := e.Store.Update(ctx, func(tx Tx) error {
		st, err := tx.State(name)
		if err != nil {
			return err
		}
		st.LastErrorAt, st.LastErrorReason, st.LastError = now, ReasonOf(failure), failure.Error()
		return tx.SetState(st)
	})
	if err != nil {
		e.log().Warn("could not record the failed sync in the store", "source", name, "err", err)
	}
}

// listing is what one listing of a source needs besides the cursor.
type listing struct {
	name        string
	src         Source
	fingerprint string
	now         time.Time
	progress    func(Progress)
}

// list runs one listing, full or incremental, committing page by page.
// A full listing (asked for, or said so by its first page) stamps what it
// stores with a new generation and deletes the older rows at its end.
func (e *Engine) list(ctx context.Context, l listing, full bool, cursor Cursor) (Result, error) {
	res := Result{Full: full}
	if full {
		cursor = Cursor{}
	}
	req := Request{Cursor: cursor, Full: full, Now: l.now, Observe: observer{e.Metrics, l.name}}
	var gen int64
	events := 0
	sawLast := false
	err := l.src.Fetch(ctx, req, func(p Page) error {
		if sawLast {
			return errors.New("the source sent a page after its last one")
		}
		first := res.Pages == 0
		if first && p.Full {
			res.Full = true
		}
		up, del, g, err := e.commit(ctx, l, p, res.Full, first, gen)
		if err != nil {
			return err
		}
		gen = g
		res.Pages++
		res.Upserted += up
		res.Deleted += del
		events += len(p.Events) + len(p.Deleted)
		sawLast = p.Last
		e.log().Debug("page stored", "source", l.name, "page", res.Pages, "events", len(p.Events), "deleted", len(p.Deleted), "full", res.Full)
		if l.progress != nil {
			l.progress(Progress{Source: l.name, Pages: res.Pages, Events: events})
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	switch {
	case res.Pages == 0:
		// Nothing new: the source is as current as it was, as of now.
		err = e.Store.Update(ctx, func(tx Tx) error {
			st, err := tx.State(l.name)
			if err != nil {
				return err
			}
			st.Succeeded(l.now)
			return tx.SetState(st)
		})
		res.Unchanged = true
		return res, err
	case !sawLast:
		return res, fmt.Errorf("the listing of %s ended without its last page", l.name)
	}
	res.Unchanged = !res.Full && res.Upserted == 0 && res.Deleted == 0
	return res, nil
}

// commit stores one page in one transaction. The first page of a full
// listing claims a new generation in the same transaction, before any row
// is stamped with it: rows of a full listing that fails half-way must not
// look current to the next one, or events deleted in between would never
// go. The last page also saves the cursor and, for a full listing, deletes
// what the listing did not return and records the config it was made with.
func (e *Engine) commit(ctx context.Context, l listing, p Page, full, first bool, gen int64) (upserted, deleted int, _ int64, err error) {
	name, now := l.name, l.now
	err = e.Store.Update(ctx, func(tx Tx) error {
		upserted, deleted = 0, 0
		if first {
			// An incremental listing stamps with the current generation.
			state, err := tx.State(name)
			if err != nil {
				return err
			}
			if full {
				state.Gen++
				if err := tx.SetState(state); err != nil {
					return err
				}
			}
			gen = state.Gen
		}
		for i := range p.Events {
			ev := &p.Events[i]
			ev.Calendar = name
			if err := tx.Upsert(ev, gen); err != nil {
				return err
			}
			upserted++
		}
		for _, id := range p.Deleted {
			ok, err := tx.Delete(name, id)
			if err != nil {
				return err
			}
			if ok {
				deleted++
			}
		}
		if !p.Last {
			return nil
		}
		state, err := tx.State(name)
		if err != nil {
			return err
		}
		if full {
			n, err := tx.DeleteStale(name, gen)
			if err != nil {
				return err
			}
			deleted += n
			state.LastFull, state.Fingerprint = now, l.fingerprint
			state.Repair = ""
		}
		state.SyncToken, state.ETag, state.LastModified = p.Cursor.SyncToken, p.Cursor.ETag, p.Cursor.LastModified
		state.CursorExpires = p.Cursor.Expires
		state.Succeeded(now)
		return tx.SetState(state)
	})
	return upserted, deleted, gen, err
}

// fingerprintChanges names the keys whose values differ between two
// fingerprints ("k=v;k=v" as config.Config.Fingerprint writes them), or ""
// if they are the same. An empty old fingerprint (a store written before
// fingerprints) differs in every key.
func fingerprintChanges(old, cur string) string {
	if old == cur {
		return ""
	}
	parse := func(s string) map[string]string {
		m := map[string]string{}
		for part := range strings.SplitSeq(s, ";") {
			k, v, _ := strings.Cut(part, "=")
			if k != "" {
				m[k] = v
			}
		}
		return m
	}
	o, c := parse(old), parse(cur)
	var keys []string
	for k, v := range c {
		// A key the old fingerprint lacks was not recorded by the
		// weekmap that wrote it: unknown, not changed.
		if ov, had := o[k]; had && ov != v {
			keys = append(keys, k)
		}
	}
	for k := range o {
		if _, ok := c[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return strings.Join(keys, ", ")
}

// observer is an Observer that records into the sync metrics of one
// source.
type observer struct {
	m      *Metrics
	source string
}

func (o observer) Response(code int)   { o.m.CountResponse(o.source, code) }
func (o observer) Retry(reason string) { o.m.CountError(o.source, reason) }

// Job is one source to sync.
type Job struct {
	Name    string
	Source  Source
	Options Options
}

// SyncEach syncs every job, at most concurrency at a time (at least one),
// and calls done with each result as it comes, from the goroutine that ran
// the job. One failing source does not stop the others; once ctx is done,
// the jobs not yet started are not started.
func (e *Engine) SyncEach(ctx context.Context, jobs []Job, concurrency int, done func(Job, Result, error)) {
	sem := make(chan struct{}, max(concurrency, 1))
	var wg sync.WaitGroup
	for _, j := range jobs {
		select {
		case <-ctx.Done():
			wg.Wait()
			return
		case sem <- struct{}{}:
		}
		wg.Go(func() {
			defer func() { <-sem }()
			res, err := e.Sync(ctx, j.Name, j.Source, j.Options)
			done(j, res, err)
		})
	}
	wg.Wait()
}
