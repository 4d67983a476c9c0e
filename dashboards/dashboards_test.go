package dashboards

import (
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// specMetrics are the metric names the README's metrics table lists.
var specMetrics = []string{
	"weekmap_week_category_seconds",
	"weekmap_week_design_share_ratio",
	"weekmap_design_share_target_ratio",
	"weekmap_sync_last_success_timestamp_seconds",
	"weekmap_sync_duration_seconds",
	"weekmap_sync_errors_total",
	"weekmap_api_requests_total",
	"weekmap_events",
	"weekmap_build_info",
}

func TestDashboardQueries(t *testing.T) {
	qs, err := Queries()
	if err != nil {
		t.Fatal(err)
	}
	if len(qs) < 10 {
		t.Fatalf("got %d queries, want the dashboard's panels", len(qs))
	}
	used := map[string]bool{}
	name := regexp.MustCompile(`weekmap_[a-z_]+`)
	for _, q := range qs {
		for _, m := range name.FindAllString(q.Expr, -1) {
			base := strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(m, "_bucket"), "_sum"), "_count")
			if !slices.Contains(specMetrics, base) {
				t.Errorf("panel %q queries %s, which weekmap does not export", q.Panel, m)
			}
			used[base] = true
		}
		if strings.Contains(q.Expr, "weekmap_week_") && !strings.Contains(q.Expr, `person="$person"`) && !strings.HasPrefix(q.Expr, "label_values") {
			t.Errorf("panel %q does not filter by the person variable: %s", q.Panel, q.Expr)
		}
		if (strings.Contains(q.Expr, "weekmap_sync_") || strings.Contains(q.Expr, "weekmap_events") || strings.Contains(q.Expr, "weekmap_api_")) &&
			!strings.Contains(q.Expr, `source="$source"`) && !strings.HasPrefix(q.Expr, "label_values") {
			t.Errorf("panel %q does not filter by the source variable: %s", q.Panel, q.Expr)
		}
	}
	for _, m := range specMetrics {
		if !used[m] && m != "weekmap_build_info" {
			t.Errorf("no panel shows %s", m)
		}
	}
}

func TestDashboardDatasourceIsAVariable(t *testing.T) {
	var d map[string]any
	if err := json.Unmarshal(Dashboard, &d); err != nil {
		t.Fatal(err)
	}
	raw := string(Dashboard)
	if strings.Contains(raw, `"uid": "prometheus"`) || regexp.MustCompile(`"uid":\s*"[a-zA-Z0-9]{9,}"`).MatchString(raw) {
		t.Errorf("the dashboard names a fixed datasource uid; it must use ${datasource}")
	}
	vars := d["templating"].(map[string]any)["list"].([]any)
	var names []string
	for _, v := range vars {
		names = append(names, v.(map[string]any)["name"].(string))
	}
	if !slices.Contains(names, "datasource") || !slices.Contains(names, "person") || !slices.Contains(names, "source") {
		t.Errorf("variables %v, want datasource, person and source", names)
	}
}

// TestAlertRules runs promtool's own checks and unit tests on the alerting
// rules when promtool is installed (CI installs it: WEEKMAP_E2E=1 there).
func TestAlertRules(t *testing.T) {
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("WEEKMAP_E2E") == "1" {
			t.Fatal("WEEKMAP_E2E=1 but promtool is not installed")
		}
		t.Skip("promtool not installed (apt-get install prometheus)")
	}
	for _, args := range [][]string{
		{"check", "rules", "alerts.yml"},
		{"test", "rules", "alerts_test.yml"},
	} {
		out, err := exec.Command(promtool, args...).CombinedOutput()
		if err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}
