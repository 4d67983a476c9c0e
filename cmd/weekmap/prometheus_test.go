package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/dashboards"
	"github.com/weekmap/weekmap/internal/sample"
)

// tool returns the path of a Prometheus binary, or skips (fails with
// WEEKMAP_E2E=1, as in CI, which installs Debian's prometheus package).
func tool(t *testing.T, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("WEEKMAP_E2E") == "1" {
			t.Fatalf("WEEKMAP_E2E=1 but %s is not installed", name)
		}
		t.Skipf("%s not installed (apt-get install prometheus)", name)
	}
	return p
}

func freePort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// promQuery runs an instant query and returns the number of series.
func promQuery(t *testing.T, base, expr string) (int, error) {
	t.Helper()
	resp, err := http.Get(base + "/api/v1/query?query=" + url.QueryEscape(expr))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var r struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			Result []json.RawMessage `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return 0, err
	}
	if r.Status != "success" {
		return 0, fmt.Errorf("%s", r.Error)
	}
	return len(r.Data.Result), nil
}

var labelValuesRE = regexp.MustCompile(`^label_values\(\s*([a-z_]+)\s*,\s*([a-z_]+)\s*\)$`)

// TestDashboardAgainstPrometheus starts the demo and a real Prometheus
// scraping it, then runs every query of dashboards/weekmap.json and expects
// data from each; it also runs promtool check metrics on a scrape.
func TestDashboardAgainstPrometheus(t *testing.T) {
	prometheus := tool(t, "prometheus")
	promtool := tool(t, "promtool")
	demo := newTestDemo(t)
	target := strings.TrimPrefix(demo.URL, "http://")

	resp, err := http.Get(demo.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	check := exec.Command(promtool, "check", "metrics")
	check.Stdin = strings.NewReader(string(body))
	if out, err := check.CombinedOutput(); err != nil {
		t.Errorf("promtool check metrics: %v\n%s", err, out)
	}

	dir := t.TempDir()
	cfg := fmt.Sprintf("global: {scrape_interval: 1s, evaluation_interval: 1s}\nscrape_configs:\n  - job_name: weekmap\n    static_configs: [{targets: [%q]}]\n", target)
	cfgPath := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	addr := freePort(t)
	cmd := exec.Command(prometheus, "--config.file="+cfgPath, "--storage.tsdb.path="+filepath.Join(dir, "data"),
		"--web.listen-address="+addr, "--log.level=warn")
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	base := "http://" + addr

	// Wait for a few scrapes: rate() needs two samples in its window.
	deadline := time.Now().Add(60 * time.Second)
	for {
		n, err := promQuery(t, base, `count_over_time(up{job="weekmap"}[1m]) >= 4`)
		if err == nil && n == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("Prometheus did not scrape the demo in time (last error %v); its log:\n%s", err, logs.String())
		}
		time.Sleep(500 * time.Millisecond)
	}

	qs, err := dashboards.Queries()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		expr := dashboards.Expand(q.Expr, config.DefaultPerson, sample.Calendar)
		if m := labelValuesRE.FindStringSubmatch(expr); m != nil {
			expr = fmt.Sprintf("count by (%s) (%s)", m[2], m[1])
		}
		n, err := promQuery(t, base, expr)
		switch {
		case err != nil:
			t.Errorf("panel %q: query %s: %v", q.Panel, expr, err)
		case n == 0:
			t.Errorf("panel %q: query %s returned no data", q.Panel, expr)
		}
	}
}
