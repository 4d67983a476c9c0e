package google

import (
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/calendar/v3"

	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/internal/fakegoogle"
)

const (
	saEmail = "weekmap@corp-project.iam.gserviceaccount.com"
	ann     = "ann@corp.example"
)

// newServiceAccountEnv is an env whose source reads ann's primary
// calendar through a service account registered with the fake, keyed with
// key; the key file is written with mode 0600.
func newServiceAccountEnv(t *testing.T, key *rsa.PrivateKey, tokens *TokenCache) (*env, fakegoogle.ServiceAccountKey) {
	t.Helper()
	e := newEnv(t)
	sa, err := e.fake.AddServiceAccount(saEmail, key)
	if err != nil {
		t.Fatal(err)
	}
	keyPath := filepath.Join(t.TempDir(), "service-account.json")
	if err := os.WriteFile(keyPath, sa.JSON, 0o600); err != nil {
		t.Fatal(err)
	}
	e.cfg = config.Source{Name: "work", Person: "ann", Type: config.TypeGoogle, CalendarID: "primary",
		Endpoint: e.fake.Endpoint(), SyncWindow: config.DefaultWindow(), ServiceAccountKey: keyPath, Subject: ann}
	e.src = New(e.cfg, Options{Tokens: tokens, Backoff: Backoff{Attempts: 6, Base: time.Second, Max: 32 * time.Second,
		Sleep: func(ctx context.Context, d time.Duration) error {
			e.mu.Lock()
			defer e.mu.Unlock()
			e.sleeps = append(e.sleeps, d)
			return ctx.Err()
		}}})
	// ann's calendar, and another on the calendar the OAuth account's
	// token reads as primary, which ann's must not show.
	for i, id := range []string{"a1", "a2", "a3"} {
		start := testNow.Add(time.Duration(i-2) * 24 * time.Hour)
		e.fake.Put(ann, &calendar.Event{Id: id, Summary: "Design review " + id,
			Start: &calendar.EventDateTime{DateTime: start.Format(time.RFC3339)}, End: &calendar.EventDateTime{DateTime: start.Add(time.Hour).Format(time.RFC3339)}})
	}
	e.fake.Put("primary", &calendar.Event{Id: "not-ann", Summary: "someone else's",
		Start: &calendar.EventDateTime{DateTime: testNow.Format(time.RFC3339)}, End: &calendar.EventDateTime{DateTime: testNow.Add(time.Hour).Format(time.RFC3339)}})
	return e, sa
}

func (e *env) storedIDs(t *testing.T) []string {
	t.Helper()
	events, err := e.store.Events(context.Background(), "work", time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, ev := range events {
		ids = append(ids, ev.ID)
	}
	slices.Sort(ids)
	return ids
}

// TestServiceAccount syncs a person's calendar through a service account
// acting as them, and checks each way the grant can be refused: one
// sentence saying what to check, not retried, counted as unauthorized,
// and never a secret in the message.
func TestServiceAccount(t *testing.T) {
	key, err := fakegoogle.NewRSAKey()
	if err != nil {
		t.Fatal(err)
	}
	other, err := fakegoogle.NewRSAKey()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		// prepare breaks the setup; it gets the env and the key file's
		// client id.
		prepare func(t *testing.T, e *env, sa fakegoogle.ServiceAccountKey)
		// wantErr is the whole message; "" means the sync succeeds.
		wantErr    string
		wantKind   error
		wantTokens int // token endpoint requests
		wantLists  int // events.list requests
	}{
		{name: "delegated", prepare: func(*testing.T, *env, fakegoogle.ServiceAccountKey) {}, wantTokens: 1, wantLists: 1},
		{
			name:     "not delegated",
			prepare:  func(_ *testing.T, e *env, _ fakegoogle.ServiceAccountKey) { e.fake.SetDelegated(ann, false) },
			wantErr:  "google source work: Google does not let the service account read the calendar of ann@corp.example (unauthorized_client): in the Google Admin console, under Security > Access and data control > API controls > Domain-wide delegation, check that client ID CLIENT_ID has the scope https://www.googleapis.com/auth/calendar.readonly, and that ann@corp.example is a user of your domain",
			wantKind: ErrNotDelegated, wantTokens: 1,
		},
		{
			name: "key signed by another key",
			prepare: func(t *testing.T, e *env, _ fakegoogle.ServiceAccountKey) {
				// The same account, but a key the fake does not know:
				// a deleted key.
				f := fakegoogle.New()
				defer f.Close()
				stale, err := f.AddServiceAccount(saEmail, other)
				if err != nil {
					t.Fatal(err)
				}
				var m map[string]string
				json.Unmarshal(stale.JSON, &m)
				var cur map[string]string
				data, _ := os.ReadFile(e.cfg.ServiceAccountKey)
				json.Unmarshal(data, &cur)
				cur["private_key"] = m["private_key"]
				data, _ = json.Marshal(cur)
				os.WriteFile(e.cfg.ServiceAccountKey, data, 0o600)
			},
			wantErr:  `google source work: Google refused the service account key for ann@corp.example (invalid_grant: "Invalid JWT Signature."): check that ann@corp.example is a user of your Google Workspace, that the key in KEY_PATH is not deleted or disabled, and that this machine's clock is right`,
			wantKind: ErrKeyRejected, wantTokens: 1,
		},
		{
			name:    "key readable by others",
			prepare: func(_ *testing.T, e *env, _ fakegoogle.ServiceAccountKey) { os.Chmod(e.cfg.ServiceAccountKey, 0o644) },
			wantErr: "google source work: service account key KEY_PATH is readable by others (mode 0644): run chmod 600 KEY_PATH",
		},
		{
			name: "an OAuth client file instead of a key",
			prepare: func(_ *testing.T, e *env, _ fakegoogle.ServiceAccountKey) {
				os.WriteFile(e.cfg.ServiceAccountKey, e.fake.ClientSecretJSON(), 0o600)
			},
			wantErr: `google source work: service account key KEY_PATH is not a service account's key (its type is ""): download a JSON key of the service account (IAM & Admin > Service accounts > Keys > Add key > JSON)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, sa := newServiceAccountEnv(t, key, nil)
			tt.prepare(t, e, sa)
			_, err := e.sync(t, false)
			if got, want := e.fake.TokenRequests(), tt.wantTokens; got != want {
				t.Errorf("token endpoint called %d times, want %d", got, want)
			}
			if got, want := len(e.fake.Requests()), tt.wantLists; got != want {
				t.Errorf("events.list called %d times, want %d", got, want)
			}
			if len(e.sleeps) != 0 {
				t.Errorf("backed off %d times, want none", len(e.sleeps))
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if got, want := e.storedIDs(t), []string{"a1", "a2", "a3"}; !slices.Equal(got, want) {
					t.Errorf("stored %v, want ann's calendar %v", got, want)
				}
				return
			}
			want := strings.NewReplacer("CLIENT_ID", sa.ClientID, "KEY_PATH", e.cfg.ServiceAccountKey).Replace(tt.wantErr)
			if err == nil || err.Error() != want {
				t.Fatalf("got error\n%v\nwant\n%s", err, want)
			}
			if tt.wantKind != nil {
				if !errors.Is(err, tt.wantKind) {
					t.Errorf("errors.Is(err, %v) = false", tt.wantKind)
				}
				if got := counterValue(t, e.metrics, ingest.ReasonUnauthorized); got != 1 {
					t.Errorf("weekmap_sync_errors_total{reason=unauthorized} = %v, want 1", got)
				}
			}
			if strings.Contains(err.Error(), "PRIVATE KEY") || strings.Contains(err.Error(), "ya29.") {
				t.Errorf("error leaks a secret: %v", err)
			}
			if ids := e.storedIDs(t); len(ids) != 0 {
				t.Errorf("stored %v after a refused grant, want nothing", ids)
			}
		})
	}
}

// TestServiceAccountTokens: an access token is reused from one sync to the
// next with a TokenCache (one token request an hour per person, not one a
// sync), is asked for anew without one, and is replaced once when the API
// rejects it.
func TestServiceAccountTokens(t *testing.T) {
	key, err := fakegoogle.NewRSAKey()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name       string
		cache      bool
		between    func(e *env)
		wantTokens int
	}{
		{"cache", true, func(*env) {}, 1},
		{"no cache", false, func(*env) {}, 2},
		{"cache, token rejected", true, func(e *env) { e.fake.InvalidateAccessTokens() }, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cache *TokenCache
			if tt.cache {
				cache = &TokenCache{}
			}
			e, _ := newServiceAccountEnv(t, key, cache)
			if _, err := e.sync(t, false); err != nil {
				t.Fatal(err)
			}
			tt.between(e)
			// A new Source, as every round of `weekmap serve` makes.
			e.src = New(e.cfg, Options{Tokens: cache})
			res, err := e.sync(t, false)
			if err != nil || !res.Unchanged {
				t.Fatalf("second sync = %+v, %v; want unchanged", res, err)
			}
			if got := e.fake.TokenRequests(); got != tt.wantTokens {
				t.Errorf("token endpoint called %d times, want %d", got, tt.wantTokens)
			}
		})
	}
}
