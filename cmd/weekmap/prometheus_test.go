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
	"strconv"
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

// startPrometheus runs Prometheus with cfg as its configuration, data as its
// storage and the extra flags, until the test ends, and returns its URL once
// it is ready; logs is where it writes its log.
func startPrometheus(t *testing.T, bin, cfg, data string, flags ...string) (base, logs string) {
	t.Helper()
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "prometheus.yml")
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	logs = filepath.Join(dir, "prometheus.log")
	logFile, err := os.Create(logs)
	if err != nil {
		t.Fatal(err)
	}
	defer logFile.Close()
	addr := freePort(t)
	cmd := exec.Command(bin, append([]string{"--config.file=" + cfgPath, "--storage.tsdb.path=" + data,
		"--web.listen-address=" + addr, "--log.level=warn"}, flags...)...)
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	base = "http://" + addr
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(200 * time.Millisecond) {
		if resp, err := http.Get(base + "/-/ready"); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return base, logs
			}
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(logs)
			t.Fatalf("Prometheus was not ready within 60s; its log:\n%s", log)
		}
	}
}

// promSample is one series of an instant query's result.
type promSample struct {
	Labels map[string]string
	Value  float64
}

// promVector runs an instant query at time at, or now if at is zero.
func promVector(base, expr string, at time.Time) ([]promSample, error) {
	q := url.Values{"query": {expr}}
	if !at.IsZero() {
		q.Set("time", strconv.FormatInt(at.Unix(), 10))
	}
	resp, err := http.Get(base + "/api/v1/query?" + q.Encode())
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var r struct {
		Status string `json:"status"`
		Error  string `json:"error"`
		Data   struct {
			ResultType string `json:"resultType"`
			Result     []struct {
				Metric map[string]string `json:"metric"`
				Value  [2]any            `json:"value"`
			} `json:"result"`
		} `json:"data"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return nil, err
	}
	if r.Status != "success" {
		return nil, fmt.Errorf("%s", r.Error)
	}
	if r.Data.ResultType != "vector" {
		return nil, fmt.Errorf("result is a %s, want a vector", r.Data.ResultType)
	}
	var out []promSample
	for _, s := range r.Data.Result {
		text, _ := s.Value[1].(string)
		v, err := strconv.ParseFloat(text, 64)
		if err != nil {
			return nil, fmt.Errorf("value %v: %w", s.Value[1], err)
		}
		out = append(out, promSample{Labels: s.Metric, Value: v})
	}
	return out, nil
}

// promQuery runs an instant query and returns the number of series.
func promQuery(base, expr string) (int, error) {
	v, err := promVector(base, expr, time.Time{})
	return len(v), err
}

// waitForScrapes waits until Prometheus has scraped the job n times.
func waitForScrapes(t *testing.T, base, job string, n int, logs string) {
	t.Helper()
	expr := fmt.Sprintf(`count_over_time(up{job=%q}[1m]) >= %d and up{job=%q} == 1`, job, n, job)
	deadline := time.Now().Add(60 * time.Second)
	for {
		got, err := promQuery(base, expr)
		if err == nil && got == 1 {
			return
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(logs)
			t.Fatalf("Prometheus did not scrape %s %d times in time (last error %v); its log:\n%s", job, n, err, log)
		}
		time.Sleep(500 * time.Millisecond)
	}
}

func scrapeConfig(job, target string) string {
	return fmt.Sprintf("global: {scrape_interval: 1s, evaluation_interval: 1s}\nscrape_configs:\n  - job_name: %s\n    static_configs: [{targets: [%q]}]\n", job, target)
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

	base, logs := startPrometheus(t, prometheus, scrapeConfig("weekmap", target), t.TempDir())
	// Wait for a few scrapes: rate() needs two samples in its window.
	waitForScrapes(t, base, "weekmap", 4, logs)

	qs, err := dashboards.Queries()
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		expr := dashboards.Expand(q.Expr, dashboards.Vars{Person: config.DefaultPerson, Team: sample.Team, Source: sample.Calendar})
		if m := labelValuesRE.FindStringSubmatch(expr); m != nil {
			expr = fmt.Sprintf("count by (%s) (%s)", m[2], m[1])
		}
		n, err := promQuery(base, expr)
		switch {
		case err != nil:
			t.Errorf("panel %q: query %s: %v", q.Panel, expr, err)
		case n == 0:
			t.Errorf("panel %q: query %s returned no data", q.Panel, expr)
		}
	}
}
