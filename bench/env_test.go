package bench

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/ingest/google"
	"github.com/weekmap/weekmap/ingest/store"
	"github.com/weekmap/weekmap/internal/fakegoogle"
)

// now anchors every generated calendar and sync window, so that runs are
// comparable from day to day.
var now = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

// window is the default sync window; generated events fall inside it.
var window = config.DefaultWindow()

// spanOf is where n generated events go: the past part of the default
// window, so that a full sync lists them all.
func spanOf() (from, to time.Time) {
	from, _ = window.Bounds(now)
	return from.Add(24 * time.Hour), now
}

// countingTransport counts the response body bytes read through it: the
// bytes on the wire, as the fake sends no compression.
type countingTransport struct {
	base  http.RoundTripper
	bytes atomic.Int64
}

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(r)
	if err == nil {
		resp.Body = &countingBody{ReadCloser: resp.Body, n: &c.bytes}
	}
	return resp, err
}

type countingBody struct {
	io.ReadCloser
	n *atomic.Int64
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	b.n.Add(int64(n))
	return n, err
}

// account is a connected Google account on a fake: the files a
// `weekmap connect` leaves behind.
type account struct {
	fake         *fakegoogle.Server
	clientSecret string
	token        string
	// endpoint is the Calendar API base URL: the fake's, or a replay's
	// in front of it.
	endpoint string
}

func connect(tb testing.TB, f *fakegoogle.Server, dir string) account {
	tb.Helper()
	a := account{fake: f, clientSecret: filepath.Join(dir, "client_secret.json"), token: filepath.Join(dir, "token.json"), endpoint: f.Endpoint()}
	if err := os.WriteFile(a.clientSecret, f.ClientSecretJSON(), 0o600); err != nil {
		tb.Fatal(err)
	}
	access, refresh := f.IssueToken()
	if err := google.SaveToken(a.token, &oauth2.Token{AccessToken: access, RefreshToken: refresh, TokenType: "Bearer", Expiry: time.Now().Add(time.Hour)}); err != nil {
		tb.Fatal(err)
	}
	return a
}

// sourceConfig is the config of a google source named name reading
// calendarID of the account.
func (a account) sourceConfig(name, calendarID string) config.Source {
	return config.Source{Name: name, Type: config.TypeGoogle, CalendarID: calendarID,
		ClientSecret: a.clientSecret, Token: a.token, Endpoint: a.endpoint, SyncWindow: window}
}

// newFake starts a fake whose pages hold up to 2500 events, the most
// events.list serves, so that it honours maxResults=2500 as Google does.
func newFake(tb testing.TB) *fakegoogle.Server {
	tb.Helper()
	f := fakegoogle.New()
	tb.Cleanup(f.Close)
	f.SetPageSize(2500)
	return f
}

// syncGoogle syncs a google source called work into st, as weekmap sync
// does.
func syncGoogle(ctx context.Context, st *store.Store, src *google.Source, opts ingest.Options) (ingest.Result, error) {
	return syncNamed(ctx, st, "work", src, opts)
}

func syncNamed(ctx context.Context, st *store.Store, name string, src *google.Source, opts ingest.Options) (ingest.Result, error) {
	return (&ingest.Engine{Store: st}).Sync(ctx, name, src, opts)
}

func openStore(tb testing.TB, dir string) *store.Store {
	tb.Helper()
	st, err := store.Open(context.Background(), filepath.Join(dir, "weekmap.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// minCalls is the fewest events.list calls a full listing of n events
// can make: ⌈n/2500⌉, and one for an empty calendar.
func minCalls(n int) int { return max(1, (n+2499)/2500) }
