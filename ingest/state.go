package ingest

import (
	"context"
	"time"

	"github.com/weekmap/weekmap/cal"
)

// SyncState is what a source remembers between syncs.
type SyncState struct {
	Calendar string
	// SyncToken is Google's nextSyncToken; empty forces a full sync.
	SyncToken string
	// ETag and LastModified are an ICS feed's cache validators.
	ETag         string
	LastModified string
	// CursorExpires is when the validators stop being worth sending.
	CursorExpires time.Time
	// Fingerprint is the config the last full listing was made with.
	Fingerprint string
	// Gen is the generation of the last full listing (see DeleteStale).
	Gen int64
	// Repair, when not empty, says why the next sync must be a full one
	// although the cursor is good (a stored event could not be read).
	Repair      string
	LastSuccess time.Time
	LastFull    time.Time
	// LastErrorAt is when the last failed sync started, LastErrorReason its
	// reason (as in weekmap_sync_errors_total) and LastError its message.
	// A later success clears them (see Succeeded): times are stored to the
	// second, so a failure and the fix's sync a moment later could not be
	// told apart by time alone.
	LastErrorAt     time.Time
	LastErrorReason string
	LastError       string
}

// Failing reports whether the source's last sync failed. (Stores written
// before successes cleared the failure keep both; the later one counts.)
func (s SyncState) Failing() bool {
	return !s.LastErrorAt.IsZero() && !s.LastErrorAt.Before(s.LastSuccess)
}

// Succeeded records a sync that started at now and succeeded.
func (s *SyncState) Succeeded(now time.Time) {
	s.LastSuccess = now
	s.LastErrorAt, s.LastErrorReason, s.LastError = time.Time{}, "", ""
}

// Store is where the engine commits: package store's SQLite database.
type Store interface {
	// State returns calendar's sync state (zero if it never synced).
	State(ctx context.Context, calendar string) (SyncState, error)
	// Count returns how many events calendar has stored.
	Count(ctx context.Context, calendar string) (int, error)
	// Update runs fn in one write transaction, committed if fn returns nil.
	Update(ctx context.Context, fn func(Tx) error) error
}

// Tx is one write transaction: everything done through it is committed
// together or not at all.
type Tx interface {
	State(calendar string) (SyncState, error)
	SetState(SyncState) error
	// Upsert stores e, replacing the event with its calendar and id, and
	// stamps it with the generation gen (see DeleteStale).
	Upsert(e *cal.Event, gen int64) error
	// Delete removes one event; a missing one is not an error.
	Delete(calendar, id string) (bool, error)
	// DeleteStale removes calendar's events stamped with a generation
	// below gen: what a full listing stamped gen did not see.
	DeleteStale(calendar string, gen int64) (int, error)
}
