package server

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/weekmap/weekmap/report/assets"
	"github.com/weekmap/weekmap/report/chart"
	"github.com/weekmap/weekmap/report/metrics"
)

// Handler serves the chart page on /, the ECharts script under /assets/,
// /metrics, /healthz and /readyz. With server.auth_token_file, every path
// but /healthz needs the token.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", s.servePage)
	mux.Handle("GET /assets/", assets.Handler())
	mux.Handle("GET /metrics", metrics.Handler(s.registry, s.collector))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintln(w, "ok")
	})
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		ok, why := s.readiness()
		if !ok {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		fmt.Fprintln(w, why)
	})
	// The security headers go on every answer, refusals and time-outs
	// included.
	h := http.TimeoutHandler(mux, 30*time.Second, "request timed out\n")
	return securityHeaders(s.requireToken(h))
}

// servePage serves /?person=NAME&weeks=N or /?team=NAME&weeks=N (all
// optional). With privacy.person_metrics false no person has a page.
func (s *Server) servePage(w http.ResponseWriter, r *http.Request) {
	p := s.current.Load()
	if p == nil {
		http.Error(w, "no report yet: the first sync has not finished", http.StatusServiceUnavailable)
		return
	}
	k := pageKey{person: r.URL.Query().Get("person"), team: r.URL.Query().Get("team")}
	switch {
	case k.person != "" && k.team != "":
		http.Error(w, "ask for a person or a team, not both", http.StatusBadRequest)
		return
	case k.person != "" && !s.cfg.Privacy.PersonMetrics:
		http.Error(w, "person pages are off (privacy.person_metrics: false): only teams are shown", http.StatusNotFound)
		return
	}
	if v := r.URL.Query().Get("weeks"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 520 {
			http.Error(w, "weeks must be a number from 1 to 520", http.StatusBadRequest)
			return
		}
		k.weeks = n
	}
	page, err := p.page(k)
	switch {
	case errors.Is(err, chart.ErrNoPerson):
		http.Error(w, "no such person", http.StatusNotFound)
		return
	case errors.Is(err, chart.ErrNoTeam):
		http.Error(w, "no such team", http.StatusNotFound)
		return
	case err != nil:
		s.log.Error("render page", "err", err)
		http.Error(w, "the page could not be rendered", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-cache")
	w.Write(page)
}

// contentSecurityPolicy keeps the page to our own origin: event titles are
// attacker-controlled, so even if one slipped through escaping it could
// neither run a script (only the scripts served under /assets/ run; the
// page's chart data is JSON, which is not executed) nor load or send
// anything elsewhere. Styles may be inline: the page sets bar widths in
// style attributes, and CSS cannot run code.
const contentSecurityPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// securityHeaders sets the security headers on every answer.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

// requireToken enforces server.auth_token_file: every path but /healthz
// needs "Authorization: Bearer <token>", compared in constant time.
func (s *Server) requireToken(next http.Handler) http.Handler {
	if s.authToken == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			next.ServeHTTP(w, r)
			return
		}
		// The scheme is case-insensitive (RFC 7235, section 2.1).
		scheme, got, ok := strings.Cut(r.Header.Get("Authorization"), " ")
		if !ok || !strings.EqualFold(scheme, "Bearer") || subtle.ConstantTimeCompare([]byte(strings.TrimSpace(got)), s.authToken) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="weekmap"`)
			http.Error(w, "unauthorized: send Authorization: Bearer <token from server.auth_token_file>", http.StatusUnauthorized)
			return
		}
		next.ServeHTTP(w, r)
	})
}
