package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/weekmap/weekmap/cal"
)

// fillRandom sets every field of the struct v points to, recursively, to
// random values, so a field added to Event that the row codec forgets
// fails the round trip. It fails on field types it does not know.
func fillRandom(t testing.TB, r *rand.Rand, v reflect.Value) {
	t.Helper()
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(randomTime(r)))
			return
		}
		for i := range v.NumField() {
			fillRandom(t, r, v.Field(i))
		}
	case reflect.String:
		v.SetString(randomString(r))
	case reflect.Bool:
		v.SetBool(r.IntN(2) == 0)
	case reflect.Slice:
		n := r.IntN(4)
		if n == 0 {
			v.SetZero() // decoding gives nil for an empty list, as JSON did
			return
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			fillRandom(t, r, s.Index(i))
		}
		v.Set(s)
	default:
		t.Fatalf("fillRandom: a %s field: teach the row codec (rowcodec.go) and this test about it", v.Type())
	}
}

func randomString(r *rand.Rand) string {
	alphabet := []string{"", "a", "Z", "é", "\x00", "\xff", "日本", "\u2028", "{", "\n", "🙂"}
	var s string
	for range r.IntN(6) {
		s += alphabet[r.IntN(len(alphabet))]
	}
	return s
}

func randomTime(r *rand.Rand) time.Time {
	switch r.IntN(5) {
	case 0:
		return time.Time{}
	case 1:
		return time.Unix(r.Int64N(4e9)-2e9, 0).UTC()
	}
	offset := (r.IntN(57) - 28) * 30 * 60 // -14h .. +14h in half hours
	if r.IntN(8) == 0 {
		offset += 17 // historical zones had odd offsets (LMT)
	}
	return time.Unix(r.Int64N(4e9)-2e9, r.Int64N(1e9)).In(time.FixedZone("", offset))
}

// sameEvent compares events the way the store promises to keep them: the
// same instants at the same offsets, every other field equal.
func sameEvent(a, b cal.Event) error {
	for _, p := range []struct {
		name string
		x, y time.Time
	}{{"start", a.Start, b.Start}, {"end", a.End, b.End}, {"updated", a.Updated, b.Updated}} {
		_, ox := p.x.Zone()
		_, oy := p.y.Zone()
		if !p.x.Equal(p.y) || ox != oy || p.x.IsZero() != p.y.IsZero() {
			return fmt.Errorf("%s: got %v, want %v", p.name, p.y, p.x)
		}
	}
	a.Start, a.End, a.Updated = time.Time{}, time.Time{}, time.Time{}
	b.Start, b.End, b.Updated = time.Time{}, time.Time{}, time.Time{}
	if !reflect.DeepEqual(a, b) {
		return fmt.Errorf("got %+v, want %+v", b, a)
	}
	return nil
}

func TestRowRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var buf []byte
	for i := range 5000 {
		var e cal.Event
		fillRandom(t, r, reflect.ValueOf(&e).Elem())
		buf = appendRow(buf[:0], &e)
		var got cal.Event
		if err := decodeRow(buf, &got); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
		if err := sameEvent(e, got); err != nil {
			t.Fatalf("event %d: %v", i, err)
		}
	}
}

// Rows written before the binary format (schema version 2) are JSON; they must stay readable, also
// through Events.
func TestReadsJSONRows(t *testing.T) {
	berlin := time.FixedZone("", 2*3600)
	want := cal.Event{Calendar: "work", ID: "old", Title: "Design review", Start: time.Date(2026, 3, 30, 9, 0, 0, 0, berlin),
		End: time.Date(2026, 3, 30, 10, 0, 0, 0, berlin), TimeZone: "Europe/Berlin", Status: cal.StatusConfirmed,
		Attendees: []cal.Attendee{{Email: "me@example.com", Self: true, ResponseStatus: cal.ResponseAccepted}}}
	data, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	st := tempStore(t)
	ctx := context.Background()
	if _, err := st.db.ExecContext(ctx, `INSERT INTO events (calendar, id, start_unix, end_unix, gen, data) VALUES (?, ?, ?, ?, 1, ?)`,
		want.Calendar, want.ID, want.Start.Unix(), want.End.Unix(), data); err != nil {
		t.Fatal(err)
	}
	upsert(t, st, 1, cal.Event{Calendar: "work", ID: "new", Start: want.Start.Add(time.Hour), End: want.End.Add(time.Hour)})
	got := allEvents(t, st, "work")
	if len(got) != 2 {
		t.Fatalf("got %d events, want the JSON row and the new one", len(got))
	}
	if err := sameEvent(want, got[0]); err != nil {
		t.Error(err)
	}
}

func TestDecodeRowRejectsMalformed(t *testing.T) {
	good := appendRow(nil, &cal.Event{Calendar: "work", ID: "x", Title: "t", Start: time.Unix(1, 0).UTC(),
		Attendees: []cal.Attendee{{Email: "a@example.com"}}, Categories: []string{"c"}})
	cases := map[string][]byte{
		"empty":          {},
		"unknown format": append([]byte{0x03}, good[1:]...),
		"extra byte":     append(append([]byte{}, good...), 0),
		"huge string":    {rowFormat1, 0xff, 0xff, 0xff, 0xff, 0x0f},
		"huge list":      append(append([]byte{}, good[:len(good)-9]...), 0xff, 0xff, 0xff, 0xff, 0x0f),
		"bad json":       []byte(`{"calendar":`),
	}
	for cut := 1; cut < len(good); cut++ {
		cases[fmt.Sprintf("cut at %d", cut)] = good[:cut]
	}
	for name, data := range cases {
		var e cal.Event
		if err := decodeRow(data, &e); err == nil {
			t.Errorf("%s: decoded %+v, want an error", name, e)
		}
	}
}

// TestReadsFormat1Rows: rows written before ICalUID was stored still read,
// with an empty ICalUID.
func TestReadsFormat1Rows(t *testing.T) {
	e := cal.Event{Calendar: "work", ID: "x", ICalUID: "uid-1", Title: "t", Start: time.Unix(1, 0).UTC(), End: time.Unix(2, 0).UTC()}
	row := appendRow(nil, &e)
	// Format 1 is format 2 without its last field, the ICalUID.
	v1 := append([]byte{rowFormat1}, row[1:len(row)-1-len(e.ICalUID)]...)
	var got cal.Event
	if err := decodeRow(v1, &got); err != nil {
		t.Fatalf("format 1 row: %v", err)
	}
	want := e
	want.ICalUID = ""
	if err := sameEvent(got, want); err != nil {
		t.Error(err)
	}
}

// FuzzDecodeRow: no input makes decoding panic, and whatever decodes
// encodes back to a row that decodes to the same event.
func FuzzDecodeRow(f *testing.F) {
	r := rand.New(rand.NewPCG(3, 4))
	for range 20 {
		var e cal.Event
		fillRandom(f, r, reflect.ValueOf(&e).Elem())
		f.Add(appendRow(nil, &e))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var e cal.Event
		if err := decodeRow(data, &e); err != nil || (len(data) > 0 && data[0] == '{') {
			return
		}
		var again cal.Event
		if err := decodeRow(appendRow(nil, &e), &again); err != nil {
			t.Fatalf("re-encoded row does not decode: %v", err)
		}
		if err := sameEvent(e, again); err != nil {
			t.Fatal(err)
		}
	})
}

func BenchmarkDecodeRow(b *testing.B) {
	e := cal.Event{Calendar: "work", ID: "abcdef0123456789_20261120T100000Z", Title: "Design review: storage layer",
		Description: "Agenda: walk through the doc\nhttps://docs.example.com/d/123",
		Start:       time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC), End: time.Date(2026, 11, 20, 11, 0, 0, 0, time.UTC),
		TimeZone: "Europe/Berlin", Status: cal.StatusConfirmed, EventType: cal.TypeDefault, Organizer: cal.Organizer{Email: "ana@example.com"},
		RecurringEventID: "abcdef0123456789", Updated: time.Date(2026, 11, 1, 10, 0, 0, 123000000, time.UTC)}
	for i := range 5 {
		e.Attendees = append(e.Attendees, cal.Attendee{Email: fmt.Sprintf("person%d@example.com", i), ResponseStatus: cal.ResponseAccepted, Self: i == 0})
	}
	for _, format := range []string{"binary", "json"} {
		data := appendRow(nil, &e)
		if format == "json" {
			data, _ = json.Marshal(e)
		}
		b.Run(format, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				var got cal.Event
				if err := decodeRow(data, &got); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestSortByStart(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for n := range 60 {
		events := make([]cal.Event, n)
		for i := range events {
			events[i] = cal.Event{ID: fmt.Sprint(r.IntN(5)), Start: time.Unix(int64(r.IntN(4)), int64(r.IntN(3))), Title: fmt.Sprint(i)}
		}
		want := slices.Clone(events)
		slices.SortStableFunc(want, func(a, b cal.Event) int {
			return cmp.Or(cmp.Compare(a.Start.Unix(), b.Start.Unix()), strings.Compare(a.ID, b.ID))
		})
		sortByStart(events)
		for i := range events {
			if events[i].Start.Unix() != want[i].Start.Unix() || events[i].ID != want[i].ID {
				t.Fatalf("n=%d: position %d holds start %d id %s, want %d %s", n, i, events[i].Start.Unix(), events[i].ID, want[i].Start.Unix(), want[i].ID)
			}
		}
		titles := map[string]bool{}
		for _, e := range events {
			titles[e.Title] = true
		}
		if len(titles) != n {
			t.Fatalf("n=%d: %d distinct events after sorting, want all %d", n, len(titles), n)
		}
	}
}
