package ingest

import (
	"net"
	"net/http"
	"time"
)

// Timeouts bound every request a source makes, so that an endpoint that
// accepts a connection and never answers cannot hold a sync, and with it
// `weekmap serve`'s loop, forever.
type Timeouts struct {
	// Connect bounds the TCP connection and the TLS handshake.
	Connect time.Duration
	// Header bounds the wait for the response's headers once the request
	// is sent.
	Header time.Duration
	// Overall bounds the whole exchange, body included.
	Overall time.Duration
}

// DefaultTimeouts are generous for Google's API and calendar feeds of tens
// of MiB on a slow link, and short enough that a hung endpoint fails a sync
// within minutes.
var DefaultTimeouts = Timeouts{Connect: 10 * time.Second, Header: 30 * time.Second, Overall: 2 * time.Minute}

// HTTPClient returns a client whose requests are bounded by t. Each call
// returns a new client with its own connection pool.
func HTTPClient(t Timeouts) *http.Client {
	dialer := &net.Dialer{Timeout: t.Connect, KeepAlive: 30 * time.Second}
	return &http.Client{
		Timeout: t.Overall,
		Transport: &http.Transport{
			Proxy:                 http.ProxyFromEnvironment,
			DialContext:           dialer.DialContext,
			ForceAttemptHTTP2:     true,
			TLSHandshakeTimeout:   t.Connect,
			ResponseHeaderTimeout: t.Header,
			ExpectContinueTimeout: time.Second,
			IdleConnTimeout:       90 * time.Second,
			MaxIdleConns:          100,
		},
	}
}
