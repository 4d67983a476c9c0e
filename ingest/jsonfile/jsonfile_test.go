package jsonfile

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/ingest/store"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// now is a Wednesday; the window below reaches back four weeks and ahead
// two.
var now = time.Date(2026, 3, 25, 12, 0, 0, 0, time.UTC)

var window = config.Window{Past: config.Span(28 * 24 * time.Hour), Future: config.Span(14 * 24 * time.Hour)}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "weekmap.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// syncSource syncs src into st as weekmap sync does; the result leaves out
// the time it took and the count stored, which tests check apart.
func syncSource(ctx context.Context, st *store.Store, src *Source, opts ingest.Options) (ingest.Result, error) {
	res, err := (&ingest.Engine{Store: st}).Sync(ctx, src.cfg.Name, src, opts)
	res.Took, res.Stored = 0, 0
	return res, err
}

func source(path string) *Source {
	return New(config.Source{Name: "saved", Type: config.TypeJSON, Path: path, SyncWindow: window}, nil)
}

// copyFile puts a testdata file where a test may rewrite it.
func copyFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// stored renders the source's stored events, one JSON object a line, as
// the store returns them.
func stored(t *testing.T, st *store.Store) string {
	t.Helper()
	events, err := st.Events(context.Background(), "saved", time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	for _, e := range events {
		line, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		b.Write(line)
		b.WriteByte('\n')
	}
	return b.String()
}

func storedIDs(t *testing.T, st *store.Store) []string {
	t.Helper()
	events, err := st.Events(context.Background(), "saved", time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range events {
		ids = append(ids, e.ID)
	}
	slices.Sort(ids)
	return ids
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("stored events differ from %s (rerun with -update if intended)\ngot:\n%s\nwant:\n%s", path, got, want)
	}
}

func TestSync(t *testing.T) {
	tests := []struct {
		file, golden string
		upserted     int
	}{
		{"basic.json", "basic.golden", 3},
		// The same events as JSON lines, and as the events.list response
		// the API explorer shows, must store exactly the same.
		{"basic.jsonl", "basic.golden", 3},
		{"basic_list.json", "basic.golden", 3},
		// A cancelled instance listed before its master, an override of
		// another instance, a single event, a cancelled single event and a
		// cancelled series.
		{"recurring.jsonl", "recurring.golden", 9},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			st := openStore(t)
			var progress []ingest.Progress
			res, err := syncSource(context.Background(), st, source(filepath.Join("testdata", tt.file)), ingest.Options{
				Now:      now,
				Progress: func(p ingest.Progress) { progress = append(progress, p) },
			})
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			want := ingest.Result{Pages: 1, Upserted: tt.upserted, Full: true}
			if res != want {
				t.Errorf("got result %+v, want %+v", res, want)
			}
			if len(progress) != 1 || progress[0].Events != tt.upserted {
				t.Errorf("got progress %+v, want one report of %d events", progress, tt.upserted)
			}
			golden(t, tt.golden, stored(t, st))
			state, err := st.State(context.Background(), "saved")
			if err != nil {
				t.Fatal(err)
			}
			if state.Gen != 1 || !state.LastSuccess.Equal(now) || !state.LastFull.Equal(now) || state.LastModified == "" {
				t.Errorf("got state %+v, want gen 1, last success and last full at %v, a file stamp", state, now)
			}
		})
	}
}

func TestSyncErrors(t *testing.T) {
	tests := []struct {
		file string
		want []string
	}{
		{"malformed.jsonl", []string{"malformed.jsonl, line 3:", "invalid character '}'"}},
		{"malformed_array.json", []string{"malformed_array.json, line 6:", "invalid character"}},
		{"wrongtype.json", []string{"wrongtype.json, line 4:", `field "summary" is a JSON number where Google writes a string`}},
		{"badtime.jsonl", []string{"badtime.jsonl, line 2:", `event "bt2"`, `dateTime "2026-03-02 10:00" is not an RFC 3339 time`}},
		{"missing.json", []string{"json source saved:", "missing.json does not exist: export the calendar to that path, or correct the source's path"}},
		// An id is quoted, so that escape sequences in it stay text.
		{"escapes.jsonl", []string{"escapes.jsonl, line 1:", `event "x\x1b]0;owned\a\x1b[2J": start dateTime "soon"`}},
		{"calendarlist.json", []string{"calendarlist.json, line 1: this is a calendarList response (the list of your calendars), not events: save events.list output instead"}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			st := openStore(t)
			_, err := syncSource(context.Background(), st, source(filepath.Join("testdata", tt.file)), ingest.Options{Now: now})
			if err == nil {
				t.Fatalf("got no error, want one containing %q", tt.want)
			}
			if testing.Verbose() {
				t.Log(err)
			}
			want := ingest.ReasonInvalidData
			if tt.file == "missing.json" {
				want = ingest.ReasonOther
			}
			if got := ingest.ReasonOf(err); got != want {
				t.Errorf("reason %q, want %q", got, want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got error %q, want it to contain %q", err, w)
				}
			}
			if strings.ContainsAny(err.Error(), "\x1b\a\n") {
				t.Errorf("error %q has a raw control character", err)
			}
			if strings.Contains(err.Error(), "Secret") {
				t.Errorf("error %q leaks an event title", err)
			}
			if n := stored(t, st); n != "" {
				t.Errorf("got stored events after a failed sync:\n%s\nwant none", n)
			}
			if state, _ := st.State(context.Background(), "saved"); state.Gen != 0 {
				t.Errorf("got sync state %+v after a failed sync, want none", state)
			}
		})
	}
}

func TestResyncReplaces(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	path := copyFile(t, "basic.jsonl")
	src := source(path)
	if _, err := syncSource(ctx, st, src, ingest.Options{Now: now}); err != nil {
		t.Fatal(err)
	}

	// Drop the private event from the file.
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, line := range strings.Split(string(data), "\n") {
		if !strings.Contains(line, `"priv0324"`) {
			kept = append(kept, line)
		}
	}
	if err := os.WriteFile(path, []byte(strings.Join(kept, "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := syncSource(ctx, st, src, ingest.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if want := (ingest.Result{Pages: 1, Upserted: 2, Deleted: 1, Full: true}); res != want {
		t.Errorf("got result %+v, want %+v", res, want)
	}
	if got, want := storedIDs(t, st), []string{"7kq2a1design", "ooo0326"}; !slices.Equal(got, want) {
		t.Errorf("got stored ids %v, want %v", got, want)
	}

	// A broken file afterwards changes nothing.
	before := stored(t, st)
	if err := os.WriteFile(path, []byte(`{"id": "x",`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := syncSource(ctx, st, src, ingest.Options{Now: now}); err == nil {
		t.Fatal("got no error for a broken file, want one")
	}
	if after := stored(t, st); after != before {
		t.Errorf("got stored events\n%s\nafter a failed sync, want them unchanged:\n%s", after, before)
	}
}

func TestResyncIdempotent(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	src := source(copyFile(t, "basic.json"))
	if _, err := syncSource(ctx, st, src, ingest.Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	first := stored(t, st)

	res, err := syncSource(ctx, st, src, ingest.Options{Now: now.Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if want := (ingest.Result{Unchanged: true}); res != want {
		t.Errorf("unchanged file: got result %+v, want %+v", res, want)
	}

	res, err = syncSource(ctx, st, src, ingest.Options{Now: now.Add(time.Hour), Full: true})
	if err != nil {
		t.Fatal(err)
	}
	if want := (ingest.Result{Pages: 1, Upserted: 3, Full: true}); res != want {
		t.Errorf("full resync: got result %+v, want %+v", res, want)
	}
	if again := stored(t, st); again != first {
		t.Errorf("full resync changed the stored events:\ngot:\n%s\nwant:\n%s", again, first)
	}
	counts, err := st.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if counts["saved"] != 3 {
		t.Errorf("got %d stored events, want 3", counts["saved"])
	}
	if state, _ := st.State(ctx, "saved"); state.Gen != 2 {
		t.Errorf("got generation %d after two reads, want 2", state.Gen)
	}
}

// A file with recurring series is expanded again once a day even when it
// has not changed, because the window moves.
func TestSeriesFollowTheWindow(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	src := source(copyFile(t, "recurring.jsonl"))
	if _, err := syncSource(ctx, st, src, ingest.Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	res, err := syncSource(ctx, st, src, ingest.Options{Now: now.Add(2 * time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Unchanged {
		t.Errorf("same day: got result %+v, want Unchanged", res)
	}
	res, err = syncSource(ctx, st, src, ingest.Options{Now: now.AddDate(0, 0, 7)})
	if err != nil {
		t.Fatal(err)
	}
	// A week later the window starts on 4 March: the 2 March instance
	// leaves, the 13 April one arrives.
	if res.Unchanged || res.Deleted != 1 {
		t.Errorf("a week later: got result %+v, want a sync that deletes one instance", res)
	}
	ids := storedIDs(t, st)
	if !slices.Contains(ids, "wk_20260413T070000Z") || slices.Contains(ids, "wk_20260302T080000Z") {
		t.Errorf("a week later: got ids %v, want wk_20260413T070000Z and not wk_20260302T080000Z", ids)
	}
}

// syncedBasic returns a store holding basic.jsonl's events, synced from a
// copy at path, and how the store looks.
func syncedBasic(t *testing.T) (st *store.Store, path, before string) {
	t.Helper()
	st = openStore(t)
	path = copyFile(t, "basic.jsonl")
	if _, err := syncSource(context.Background(), st, source(path), ingest.Options{Now: now}); err != nil {
		t.Fatal(err)
	}
	return st, path, stored(t, st)
}

// unchanged checks that a refused sync left the store as it was.
func unchanged(t *testing.T, st *store.Store, before string) {
	t.Helper()
	if after := stored(t, st); after != before {
		t.Errorf("got stored events\n%s\nafter a refused sync, want them unchanged:\n%s", after, before)
	}
	if state, _ := st.State(context.Background(), "saved"); state.Gen != 1 {
		t.Errorf("got generation %d after a refused sync, want 1", state.Gen)
	}
}

// An empty file is what an export caught in the middle of being rewritten
// looks like: it is refused, not read as "no events, delete them all".
func TestSyncEmptyFile(t *testing.T) {
	for name, content := range map[string]string{"empty": "", "whitespace": " \r\n\t\n", "byte order mark": "\xef\xbb\xbf\n"} {
		t.Run(name, func(t *testing.T) {
			st, path, before := syncedBasic(t)
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			_, err := syncSource(context.Background(), st, source(path), ingest.Options{Now: now})
			want := "json source saved: events file " + path + " is empty; if an export is being written, sync again when it is done; an empty calendar is written as []"
			if err == nil || err.Error() != want {
				t.Errorf("got error %v, want %q", err, want)
			}
			unchanged(t, st, before)
		})
	}
}

// An empty calendar is written as an empty array or an events.list
// response without items: its events are deleted.
func TestSyncNoEvents(t *testing.T) {
	for _, content := range []string{"[]\n", `{"items": []}`, `{"kind": "calendar#events", "nextSyncToken": "x", "items": []}`} {
		t.Run(content, func(t *testing.T) {
			st, path, _ := syncedBasic(t)
			if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
				t.Fatal(err)
			}
			res, err := syncSource(context.Background(), st, source(path), ingest.Options{Now: now})
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if want := (ingest.Result{Pages: 1, Deleted: 3, Full: true}); res != want {
				t.Errorf("got result %+v, want %+v", res, want)
			}
			if got := stored(t, st); got != "" {
				t.Errorf("got stored events\n%s\nwant none", got)
			}
		})
	}
}

// The events a file may hold are bounded, so that 50 MiB of tiny events
// cannot take gigabytes.
func TestSyncTooManyEvents(t *testing.T) {
	st, path, before := syncedBasic(t)
	var b bytes.Buffer
	for i := range maxEvents + 1 {
		fmt.Fprintf(&b, "{\"id\":\"e%d\"}\n", i)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := syncSource(context.Background(), st, source(path), ingest.Options{Now: now})
	want := fmt.Sprintf("json source saved: events file %s, line %d: more than 100,000 events, more than weekmap reads from one file: export a shorter date range", path, maxEvents+1)
	if err == nil || err.Error() != want {
		t.Errorf("got error %v, want %q", err, want)
	}
	unchanged(t, st, before)
}
