package main

import (
	"bytes"
	"crypto/tls"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/weekmap/weekmap/internal/testcert"
)

// readmeBlock returns the code block that follows the marker
// <!-- name --> in the README.
func readmeBlock(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)<!-- " + regexp.QuoteMeta(name) + " -->\n```[a-z]*\n(.*?)```").FindSubmatch(data)
	if m == nil {
		t.Fatalf("README has no code block after <!-- %s -->", name)
	}
	return string(m[1])
}

// replaceAll replaces each pair of old, new in s, failing if an old is
// not there: the README's text is what is tested.
func replaceAll(t *testing.T, s string, pairs ...string) string {
	t.Helper()
	for i := 0; i < len(pairs); i += 2 {
		if !strings.Contains(s, pairs[i]) {
			t.Fatalf("README block has no %q:\n%s", pairs[i], s)
		}
		s = strings.ReplaceAll(s, pairs[i], pairs[i+1])
	}
	return s
}

// TestReadmeScrapeConfigs runs a real Prometheus with each scrape config of
// the README against `weekmap serve` set up as the README says: basic auth
// over TLS from the web configuration, and the bearer token. Only paths,
// the target, secrets and the scrape interval are replaced. A browser-style
// request with the password gets the page, a wrong one 401.
func TestReadmeScrapeConfigs(t *testing.T) {
	prometheus := tool(t, "prometheus")
	bin := weekmapBinary(t)
	t.Run("basic auth over TLS", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		cert := testcert.Write(t, dir)
		const password = "scrape-password-made-in-the-test"
		hash, err := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
		if err != nil {
			t.Fatal(err)
		}
		web := replaceAll(t, readmeBlock(t, "web-config"),
			"/etc/weekmap/tls.crt", cert.CertFile, "/etc/weekmap/tls.key", cert.KeyFile,
			"$2a$10$NDKokk16eIncT0x.8K1/3OdUA9TGFfLCo4jJ/v2HYLnFUZ8C7AGWW", string(hash))
		writeTestFile(t, dir, "web.yml", web)
		writeTestFile(t, dir, "weekmap.password", password)
		addr := startServeBinary(t, bin, dir, "web_config_file: web.yml")

		client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: cert.Pool}}}
		// The page exists once the first sync is reported.
		for deadline := time.Now().Add(10 * time.Second); ; {
			req, _ := http.NewRequest("GET", "https://"+addr+"/readyz", nil)
			req.SetBasicAuth("prometheus", password)
			resp, err := client.Do(req)
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode == http.StatusOK {
					break
				}
			}
			if time.Now().After(deadline) {
				t.Fatalf("serve not ready within 10 s: %v", err)
			}
			time.Sleep(20 * time.Millisecond)
		}
		for _, tc := range []struct {
			pass string
			want int
		}{{password, http.StatusOK}, {"wrong", http.StatusUnauthorized}} {
			req, _ := http.NewRequest("GET", "https://"+addr+"/", nil)
			req.SetBasicAuth("prometheus", tc.pass)
			resp, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != tc.want {
				t.Errorf("the page with password %q = %d, want %d", tc.pass, resp.StatusCode, tc.want)
			}
		}

		scrape := replaceAll(t, readmeBlock(t, "scrape-basic-auth"),
			"/etc/prometheus/weekmap-ca.crt", cert.CertFile,
			"/etc/prometheus/weekmap.password", filepath.Join(dir, "weekmap.password"),
			"weekmap.example.com:9464", addr, "scrape_interval: 1m", "scrape_interval: 1s")
		expectScraped(t, prometheus, scrape)
	})
	t.Run("bearer token", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		writeTestFile(t, dir, "weekmap.token", "token-made-in-the-test-0123456789")
		addr := startServeBinary(t, bin, dir, "auth_token_file: weekmap.token")
		scrape := replaceAll(t, readmeBlock(t, "scrape-bearer"),
			"/etc/prometheus/weekmap.token", filepath.Join(dir, "weekmap.token"),
			"weekmap.example.com:9464", addr, "scrape_interval: 1m", "scrape_interval: 1s")
		expectScraped(t, prometheus, scrape)
	})
}

func writeTestFile(t *testing.T, dir, name, data string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
}

// startServeBinary starts `weekmap serve` on a free loopback port with one json
// source and server settings extra, and returns its address.
func startServeBinary(t *testing.T, bin, dir, extra string) string {
	t.Helper()
	writeTestFile(t, dir, "events.jsonl", twoEvents)
	writeTestFile(t, dir, "weekmap.yaml", "store: ./weekmap.db\nsources:\n  - {name: work, type: json, path: events.jsonl}\nserver: {"+extra+"}\n")
	addr := freePort(t)
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "--config", filepath.Join(dir, "weekmap.yaml"), "serve", "--addr", addr)
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		if t.Failed() {
			t.Logf("weekmap serve:\n%s", stderr.String())
		}
	})
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return addr
		}
		if time.Now().After(deadline) {
			t.Fatalf("weekmap serve not listening within 10 s: %v\n%s", err, stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// expectScraped runs Prometheus with the scrape config and waits until it
// has scraped weekmap, whose build info must then be in.
func expectScraped(t *testing.T, prometheus, scrape string) {
	t.Helper()
	base, logs := startPrometheus(t, prometheus, scrape, t.TempDir())
	waitForScrapes(t, base, "weekmap", 1, logs)
	if n, err := promQuery(base, `weekmap_build_info`); err != nil || n != 1 {
		t.Errorf("weekmap_build_info: %d series (%v), want 1", n, err)
	}
}
