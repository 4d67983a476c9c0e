package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/ingest"
)

func tempStore(t testing.TB) *Store {
	t.Helper()
	st, err := Open(context.Background(), filepath.Join(t.TempDir(), "weekmap.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func upsert(t testing.TB, st *Store, gen int64, events ...cal.Event) {
	t.Helper()
	err := st.Update(context.Background(), func(tx ingest.Tx) error {
		for i := range events {
			if err := tx.Upsert(&events[i], gen); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func allEvents(t testing.TB, st *Store, calendar string) []cal.Event {
	t.Helper()
	events, err := st.Events(context.Background(), calendar, time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	return events
}

func ids(events []cal.Event) []string {
	var out []string
	for _, e := range events {
		out = append(out, e.Calendar+"/"+e.ID)
	}
	return out
}

// at builds a timed event of calendar "work" from "2006-01-02 15:04" UTC
// bounds.
func at(id, start, end string) cal.Event {
	parse := func(s string) time.Time {
		t, err := time.Parse("2006-01-02 15:04", s)
		if err != nil {
			panic(err) // test tables are constants
		}
		return t
	}
	return cal.Event{Calendar: "work", ID: id, Start: parse(start), End: parse(end), Status: cal.StatusConfirmed}
}

func TestStoreRoundTrip(t *testing.T) {
	full := cal.Event{
		Calendar: "work", ID: "abc123_20260316T080000Z",
		Title: "Design review <script>", Description: "Agenda:\n- one\n- two",
		Start: time.Date(2026, 3, 16, 8, 0, 0, 0, time.UTC), End: time.Date(2026, 3, 16, 9, 30, 0, 0, time.UTC),
		TimeZone: "Europe/Berlin", Status: cal.StatusTentative, Transparency: cal.TransparencyTransparent,
		EventType: cal.TypeFocusTime,
		Organizer: cal.Organizer{Email: "dana@example.com"},
		Attendees: []cal.Attendee{
			{Email: "me@example.com", Self: true, ResponseStatus: cal.ResponseTentative, Optional: true},
			{Email: "dana@example.com", Organizer: true, ResponseStatus: cal.ResponseAccepted},
			{Email: "room@resource.calendar.google.com", Resource: true},
		},
		RecurringEventID: "abc123", ColorID: "11", Categories: []string{"WORK", "DESIGN"},
		Updated: time.Date(2026, 3, 1, 10, 0, 0, 123e6, time.UTC),
	}
	allDay := cal.Event{
		Calendar: "work", ID: "ooo", AllDay: true, StartDate: "2026-03-17", EndDate: "2026-03-19",
		Start: time.Date(2026, 3, 17, 0, 0, 0, 0, time.UTC), End: time.Date(2026, 3, 19, 0, 0, 0, 0, time.UTC),
		Status: cal.StatusConfirmed, EventType: cal.TypeOutOfOffice,
	}
	st := tempStore(t)
	upsert(t, st, 1, full, allDay)
	got := allEvents(t, st, "work")
	if want := []cal.Event{full, allDay}; !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

// Times in other zones come back as the same instant at the same offset;
// the zone's name survives in TimeZone, not in the time.Time.
func TestStoreKeepsOffsets(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	e := cal.Event{Calendar: "work", ID: "z", TimeZone: "Europe/Berlin",
		Start: time.Date(2026, 3, 30, 9, 0, 0, 0, berlin), End: time.Date(2026, 3, 30, 10, 0, 0, 0, berlin)}
	st := tempStore(t)
	upsert(t, st, 1, e)
	got := allEvents(t, st, "work")[0]
	_, gotOff := got.Start.Zone()
	_, wantOff := e.Start.Zone()
	if !got.Start.Equal(e.Start) || !got.End.Equal(e.End) || gotOff != wantOff {
		t.Errorf("got %v–%v, want %v–%v at the same offset", got.Start, got.End, e.Start, e.End)
	}
}

func TestUpsertIdempotent(t *testing.T) {
	ctx := context.Background()
	st := tempStore(t)
	e := at("a", "2026-03-16 08:00", "2026-03-16 09:00")
	upsert(t, st, 1, e, e)
	upsert(t, st, 1, e)
	counts, err := st.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]int{"work": 1}; !reflect.DeepEqual(counts, want) {
		t.Errorf("got counts %v, want %v", counts, want)
	}
}

func TestUpsertReplaces(t *testing.T) {
	ctx := context.Background()
	st := tempStore(t)
	upsert(t, st, 1, at("a", "2026-03-16 08:00", "2026-03-16 09:00"))
	moved := at("a", "2026-03-18 14:00", "2026-03-18 15:00")
	moved.Title = "Moved"
	upsert(t, st, 2, moved)

	got := allEvents(t, st, "work")
	if len(got) != 1 || got[0].Title != "Moved" || !got[0].Start.Equal(moved.Start) {
		t.Errorf("got %+v, want only the moved event", got)
	}
	// The range columns moved with the data.
	old, err := st.Events(ctx, "work", moved.Start.AddDate(0, 0, -2), moved.Start.AddDate(0, 0, -1))
	if err != nil {
		t.Fatal(err)
	}
	if len(old) != 0 {
		t.Errorf("got %v at the old time, want nothing", ids(old))
	}
}

func TestUpsertNeedsIdentity(t *testing.T) {
	st := tempStore(t)
	for _, e := range []cal.Event{{Calendar: "work"}, {ID: "a"}} {
		err := st.Update(context.Background(), func(tx ingest.Tx) error { return tx.Upsert(&e, 1) })
		if err == nil {
			t.Errorf("upsert %+v: got no error, want one", e)
		}
	}
}

func TestEventsRange(t *testing.T) {
	st := tempStore(t)
	personal := at("p1", "2026-03-16 12:00", "2026-03-16 13:00")
	personal.Calendar = "personal"
	upsert(t, st, 1,
		at("before", "2026-03-15 08:00", "2026-03-15 09:00"),
		at("ends-at-from", "2026-03-15 23:00", "2026-03-16 00:00"),
		at("straddles-from", "2026-03-15 23:30", "2026-03-16 00:30"),
		at("inside", "2026-03-17 10:00", "2026-03-17 11:00"),
		at("covers", "2026-03-10 00:00", "2026-03-30 00:00"),
		at("straddles-to", "2026-03-22 23:30", "2026-03-23 00:30"),
		at("starts-at-to", "2026-03-23 00:00", "2026-03-23 01:00"),
		personal,
	)
	from := time.Date(2026, 3, 16, 0, 0, 0, 0, time.UTC)
	to := from.AddDate(0, 0, 7)
	tests := []struct {
		name     string
		calendar string
		from, to time.Time
		want     []string
	}{
		{"week, every calendar", "", from, to,
			[]string{"work/covers", "work/straddles-from", "personal/p1", "work/inside", "work/straddles-to"}},
		{"week, one calendar", "work", from, to,
			[]string{"work/covers", "work/straddles-from", "work/inside", "work/straddles-to"}},
		{"unknown calendar", "nope", from, to, nil},
		{"open start", "work", time.Time{}, from,
			[]string{"work/covers", "work/before", "work/ends-at-from", "work/straddles-from"}},
		{"open end", "work", to, time.Time{},
			[]string{"work/covers", "work/straddles-to", "work/starts-at-to"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := st.Events(context.Background(), tt.calendar, tt.from, tt.to)
			if err != nil {
				t.Fatal(err)
			}
			if g := ids(got); !slices.Equal(g, tt.want) {
				t.Errorf("got %v, want %v", g, tt.want)
			}
		})
	}
}

func TestDeleteStaleAndDelete(t *testing.T) {
	ctx := context.Background()
	st := tempStore(t)
	other := at("x", "2026-03-16 08:00", "2026-03-16 09:00")
	other.Calendar = "personal"
	upsert(t, st, 1, at("a", "2026-03-16 08:00", "2026-03-16 09:00"), at("b", "2026-03-16 10:00", "2026-03-16 11:00"),
		at("c", "2026-03-16 12:00", "2026-03-16 13:00"), other)
	// A second full listing saw a and b only.
	var stale int
	var deleted, missing bool
	err := st.Update(ctx, func(tx ingest.Tx) error {
		for _, e := range []cal.Event{at("a", "2026-03-16 08:00", "2026-03-16 09:00"), at("b", "2026-03-16 10:00", "2026-03-16 11:00")} {
			if err := tx.Upsert(&e, 2); err != nil {
				return err
			}
		}
		var err error
		if stale, err = tx.DeleteStale("work", 2); err != nil {
			return err
		}
		if deleted, err = tx.Delete("work", "b"); err != nil {
			return err
		}
		missing, err = tx.Delete("work", "never-there")
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if stale != 1 || !deleted || missing {
		t.Errorf("got %d stale, deleted b %v, deleted a missing event %v; want 1, true, false", stale, deleted, missing)
	}
	if got, want := ids(allEvents(t, st, "")), []string{"personal/x", "work/a"}; !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestSyncStateRoundTrip(t *testing.T) {
	ctx := context.Background()
	st := tempStore(t)
	zero, err := st.State(ctx, "work")
	if err != nil {
		t.Fatal(err)
	}
	if want := (ingest.SyncState{Calendar: "work"}); zero != want {
		t.Errorf("never synced: got %+v, want %+v", zero, want)
	}
	want := ingest.SyncState{
		Calendar: "work", SyncToken: "CPDAlvWDx70CEPDAlvWDx70CGAU=", ETag: `"33a64df5"`,
		LastModified: "Wed, 21 Oct 2026 07:28:00 GMT", Gen: 7,
		LastSuccess: time.Date(2026, 3, 25, 12, 0, 1, 0, time.UTC), LastFull: time.Date(2026, 3, 24, 6, 0, 0, 0, time.UTC),
	}
	for _, s := range []ingest.SyncState{{Calendar: "work", SyncToken: "old", Gen: 6}, want} {
		if err := st.Update(ctx, func(tx ingest.Tx) error { return tx.SetState(s) }); err != nil {
			t.Fatal(err)
		}
	}
	got, err := st.State(ctx, "work")
	if err != nil {
		t.Fatal(err)
	}
	if got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	err = st.Update(ctx, func(tx ingest.Tx) error {
		inTx, err := tx.State("work")
		if inTx != want {
			t.Errorf("in a transaction: got %+v, want %+v", inTx, want)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestUpdateRollsBack(t *testing.T) {
	ctx := context.Background()
	st := tempStore(t)
	upsert(t, st, 1, at("a", "2026-03-16 08:00", "2026-03-16 09:00"))
	before := ingest.SyncState{Calendar: "work", SyncToken: "t1", Gen: 1}
	if err := st.Update(ctx, func(tx ingest.Tx) error { return tx.SetState(before) }); err != nil {
		t.Fatal(err)
	}

	boom := errors.New("page 3 failed")
	err := st.Update(ctx, func(tx ingest.Tx) error {
		for _, e := range []cal.Event{at("a", "2026-04-01 08:00", "2026-04-01 09:00"), at("b", "2026-03-16 10:00", "2026-03-16 11:00")} {
			if err := tx.Upsert(&e, 2); err != nil {
				return err
			}
		}
		if _, err := tx.DeleteStale("work", 3); err != nil {
			return err
		}
		if err := tx.SetState(ingest.SyncState{Calendar: "work", SyncToken: "t2", Gen: 2}); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("got error %v, want the callback's", err)
	}
	got := allEvents(t, st, "work")
	if len(got) != 1 || got[0].ID != "a" || got[0].Start.Month() != time.March {
		t.Errorf("got %v after a failed update, want only a, unmoved", ids(got))
	}
	if state, _ := st.State(ctx, "work"); state != before {
		t.Errorf("got state %+v after a failed update, want %+v", state, before)
	}
}

func TestReopenKeepsDataAndSchema(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "sub", "weekmap.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	upsert(t, st, 1, at("a", "2026-03-16 08:00", "2026-03-16 09:00"))
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
	// Rerunning migration 1 would fail on the existing tables.
	st, err = Open(ctx, path)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer st.Close()
	if got := ids(allEvents(t, st, "work")); !slices.Equal(got, []string{"work/a"}) {
		t.Errorf("got %v after reopening, want [work/a]", got)
	}
	var version int
	if err := st.db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		t.Fatal(err)
	}
	if version != len(migrations) {
		t.Errorf("got schema version %d, want %d", version, len(migrations))
	}
}

// An existing SQLite file at version 0 (created by hand, say) is migrated
// in place; what else it holds is left alone.
func TestMigratesExistingFile(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "weekmap.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')`); err != nil {
		t.Fatal(err)
	}
	db.Close()

	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	upsert(t, st, 1, at("a", "2026-03-16 08:00", "2026-03-16 09:00"))
	var body string
	if err := st.db.QueryRowContext(ctx, "SELECT body FROM notes").Scan(&body); err != nil || body != "keep me" {
		t.Errorf("got notes %q, %v, want the row kept", body, err)
	}
}

func TestOpenRejects(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()

	newer := filepath.Join(dir, "newer.db")
	st, err := Open(ctx, newer)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.db.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", len(migrations)+5)); err != nil {
		t.Fatal(err)
	}
	st.Close()

	text := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(text, []byte(strings.Repeat("these are my meeting notes, not a database\n", 100)), 0o600); err != nil {
		t.Fatal(err)
	}

	tests := []struct {
		name, path string
		want       []string
	}{
		{"newer schema", newer, []string{newer, fmt.Sprintf("schema version %d is newer", len(migrations)+5), "upgrade weekmap"}},
		{"not SQLite", text, []string{text, "not a weekmap store"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := Open(ctx, tt.path)
			if err == nil {
				st.Close()
				t.Fatalf("got no error, want one containing %q", tt.want)
			}
			if testing.Verbose() {
				t.Log(err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("got error %q, want it to contain %q", err, w)
				}
			}
		})
	}
}

// BenchmarkUpsert stores batches of 2,500 events, one transaction each, as
// one page of a Google listing is stored.
func BenchmarkUpsert(b *testing.B) {
	const batch = 2500
	st := tempStore(b)
	events := make([]cal.Event, batch)
	start := time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)
	for i := range events {
		s := start.Add(time.Duration(i) * time.Hour)
		events[i] = cal.Event{
			Calendar: "work", ID: fmt.Sprintf("evt%06d", i), Title: "Design review: storage layer",
			Description: strings.Repeat("Agenda and notes. ", 8),
			Start:       s, End: s.Add(45 * time.Minute), TimeZone: "Europe/Berlin",
			Status: cal.StatusConfirmed, Transparency: cal.TransparencyOpaque, EventType: cal.TypeDefault,
			Organizer: cal.Organizer{Email: "lead@example.com"},
			Attendees: []cal.Attendee{{Email: "me@example.com", Self: true, ResponseStatus: cal.ResponseAccepted},
				{Email: "lead@example.com", Organizer: true, ResponseStatus: cal.ResponseAccepted}},
		}
	}
	gen := int64(0)
	for b.Loop() {
		gen++
		upsert(b, st, gen, events...)
	}
	b.ReportMetric(float64(batch*b.N)/b.Elapsed().Seconds(), "events/s")
}

// TestEventsRangeRandom compares Events with a plain filter and sort over
// random calendars and ranges, narrow ones (read through the start index)
// and wide ones (read from the table and sorted in Go) alike.
func TestEventsRangeRandom(t *testing.T) {
	st := tempStore(t)
	r := rand.New(rand.NewPCG(7, 8))
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var all []cal.Event
	for i := range 600 {
		start := base.Add(time.Duration(r.IntN(60*24*4)) * 15 * time.Minute)
		length := time.Duration(1+r.IntN(8)) * 15 * time.Minute
		if r.IntN(50) == 0 {
			length = time.Duration(1+r.IntN(20)) * 24 * time.Hour
		}
		all = append(all, cal.Event{Calendar: []string{"work", "personal"}[r.IntN(2)], ID: fmt.Sprintf("e%03d", r.IntN(1000)*1000+i),
			Start: start, End: start.Add(length), Title: fmt.Sprint(i)})
	}
	upsert(t, st, 1, all...)
	for i := range 200 {
		from := base.Add(time.Duration(r.IntN(70*24)) * time.Hour)
		to := from.Add(time.Duration(1+r.IntN(24*[]int{1, 7, 70}[i%3])) * time.Hour)
		for _, cal := range []string{"work", "personal"} {
			var want []string
			for _, e := range all {
				if e.Calendar == cal && e.End.After(from) && e.Start.Before(to) {
					want = append(want, e.Calendar+"/"+e.ID)
				}
			}
			slices.SortFunc(want, func(a, b string) int {
				ea, eb := find(all, a), find(all, b)
				return cmp.Or(ea.Start.Compare(eb.Start), strings.Compare(ea.ID, eb.ID))
			})
			got, err := st.Events(context.Background(), cal, from, to)
			if err != nil {
				t.Fatal(err)
			}
			if g := ids(got); !slices.Equal(g, want) {
				t.Fatalf("%s %s–%s: got %v, want %v", cal, from, to, g, want)
			}
		}
	}
}

func find(events []cal.Event, key string) *cal.Event {
	for i := range events {
		if events[i].Calendar+"/"+events[i].ID == key {
			return &events[i]
		}
	}
	return nil
}

// TestStoreIsPrivate: the store and its -wal and -shm files hold titles
// and addresses, so only their owner may read them; a store made before
// this rule is made private when opened.
func TestStoreIsPrivate(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "weekmap.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	upsert(t, st, 1, at("a", "2026-11-16 10:00", "2026-11-16 11:00"))
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		info, err := os.Stat(p)
		if err != nil {
			t.Fatal(err)
		}
		if perm := info.Mode().Perm(); perm != 0o600 {
			t.Errorf("%s: mode %v, want 0600", filepath.Base(p), perm)
		}
	}
	st.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		os.Chmod(p, 0o644)
	}
	st, err = Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		if info, err := os.Stat(p); err == nil && info.Mode().Perm() != 0o600 {
			t.Errorf("%s after reopening: mode %v, want 0600", filepath.Base(p), info.Mode().Perm())
		}
	}
}

// TestReadOnlyStore: a store the user cannot write is named, with what to
// do, not called "not a weekmap store". Root writes anything, so the test
// needs another user.
func TestReadOnlyStore(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root can write a read-only file")
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "weekmap.db")
	st, err := Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	os.Chmod(path, 0o400)
	os.Chmod(filepath.Dir(path), 0o500)
	defer os.Chmod(filepath.Dir(path), 0o700)
	_, err = Open(ctx, path)
	if err == nil || !strings.Contains(err.Error(), path) || strings.Contains(err.Error(), "not a weekmap store") {
		t.Errorf("got %v, want an error naming %s that is not about the format", err, path)
	}
}
