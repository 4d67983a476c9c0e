package store

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/ingest"
)

// TestWritersQueue: writers of concurrent syncs wait their turn however
// long the one writing takes — here longer than SQLite's busy timeout of
// 10 s, after which a waiter left to SQLite fails with "database is
// locked" — and a waiter whose context ends stops waiting at once.
func TestWritersQueue(t *testing.T) {
	if testing.Short() {
		t.Skip("holds a write transaction for 11 s")
	}
	ctx := context.Background()
	st, err := Open(ctx, filepath.Join(t.TempDir(), "weekmap.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	upsert := func(calendar string) func(ingest.Tx) error {
		return func(tx ingest.Tx) error {
			start := time.Date(2026, 11, 17, 10, 0, 0, 0, time.UTC)
			return tx.Upsert(&cal.Event{Calendar: calendar, ID: "e1", Start: start, End: start.Add(time.Hour)}, 1)
		}
	}
	writing := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		err := st.Update(ctx, func(tx ingest.Tx) error {
			close(writing)
			time.Sleep(11 * time.Second)
			return upsert("slow")(tx)
		})
		if err != nil {
			t.Errorf("slow writer: %v", err)
		}
	})
	<-writing
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() { errs[i] = st.Update(ctx, upsert(fmt.Sprint("w", i))) })
	}
	cancelled, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := st.Update(cancelled, upsert("gone")); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 2*time.Second {
		t.Errorf("a waiter whose context ended: %v after %v, want the context's error at once", err, time.Since(start))
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("writer %d: %v, want it to wait its turn and commit", i, err)
		}
	}
	counts, err := st.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"slow": 1, "w0": 1, "w1": 1, "w2": 1, "w3": 1}; fmt.Sprint(counts) != fmt.Sprint(want) {
		t.Errorf("stored %v, want %v", counts, want)
	}
}
