package google

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/weekmap/weekmap/internal/fakegoogle"
)

// browse plays the browser: it follows the authorization URL through the
// fake's redirect to the loopback listener and returns the final page.
func browse(t *testing.T, authURL string) (int, string) {
	t.Helper()
	resp, err := http.Get(authURL)
	if err != nil {
		t.Errorf("browser: %v", err)
		return 0, ""
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestAuthorize(t *testing.T) {
	tests := []struct {
		name    string
		deny    bool
		tamper  func(u *url.URL) // changes the URL before the "browser" opens it
		timeout time.Duration
		wantErr string
	}{
		{name: "granted"},
		{name: "denied", deny: true, wantErr: ErrAccessDenied.Error()},
		{name: "wrong state is refused", timeout: 300 * time.Millisecond, tamper: func(u *url.URL) {
			q := u.Query()
			q.Set("state", "forged")
			u.RawQuery = q.Encode()
		}, wantErr: "no answer from the browser within 300ms"},
		{name: "PKCE verifier checked", tamper: func(u *url.URL) {
			q := u.Query()
			q.Set("code_challenge", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
			u.RawQuery = q.Encode()
		}, wantErr: "token endpoint refused it (invalid_grant)"},
		{name: "timeout", timeout: 50 * time.Millisecond, wantErr: "no answer from the browser within 50ms"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fakegoogle.New()
			defer f.Close()
			f.DenyAuthorization(tt.deny)
			conf := writeSecret(t, f)
			pages := make(chan string, 1)
			tok, err := Authorize(context.Background(), conf, AuthorizeOptions{Timeout: tt.timeout, ShowURL: func(authURL string) {
				u, err := url.Parse(authURL)
				if err != nil {
					t.Error(err)
					return
				}
				q := u.Query()
				for key, want := range map[string]string{"access_type": "offline", "prompt": "consent", "code_challenge_method": "S256", "scope": fakegoogle.ReadonlyScope} {
					if got := q.Get(key); got != want {
						t.Errorf("authorization URL: %s = %q, want %q", key, got, want)
					}
				}
				if !strings.HasPrefix(q.Get("redirect_uri"), "http://127.0.0.1:") || len(q.Get("state")) < 16 {
					t.Errorf("authorization URL: redirect_uri %q, state %q; want a loopback address and a random state", q.Get("redirect_uri"), q.Get("state"))
				}
				if tt.timeout == 50*time.Millisecond {
					return // the user never comes back
				}
				if tt.tamper != nil {
					tt.tamper(u)
				}
				go func() {
					_, page := browse(t, u.String())
					pages <- page
				}()
			}})
			if tt.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				if tok.RefreshToken == "" || tok.AccessToken == "" {
					t.Errorf("got token with access %v refresh %v, want both", tok.AccessToken != "", tok.RefreshToken != "")
				}
			} else if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
			}
			if tt.timeout != 50*time.Millisecond {
				page := <-pages
				if strings.Contains(page, "http://") || strings.Contains(page, "https://") || strings.Contains(page, "<script") {
					t.Errorf("page refers to other resources: %s", page)
				}
			}
		})
	}
}

func writeSecret(t *testing.T, f *fakegoogle.Server) *oauth2.Config {
	t.Helper()
	path := filepath.Join(t.TempDir(), "client_secret.json")
	if err := os.WriteFile(path, f.ClientSecretJSON(), 0o600); err != nil {
		t.Fatal(err)
	}
	conf, err := OAuthConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	if conf.Endpoint.TokenURL != f.URL+"/token" {
		t.Errorf("token URL = %q, want the file's token_uri", conf.Endpoint.TokenURL)
	}
	return conf
}

func TestTokenFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "work.token.json")
	if _, err := LoadToken(path); !errors.Is(err, ErrNotConnected) {
		t.Errorf("missing file: got %v, want ErrNotConnected", err)
	}
	writeToken(t, path, "a1", "r1")
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("token file mode = %v, want 0600", info.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("folder holds %d files, want only the token (no temporary file left)", len(entries))
	}
	tok, err := LoadToken(path)
	if err != nil || tok.AccessToken != "a1" || tok.RefreshToken != "r1" {
		t.Errorf("got %v, %v; want the saved token", tok, err)
	}
}

// TestRefreshedTokenIsSaved checks that a token refreshed after a 401 is
// written back, so that the next run does not refresh again.
func TestRefreshedTokenIsSaved(t *testing.T) {
	e := newEnv(t)
	seed(e.fake, 2)
	before, err := LoadToken(e.cfg.Token)
	if err != nil {
		t.Fatal(err)
	}
	e.fake.InvalidateAccessTokens()
	if _, err := e.sync(t, false); err != nil {
		t.Fatal(err)
	}
	after, err := LoadToken(e.cfg.Token)
	if err != nil {
		t.Fatal(err)
	}
	if after.AccessToken == before.AccessToken || after.RefreshToken != before.RefreshToken {
		t.Errorf("token file after a refresh: access changed %v, refresh kept %v; want true, true", after.AccessToken != before.AccessToken, after.RefreshToken == before.RefreshToken)
	}
	if got := metricValue(t, e.metrics, "weekmap_api_requests_total", "code", "401"); got != 1 {
		t.Errorf("weekmap_api_requests_total{code=401} = %v, want 1", got)
	}
	if got := e.fake.TokenRequests(); got != 1 {
		t.Errorf("token endpoint called %d times, want 1", got)
	}
}
