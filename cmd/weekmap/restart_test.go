package main

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestRestartWithRevokedGrant restarts serve after its Google grant was
// revoked: the first scrape exports the last success and the event count
// the store holds, /readyz is 503 naming the source and the reason, and the
// stale-sync alert fires in promtool fed with the exported series.
func TestRestartWithRevokedGrant(t *testing.T) {
	bin := weekmapBinary(t)
	f, cfg := connectedCalendar(t, 12, 5)
	if code, _, errOut := runCLI(t, googleNow, "--config", cfg, "sync"); code != 0 {
		t.Fatalf("sync: %s", errOut)
	}
	f.RevokeRefreshTokens()
	f.InvalidateAccessTokens()

	addr := freePort(t)
	var stderr bytes.Buffer
	cmd := exec.Command(bin, "--config", cfg, "serve", "--addr", addr)
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	get := func(path string) (int, string, error) {
		resp, err := http.Get("http://" + addr + path)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body), err
	}
	var metrics string
	deadline := time.Now().Add(10 * time.Second)
	for {
		code, body, err := get("/metrics")
		if err == nil && code == http.StatusOK {
			metrics = body
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no /metrics within 10 s: %v\n%s", err, stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	lastSuccess := seriesValue(t, metrics, `weekmap_sync_last_success_timestamp_seconds{source="work"}`)
	if lastSuccess != float64(googleNow.Unix()) {
		t.Errorf("first scrape: last success %v, want %v, the sync before the restart", lastSuccess, googleNow.Unix())
	}
	if got := seriesValue(t, metrics, `weekmap_events{source="work"}`); got != 12 {
		t.Errorf("first scrape: weekmap_events %v, want the 12 stored", got)
	}

	var code int
	var body string
	for {
		var err error
		code, body, err = get("/readyz")
		if err == nil && strings.Contains(body, "revoked") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("/readyz never named the revoked grant: %d %q\n%s", code, body, stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	if code != http.StatusServiceUnavailable || !strings.Contains(body, "work: failing (revoked)") {
		t.Errorf("/readyz = %d %q, want 503 saying work is failing (revoked)", code, body)
	}
	// The page still shows the stored weeks, and says they are not current.
	for {
		code, body, err := get("/")
		if err == nil && code == http.StatusOK {
			if !strings.Contains(body, "last sync failed (revoked)") {
				t.Errorf("the page does not flag the failing calendar")
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no page within 10 s: %d %v", code, err)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// The alert, fed with the series as Prometheus would have scraped
	// them: promtool's clock starts at 0, so the timestamp becomes minus
	// the age it had at the restart.
	promtool := tool(t, "promtool")
	age := int64(time.Now().Unix()) - int64(lastSuccess)
	rules, err := filepath.Abs("../../dashboards/alerts.yml")
	if err != nil {
		t.Fatal(err)
	}
	at := age + 11*60 // the eval time below
	test := fmt.Sprintf(`rule_files: [%q]
evaluation_interval: 1m
tests:
  - interval: 1m
    input_series:
      - series: 'weekmap_sync_last_success_timestamp_seconds{source="work",job="weekmap"}'
        values: '%dx20'
    alert_rule_test:
      - eval_time: 11m
        alertname: WeekmapSyncStale
        exp_alerts:
          - exp_labels: {severity: warning, source: work, job: weekmap}
            exp_annotations:
              summary: "weekmap source work has not synced for %s"
              description: "The report and metrics of work are going stale. Check `+"`weekmap_sync_errors_total`"+` and the weekmap log; a revoked Google grant needs `+"`weekmap connect --source work`"+`."
`, rules, -age, humanizeDuration(at))
	path := filepath.Join(t.TempDir(), "restart_test.yml")
	if err := os.WriteFile(path, []byte(test), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(promtool, "test", "rules", path).CombinedOutput(); err != nil {
		t.Errorf("promtool test rules: %v\n%s\n%s", err, out, test)
	}
}

// seriesValue returns the value of the series named exactly so in an
// exposition.
func seriesValue(t *testing.T, exposition, series string) float64 {
	t.Helper()
	sc := bufio.NewScanner(strings.NewReader(exposition))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), series+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatal(err)
			}
			return f
		}
	}
	t.Fatalf("no %s in the scrape", series)
	return 0
}

// humanizeDuration formats whole seconds as Prometheus's template
// function of that name does.
func humanizeDuration(s int64) string {
	d, h, m, sec := s/86400, s/3600%24, s/60%60, s%60
	switch {
	case d > 0:
		return fmt.Sprintf("%dd %dh %dm %ds", d, h, m, sec)
	case h > 0:
		return fmt.Sprintf("%dh %dm %ds", h, m, sec)
	case m > 0:
		return fmt.Sprintf("%dm %ds", m, sec)
	}
	return fmt.Sprintf("%ds", sec)
}
