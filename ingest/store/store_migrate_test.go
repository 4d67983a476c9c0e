package store

import (
	"context"
	"database/sql"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/weekmap/weekmap/ingest"
)

// TestMigratesVersion1Store opens a store written by the first schema (no
// calendar_spans) that already holds a long event, and checks that the
// migration backfills the span so range queries still find that event.
func TestMigratesVersion1Store(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "weekmap.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(migrations[0] + `; PRAGMA user_version = 1`); err != nil {
		t.Fatal(err)
	}
	long := at("conference", "2026-03-01 08:00", "2026-03-20 18:00")
	// The row as version 1 wrote it: data as JSON, bounds as Unix seconds.
	if _, err := db.Exec(`INSERT INTO events (calendar, id, start_unix, end_unix, gen, data) VALUES (?, ?, ?, ?, 1, ?)`,
		long.Calendar, long.ID, long.Start.Unix(), long.End.Unix(),
		`{"calendar":"work","id":"conference","start":"2026-03-01T08:00:00Z","end":"2026-03-20T18:00:00Z"}`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	st, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("open a version 1 store: %v", err)
	}
	defer st.Close()
	var version int
	if err := st.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil || version != len(migrations) {
		t.Fatalf("got schema version %d (%v), want %d", version, err, len(migrations))
	}
	from := time.Date(2026, 3, 16, 0, 0, 0, 0, time.UTC)
	got, err := st.Events(ctx, "work", from, from.AddDate(0, 0, 7))
	if err != nil {
		t.Fatal(err)
	}
	if g := ids(got); !slices.Equal(g, []string{"work/conference"}) {
		t.Errorf("got %v in the week after migration, want the 19-day event that started two weeks earlier", g)
	}
}

// TestUpdateRollsBackOnPanic checks that a panic inside an update neither
// commits half of it nor leaves the write lock held.
func TestUpdateRollsBackOnPanic(t *testing.T) {
	st := tempStore(t)
	ctx := context.Background()
	func() {
		defer func() { recover() }()
		st.Update(ctx, func(tx ingest.Tx) error {
			e := at("half", "2026-03-16 08:00", "2026-03-16 09:00")
			if err := tx.Upsert(&e, 1); err != nil {
				t.Fatal(err)
			}
			panic("boom")
		})
	}()
	if got := allEvents(t, st, "work"); len(got) != 0 {
		t.Errorf("got %v after a panicking update, want nothing stored", ids(got))
	}
	upsert(t, st, 1, at("after", "2026-03-16 08:00", "2026-03-16 09:00"))
	if got := ids(allEvents(t, st, "work")); !slices.Equal(got, []string{"work/after"}) {
		t.Errorf("got %v, want the next update to work", got)
	}
}

// TestStorePathWithURICharacters checks that a store path with characters
// that mean something in a URI opens that very file.
func TestStorePathWithURICharacters(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "my?cal#1 100%.db")
	st, err := Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	upsert(t, st, 1, at("a", "2026-03-16 08:00", "2026-03-16 09:00"))
	st.Close()
	matches, err := filepath.Glob(filepath.Join(dir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(matches, path) {
		t.Errorf("got files %v, want %s", matches, path)
	}
}
