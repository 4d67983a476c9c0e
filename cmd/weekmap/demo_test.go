package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// demoNow is a fixed Wednesday, so the sample calendar is the same on every run.
var demoNow = time.Date(2026, 11, 18, 15, 0, 0, 0, time.UTC)

func newTestDemo(t *testing.T) *httptest.Server {
	t.Helper()
	var logs bytes.Buffer
	a := &app{stdout: io.Discard, stderr: &logs, now: func() time.Time { return demoNow }}
	a.log = newLogger(&logs, 0)
	h, stop, err := newDemo(context.Background(), a, t.TempDir())
	if err != nil {
		t.Fatalf("newDemo: %v", err)
	}
	t.Cleanup(stop)
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

func get(t *testing.T, url string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(body)
}

func TestDemoHandler(t *testing.T) {
	srv := newTestDemo(t)

	resp, page := get(t, srv.URL+"/")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET / = %d, want 200", resp.StatusCode)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("GET / Content-Type = %q, want text/html", ct)
	}
	for _, want := range []string{`src="/assets/echarts.min.js?v=`, `src="/assets/page.js?v=`, `id="weekmap-charts"`, "2026-W47"} {
		if !strings.Contains(page, want) {
			t.Errorf("GET / page lacks %q", want)
		}
	}
	for _, host := range []string{"http://", "https://", "//cdn", "github.io"} {
		if strings.Contains(page, host) {
			t.Errorf("GET / page references an outside host (%q): it must work offline", host)
		}
	}

	resp, js := get(t, srv.URL+"/assets/echarts.min.js")
	if resp.StatusCode != http.StatusOK || len(js) < 500_000 {
		t.Errorf("GET /assets/echarts.min.js = %d with %d bytes, want 200 and the embedded script", resp.StatusCode, len(js))
	}

	resp, metrics := get(t, srv.URL+"/metrics")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /metrics = %d, want 200", resp.StatusCode)
	}
	for _, want := range []string{
		`weekmap_week_category_seconds{category="design",person="me",week="2026-W47",weeks_ago="0"}`,
		`weekmap_week_category_seconds{category="implementation",person="me",week="2026-W36",weeks_ago="11"}`,
		`weekmap_week_design_share_ratio{person="me",week="2026-W47",weeks_ago="0"}`,
		`weekmap_design_share_target_ratio 0.2`,
		`weekmap_build_info{`,
	} {
		if !strings.Contains(metrics, want) {
			t.Errorf("GET /metrics lacks %s", want)
		}
	}
	// Every metric of the README's table, sync metrics included: the demo syncs
	// through the real Google source.
	for _, name := range []string{
		"weekmap_week_category_seconds{", "weekmap_week_design_share_ratio{", "weekmap_design_share_target_ratio ",
		`weekmap_sync_last_success_timestamp_seconds{source="demo"}`, `weekmap_sync_duration_seconds_bucket{source="demo"`,
		`weekmap_sync_errors_total{reason="rate_limited",source="demo"} 0`, `weekmap_api_requests_total{code="200",source="demo"}`,
		`weekmap_events{source="demo"}`, "weekmap_build_info{",
	} {
		if !strings.Contains(metrics, name) {
			t.Errorf("GET /metrics lacks %s", name)
		}
	}
	for _, private := range []string{"standup", "Standup", "@example.com", "Postmortem", "primary"} {
		if strings.Contains(metrics, private) {
			t.Errorf("GET /metrics contains %q: titles, e-mails and calendar ids must never be label values", private)
		}
	}
	if strings.Contains(metrics, `week="2026-W35"`) {
		t.Errorf("GET /metrics exports 2026-W35, which is outside the 12 demo weeks")
	}

	resp, body := get(t, srv.URL+"/healthz")
	if resp.StatusCode != http.StatusOK || strings.TrimSpace(body) != "ok" {
		t.Errorf("GET /healthz = %d %q, want 200 ok", resp.StatusCode, body)
	}

	resp, _ = get(t, srv.URL+"/nope")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /nope = %d, want 404", resp.StatusCode)
	}
}

// TestDemoIsDeterministic checks that two demos in the same week serve the
// same page: the sample is generated, not random.
func TestDemoIsDeterministic(t *testing.T) {
	_, a := get(t, newTestDemo(t).URL+"/")
	_, b := get(t, newTestDemo(t).URL+"/")
	if a != b {
		t.Errorf("two demos of the same week served different pages")
	}
}
