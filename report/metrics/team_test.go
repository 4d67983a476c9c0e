package metrics

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/weekmap/weekmap/report"
)

// teamReport is sampleReport without its people (as with person reports
// off) and with a team of three weeks: W45 shown with 6 members, W46
// suppressed (2 members with data), W47 shown with 5 members and no work
// time. With partial, it has the partial sums of all three.
func teamReport(partial bool) *report.Report {
	r := sampleReport()
	r.People = nil
	r.MinGroupSize = 5
	w45 := time.Date(2026, 11, 2, 0, 0, 0, 0, time.FixedZone("CET", 3600))
	week := func(name string, start time.Time, members int, secs report.Seconds, total int64, ds *float64) report.TeamWeek {
		return report.TeamWeek{Members: members, WeekReport: report.WeekReport{
			Week: name, Start: start, End: start.AddDate(0, 0, 7), Seconds: secs, TotalSeconds: total, DesignShare: ds}}
	}
	all := report.Seconds{"design": 36000, "review": 0, "alignment": 0, "incident": 0, "implementation": 108000}
	zero := report.Seconds{"design": 0, "review": 0, "alignment": 0, "incident": 0, "implementation": 0}
	small := report.Seconds{"design": 7200, "review": 0, "alignment": 0, "incident": 0, "implementation": 50400}
	suppressed := week("2026-W46", w45.AddDate(0, 0, 7), 0, zero, 0, nil)
	suppressed.NoData = true
	t := report.TeamReport{Name: "payments", Weeks: []report.TeamWeek{
		week("2026-W45", w45, 6, all, 144000, share(0.25)),
		suppressed,
		week("2026-W47", w45.AddDate(0, 0, 14), 5, zero, 0, nil),
	}}
	if partial {
		t.Partial = []report.TeamWeek{t.Weeks[0], week("2026-W46", w45.AddDate(0, 0, 7), 2, small, 57600, share(0.125)), t.Weeks[2]}
	}
	r.Teams = []report.TeamReport{t}
	return r
}

func TestCollectTeams(t *testing.T) {
	tests := []struct {
		series  string
		partial bool
		want    float64
		absent  bool
	}{
		{series: "weekmap_team_week_category_seconds{category=design,team=payments,week=2026-W45,weeks_ago=2}", want: 36000},
		{series: "weekmap_team_week_design_share_ratio{team=payments,week=2026-W45,weeks_ago=2}", want: 0.25},
		{series: "weekmap_team_week_members{team=payments,week=2026-W45,weeks_ago=2}", want: 6},
		// A suppressed week: no sample of any kind.
		{series: "weekmap_team_week_category_seconds{category=design,team=payments,week=2026-W46,weeks_ago=1}", absent: true},
		{series: "weekmap_team_week_members{team=payments,week=2026-W46,weeks_ago=1}", absent: true},
		{series: "weekmap_team_week_design_share_ratio{team=payments,week=2026-W46,weeks_ago=1}", absent: true},
		// No work time: members and zero hours, no share.
		{series: "weekmap_team_week_members{team=payments,week=2026-W47,weeks_ago=0}", want: 5},
		{series: "weekmap_team_week_category_seconds{category=implementation,team=payments,week=2026-W47,weeks_ago=0}", want: 0},
		{series: "weekmap_team_week_design_share_ratio{team=payments,week=2026-W47,weeks_ago=0}", absent: true},
		// Partial sums only when asked for, and then for the suppressed
		// week too.
		{series: "weekmap_team_partial_week_members{team=payments,week=2026-W46,weeks_ago=1}", absent: true},
		{series: "weekmap_team_partial_week_members{team=payments,week=2026-W46,weeks_ago=1}", partial: true, want: 2},
		{series: "weekmap_team_partial_week_category_seconds{category=design,team=payments,week=2026-W46,weeks_ago=1}", partial: true, want: 7200},
		{series: "weekmap_team_partial_week_work_seconds{team=payments,week=2026-W46,weeks_ago=1}", partial: true, want: 57600},
		{series: "weekmap_team_partial_week_work_seconds{team=payments,week=2026-W45,weeks_ago=2}", partial: true, want: 144000},
		{series: "weekmap_team_partial_week_members{team=payments,week=2026-W47,weeks_ago=0}", partial: true, want: 5},
		// The live suppressed series stay suppressed with partial sums on.
		{series: "weekmap_team_week_members{team=payments,week=2026-W46,weeks_ago=1}", partial: true, absent: true},
	}
	for _, tt := range tests {
		c := NewCollector()
		c.Set(teamReport(tt.partial))
		v, ok := samples(t, c)[tt.series]
		switch {
		case tt.absent && ok:
			t.Errorf("partial %v: %s = %v, want no sample", tt.partial, tt.series, v)
		case !tt.absent && !ok:
			t.Errorf("partial %v: %s has no sample, want %v", tt.partial, tt.series, tt.want)
		case !tt.absent && v != tt.want:
			t.Errorf("partial %v: %s = %v, want %v", tt.partial, tt.series, v, tt.want)
		}
	}
	for _, partial := range []bool{false, true} {
		c := NewCollector()
		c.Set(teamReport(partial))
		problems, err := testutil.CollectAndLint(c)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Errorf("partial %v: lint problem %s: %s, want none", partial, p.Metric, p.Text)
		}
		for series := range samples(t, c) {
			if strings.Contains(series, "person=") {
				t.Errorf("a report without people exports %s, with a person label", series)
			}
		}
	}
}

// TestTeamHistory: the openmetrics history has the teams' complete weeks
// that are shown, without weeks_ago, and no partial sums.
func TestTeamHistory(t *testing.T) {
	var b bytes.Buffer
	if err := WriteOpenMetrics(&b, *teamReport(true), time.Date(2026, 11, 18, 12, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		`weekmap_team_week_category_seconds{category="design",team="payments",week="2026-W45"} 36000.0 1.793574e+09`,
		`weekmap_team_week_design_share_ratio{team="payments",week="2026-W45"} 0.25 1.793574e+09`,
		`weekmap_team_week_members{team="payments",week="2026-W45"} 6.0 1.793574e+09`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("history lacks %s:\n%s", want, out)
		}
	}
	for _, absent := range []string{"2026-W46", "2026-W47", "partial", "person="} {
		if strings.Contains(out, absent) {
			t.Errorf("history has %q (a suppressed week, the current one, partial sums or a person):\n%s", absent, out)
		}
	}
}

// TestTeamRulesReadWhatIsExported: every weekmap series the cross-instance
// recording rules read is one the collector exports with partial sums on.
func TestTeamRulesReadWhatIsExported(t *testing.T) {
	rules, err := os.ReadFile(filepath.Join("..", "..", "dashboards", "teams.rules.yml"))
	if err != nil {
		t.Fatal(err)
	}
	c := NewCollector()
	c.Set(teamReport(true))
	exported := map[string]bool{}
	for series := range samples(t, c) {
		exported[series[:strings.IndexByte(series, '{')]] = true
	}
	read := regexp.MustCompile(`\(weekmap_[a-z_]+`).FindAllString(string(rules), -1)
	if len(read) < 3 {
		t.Fatalf("found %d series read in teams.rules.yml, want its partial sums", len(read))
	}
	for _, m := range read {
		if name := strings.TrimPrefix(m, "("); !exported[name] {
			t.Errorf("teams.rules.yml reads %s, which weekmap does not export", name)
		}
	}
}
