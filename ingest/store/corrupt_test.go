package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/ingest"
)

// fileLike is a source that behaves as an unchanged file does: it lists
// everything once, and then, asked with the cursor it gave, yields nothing.
type fileLike struct{ events []cal.Event }

func (f fileLike) Fetch(_ context.Context, req ingest.Request, yield func(ingest.Page) error) error {
	if !req.Full && req.Cursor.ETag == "v1" {
		return nil
	}
	return yield(ingest.Page{Full: true, Last: true, Events: append([]cal.Event(nil), f.events...), Cursor: ingest.Cursor{ETag: "v1"}})
}

// TestCorruptRowIsNamedAndRepaired damages one stored event: reading says
// which source and event and what to run, and the next sync, although the
// source is unchanged, is a full one that writes the event again.
func TestCorruptRowIsNamedAndRepaired(t *testing.T) {
	ctx := context.Background()
	st := tempStore(t)
	src := fileLike{events: []cal.Event{
		at("standup", "2026-03-16 09:00", "2026-03-16 09:15"),
		at("design-review", "2026-03-16 10:00", "2026-03-16 11:00"),
	}}
	eng := &ingest.Engine{Store: st}
	now := time.Date(2026, 3, 17, 0, 0, 0, 0, time.UTC)
	if _, err := eng.Sync(ctx, "work", src, ingest.Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	if res, err := eng.Sync(ctx, "work", src, ingest.Options{Now: now}); err != nil || !res.Unchanged {
		t.Fatalf("second sync of an unchanged source: %+v, %v; want unchanged", res, err)
	}

	if _, err := st.db.ExecContext(ctx, `UPDATE events SET data = x'02ff' WHERE id = 'design-review'`); err != nil {
		t.Fatal(err)
	}
	_, err := st.Events(ctx, "work", time.Time{}, time.Time{})
	var ce *CorruptError
	if !errors.As(err, &ce) {
		t.Fatalf("Events over a corrupt row: %v; want a *CorruptError", err)
	}
	if ce.Source != "work" || ce.ID != "design-review" {
		t.Errorf("CorruptError names source %q, event %q; want work, design-review", ce.Source, ce.ID)
	}
	for _, want := range []string{st.Path(), `"design-review"`, `weekmap sync --source work --full`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not contain %q", err, want)
		}
	}
	// Every reader sees the same error, including the all-sources one.
	if _, err := st.Events(ctx, "", time.Time{}, time.Time{}); !errors.As(err, &ce) {
		t.Errorf("Events of every source: %v; want a *CorruptError", err)
	}

	res, err := eng.Sync(ctx, "work", src, ingest.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Full || !strings.Contains(res.Why, "could not be read") {
		t.Errorf("sync after damage: full %v, why %q; want a full sync saying a stored event could not be read", res.Full, res.Why)
	}
	if got := ids(allEvents(t, st, "work")); strings.Join(got, ",") != "work/standup,work/design-review" {
		t.Errorf("after repair: %v", got)
	}
	if res, err := eng.Sync(ctx, "work", src, ingest.Options{Now: now}); err != nil || !res.Unchanged {
		t.Errorf("sync after repair: %+v, %v; want unchanged again", res, err)
	}
}
