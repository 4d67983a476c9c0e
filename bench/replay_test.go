package bench

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// replay is a caching proxy in front of the fake's Calendar API. The fake
// builds each page by sorting the whole calendar and re-encoding it for
// the field selection, which at 100,000 events costs more than weekmap
// does; Google's own serving time is not weekmap's to measure either. The
// proxy answers a request it has seen (same path and query) from memory,
// so that once warm, a sync and the fetch floor are timed against a server
// that costs next to nothing. Only whole 200 answers are kept; the data
// must not change while it runs.
type replay struct {
	*httptest.Server
	upstream string

	mu    sync.Mutex
	pages map[string][]byte
	calls int // requests answered, cached or not
}

func newReplay(tb testing.TB, upstream string) *replay {
	tb.Helper()
	r := &replay{upstream: upstream, pages: map[string][]byte{}}
	r.Server = httptest.NewServer(http.HandlerFunc(r.serve))
	tb.Cleanup(r.Close)
	return r
}

// Endpoint is the Calendar API base URL through the proxy.
func (r *replay) Endpoint() string { return r.URL + "/calendar/v3/" }

// Calls returns how many events.list requests the proxy answered since
// the last call.
func (r *replay) Calls() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := r.calls
	r.calls = 0
	return n
}

func (r *replay) serve(w http.ResponseWriter, req *http.Request) {
	key := req.URL.RequestURI()
	r.mu.Lock()
	r.calls++
	body, ok := r.pages[key]
	r.mu.Unlock()
	if !ok {
		up, err := http.NewRequestWithContext(req.Context(), req.Method, r.upstream+key, nil)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		up.Header = req.Header.Clone()
		resp, err := http.DefaultTransport.RoundTrip(up)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		body, err = io.ReadAll(resp.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		if resp.StatusCode != http.StatusOK {
			w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
			w.WriteHeader(resp.StatusCode)
			w.Write(body)
			return
		}
		r.mu.Lock()
		r.pages[key] = body
		r.mu.Unlock()
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.Write(body)
}
