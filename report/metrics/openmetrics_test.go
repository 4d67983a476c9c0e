package metrics

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestWriteOpenMetrics(t *testing.T) {
	r := sampleReport()
	// 2026-W47 ends on Monday 23 November 00:00 +01:00: at 10:00 UTC that day it
	// is complete, and W48 would not be.
	now := time.Date(2026, 11, 23, 10, 0, 0, 0, time.UTC)
	var b bytes.Buffer
	if err := WriteOpenMetrics(&b, *r, now); err != nil {
		t.Fatal(err)
	}
	got := b.Bytes()
	golden := filepath.Join("testdata", "history.om")
	if *update {
		if err := os.WriteFile(golden, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("openmetrics output differs from %s:\n%s", golden, got)
	}
	out := string(got)
	if !strings.HasSuffix(out, "# EOF\n") {
		t.Errorf("output does not end with # EOF")
	}
	if strings.Contains(out, "weeks_ago") || strings.Contains(out, "Secret project") {
		t.Errorf("history has weeks_ago or a title in it:\n%s", out)
	}
	// The week ending at 2026-11-23T00:00:00+01:00 is stamped a second earlier.
	if !strings.Contains(out, `weekmap_week_design_share_ratio{person="work",week="2026-W47"} 0.1096 1.795388399e+09`) {
		t.Errorf("want the W47 share stamped at its last second:\n%s", out)
	}

	// A week without data is never history.
	if strings.Contains(out, `person="oncall",week="2026-W46"`) {
		t.Errorf("a week without data was written as history:\n%s", out)
	}

	// Before W47 ended, it is not history yet.
	b.Reset()
	if err := WriteOpenMetrics(&b, *r, now.Add(-12*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "2026-W47") {
		t.Errorf("an incomplete week was written as history")
	}
}

// TestOpenMetricsBackfill feeds the output to promtool, as the README tells
// users to, when promtool is installed (it is in CI).
func TestOpenMetricsBackfill(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("WEEKMAP_E2E") == "1" {
			t.Fatal("WEEKMAP_E2E=1 but promtool is not installed")
		}
		t.Skip("promtool not installed")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "history.om")
	var b bytes.Buffer
	if err := WriteOpenMetrics(&b, *sampleReport(), time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(promtool, "tsdb", "create-blocks-from", "openmetrics", file, filepath.Join(dir, "data")).CombinedOutput()
	if err != nil {
		t.Fatalf("promtool rejected the history: %v\n%s", err, out)
	}
	blocks, _ := filepath.Glob(filepath.Join(dir, "data", "*", "meta.json"))
	if len(blocks) == 0 {
		t.Errorf("promtool wrote no block:\n%s", out)
	}
}
