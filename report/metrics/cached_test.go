package metrics

import (
	"bytes"
	"io"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

// TestCachedFollowsChanges checks that cached series are served as they are
// after each change, and encoded again only when the counter moved.
func TestCachedFollowsChanges(t *testing.T) {
	reg := prometheus.NewRegistry()
	g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: "weekmap_events", Help: "Events."}, []string{"source"})
	reg.MustRegister(g)
	var changes atomic.Uint64
	set := func(v float64) { g.WithLabelValues("work").Set(v); changes.Add(1) }
	set(1)
	c := NewCached(reg, changes.Load)

	scrape := func() string {
		rec := httptest.NewRecorder()
		Handler(NewRegistry("test"), NewCollector(), c).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
		body, _ := io.ReadAll(rec.Body)
		return string(body)
	}
	if got := scrape(); !strings.Contains(got, `weekmap_events{source="work"} 1`) {
		t.Fatalf("first scrape lacks the gauge:\n%s", got)
	}
	first, _, _ := c.encoded()
	again, _, _ := c.encoded()
	if &first[0] != &again[0] {
		t.Errorf("nothing changed, but the series were encoded again")
	}
	set(42)
	if got := scrape(); !strings.Contains(got, `weekmap_events{source="work"} 42`) {
		t.Errorf("after a change the scrape still shows the old value:\n%s", got)
	}
	if now, _, _ := c.encoded(); bytes.Equal(now, first) {
		t.Errorf("the cache did not follow the change")
	}
}
