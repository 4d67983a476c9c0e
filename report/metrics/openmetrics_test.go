package metrics

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/weekmap/weekmap/report"
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
	// W47 is stamped at its start, 2026-11-16T00:00:00+01:00.
	if !strings.Contains(out, `weekmap_week_design_share_ratio{person="work",week="2026-W47"} 0.1096 1.7947836e+09`) {
		t.Errorf("want the W47 share stamped at its first second:\n%s", out)
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

// yearReport is a person's 52 complete weeks up to the week of 2026-11-16,
// each with a design share.
func yearReport() report.Report {
	r := report.Report{Categories: []string{"design", "implementation"}}
	p := report.PersonReport{Name: "work"}
	last := time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)
	for i := 51; i >= 0; i-- {
		start := last.AddDate(0, 0, -7*i)
		y, w := start.ISOWeek()
		p.Weeks = append(p.Weeks, report.WeekReport{
			Week: fmt.Sprintf("%d-W%02d", y, w), Start: start, End: start.AddDate(0, 0, 7),
			Seconds:     report.Seconds{"design": 3600, "implementation": 3600 * 39},
			DesignShare: share(0.025),
		})
	}
	r.People = []report.PersonReport{p}
	return r
}

// TestOpenMetricsBackfill feeds a year of weeks to promtool, as the README
// tells users to, when promtool is installed (it is in CI): promtool must
// accept it and, with the README's --max-block-duration, write a few blocks
// rather than one per week (Prometheus's retention deletes whole blocks).
func TestOpenMetricsBackfill(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("WEEKMAP_E2E") == "1" {
			t.Fatal("WEEKMAP_E2E=1 but promtool is not installed")
		}
		t.Skip("promtool not installed")
	}
	for _, tt := range []struct {
		name      string
		r         report.Report
		maxBlocks int
	}{
		{name: "sample", r: *sampleReport(), maxBlocks: 1},
		{name: "year", r: yearReport(), maxBlocks: 3},
	} {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			file := filepath.Join(dir, "history.om")
			var b bytes.Buffer
			if err := WriteOpenMetrics(&b, tt.r, time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(promtool, "tsdb", "create-blocks-from", "openmetrics",
				"--max-block-duration=8760h", file, filepath.Join(dir, "data")).CombinedOutput()
			if err != nil {
				t.Fatalf("promtool rejected the history: %v\n%s", err, out)
			}
			blocks, _ := filepath.Glob(filepath.Join(dir, "data", "*", "meta.json"))
			if len(blocks) == 0 || len(blocks) > tt.maxBlocks {
				t.Errorf("promtool wrote %d blocks, want 1 to %d:\n%s", len(blocks), tt.maxBlocks, out)
			}
		})
	}
}
