package ingest

import (
	"context"
	"time"
)

// Source pulls one configured calendar into the store. Implementations live
// in sub-packages (ingest/jsonfile, ingest/google, ingest/ics) and write
// through Store.Update so that every change, and the sync state that covers
// it, is committed in one transaction.
type Source interface {
	// Name is the configured source name.
	Name() string
	// Sync brings the store up to date with the calendar.
	Sync(ctx context.Context, st *Store, opts SyncOptions) (SyncResult, error)
}

// SyncOptions tune one sync.
type SyncOptions struct {
	// Full ignores any stored sync token or cache validator.
	Full bool
	// Now anchors the sync window; zero means time.Now().
	Now time.Time
	// Progress, if set, is called after each page or chunk is stored.
	Progress func(p Progress)
}

// Progress reports how far a sync has come.
type Progress struct {
	Pages  int
	Events int
}

// SyncResult summarises one sync of one source.
type SyncResult struct {
	Pages    int
	Upserted int
	Deleted  int
	// Unchanged is true when the source had nothing new (a 304, or an
	// incremental sync with no items).
	Unchanged bool
	// Full is true when the sync was a full one (asked for, first, or after
	// the source invalidated the token).
	Full bool
}

// Time is the sync's "now": Now, or the clock if Now is zero.
func (o SyncOptions) Time() time.Time {
	if o.Now.IsZero() {
		return time.Now()
	}
	return o.Now
}
