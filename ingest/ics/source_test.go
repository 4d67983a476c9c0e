package ics

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/ingest/store"
)

var syncNow = time.Date(2026, 3, 25, 12, 0, 0, 0, time.UTC)

// syncSource syncs src into st as weekmap sync does.
func syncSource(ctx context.Context, st *store.Store, src *Source, opts ingest.Options) (ingest.Result, error) {
	return (&ingest.Engine{Store: st}).Sync(ctx, src.cfg.Name, src, opts)
}

var syncWindow = config.Window{Past: config.Span(28 * 24 * time.Hour), Future: config.Span(21 * 24 * time.Hour)}

func openStore(t *testing.T) *store.Store {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "weekmap.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func storedIDs(t *testing.T, st *store.Store) []string {
	t.Helper()
	events, err := st.Events(context.Background(), "exported", time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, e := range events {
		ids = append(ids, e.ID)
	}
	return ids
}

// TestSyncFile: a file is stored, an unchanged one is skipped the same day,
// an edited one replaces the stored events, and a broken one changes
// nothing.
func TestSyncFile(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	path := filepath.Join(t.TempDir(), "cal.ics")
	copyTo(t, "google.ics", path)
	var logs bytes.Buffer
	src := New(config.Source{Name: "exported", Type: config.TypeICS, Path: path, SyncWindow: syncWindow}, berlin, ownerEmails, nil).
		WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))
	opts := ingest.Options{Now: syncNow}

	res, err := syncSource(ctx, st, src, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Upserted != 6 || res.Unchanged {
		t.Errorf("first sync: got %+v, want 6 upserted", res)
	}
	if res, err = syncSource(ctx, st, src, opts); err != nil || !res.Unchanged {
		t.Errorf("unchanged file: got %+v, %v, want Unchanged", res, err)
	}
	next := ingest.Options{Now: syncNow.Add(24 * time.Hour)}
	if res, err = syncSource(ctx, st, src, next); err != nil || res.Unchanged {
		t.Errorf("unchanged file a day later: got %+v, %v, want a new expansion", res, err)
	}

	copyTo(t, "broken.ics", path)
	os.Chtimes(path, syncNow, syncNow.Add(time.Hour))
	if res, err = syncSource(ctx, st, src, next); err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(storedIDs(t, st), " "), "good-1 good-2"; got != want {
		t.Errorf("after edit: got stored %q, want %q", got, want)
	}
	if res.Deleted != 6 {
		t.Errorf("after edit: got %d deleted, want 6", res.Deleted)
	}
	if !strings.Contains(logs.String(), "uid=bad-time") || strings.Contains(logs.String(), "secret title") {
		t.Errorf("log: got %q, want the UID of the broken event and no title", logs.String())
	}

	if err := os.WriteFile(path, []byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = syncSource(ctx, st, src, ingest.Options{Now: next.Now, Full: true})
	if err == nil || !strings.Contains(err.Error(), "line 2") {
		t.Errorf("truncated file: got error %v, want one naming line 2", err)
	}
	if got := len(storedIDs(t, st)); got != 2 {
		t.Errorf("after a failed sync: got %d stored, want the 2 from before", got)
	}
	if _, failing, _ := st.SyncStatus(ctx, "exported"); failing != ingest.ReasonInvalidData {
		t.Errorf("after a failed sync: failing %q, want %s", failing, ingest.ReasonInvalidData)
	}
	// Fixed and synced again within the same second (times are stored to
	// the second): the source is no longer failing.
	copyTo(t, "google.ics", path)
	if _, err := syncSource(ctx, st, src, ingest.Options{Now: next.Now.Add(time.Millisecond)}); err != nil {
		t.Fatal(err)
	}
	if _, failing, _ := st.SyncStatus(ctx, "exported"); failing != "" {
		t.Errorf("after a sync that fixed it: still failing (%s)", failing)
	}
}

func copyTo(t *testing.T, name, path string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestSyncErrorReasons: a failed sync is counted under a reason an
// operator can alert on: the feed's HTTP status, the network, or a file
// weekmap refused.
func TestSyncErrorReasons(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/busy":
			w.WriteHeader(http.StatusTooManyRequests)
		case "/down":
			w.WriteHeader(http.StatusServiceUnavailable)
		case "/private":
			w.WriteHeader(http.StatusForbidden)
		case "/gone":
			http.NotFound(w, r)
		case "/broken":
			w.Write([]byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n"))
		}
	}))
	defer srv.Close()
	closed := httptest.NewTLSServer(http.NotFoundHandler())
	closed.Close()
	dir := t.TempDir()
	broken := filepath.Join(dir, "broken.ics")
	if err := os.WriteFile(broken, []byte("BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, url, path, want string
	}{
		{"429", srv.URL + "/busy", "", ingest.ReasonRateLimited},
		{"503", srv.URL + "/down", "", ingest.ReasonServerError},
		{"403", srv.URL + "/private", "", ingest.ReasonUnauthorized},
		{"404", srv.URL + "/gone", "", ingest.ReasonOther},
		{"truncated feed", srv.URL + "/broken", "", ingest.ReasonInvalidData},
		{"nobody listening", closed.URL + "/cal.ics", "", ingest.ReasonNetwork},
		{"truncated file", "", broken, ingest.ReasonInvalidData},
		{"missing file", "", filepath.Join(dir, "missing.ics"), ingest.ReasonOther},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := openStore(t)
			cfg := config.Source{Name: "exported", Type: config.TypeICS, URL: tc.url, Path: tc.path, SyncWindow: syncWindow}
			_, err := syncSource(context.Background(), st, New(cfg, berlin, ownerEmails, srv.Client()), ingest.Options{Now: syncNow})
			if err == nil {
				t.Fatal("no error")
			}
			if got := ingest.ReasonOf(err); got != tc.want {
				t.Errorf("reason %q, want %q (%v)", got, tc.want, err)
			}
			if _, failing, _ := st.SyncStatus(context.Background(), "exported"); failing != tc.want {
				t.Errorf("stored failure %q, want %q", failing, tc.want)
			}
		})
	}
}

// TestSyncURL: the feed is fetched over TLS, an unchanged one costs one 304
// and writes nothing, errors do not show the URL's secret path.
func TestSyncURL(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "outlook.ics"))
	if err != nil {
		t.Fatal(err)
	}
	var requests, notModified atomic.Int32
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		if r.URL.Path != "/secret-token/cal.ics" {
			http.NotFound(w, r)
			return
		}
		if r.Header.Get("If-None-Match") == `"v1"` {
			notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
		w.Header().Set("ETag", `"v1"`)
		w.Header().Set("Content-Type", "text/calendar")
		w.Write(data)
	}))
	defer srv.Close()
	ctx := context.Background()
	st := openStore(t)
	cfg := config.Source{Name: "exported", Type: config.TypeICS, URL: srv.URL + "/secret-token/cal.ics", SyncWindow: syncWindow}
	src := New(cfg, berlin, ownerEmails, srv.Client())
	opts := ingest.Options{Now: syncNow}

	res, err := syncSource(ctx, st, src, opts)
	if err != nil {
		t.Fatal(err)
	}
	if res.Upserted != 9 {
		t.Errorf("first sync: got %d upserted, want 9", res.Upserted)
	}
	state, _ := st.State(ctx, "exported")
	if res, err = syncSource(ctx, st, src, opts); err != nil || !res.Unchanged {
		t.Errorf("second sync: got %+v, %v, want Unchanged", res, err)
	}
	if got := notModified.Load(); got != 1 {
		t.Errorf("got %d 304 responses, want 1", got)
	}
	after, _ := st.State(ctx, "exported")
	if after != state {
		t.Errorf("a 304 changed the sync state: got %+v, want %+v", after, state)
	}
	if res, err = syncSource(ctx, st, src, ingest.Options{Now: syncNow, Full: true}); err != nil || res.Unchanged {
		t.Errorf("full sync: got %+v, %v, want a download", res, err)
	}

	cfg.URL = srv.URL + "/other-secret/cal.ics"
	_, err = syncSource(ctx, st, New(cfg, berlin, nil, srv.Client()), opts)
	if err == nil || !strings.Contains(err.Error(), "404") || strings.Contains(err.Error(), "other-secret") {
		t.Errorf("404: got error %v, want one with the status and without the URL path", err)
	}
}

// TestSyncURLTooLarge: a feed above ingest.MaxFileSize is refused, not stored.
func TestSyncURLTooLarge(t *testing.T) {
	srv := httptest.NewTLSServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("BEGIN:VCALENDAR\r\n"))
		line := bytes.Repeat([]byte("X-PAD:0123456789012345678901234567890123456789\r\n"), 1<<14)
		for i := 0; i*len(line) <= ingest.MaxFileSize; i++ {
			if _, err := w.Write(line); err != nil {
				return
			}
		}
	}))
	defer srv.Close()
	cfg := config.Source{Name: "exported", Type: config.TypeICS, URL: srv.URL + "/cal.ics", SyncWindow: syncWindow}
	_, err := syncSource(context.Background(), openStore(t), New(cfg, berlin, nil, srv.Client()), ingest.Options{Now: syncNow})
	if err == nil || !strings.Contains(err.Error(), "larger than 50 MiB") {
		t.Errorf("got error %v, want a size error", err)
	}
}
