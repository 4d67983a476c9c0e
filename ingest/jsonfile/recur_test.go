package jsonfile

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/weekmap/weekmap/ingest/recur"
)

// TestResolveRecurrenceLimits: a master whose rule can never produce an
// instance is skipped and the rest of the file is read, quickly; masters
// that would make a million instances refuse the file in one sentence that
// names the file, the line and the master.
func TestResolveRecurrenceLimits(t *testing.T) {
	from := time.Date(2025, 11, 17, 0, 0, 0, 0, time.UTC)
	to := time.Date(2026, 5, 31, 0, 0, 0, 0, time.UTC)
	t.Run("a master that never yields", func(t *testing.T) {
		lines := []string{
			`{"id": "never", "start": {"dateTime": "2026-03-02T00:00:00Z"}, "end": {"dateTime": "2026-03-02T00:30:00Z"}, "recurrence": ["RRULE:FREQ=HOURLY;INTERVAL=2;BYHOUR=1"]}`,
			`{"id": "one", "start": {"dateTime": "2026-03-25T15:00:00Z"}, "end": {"dateTime": "2026-03-25T16:00:00Z"}}`,
			`{"id": "wk", "start": {"dateTime": "2026-03-02T09:00:00Z"}, "end": {"dateTime": "2026-03-02T09:30:00Z"}, "recurrence": ["RRULE:FREQ=WEEKLY;COUNT=3"]}`,
		}
		items, err := decodeFile("never.jsonl", []byte(strings.Join(lines, "\n")))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		events, _, err := resolve(slog.New(slog.DiscardHandler), "c", "never.jsonl", items, from, to)
		if err != nil {
			t.Fatalf("got %v, want the never-yielding master skipped and the rest read", err)
		}
		var ids []string
		for _, e := range events {
			ids = append(ids, e.ID)
		}
		if got, want := strings.Join(ids, " "), "wk_20260302T090000Z wk_20260309T090000Z wk_20260316T090000Z one"; got != want {
			t.Errorf("got %s, want %s", got, want)
		}
		if took := time.Since(start); took > 2*time.Second {
			t.Errorf("took %v, want well under a second", took)
		}
	})
	t.Run("masters of a million instances", func(t *testing.T) {
		var lines []string
		for i := range 10 {
			lines = append(lines, fmt.Sprintf(`{"id": "m%d", "start": {"dateTime": "2025-11-17T00:%02d:00Z"}, "end": {"dateTime": "2025-11-17T00:%02d:30Z"}, "recurrence": ["RRULE:FREQ=MINUTELY;INTERVAL=3"]}`, i, i, i))
		}
		items, err := decodeFile("big.jsonl", []byte(strings.Join(lines, "\n")))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_, _, err = resolve(slog.New(slog.DiscardHandler), "c", "big.jsonl", items, from, to)
		if !errors.Is(err, recur.ErrBudget) {
			t.Fatalf("got %v, want the file refused", err)
		}
		if want := `events file big.jsonl, line 2: its recurring events take more work to expand than weekmap spends on one file (stopped at event "m1"): export a shorter date range, or drop old recurring events from the file`; err.Error() != want {
			t.Errorf("got %q, want %q", err, want)
		}
		if took := time.Since(start); took > 5*time.Second {
			t.Errorf("took %v to refuse, want a few seconds at most", took)
		}
	})
}
