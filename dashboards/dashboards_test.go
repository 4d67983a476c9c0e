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
	"weekmap_team_week_category_seconds",
	"weekmap_team_week_design_share_ratio",
	"weekmap_team_week_members",
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
		if strings.Contains(q.Expr, "weekmap_team_") && !strings.Contains(q.Expr, `team="$team"`) && !strings.HasPrefix(q.Expr, "label_values") {
			t.Errorf("panel %q does not filter by the team variable: %s", q.Panel, q.Expr)
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
	if !slices.Contains(names, "datasource") || !slices.Contains(names, "person") || !slices.Contains(names, "team") || !slices.Contains(names, "source") {
		t.Errorf("variables %v, want datasource, person, team and source", names)
	}
}

// TestAlertRules runs promtool's own checks and unit tests on the alerting
// rules when promtool is installed (CI installs it: WEEKMAP_E2E=1 there).
func TestAlertRules(t *testing.T) {
	runPromtool(t, "alerts.yml", "alerts_test.yml")
}

// TestTeamRecordingRules runs promtool's checks and unit tests on the
// recording rules that add teams up across instances, the minimum group
// size included, when promtool is installed (CI installs it).
func TestTeamRecordingRules(t *testing.T) {
	runPromtool(t, "teams.rules.yml", "teams.rules_test.yml")
}

// runPromtool checks the rules file and runs its unit tests with promtool,
// which must be installed under WEEKMAP_E2E=1 and is skipped otherwise.
func runPromtool(t *testing.T, rules, tests string) {
	t.Helper()
	promtool, err := exec.LookPath("promtool")
	if err != nil {
		if os.Getenv("WEEKMAP_E2E") == "1" {
			t.Fatal("WEEKMAP_E2E=1 but promtool is not installed")
		}
		t.Skip("promtool not installed (apt-get install prometheus)")
	}
	for _, args := range [][]string{{"check", "rules", rules}, {"test", "rules", tests}} {
		out, err := exec.Command(promtool, args...).CombinedOutput()
		if err != nil {
			t.Errorf("promtool %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
}

// TestDashboardLayout: Grafana moves a panel that overlaps another or leaves
// the 24-column grid, and keys links by panel id; the generated layout must
// need neither.
func TestDashboardLayout(t *testing.T) {
	var d struct {
		Panels []struct {
			ID      int    `json:"id"`
			Title   string `json:"title"`
			GridPos struct {
				H, W, X, Y int
			} `json:"gridPos"`
		} `json:"panels"`
	}
	if err := json.Unmarshal(Dashboard, &d); err != nil {
		t.Fatal(err)
	}
	ids := map[int]string{}
	for i, p := range d.Panels {
		if other, ok := ids[p.ID]; ok || p.ID == 0 {
			t.Errorf("panel %q has id %d, also %q's", p.Title, p.ID, other)
		}
		ids[p.ID] = p.Title
		g := p.GridPos
		if g.W <= 0 || g.H <= 0 || g.X < 0 || g.X+g.W > 24 {
			t.Errorf("panel %q at %+v is off the 24-column grid", p.Title, g)
		}
		for _, q := range d.Panels[:i] {
			h := q.GridPos
			if g.X < h.X+h.W && h.X < g.X+g.W && g.Y < h.Y+h.H && h.Y < g.Y+g.H {
				t.Errorf("panel %q at %+v overlaps %q at %+v", p.Title, g, q.Title, h)
			}
		}
	}
}

// TestHistoryPanel: the history panel reads the backfill and the live
// scrape alike, and the other week panels read only the live series, which
// would otherwise count a week twice in the minutes after it ends.
func TestHistoryPanel(t *testing.T) {
	qs, err := Queries()
	if err != nil {
		t.Fatal(err)
	}
	var history []string
	for _, q := range qs {
		if !strings.Contains(q.Expr, "weekmap_week_") || strings.HasPrefix(q.Expr, "label_values") {
			continue
		}
		if q.Panel == "Design share per week over the chosen range" {
			history = append(history, q.Expr)
			continue
		}
		if !regexp.MustCompile(`weeks_ago(="\d+"|!="")`).MatchString(q.Expr) {
			t.Errorf("panel %q reads backfilled history too (no weeks_ago=\"N\" or weeks_ago!=\"\"): %s", q.Panel, q.Expr)
		}
	}
	if len(history) != 1 {
		t.Fatalf("got %d history panel queries, want 1", len(history))
	}
	h := history[0]
	for _, want := range []string{"[$__range]", `weeks_ago!="0"`, "by (week)"} {
		if !strings.Contains(h, want) {
			t.Errorf("history query %s lacks %s", h, want)
		}
	}
	if regexp.MustCompile(`weeks_ago(="|!="")`).MatchString(h) {
		t.Errorf("history query %s leaves out the backfill, which has no weeks_ago", h)
	}
}
