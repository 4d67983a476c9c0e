package fakegoogle

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
)

// grant is an authorization code waiting to be exchanged.
type grant struct {
	redirectURI string
	challenge   string
}

// DenyAuthorization makes the authorization endpoint answer as if the user
// clicked "Cancel": a redirect with error=access_denied.
func (s *Server) DenyAuthorization(deny bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.denyAuth = deny
}

// IssueToken returns a fresh access token and refresh token, as a
// completed `weekmap connect` would have saved.
func (s *Server) IssueToken() (accessToken, refreshToken string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	accessToken, refreshToken = "ya29."+rand.Text(), "1//"+rand.Text()
	s.access[accessToken] = ""
	s.refresh[refreshToken] = true
	return accessToken, refreshToken
}

// InvalidateAccessTokens makes every access token issued so far get 401,
// as after Google rotates them early; refresh tokens still work.
func (s *Server) InvalidateAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	clear(s.access)
}

// RevokeRefreshTokens makes every refresh token get invalid_grant, as after
// the user removes the app's access or the token expires.
func (s *Server) RevokeRefreshTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for t := range s.refresh {
		s.refresh[t] = false
	}
	clear(s.access)
}

// TokenRequests is how many requests the token endpoint has answered.
func (s *Server) TokenRequests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.tokenReqs
}

// authorize is the authorization endpoint. Instead of a consent screen it
// checks the request as Google would and redirects straight back.
func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	switch {
	case q.Get("client_id") != ClientID:
		http.Error(w, "Error 401: invalid_client", http.StatusUnauthorized)
		return
	case err != nil || redirect.Scheme != "http" || redirect.Hostname() != "127.0.0.1" || redirect.Port() == "":
		http.Error(w, "Error 400: redirect_uri_mismatch (want a loopback address)", http.StatusBadRequest)
		return
	case q.Get("response_type") != "code":
		http.Error(w, "Error 400: unsupported_response_type", http.StatusBadRequest)
		return
	case !strings.Contains(" "+q.Get("scope")+" ", " "+ReadonlyScope+" "):
		http.Error(w, "Error 400: invalid_scope (want "+ReadonlyScope+")", http.StatusBadRequest)
		return
	case q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "":
		http.Error(w, "Error 400: invalid_request (PKCE S256 required)", http.StatusBadRequest)
		return
	case q.Get("access_type") != "offline":
		http.Error(w, "Error 400: invalid_request (access_type=offline required for a refresh token)", http.StatusBadRequest)
		return
	}
	back := url.Values{}
	if q.Has("state") {
		back.Set("state", q.Get("state"))
	}
	s.mu.Lock()
	if s.denyAuth {
		back.Set("error", "access_denied")
	} else {
		code := "4/" + rand.Text()
		s.codes[code] = grant{redirectURI: q.Get("redirect_uri"), challenge: q.Get("code_challenge")}
		back.Set("code", code)
		back.Set("scope", ReadonlyScope)
	}
	s.mu.Unlock()
	redirect.RawQuery = back.Encode()
	http.Redirect(w, r, redirect.String(), http.StatusFound)
}

// token is the token endpoint: the authorization_code grant (with PKCE
// verification), the refresh_token grant and the JWT-bearer grant of
// service accounts.
func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		tokenError(w, http.StatusBadRequest, "invalid_request")
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokenReqs++
	if r.PostForm.Get("grant_type") == jwtBearer {
		// A signed assertion authenticates the client; there is no secret.
		s.jwtGrant(w, r.PostForm.Get("assertion"))
		return
	}
	if id != ClientID || secret != ClientSecret {
		tokenError(w, http.StatusUnauthorized, "invalid_client")
		return
	}
	resp := map[string]any{"token_type": "Bearer", "expires_in": 3599, "scope": ReadonlyScope}
	switch r.PostForm.Get("grant_type") {
	case "authorization_code":
		code := r.PostForm.Get("code")
		g, ok := s.codes[code]
		delete(s.codes, code) // codes are single-use
		sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
		if !ok || g.redirectURI != r.PostForm.Get("redirect_uri") || base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge {
			tokenError(w, http.StatusBadRequest, "invalid_grant")
			return
		}
		refresh := "1//" + rand.Text()
		s.refresh[refresh] = true
		resp["refresh_token"] = refresh
	case "refresh_token":
		if !s.refresh[r.PostForm.Get("refresh_token")] {
			tokenError(w, http.StatusBadRequest, "invalid_grant")
			return
		}
	default:
		tokenError(w, http.StatusBadRequest, "unsupported_grant_type")
		return
	}
	access := "ya29." + rand.Text()
	s.access[access] = ""
	resp["access_token"] = access
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(resp)
}

func tokenError(w http.ResponseWriter, status int, code string) {
	desc := map[string]string{"invalid_grant": "Token has been expired or revoked."}[code]
	tokenErrorText(w, status, code, desc)
}

func tokenErrorText(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]string{"error": code, "error_description": desc})
}
