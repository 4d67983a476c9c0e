// Package assets embeds the JavaScript the HTML report needs, so that no page
// weekmap serves or writes loads anything from another host.
package assets

import (
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
)

// EChartsPath and PagePath are where Handler serves the ECharts script and
// the page's own, relative to the directory Handler is mounted at
// ("/assets/" in weekmap serve and demo).
const (
	EChartsPath = "echarts.min.js"
	PagePath    = "page.js"
)

// pageJS is the report page's own script.
//
//go:embed page.js
var pageJS []byte

// PageJS returns the report page's own script. The slice is shared: callers
// must not modify it.
func PageJS() []byte {
	return pageJS
}

// echartsJS is ECharts 5.6.0 (the npm package's dist/echarts.min.js). Its
// licence and notice travel with it, as the Apache License 2.0 asks.
//
//go:embed echarts.min.js
var echartsJS []byte

// License is the ECharts licence text (Apache License 2.0).
//
//go:embed echarts.LICENSE
var License string

// Notice is the ECharts NOTICE file.
//
//go:embed echarts.NOTICE
var Notice string

// EChartsJS returns the embedded ECharts script. The slice is shared: callers
// must not modify it.
func EChartsJS() []byte {
	return echartsJS
}

// Versioned returns name (EChartsPath or PagePath) with a query naming its
// content, so that a page always loads the script it was made with, however
// long browsers cache scripts.
func Versioned(name string) string {
	body := echartsJS
	if name == PagePath {
		body = pageJS
	}
	sum := sha256.Sum256(body)
	return name + "?v=" + hex.EncodeToString(sum[:6])
}

// Handler serves the embedded scripts at /assets/echarts.min.js and
// /assets/page.js, with a strong ETag so that browsers revalidate cheaply,
// and a day of caching. Any other path is 404. Mount it at "/assets/".
func Handler() http.Handler {
	type file struct {
		body []byte
		etag string
	}
	files := map[string]file{}
	for name, body := range map[string][]byte{EChartsPath: echartsJS, PagePath: pageJS} {
		sum := sha256.Sum256(body)
		// A strong validator: the bytes are fixed at build time, so the
		// hash identifies them exactly.
		files["/assets/"+name] = file{body, `"` + hex.EncodeToString(sum[:16]) + `"`}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := files[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		body, etag := f.body, f.etag
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		h.Set("ETag", etag)
		h.Set("Cache-Control", "public, max-age=86400")
		h.Set("X-Content-Type-Options", "nosniff")
		if etagMatches(r.Header.Get("If-None-Match"), etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		h.Set("Content-Type", "text/javascript; charset=utf-8")
		// http.ServeContent would also honour Range requests, which a
		// script of this size does not need; plain writes keep the
		// headers exactly as documented above.
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.WriteHeader(http.StatusOK)
		if r.Method == http.MethodHead {
			return
		}
		_, _ = w.Write(body)
	})
}

// etagMatches reports whether an If-None-Match header value names etag,
// using the weak comparison RFC 9110 section 13.1.2 prescribes for it.
func etagMatches(header, etag string) bool {
	for _, candidate := range strings.Split(header, ",") {
		candidate = strings.TrimSpace(candidate)
		if candidate == "*" || strings.TrimPrefix(candidate, "W/") == etag {
			return true
		}
	}
	return false
}
