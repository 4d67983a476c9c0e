package chart

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/weekmap/weekmap/report"
	"github.com/weekmap/weekmap/report/assets"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

func share(v float64) *float64 { return &v }

var berlin = time.FixedZone("CET", 3600)

// weekStarting builds a week of the given hours per category, its
// implementation time unscheduled, design booked alone, review and
// alignment in small recurring meetings and incidents in large one-off
// ones, so that its splits add up.
func weekStarting(name string, start time.Time, hours map[string]float64, ds *float64) report.WeekReport {
	secs := report.Seconds{"design": 0, "review": 0, "alignment": 0, "incident": 0, "implementation": 0}
	var total int64
	for k, v := range hours {
		secs[k] = int64(v * 3600)
		total += secs[k]
	}
	meetings := secs["review"] + secs["alignment"]
	return report.WeekReport{
		Week: name, Start: start, End: start.AddDate(0, 0, 7), Seconds: secs, TotalSeconds: total, DesignShare: ds,
		UnscheduledSeconds: secs["implementation"],
		Splits: report.Splits{
			SmallGroupSeconds: meetings, LargeGroupSeconds: secs["incident"], SoloSeconds: secs["design"],
			RecurringSeconds: meetings, OneOffSeconds: secs["incident"] + secs["design"],
		},
	}
}

// sampleReport has four weeks of "work", the last of them current when the
// report was generated, and a second calendar.
func sampleReport() report.Report {
	w45 := time.Date(2026, 11, 2, 0, 0, 0, 0, berlin)
	return report.Report{
		GeneratedAt:   time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC),
		Timezone:      "Europe/Berlin",
		Target:        report.TargetSummary{Categories: []string{"design", "review", "alignment"}, MinShare: 0.2},
		Categories:    []string{"design", "review", "alignment", "incident", "implementation"},
		FocusCategory: "implementation",
		People: []report.PersonReport{
			{
				Name:    "work",
				Sources: []report.SourceSync{{Name: "work", LastSuccess: time.Date(2026, 11, 25, 9, 45, 0, 0, berlin)}, {Name: "shared"}},
				Weeks: []report.WeekReport{
					weekStarting("2026-W45", w45, map[string]float64{"design": 4, "review": 2, "alignment": 3, "implementation": 31}, share(0.225)),
					weekStarting("2026-W46", w45.AddDate(0, 0, 7), nil, nil),
					weekStarting("2026-W47", w45.AddDate(0, 0, 14), map[string]float64{"design": 1, "review": 0.5, "alignment": 2.5, "incident": 3, "implementation": 29}, share(0.1111)),
					weekStarting("2026-W48", w45.AddDate(0, 0, 21), map[string]float64{"review": 2, "alignment": 4, "implementation": 34}, share(0.15)),
				},
				TopMeetings: []report.Meeting{
					{Title: "Team standup", Category: "alignment", Seconds: 5 * 3600, Count: 20},
					{Title: "Architecture review", Category: "review", Seconds: 4 * 3600, Count: 4},
					{Title: "1:1 with Sam", Category: "alignment", Seconds: 2 * 3600, Count: 4},
				},
			},
			{
				Name:  "oncall",
				Weeks: []report.WeekReport{weekStarting("2026-W48", w45.AddDate(0, 0, 21), map[string]float64{"incident": 6}, share(0))},
			},
		},
	}
}

func render(t *testing.T, r report.Report, opt Options) string {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, r, opt); err != nil {
		t.Fatalf("Render: %v", err)
	}
	return buf.String()
}

func TestRenderGolden(t *testing.T) {
	got := render(t, sampleReport(), Options{
		AssetsPath:  "/assets/",
		People:      []string{"work", "oncall"},
		WeekChoices: []int{4, 8, 12},
		Weeks:       4,
		Link:        queryLink,
	})
	golden := filepath.Join("testdata", "page.golden.html")
	if *update {
		if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("got a page that differs from %s (rerun with -update and review the diff):\n%s", golden, got)
	}
}

// options returns the ECharts option object of every chart on the page, by
// element id, decoded the way the browser would read the literal.
func options(t *testing.T, page string) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	m := regexp.MustCompile(`<script type="application/json" id="weekmap-charts">(.*?)</script>`).FindStringSubmatch(page)
	if m == nil {
		return out
	}
	var charts []struct {
		ID     string         `json:"id"`
		Option map[string]any `json:"option"`
	}
	if err := json.Unmarshal([]byte(m[1]), &charts); err != nil {
		t.Fatalf("chart data: not JSON: %v", err)
	}
	for _, c := range charts {
		out[c.ID] = c.Option
	}
	return out
}

func TestRenderStructure(t *testing.T) {
	tests := []struct {
		name  string
		opt   Options
		wants []string
	}{
		{name: "served script", opt: Options{}, wants: []string{
			`<script src="/assets/` + assets.Versioned(assets.EChartsPath) + `"></script>`,
			`<script src="/assets/` + assets.Versioned(assets.PagePath) + `"></script>`}},
		{name: "custom assets path", opt: Options{AssetsPath: "/weekmap/static"}, wants: []string{`<script src="/weekmap/static/` + assets.Versioned(assets.EChartsPath) + `"></script>`}},
		{name: "inline", opt: Options{Inline: true}, wants: []string{"<script>" + string(assets.EChartsJS()) + "</script>", "<script>" + string(assets.PageJS()) + "</script>"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page := render(t, sampleReport(), tt.opt)
			wants := append(tt.wants,
				`<meta name="viewport" content="width=device-width, initial-scale=1">`,
				`.chart { width: 100%; }`,
				`<p>This week (as planned): 15% design/review/alignment — below your 20% target.</p>`,
				`<p>Last week: 11% design/review/alignment — below your 20% target.</p>`,
				`<p>Below target in 1 of the last 2 complete weeks with work time.</p>`,
			)
			for _, want := range wants {
				if !strings.Contains(page, want) {
					t.Errorf("got a page without %.120q, want it", want)
				}
			}
			if n := strings.Count(page, string(assets.EChartsJS())); (n == 1) != tt.opt.Inline {
				t.Errorf("got the ECharts script inlined %d times with Inline %v", n, tt.opt.Inline)
			}
			if tt.opt.Inline && strings.Contains(page, "<script src") {
				t.Errorf("got an external script reference in an inline page, want none")
			}
			// No page may make the browser contact another host. The
			// ECharts build itself names XML namespaces and its licence
			// by URL; those are identifiers, never fetched.
			outside := strings.Replace(page, string(assets.EChartsJS()), "", 1)
			if m := regexp.MustCompile(`(?i)(https?:)?//[a-z0-9.-]+\.[a-z]`).FindString(outside); m != "" {
				t.Errorf("got a reference to another host %q, want none", m)
			}
			got := options(t, page)
			for _, id := range []string{"chart-hours", "chart-share", "chart-breakdown", "chart-meetings"} {
				if _, ok := got[id]; !ok {
					t.Errorf("got no options for %s, want a chart", id)
				}
				if !strings.Contains(page, `<div class="chart" id="`+id+`"`) {
					t.Errorf("got no element for %s, want one", id)
				}
			}
		})
	}
}

func TestRenderHostileText(t *testing.T) {
	hostile := []string{
		`</script><script>alert(1)</script>`,
		`<img src=x onerror=alert(1)>`,
		"line\u2028para\u2029end",
		`__f__alert(1)__f__`,
		`"); alert(1); ("`,
		`<!--<script>`,
		`&amp; & <b>`,
	}
	r := sampleReport()
	r.People[0].Name = `<img src=x onerror=alert(1)>` + "\u2028"
	r.People[0].TopMeetings = nil
	for i, title := range hostile {
		r.People[0].TopMeetings = append(r.People[0].TopMeetings, report.Meeting{Title: title, Category: "review", Seconds: int64(3600 * (len(hostile) - i)), Count: 1})
	}
	for _, inline := range []bool{false, true} {
		page := render(t, r, Options{Inline: inline, Person: r.People[0].Name})
		outside := strings.Replace(page, string(assets.EChartsJS()), "", 1)
		for _, bad := range []string{"<script>alert", "<img", "\u2028", "\u2029", "<!--", "<b>"} {
			if strings.Contains(outside, bad) {
				t.Errorf("inline %v: got raw %q in the page, want it escaped", inline, bad)
			}
		}
		if m := regexp.MustCompile(`<[a-zA-Z][^>]*onerror=`).FindString(outside); m != "" {
			t.Errorf("inline %v: got %q, want no onerror attribute", inline, m)
		}
		if open, closed := strings.Count(outside, "<script"), strings.Count(outside, "</script"); open != closed {
			t.Errorf("inline %v: got %d <script and %d </script, want them to pair up", inline, open, closed)
		}
		// The titles must arrive in the browser unchanged, as text.
		meetings := options(t, page)["chart-meetings"]
		if meetings == nil {
			t.Fatalf("inline %v: got no meetings chart, want one", inline)
		}
		axis := meetings["yAxis"].([]any)[0].(map[string]any)["data"].([]any)
		for i, want := range hostile {
			if axis[i] != want {
				t.Errorf("inline %v: got title %q, want %q", inline, axis[i], want)
			}
		}
	}
}

func TestRenderCalendars(t *testing.T) {
	empty := sampleReport()
	empty.People = nil
	tests := []struct {
		name     string
		r        report.Report
		calendar string
		want     string
		wantErr  error
	}{
		{name: "first by default", r: sampleReport(), want: "<h1>weekmap · work</h1>"},
		{name: "named", r: sampleReport(), calendar: "oncall", want: "<p>This week (as planned): 0% design/review/alignment — below your 20% target.</p>"},
		{name: "unknown", r: sampleReport(), calendar: "home", wantErr: ErrNoPerson},
		{name: "nothing synced", r: empty, want: "<p>No weeks to show yet: run a sync, or check the name in the address.</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := Render(&buf, tt.r, Options{Person: tt.calendar})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("got error %v, want %v", err, tt.wantErr)
			}
			if err != nil {
				if buf.Len() != 0 {
					t.Errorf("got %d bytes written on error, want none", buf.Len())
				}
				return
			}
			if !strings.Contains(buf.String(), tt.want) {
				t.Errorf("got a page without %q, want it:\n%s", tt.want, buf.String())
			}
		})
	}
}

func TestColoursAgreeAcrossCharts(t *testing.T) {
	r := sampleReport()
	r.Categories = append(r.Categories, "research", "hiring")
	r.People[0].Weeks[3].Seconds["research"] = 7200
	r.People[0].TopMeetings = append(r.People[0].TopMeetings, report.Meeting{Title: "Reading group", Category: "research", Seconds: 3600, Count: 2})
	got := options(t, render(t, r, Options{}))

	byCategory := map[string]map[string]bool{}
	note := func(category string, style any) {
		c := style.(map[string]any)["color"].(string)
		if byCategory[category] == nil {
			byCategory[category] = map[string]bool{}
		}
		byCategory[category][c] = true
	}
	for _, s := range got["chart-hours"]["series"].([]any) {
		s := s.(map[string]any)
		note(s["name"].(string), s["itemStyle"])
	}
	for _, d := range got["chart-breakdown"]["series"].([]any)[0].(map[string]any)["data"].([]any) {
		d := d.(map[string]any)
		note(d["name"].(string), d["itemStyle"])
	}
	category := map[string]string{}
	for _, m := range r.People[0].TopMeetings {
		category[m.Title] = m.Category
	}
	for _, d := range got["chart-meetings"]["series"].([]any)[0].(map[string]any)["data"].([]any) {
		d := d.(map[string]any)
		note(category[d["name"].(string)], d["itemStyle"])
	}

	seen := map[string]string{}
	for name, cs := range byCategory {
		if len(cs) != 1 {
			t.Errorf("category %s: got colours %v, want one", name, cs)
		}
		for c := range cs {
			if want, ok := palette[name]; ok && c != want {
				t.Errorf("category %s: got colour %s, want %s", name, c, want)
			}
			if other, dup := seen[c]; dup {
				t.Errorf("got colour %s for both %s and %s, want distinct", c, name, other)
			}
			seen[c] = name
		}
	}
	if len(byCategory) != 7 {
		t.Errorf("got colours for %d categories, want 7 (five built-in, research and hiring)", len(byCategory))
	}
}

func TestInlineScript(t *testing.T) {
	tests := []struct {
		name    string
		js      string
		wantErr bool
	}{
		{name: "echarts", js: string(assets.EChartsJS())},
		{name: "plain", js: `var a = "<\/script>" + 1 < 2;`},
		{name: "closing tag", js: `var a = "</script>";`, wantErr: true},
		{name: "closing tag in capitals", js: `var a = "</SCRIPT >";`, wantErr: true},
		{name: "comment opener", js: `var a = "<!--";`, wantErr: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := inlineScript([]byte(tt.js))
			if (err != nil) != tt.wantErr {
				t.Errorf("got error %v, want error: %v", err, tt.wantErr)
			}
		})
	}
}
