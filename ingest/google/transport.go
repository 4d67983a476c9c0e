package google

import (
	"io"
	"net/http"

	"github.com/weekmap/weekmap/ingest"
)

// authTransport adds the access token to each Calendar API request,
// counts responses by status code, and on a 401 refreshes the token once
// and tries again: Google can reject an access token before its expiry.
type authTransport struct {
	ts   accessTokens
	base http.RoundTripper
	// observe, if not nil, counts each response.
	observe ingest.Observer
}

// RoundTrip implements http.RoundTripper.
func (t *authTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	tok, err := t.ts.token(req.Context())
	if err != nil {
		return nil, err
	}
	resp, err := t.send(req, tok.AccessToken)
	if err != nil || resp.StatusCode != http.StatusUnauthorized || req.Body != nil {
		return resp, err
	}
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	tok, err = t.ts.forceRefresh(req.Context(), tok.AccessToken)
	if err != nil {
		return nil, err
	}
	return t.send(req, tok.AccessToken)
}

func (t *authTransport) send(req *http.Request, accessToken string) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", "Bearer "+accessToken)
	resp, err := t.base.RoundTrip(r)
	if err == nil && t.observe != nil {
		t.observe.Response(resp.StatusCode)
	}
	return resp, err
}
