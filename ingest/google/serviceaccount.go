package google

import (
	"cmp"
	"context"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/oauth2"
	googleoauth "golang.org/x/oauth2/google"
	"golang.org/x/oauth2/jwt"
	"google.golang.org/api/calendar/v3"

	"github.com/weekmap/weekmap/internal/secretfile"
)

// ErrNotDelegated means Google's token endpoint refused to let the service
// account act as a person (unauthorized_client, access_denied): the
// Workspace admin has not granted the account domain-wide delegation with
// the calendar.readonly scope, or the person is not a user the grant
// covers. It concerns that person only; retrying cannot help.
var ErrNotDelegated = errors.New("the service account may not act as this person")

// ErrKeyRejected means Google's token endpoint refused the service
// account key itself (invalid_client, invalid_grant): the account or the
// key was deleted or disabled, or the assertion was refused (an unknown
// user, a wrong clock). Retrying cannot help.
var ErrKeyRejected = errors.New("Google refused the service account key")

// serviceAccountKey is what weekmap reads of a service account's JSON key
// file, to check it and to name the client in messages.
type serviceAccountKey struct {
	Type         string `json:"type"`
	ClientEmail  string `json:"client_email"`
	ClientID     string `json:"client_id"`
	PrivateKey   string `json:"private_key"`
	PrivateKeyID string `json:"private_key_id"`
	TokenURI     string `json:"token_uri"`
}

// delegation is a service account acting as one person, with the access
// token it last obtained for them.
type delegation struct {
	conf    *jwt.Config
	key     serviceAccountKey
	keyPath string
	subject string
	// client calls the token endpoint.
	client *http.Client

	mu  sync.Mutex
	tok *oauth2.Token
}

// loadDelegation reads the service account key at keyPath, a secret (so
// refused when others can read it), and returns its configuration for
// acting as subject with read-only calendar access. The token endpoint is
// the key's token_uri. Errors name the file, never its contents.
func loadDelegation(keyPath, subject string, client *http.Client) (*delegation, error) {
	data, err := secretfile.Read("service account key", keyPath)
	if err != nil {
		return nil, err
	}
	var key serviceAccountKey
	if json.Unmarshal(data, &key) != nil {
		return nil, fmt.Errorf("service account key %s is not valid JSON: download the key again (IAM & Admin > Service accounts > Keys > Add key > JSON)", keyPath)
	}
	switch {
	case key.Type != "service_account":
		return nil, fmt.Errorf("service account key %s is not a service account's key (its type is %q): download a JSON key of the service account (IAM & Admin > Service accounts > Keys > Add key > JSON)", keyPath, key.Type)
	case key.ClientEmail == "" || key.TokenURI == "":
		return nil, fmt.Errorf("service account key %s has no client_email or token_uri: download the key again", keyPath)
	}
	if block, _ := pem.Decode([]byte(key.PrivateKey)); block == nil {
		return nil, fmt.Errorf("service account key %s holds no PEM private key: download the key again", keyPath)
	}
	conf, err := googleoauth.JWTConfigFromJSON(data, calendar.CalendarReadonlyScope)
	if err != nil {
		// Its messages quote no key material, but say nothing useful
		// either beyond the check above.
		return nil, fmt.Errorf("service account key %s cannot be used: download the key again", keyPath)
	}
	conf.Subject = subject
	return &delegation{conf: conf, key: key, keyPath: keyPath, subject: subject, client: client}, nil
}

// token returns a valid access token for the person, getting a new one
// when the last has expired.
func (d *delegation) token(ctx context.Context) (*oauth2.Token, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.tok.Valid() {
		return d.tok, nil
	}
	return d.fetchLocked(ctx)
}

// forceRefresh gets a new access token unless the rejected one has
// already been replaced.
func (d *delegation) forceRefresh(ctx context.Context, rejected string) (*oauth2.Token, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.tok.Valid() && d.tok.AccessToken != rejected {
		return d.tok, nil
	}
	return d.fetchLocked(ctx)
}

// fetchLocked sends a signed assertion to the token endpoint.
func (d *delegation) fetchLocked(ctx context.Context) (*oauth2.Token, error) {
	// The JWT flow posts without a context; a client bound to ctx lets a
	// shutdown stop it too.
	client := &http.Client{Timeout: d.client.Timeout, Transport: ctxTransport{ctx: ctx, base: transportOf(d.client)}}
	tok, err := d.conf.TokenSource(context.WithValue(ctx, oauth2.HTTPClient, client)).Token()
	if err != nil {
		return nil, d.tokenError(err)
	}
	d.tok = tok
	return tok, nil
}

// tokenError turns a refused assertion into what an admin can act on,
// without the response body or the URL.
func (d *delegation) tokenError(err error) error {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return fmt.Errorf("get an access token for %s: %w", d.subject, err)
	}
	// The JWT flow leaves the OAuth error in the body unparsed.
	var body struct {
		Code        string `json:"error"`
		Description string `json:"error_description"`
	}
	json.Unmarshal(re.Body, &body)
	code := cmp.Or(re.ErrorCode, body.Code)
	switch code {
	case "unauthorized_client", "access_denied":
		// One sentence: who, and what the admin has to check.
		return &refusal{ErrNotDelegated, fmt.Sprintf("Google does not let the service account read the calendar of %s (%s): in the Google Admin console, under Security > Access and data control > API controls > Domain-wide delegation, check that client ID %s has the scope %s, and that %s is a user of your domain",
			d.subject, code, d.key.ClientID, calendar.CalendarReadonlyScope, d.subject)}
	case "invalid_client":
		return &refusal{ErrKeyRejected, fmt.Sprintf("%v (invalid_client): the service account %s, or its key in %s, was deleted or disabled: create a new key",
			ErrKeyRejected, d.key.ClientEmail, d.keyPath)}
	case "invalid_grant":
		return &refusal{ErrKeyRejected, fmt.Sprintf("%v for %s (invalid_grant: %q): check that %s is a user of your Google Workspace, that the key in %s is not deleted or disabled, and that this machine's clock is right",
			ErrKeyRejected, d.subject, body.Description, d.subject, d.keyPath)}
	}
	status := ""
	if re.Response != nil {
		status = strconv.Itoa(re.Response.StatusCode) + " "
	}
	return fmt.Errorf("get an access token for %s: token endpoint answered %s%s", d.subject, status, code)
}

// refusal is a token endpoint's refusal that retrying cannot fix, as one
// sentence saying what to check; errors.Is matches its kind.
type refusal struct {
	kind error
	msg  string
}

func (e *refusal) Error() string        { return e.msg }
func (e *refusal) Is(target error) bool { return target == e.kind }

// ctxTransport sends every request with ctx.
type ctxTransport struct {
	ctx  context.Context
	base http.RoundTripper
}

func (t ctxTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return t.base.RoundTrip(r.WithContext(t.ctx))
}

func transportOf(c *http.Client) http.RoundTripper {
	if c.Transport == nil {
		return http.DefaultTransport
	}
	return c.Transport
}

// TokenCache keeps the access tokens service-account sources obtained, by
// key and person, so that `weekmap serve` asks Google's token endpoint for
// each person once an hour (when a token expires) rather than on every
// sync. It is safe for concurrent use; the zero value is empty and ready.
type TokenCache struct {
	mu sync.Mutex
	m  map[delegationKey]*delegation
}

// delegationKey tells delegations apart: a new key file (another key id)
// or another person does not reuse a token.
type delegationKey struct {
	clientEmail, keyID, tokenURI, subject string
}

// get returns the cached delegation d stands for, or d itself, cached.
func (c *TokenCache) get(d *delegation) *delegation {
	if c == nil {
		return d
	}
	k := delegationKey{d.key.ClientEmail, d.key.PrivateKeyID, d.key.TokenURI, strings.ToLower(d.subject)}
	c.mu.Lock()
	defer c.mu.Unlock()
	if cached, ok := c.m[k]; ok {
		return cached
	}
	if c.m == nil {
		c.m = map[delegationKey]*delegation{}
	}
	c.m[k] = d
	return d
}
