package assets

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestEChartsJS(t *testing.T) {
	js := EChartsJS()
	if len(js) < 500_000 {
		t.Fatalf("got %d bytes of ECharts, want the full minified build", len(js))
	}
	// The HTML report inlines the script into a <script> element, which
	// ends at the first "</script" whatever the JavaScript means there.
	if i := bytes.Index(bytes.ToLower(js), []byte("</script")); i >= 0 {
		t.Errorf("got \"</script\" at byte %d, want none", i)
	}
	if !strings.Contains(License, "Apache License") {
		t.Errorf("got licence %.40q, want the Apache License", License)
	}
	if !strings.Contains(Notice, "ECharts") {
		t.Errorf("got notice %q, want it to name ECharts", Notice)
	}
}

func TestHandler(t *testing.T) {
	h := Handler()
	first := httptest.NewRecorder()
	h.ServeHTTP(first, httptest.NewRequest(http.MethodGet, "/assets/echarts.min.js", nil))
	etag := first.Header().Get("ETag")
	if len(etag) < 3 || etag[0] != '"' || strings.HasPrefix(etag, "W/") {
		t.Fatalf("got ETag %q, want a strong quoted ETag", etag)
	}

	tests := []struct {
		name        string
		method      string
		path        string
		ifNoneMatch string
		wantStatus  int
		wantBody    bool
		wantType    string
	}{
		{name: "get", method: http.MethodGet, path: "/assets/echarts.min.js", wantStatus: 200, wantBody: true, wantType: "text/javascript; charset=utf-8"},
		{name: "head", method: http.MethodHead, path: "/assets/echarts.min.js", wantStatus: 200, wantType: "text/javascript; charset=utf-8"},
		{name: "matching etag", method: http.MethodGet, path: "/assets/echarts.min.js", ifNoneMatch: etag, wantStatus: 304},
		{name: "etag in a list", method: http.MethodGet, path: "/assets/echarts.min.js", ifNoneMatch: `"other", ` + etag, wantStatus: 304},
		{name: "weak form of etag", method: http.MethodGet, path: "/assets/echarts.min.js", ifNoneMatch: "W/" + etag, wantStatus: 304},
		{name: "star", method: http.MethodGet, path: "/assets/echarts.min.js", ifNoneMatch: "*", wantStatus: 304},
		{name: "stale etag", method: http.MethodGet, path: "/assets/echarts.min.js", ifNoneMatch: `"0123"`, wantStatus: 200, wantBody: true, wantType: "text/javascript; charset=utf-8"},
		{name: "unknown file", method: http.MethodGet, path: "/assets/other.js", wantStatus: 404},
		{name: "directory", method: http.MethodGet, path: "/assets/", wantStatus: 404},
		{name: "post", method: http.MethodPost, path: "/assets/echarts.min.js", wantStatus: 405},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, nil)
			if tt.ifNoneMatch != "" {
				req.Header.Set("If-None-Match", tt.ifNoneMatch)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != tt.wantStatus {
				t.Fatalf("got status %d, want %d", rec.Code, tt.wantStatus)
			}
			if got := bytes.Equal(rec.Body.Bytes(), EChartsJS()); got != tt.wantBody {
				t.Errorf("got a body of %d bytes, want the script: %v", rec.Body.Len(), tt.wantBody)
			}
			if tt.wantStatus == 304 && rec.Body.Len() != 0 {
				t.Errorf("got a 304 with %d bytes of body, want none", rec.Body.Len())
			}
			if got := rec.Header().Get("Content-Type"); tt.wantType != "" && got != tt.wantType {
				t.Errorf("got Content-Type %q, want %q", got, tt.wantType)
			}
			if tt.wantStatus == 200 || tt.wantStatus == 304 {
				if got := rec.Header().Get("ETag"); got != etag {
					t.Errorf("got ETag %q, want %q", got, etag)
				}
				if got, want := rec.Header().Get("Cache-Control"), "public, max-age=86400"; got != want {
					t.Errorf("got Cache-Control %q, want %q", got, want)
				}
			}
		})
	}
}
