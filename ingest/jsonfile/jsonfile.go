// Package jsonfile is the json source: a file of Google Calendar v3 Event
// resources, saved by a script or a data pipeline, either as a JSON array
// or as one object a line. Every sync that reads the file replaces the
// source's events with what the file holds.
package jsonfile

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"time"

	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/ingest/googleevent"
	"github.com/weekmap/weekmap/ingest/recur"
)

// Source reads one json source. It keeps no state of its own: what it
// remembers between syncs is in the store's sync state.
type Source struct {
	cfg ingest.SourceConfig
}

var _ ingest.Source = (*Source)(nil)

// New returns the source for cfg, a source of type json. A zero sync window
// (a config that was not validated) means ingest.DefaultWindow.
func New(cfg ingest.SourceConfig) *Source {
	if cfg.SyncWindow.Past == 0 && cfg.SyncWindow.Future == 0 {
		cfg.SyncWindow = ingest.DefaultWindow
	}
	return &Source{cfg: cfg}
}

// Name is the configured source name.
func (s *Source) Name() string { return s.cfg.Name }

// Sync reads the file and, in one store transaction, stores every event it
// holds, deletes the source's events it no longer holds and saves the sync
// state. Recurring masters are expanded within the sync window around
// opts.Now; instances in the file override the expanded instance they
// replace, and cancelled ones remove it.
//
// When the file's modification time and size are those of the last sync,
// and the last expansion was done the same (UTC) day, Sync does nothing and
// reports Unchanged, unless opts.Full. A file that cannot be read or parsed
// leaves the store untouched.
func (s *Source) Sync(ctx context.Context, st *ingest.Store, opts ingest.SyncOptions) (ingest.SyncResult, error) {
	now := opts.Time()
	// Stat before reading: if the file changes in between, the next sync
	// sees a new stamp and reads it again.
	info, err := os.Stat(s.cfg.Path)
	if err != nil {
		return ingest.SyncResult{}, fmt.Errorf("json source %s: %w", s.cfg.Name, err)
	}
	prev, err := st.State(ctx, s.cfg.Name)
	if err != nil {
		return ingest.SyncResult{}, fmt.Errorf("json source %s: %w", s.cfg.Name, err)
	}
	plain, withSeries := validators(info, now)
	if !opts.Full && prev.LastModified != "" && (prev.LastModified == plain || prev.LastModified == withSeries) {
		return ingest.SyncResult{Unchanged: true}, nil
	}

	data, err := os.ReadFile(s.cfg.Path)
	if err != nil {
		return ingest.SyncResult{}, fmt.Errorf("json source %s: %w", s.cfg.Name, err)
	}
	items, err := decodeFile(s.cfg.Path, data)
	if err != nil {
		return ingest.SyncResult{}, fmt.Errorf("json source %s: %w", s.cfg.Name, err)
	}
	from, to := s.cfg.SyncWindow.Bounds(now)
	events, hasSeries, err := resolve(s.cfg.Name, s.cfg.Path, items, from, to)
	if err != nil {
		return ingest.SyncResult{}, fmt.Errorf("json source %s: %w", s.cfg.Name, err)
	}
	validator := plain
	if hasSeries {
		validator = withSeries
	}

	res, err := st.Replace(ctx, s.cfg.Name, events, now, func(state *ingest.SyncState) {
		state.LastModified = validator
	})
	if err != nil {
		return ingest.SyncResult{}, fmt.Errorf("json source %s: %w", s.cfg.Name, err)
	}
	if opts.Progress != nil {
		opts.Progress(ingest.Progress{Pages: 1, Events: len(events)})
	}
	return res, nil
}

// validators return the SyncState.LastModified value for the file as it is
// now: plain for a file of single events, withSeries for one with recurring
// masters. The latter carries the day of the expansion, because the window
// moves with time even when the file does not: a series must be expanded
// again each day to reach the new end of the window.
func validators(info os.FileInfo, now time.Time) (plain, withSeries string) {
	plain = "mtime=" + strconv.FormatInt(info.ModTime().UnixNano(), 10) + " size=" + strconv.FormatInt(info.Size(), 10)
	return plain, plain + " expanded=" + now.UTC().Format(time.DateOnly)
}

// resolve maps the file's items to the events to store: masters expanded
// within [from, to), then single events and instances in file order, each
// replacing the expanded instance it overrides; cancelled items only
// remove. hasSeries reports whether the file had a recurring master.
func resolve(calendarName, path string, items []item, from, to time.Time) (events []ingest.Event, hasSeries bool, err error) {
	byID := map[string]ingest.Event{}
	at := func(it item, err error) error {
		return fmt.Errorf("events file %s, line %d: %w", path, it.line, err)
	}
	budget := recur.NewBudget()
	for _, it := range items {
		if len(it.ev.Recurrence) == 0 {
			continue
		}
		hasSeries = true
		if it.ev.Status == ingest.StatusCancelled {
			continue
		}
		instances, err := googleevent.Expand(calendarName, it.ev, from, to, budget)
		if recur.SkipsSeries(err) {
			slog.Warn("json: recurring event skipped", "err", at(it, err))
			continue
		}
		if err != nil {
			return nil, false, at(it, err)
		}
		for _, e := range instances {
			byID[e.ID] = e
		}
	}
	for _, it := range items {
		ev := it.ev
		if len(ev.Recurrence) > 0 {
			continue
		}
		if ev.RecurringEventId != "" && ev.OriginalStartTime != nil {
			id, err := googleevent.InstanceID(ev.RecurringEventId, ev.OriginalStartTime)
			if err != nil {
				return nil, false, at(it, err)
			}
			delete(byID, id)
		}
		if ev.Status == ingest.StatusCancelled {
			delete(byID, ev.Id)
			continue
		}
		e, err := googleevent.Map(calendarName, ev)
		if err != nil {
			return nil, false, at(it, err)
		}
		byID[e.ID] = e
	}
	events = make([]ingest.Event, 0, len(byID))
	for _, e := range byID {
		events = append(events, e)
	}
	slices.SortFunc(events, func(a, b ingest.Event) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.ID, b.ID))
	})
	return events, hasSeries, nil
}
