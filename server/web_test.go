package server

import (
	"context"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest/store"
	"github.com/weekmap/weekmap/internal/testcert"
)

// runServer runs newServer's server with Run (the exporter toolkit's
// serving) on a loopback port until the test ends, and waits until it is
// ready.
func runServer(t *testing.T, cfgPath string) (*Server, string) {
	t.Helper()
	s := newServer(t, cfgPath, nil)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx, ln) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for !s.Ready() {
		if time.Now().After(deadline) {
			t.Fatal("not ready after 10 s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	return s, s.URL(ln)
}

// withWebConfig adds server.web_config_file to the config at cfgPath.
func withWebConfig(t *testing.T, cfgPath, webConfig string) string {
	t.Helper()
	dir := filepath.Dir(cfgPath)
	writeFile(t, dir, "web.yml", webConfig)
	data, err := os.ReadFile(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	cfg := strings.Replace(string(data), "server: {", "server: {web_config_file: web.yml, ", 1)
	return writeFile(t, dir, "weekmap.yaml", cfg)
}

// TestWebConfigTLSAndBasicAuth: with the exporter toolkit's web
// configuration, serve speaks TLS only and every path but /healthz needs a
// user whose bcrypt hash is in the file; a browser's basic auth gets the
// page.
func TestWebConfigTLSAndBasicAuth(t *testing.T) {
	cfgPath := serveConfig(t, "")
	cert := testcert.Write(t, filepath.Dir(cfgPath))
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret-for-prometheus"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	cfgPath = withWebConfig(t, cfgPath, fmt.Sprintf("tls_server_config: {cert_file: %s, key_file: %s}\nbasic_auth_users: {prometheus: %q}\n",
		cert.CertFile, cert.KeyFile, hash))
	_, url := runServer(t, cfgPath)
	if !strings.HasPrefix(url, "https://") {
		t.Fatalf("URL %s, want https", url)
	}
	// HTTP/2, as browsers speak it over TLS.
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: cert.Pool}, ForceAttemptHTTP2: true}}
	get := func(path, user, pass string) int {
		t.Helper()
		req, _ := http.NewRequest("GET", url+strings.TrimPrefix(path, "/"), nil)
		if user != "" {
			req.SetBasicAuth(user, pass)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.ProtoMajor != 2 {
			t.Errorf("GET %s spoke %s, want HTTP/2", path, resp.Proto)
		}
		return resp.StatusCode
	}
	for _, tc := range []struct {
		path, user, pass string
		want             int
	}{
		{"/", "prometheus", "s3cret-for-prometheus", http.StatusOK},
		{"/metrics", "prometheus", "s3cret-for-prometheus", http.StatusOK},
		{"/", "prometheus", "wrong", http.StatusUnauthorized},
		{"/", "someone", "s3cret-for-prometheus", http.StatusUnauthorized},
		{"/metrics", "", "", http.StatusUnauthorized},
		{"/readyz", "", "", http.StatusUnauthorized},
		{"/assets/page.js", "", "", http.StatusUnauthorized},
		{"/healthz/", "", "", http.StatusUnauthorized},
		{"/healthz", "", "", http.StatusOK},
		{"/healthz", "prometheus", "wrong", http.StatusOK},
	} {
		if got := get(tc.path, tc.user, tc.pass); got != tc.want {
			t.Errorf("GET %s as %q/%q = %d, want %d", tc.path, tc.user, tc.pass, got, tc.want)
		}
	}
	// Plain HTTP to the TLS port gets no report.
	plain := "http://" + strings.TrimPrefix(url, "https://")
	if resp, err := http.Get(plain); err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Errorf("plain HTTP to the TLS port = 200, want a refusal")
		}
	}
}

// TestWebConfigBasicAuthPlainHTTP: basic auth without TLS (behind a
// proxy that terminates it) guards every path but /healthz too.
func TestWebConfigBasicAuthPlainHTTP(t *testing.T) {
	cfgPath := serveConfig(t, "")
	hash, err := bcrypt.GenerateFromPassword([]byte("s3cret-for-prometheus"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	cfgPath = withWebConfig(t, cfgPath, fmt.Sprintf("basic_auth_users: {prometheus: %q}\n", hash))
	_, url := runServer(t, cfgPath)
	for _, tc := range []struct {
		path, pass string
		want       int
	}{
		{"/", "", http.StatusUnauthorized},
		{"/metrics", "wrong", http.StatusUnauthorized},
		{"/metrics", "s3cret-for-prometheus", http.StatusOK},
		{"/healthz", "", http.StatusOK},
	} {
		req, _ := http.NewRequest("GET", url+strings.TrimPrefix(tc.path, "/"), nil)
		if tc.pass != "" {
			req.SetBasicAuth("prometheus", tc.pass)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("GET %s with password %q = %d, want %d", tc.path, tc.pass, resp.StatusCode, tc.want)
		}
	}
}

// TestWebConfigTLSWithBearer: TLS from the web configuration with the
// bearer token of server.auth_token_file, for scrapers that send one.
func TestWebConfigTLSWithBearer(t *testing.T) {
	const token = "0123456789abcdef-token"
	cfgPath := serveConfig(t, token)
	cert := testcert.Write(t, filepath.Dir(cfgPath))
	cfgPath = withWebConfig(t, cfgPath, fmt.Sprintf("tls_server_config: {cert_file: %s, key_file: %s}\n", cert.CertFile, cert.KeyFile))
	_, url := runServer(t, cfgPath)
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: cert.Pool}}}
	for _, tc := range []struct {
		auth string
		want int
	}{
		{"Bearer " + token, http.StatusOK},
		{"bearer " + token, http.StatusOK},
		{"Bearer wrong-token-wrong-token", http.StatusUnauthorized},
		{"", http.StatusUnauthorized},
	} {
		req, _ := http.NewRequest("GET", url+"metrics", nil)
		if tc.auth != "" {
			req.Header.Set("Authorization", tc.auth)
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("GET /metrics with %q = %d, want %d", tc.auth, resp.StatusCode, tc.want)
		}
	}
}

// TestWebConfigRefused: a web configuration that cannot work stops serve
// at start-up, naming the file.
func TestWebConfigRefused(t *testing.T) {
	hash, _ := bcrypt.GenerateFromPassword([]byte("pw"), bcrypt.MinCost)
	for _, tc := range []struct {
		name, token, web, want string
	}{
		{"missing certificate", "", "tls_server_config: {cert_file: nope.pem, key_file: nope.key}\n", "web.yml"},
		{"unknown key", "", "tls_config: {}\n", "web.yml"},
		{"not a bcrypt hash", "", "basic_auth_users: {prometheus: plain}\n", "web.yml"},
		{"users and a token", "0123456789abcdef-token", fmt.Sprintf("basic_auth_users: {prometheus: %q}\n", hash), "use one"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := config.Load(withWebConfig(t, serveConfig(t, tc.token), tc.web))
			if err != nil {
				t.Fatal(err)
			}
			st, err := store.Open(context.Background(), cfg.Store)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			_, err = New(cfg, st, nil, Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("New: %v, want an error containing %q", err, tc.want)
			}
		})
	}
}
