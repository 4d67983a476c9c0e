// Package fakegoogle is an in-memory stand-in for the parts of Google that
// weekmap talks to: the Calendar API v3 (events.list, calendarList.list)
// and the OAuth 2.0 authorization and token endpoints, with the JWT-bearer
// grant of service accounts. It is written from
// Google's documentation of those endpoints, so that tests run the real
// Google client library against it, and it can be told to fail the way
// Google does: rate limits, 5xx, reset connections, truncated bodies,
// expired sync tokens, revoked grants and rejected access tokens.
package fakegoogle

import (
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"google.golang.org/api/calendar/v3"
)

// Client credentials the fake accepts; ClientSecretJSON embeds them.
const (
	ClientID     = "fake-client.apps.googleusercontent.com"
	ClientSecret = "fake-secret"
)

// ReadonlyScope is the scope weekmap must ask for.
const ReadonlyScope = "https://www.googleapis.com/auth/calendar.readonly"

// Server is a running fake. Its methods are safe for concurrent use.
type Server struct {
	// URL is the base URL of the fake, e.g. http://127.0.0.1:41234.
	URL string
	srv *http.Server

	mu        sync.Mutex
	seq       int64 // bumped by every change; sync tokens name a seq
	minToken  int64 // sync tokens naming an older seq get 410
	events    map[string]map[string]*entry
	calendars []*calendar.CalendarListEntry
	pageSize  int
	pageDelay time.Duration
	latency   time.Duration
	inFlight  int // requests being answered now
	peak      int // the most at once since the fake started
	faults    []Fault
	requests  []Request
	denyAuth  bool
	codes     map[string]grant
	// access maps each valid access token to whom it acts for: "" for
	// the account of the OAuth flow, whose calendars are as Put them, or
	// the e-mail a service account was granted to act as, whose primary
	// calendar is the calendar of that id.
	access    map[string]string
	refresh   map[string]bool // refresh tokens; false once revoked
	tokenReqs int
	accounts  map[string]serviceAccount // by client_email
	// undelegated are subjects no service account may act as.
	undelegated map[string]bool
}

type entry struct {
	ev  *calendar.Event
	seq int64
}

// Fault makes one events.list response fail. Exactly one of its fields
// should be set.
type Fault struct {
	// Status answers with this HTTP status and Google's error JSON.
	Status int
	// Reason is the error reason in the JSON body, e.g. rateLimitExceeded.
	Reason string
	// Reset sends half of an otherwise good page, then resets the
	// connection.
	Reset bool
	// Truncate sends half of an otherwise good page, then closes the
	// connection: the client reads truncated JSON.
	Truncate bool
}

// Request is one events.list call as the fake received it.
type Request struct {
	Calendar string
	// Subject is whom a service account's access token acts for; "" for
	// a token of the OAuth flow.
	Subject string
	Query   url.Values
}

// New starts a fake with a primary calendar and a page size of 250, the
// API's default. Close it when done.
func New() *Server {
	s := &Server{
		events:   map[string]map[string]*entry{},
		pageSize: 250,
		codes:    map[string]grant{},
		access:   map[string]string{},
		refresh:  map[string]bool{},
		accounts: map[string]serviceAccount{},

		undelegated: map[string]bool{},
		calendars: []*calendar.CalendarListEntry{
			{Id: "me@example.com", Summary: "me@example.com", AccessRole: "owner", Primary: true},
		},
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /calendar/v3/calendars/{calendarId}/events", s.listEvents)
	mux.HandleFunc("GET /calendar/v3/users/me/calendarList", s.listCalendars)
	mux.HandleFunc("GET /o/oauth2/auth", s.authorize)
	mux.HandleFunc("POST /token", s.token)
	// A plain server on a loopback port rather than net/http/httptest,
	// which would link the testing package into the weekmap binary that
	// uses this fake for its demo.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(fmt.Sprintf("fakegoogle: listen on a loopback port: %v", err))
	}
	s.srv = &http.Server{Handler: s.delayed(mux), ReadHeaderTimeout: 10 * time.Second}
	go s.srv.Serve(ln)
	s.URL = "http://" + ln.Addr().String()
	return s
}

// Close shuts the fake down, dropping open connections.
func (s *Server) Close() { s.srv.Close() }

// Endpoint is the Calendar API base URL, for the `endpoint` config key.
func (s *Server) Endpoint() string { return s.URL + "/calendar/v3/" }

// ClientSecretJSON is an "installed app" client_secret.json whose auth_uri
// and token_uri point at the fake.
func (s *Server) ClientSecretJSON() []byte {
	b, _ := json.Marshal(map[string]any{"installed": map[string]any{
		"client_id":     ClientID,
		"client_secret": ClientSecret,
		"auth_uri":      s.URL + "/o/oauth2/auth",
		"token_uri":     s.URL + "/token",
		"redirect_uris": []string{"http://localhost"},
	}})
	return b
}

// AddCalendar adds an entry to the account's calendar list.
func (s *Server) AddCalendar(id, summary, accessRole string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calendars = append(s.calendars, &calendar.CalendarListEntry{Id: id, Summary: summary, AccessRole: accessRole})
}

// Put creates or replaces an event of calendarID. Its updated time is set.
func (s *Server) Put(calendarID string, ev *calendar.Event) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	cp := *ev
	cp.Updated = time.Unix(1_700_000_000+s.seq, 0).UTC().Format(time.RFC3339)
	if s.events[calendarID] == nil {
		s.events[calendarID] = map[string]*entry{}
	}
	s.events[calendarID][ev.Id] = &entry{ev: &cp, seq: s.seq}
}

// Delete cancels an event, as deleting it in Google Calendar does: it
// stays listable with status "cancelled" (and only its id) so that
// incremental syncs learn of it.
func (s *Server) Delete(calendarID, id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	e := s.events[calendarID][id]
	if e == nil {
		return
	}
	s.seq++
	e.ev = &calendar.Event{Id: id, Status: "cancelled", Start: e.ev.Start, End: e.ev.End}
	e.seq = s.seq
}

// Events returns the events of calendarID that are not cancelled, by id:
// the truth a synced store should equal.
func (s *Server) Events(calendarID string) []*calendar.Event {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []*calendar.Event
	for _, e := range s.events[calendarID] {
		if e.ev.Status != "cancelled" {
			cp := *e.ev
			out = append(out, &cp)
		}
	}
	slices.SortFunc(out, func(a, b *calendar.Event) int { return strings.Compare(a.Id, b.Id) })
	return out
}

// SetPageSize caps the items per page (the API may send fewer than
// maxResults).
func (s *Server) SetPageSize(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pageSize = n
}

// SetPageDelay makes every events.list answer wait d.
func (s *Server) SetPageDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pageDelay = d
}

// SetLatency makes every request, to any endpoint, wait d before it is
// answered, as a server across a network does. SetPageDelay comes on top
// for events.list.
func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

// PeakInFlight returns the most requests the fake was answering at once.
func (s *Server) PeakInFlight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.peak
}

// delayed holds each request for the latency set with SetLatency, and
// counts the requests in flight.
func (s *Server) delayed(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		d := s.latency
		s.inFlight++
		s.peak = max(s.peak, s.inFlight)
		s.mu.Unlock()
		defer func() {
			s.mu.Lock()
			s.inFlight--
			s.mu.Unlock()
		}()
		if d > 0 {
			t := time.NewTimer(d)
			select {
			case <-t.C:
			case <-r.Context().Done():
				t.Stop()
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

// FailNext makes the next len(faults) events.list calls fail, in order. A
// zero Fault lets its call through.
func (s *Server) FailNext(faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, faults...)
}

// ExpireSyncTokens makes every sync token issued so far invalid: using one
// gets 410 Gone with reason fullSyncRequired.
func (s *Server) ExpireSyncTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seq++
	s.minToken = s.seq
}

// Requests returns the events.list calls received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// ResetRequests forgets the recorded events.list calls.
func (s *Server) ResetRequests() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests = nil
}

// listEvents implements events.list: GET calendars/{calendarId}/events.
func (s *Server) listEvents(w http.ResponseWriter, r *http.Request) {
	cal := r.PathValue("calendarId")
	s.mu.Lock()
	subject, authorized := s.authorized(r)
	s.requests = append(s.requests, Request{Calendar: cal, Subject: subject, Query: r.URL.Query()})
	if cal == "primary" && subject != "" {
		cal = subject
	}
	var fault *Fault
	if authorized && len(s.faults) > 0 {
		fault = &s.faults[0]
		s.faults = s.faults[1:]
		if *fault == (Fault{}) {
			fault = nil // a placeholder that lets one call through
		}
	}
	delay := s.pageDelay
	s.mu.Unlock()

	if !authorized {
		writeError(w, http.StatusUnauthorized, "authError", "Invalid Credentials")
		return
	}
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	if fault != nil && fault.Status != 0 {
		writeError(w, fault.Status, fault.Reason, http.StatusText(fault.Status))
		return
	}
	body, status, reason, msg := s.page(cal, r.URL.Query())
	if status != http.StatusOK {
		writeError(w, status, reason, msg)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	if fault != nil {
		// Headers and part of the body go out first: a failure before any
		// response would be retried by net/http itself, unseen.
		w.Header().Set("Content-Length", fmt.Sprint(len(body)))
		w.WriteHeader(http.StatusOK)
		w.Write(body[:len(body)/2])
		w.(http.Flusher).Flush()
		if fault.Reset {
			resetConn(w)
		}
		panic(http.ErrAbortHandler)
	}
	w.Write(body)
}

// resetConn closes the connection with a TCP RST, as a middlebox that
// drops it does.
func resetConn(w http.ResponseWriter) {
	conn, _, err := http.NewResponseController(w).Hijack()
	if err != nil {
		return
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		tcp.SetLinger(0)
	}
	conn.Close()
}

// listCalendars implements calendarList.list.
func (s *Server) listCalendars(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	_, ok := s.authorized(r)
	list := &calendar.CalendarList{Kind: "calendar#calendarList", Items: slices.Clone(s.calendars)}
	s.mu.Unlock()
	if !ok {
		writeError(w, http.StatusUnauthorized, "authError", "Invalid Credentials")
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	json.NewEncoder(w).Encode(list)
}

// authorized reports whether r carries a valid access token, and for whom
// it acts ("" for the account of the OAuth flow). s.mu is held.
func (s *Server) authorized(r *http.Request) (subject string, ok bool) {
	tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
	if !ok {
		return "", false
	}
	subject, ok = s.access[tok]
	return subject, ok
}

// writeError answers with Google's JSON error format, which the client
// library turns into a *googleapi.Error with the reason.
func writeError(w http.ResponseWriter, status int, reason, message string) {
	domain := "global"
	if strings.Contains(reason, "RateLimit") || strings.Contains(reason, "rateLimit") {
		domain = "usageLimits"
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"code":    status,
		"message": message,
		"errors":  []map[string]string{{"domain": domain, "reason": reason, "message": message}},
	}})
}
