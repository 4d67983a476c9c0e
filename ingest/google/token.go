package google

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"sync"

	"github.com/weekmap/weekmap/internal/atomicfile"
	"github.com/weekmap/weekmap/internal/secretfile"
	"golang.org/x/oauth2"
	googleoauth "golang.org/x/oauth2/google"
	"google.golang.org/api/calendar/v3"
)

// ErrNotConnected means the source has no token file yet.
var ErrNotConnected = errors.New("not connected yet")

// ErrRevoked means Google refused the refresh token (invalid_grant): the
// user removed weekmap's access, or the token expired.
var ErrRevoked = errors.New("access was revoked or expired")

// OAuthConfig reads a client_secret.json ("installed app" or "web") and
// returns the OAuth configuration for read-only calendar access. The file's
// auth_uri and token_uri are honoured.
func OAuthConfig(clientSecretPath string) (*oauth2.Config, error) {
	data, err := os.ReadFile(clientSecretPath)
	if err != nil {
		return nil, fmt.Errorf("read OAuth client: %w", err)
	}
	conf, err := googleoauth.ConfigFromJSON(data, calendar.CalendarReadonlyScope)
	if err != nil {
		return nil, fmt.Errorf("OAuth client %s: %w", clientSecretPath, err)
	}
	return conf, nil
}

// LoadToken reads a token saved by SaveToken. A missing file is
// ErrNotConnected.
func LoadToken(path string) (*oauth2.Token, error) {
	data, err := secretfile.Read("token file", path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, ErrNotConnected
	}
	if err != nil {
		return nil, err
	}
	var tok oauth2.Token
	if err := json.Unmarshal(data, &tok); err != nil {
		// The error would quote the file, which holds secrets: name only.
		return nil, fmt.Errorf("token file %s is not valid JSON", path)
	}
	if tok.RefreshToken == "" && tok.AccessToken == "" {
		return nil, fmt.Errorf("token file %s holds no token", path)
	}
	return &tok, nil
}

// SaveToken writes tok to path with mode 0600, atomically, so that a crash
// never leaves a half-written token.
func SaveToken(path string, tok *oauth2.Token) error {
	data, err := json.MarshalIndent(tok, "", "  ")
	if err != nil {
		return fmt.Errorf("encode token: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("save token: %w", err)
	}
	if err := atomicfile.Write(path, data, 0o600); err != nil {
		return fmt.Errorf("save token: %w", err)
	}
	return nil
}

// tokenSource hands out access tokens, refreshes them when they expire or
// when the API rejects one, and saves every new token to its file so that
// a refresh is not repeated by the next run.
type tokenSource struct {
	conf *oauth2.Config
	// client calls the token endpoint.
	client *http.Client
	path   string

	mu  sync.Mutex
	tok *oauth2.Token
}

func newTokenSource(conf *oauth2.Config, tok *oauth2.Token, path string, client *http.Client) *tokenSource {
	return &tokenSource{conf: conf, client: client, path: path, tok: tok}
}

// token returns a valid access token, refreshing it within ctx (the
// request's, so that a shutdown also stops a refresh).
func (s *tokenSource) token(ctx context.Context) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok.Valid() {
		return s.tok, nil
	}
	return s.refreshLocked(ctx)
}

// forceRefresh gets a new access token unless the one the caller saw
// rejected has already been replaced by another goroutine.
func (s *tokenSource) forceRefresh(ctx context.Context, rejected string) (*oauth2.Token, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.tok.AccessToken != rejected && s.tok.Valid() {
		return s.tok, nil
	}
	return s.refreshLocked(ctx)
}

func (s *tokenSource) refreshLocked(ctx context.Context) (*oauth2.Token, error) {
	if s.tok.RefreshToken == "" {
		return nil, fmt.Errorf("%w: the saved token has no refresh token", ErrRevoked)
	}
	// A token with only a refresh token is refreshed at once.
	ctx = context.WithValue(ctx, oauth2.HTTPClient, s.client)
	fresh, err := s.conf.TokenSource(ctx, &oauth2.Token{RefreshToken: s.tok.RefreshToken}).Token()
	if err != nil {
		return nil, refreshError(err)
	}
	if fresh.RefreshToken == "" {
		fresh.RefreshToken = s.tok.RefreshToken
	}
	changed := fresh.AccessToken != s.tok.AccessToken
	s.tok = fresh
	if changed {
		if err := SaveToken(s.path, fresh); err != nil {
			return nil, err
		}
	}
	return fresh, nil
}

// ErrClientRejected means the token endpoint refused the OAuth client
// itself (invalid_client, unauthorized_client): the client secret file is
// wrong, was deleted or belongs to another project. Retrying cannot help.
var ErrClientRejected = errors.New("Google rejected the OAuth client")

// refreshError turns a failed refresh into what the user can act on,
// without the response body or the URL (RetrieveError's text has both).
func refreshError(err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // the URL adds nothing and may be long
		}
		return fmt.Errorf("refresh access token: %w", err)
	}
	switch re.ErrorCode {
	case "invalid_grant":
		return ErrRevoked
	case "invalid_client", "unauthorized_client":
		return fmt.Errorf("%w (%s)", ErrClientRejected, re.ErrorCode)
	}
	if re.Response != nil {
		return fmt.Errorf("refresh access token: token endpoint answered %s %s", strconv.Itoa(re.Response.StatusCode), re.ErrorCode)
	}
	return fmt.Errorf("refresh access token: %s", re.ErrorCode)
}
