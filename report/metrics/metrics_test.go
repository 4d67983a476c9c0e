package metrics

import (
	"bytes"
	"compress/gzip"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/weekmap/weekmap/report"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// ownMetrics are the collector's metric names; CollectAndFormat needs them.
var ownMetrics = []string{"weekmap_design_share_target_ratio", "weekmap_week_category_seconds", "weekmap_week_design_share_ratio"}

func share(v float64) *float64 { return &v }

// sampleReport has two people: "work" with three weeks (the middle one
// without any work time, so without a design share) and "oncall" with one.
// Its category list lacks "research", which only one week uses.
func sampleReport() *report.Report {
	berlin := time.FixedZone("CET", 3600)
	week := func(name string, start time.Time, secs report.Seconds, ds *float64) report.WeekReport {
		return report.WeekReport{Week: name, Start: start, End: start.AddDate(0, 0, 7), Seconds: secs, DesignShare: ds}
	}
	w45 := time.Date(2026, 11, 2, 0, 0, 0, 0, berlin)
	return &report.Report{
		GeneratedAt: time.Date(2026, 11, 23, 18, 0, 0, 0, time.UTC),
		Timezone:    "Europe/Berlin",
		Target:      report.TargetSummary{Categories: []string{"design", "review", "alignment"}, MinShare: 0.2},
		Categories:  []string{"design", "review", "alignment", "incident", "implementation"},
		People: []report.PersonReport{
			{
				Name: "work",
				Weeks: []report.WeekReport{
					week("2026-W45", w45, report.Seconds{"design": 7200, "review": 3600, "alignment": 3600, "incident": 0, "implementation": 57600}, share(0.2)),
					week("2026-W46", w45.AddDate(0, 0, 7), report.Seconds{"design": 0, "review": 0, "alignment": 0, "incident": 0, "implementation": 0}, nil),
					week("2026-W47", w45.AddDate(0, 0, 14), report.Seconds{"design": 3600, "review": 1800, "alignment": 9000, "incident": 0, "implementation": 117000, "research": 1800}, share(0.1096)),
				},
				TopMeetings: []report.Meeting{{Title: "Secret project sync", Category: "alignment", Seconds: 3600, Count: 1}},
			},
			{
				Name: "oncall",
				Weeks: []report.WeekReport{
					{Week: "2026-W46", Start: w45.AddDate(0, 0, 7), End: w45.AddDate(0, 0, 14), Seconds: report.Seconds{"design": 0}, NoData: true},
					week("2026-W47", w45.AddDate(0, 0, 14), report.Seconds{"design": 0, "review": 0, "alignment": 0, "incident": 14400, "implementation": 0}, share(0)),
				},
			},
		},
	}
}

func TestCollectGolden(t *testing.T) {
	tests := []struct {
		name   string
		report *report.Report
	}{
		{name: "two_people", report: sampleReport()},
		{name: "no_people", report: &report.Report{Target: report.TargetSummary{MinShare: 0.25}, Categories: []string{"design"}}},
		{name: "no_report", report: nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := NewCollector()
			c.Set(tt.report)
			golden := filepath.Join("testdata", tt.name+".prom")
			if *update {
				got, err := testutil.CollectAndFormat(c, expfmt.TypeTextPlain, ownMetrics...)
				if err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatal(err)
			}
			if err := testutil.CollectAndCompare(c, bytes.NewReader(want)); err != nil {
				t.Error(err)
			}
			problems, err := testutil.CollectAndLint(c)
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range problems {
				t.Errorf("got lint problem %s: %s, want none", p.Metric, p.Text)
			}
		})
	}
}

// samples collects c into "name{label=value,...}" → value, labels sorted.
func samples(t *testing.T, c prometheus.Collector) map[string]float64 {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(c)
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			var labels []string
			for _, l := range m.GetLabel() {
				labels = append(labels, l.GetName()+"="+l.GetValue())
			}
			sort.Strings(labels)
			out[f.GetName()+"{"+strings.Join(labels, ",")+"}"] = m.GetGauge().GetValue()
		}
	}
	return out
}

func TestCollectSamples(t *testing.T) {
	c := NewCollector()
	c.Set(sampleReport())
	got := samples(t, c)

	tests := []struct {
		series string
		want   float64
		absent bool
	}{
		{series: "weekmap_design_share_target_ratio{}", want: 0.2},
		{series: "weekmap_week_category_seconds{category=design,person=work,week=2026-W47,weeks_ago=0}", want: 3600},
		{series: "weekmap_week_category_seconds{category=design,person=work,week=2026-W45,weeks_ago=2}", want: 7200},
		{series: "weekmap_week_category_seconds{category=incident,person=work,week=2026-W46,weeks_ago=1}", want: 0},
		{series: "weekmap_week_category_seconds{category=research,person=work,week=2026-W47,weeks_ago=0}", want: 1800},
		{series: "weekmap_week_category_seconds{category=incident,person=oncall,week=2026-W47,weeks_ago=0}", want: 14400},
		{series: "weekmap_week_design_share_ratio{person=work,week=2026-W47,weeks_ago=0}", want: 0.1096},
		{series: "weekmap_week_design_share_ratio{person=oncall,week=2026-W47,weeks_ago=0}", want: 0},
		{series: "weekmap_week_design_share_ratio{person=work,week=2026-W46,weeks_ago=1}", absent: true},
		// A week without data is no sample at all.
		{series: "weekmap_week_category_seconds{category=design,person=oncall,week=2026-W46,weeks_ago=1}", absent: true},
		// A week only exports the categories it has seconds for or the
		// report lists.
		{series: "weekmap_week_category_seconds{category=research,person=work,week=2026-W45,weeks_ago=2}", absent: true},
	}
	for _, tt := range tests {
		t.Run(tt.series, func(t *testing.T) {
			v, ok := got[tt.series]
			switch {
			case tt.absent && ok:
				t.Errorf("got %v, want no sample", v)
			case !tt.absent && !ok:
				t.Errorf("got no sample, want %v", tt.want)
			case !tt.absent && v != tt.want:
				t.Errorf("got %v, want %v", v, tt.want)
			}
		})
	}
	// 3 weeks × 5 categories + research once, oncall 5, two shares with a
	// value in work and one in oncall, one target.
	if want := 3*5 + 1 + 5 + 2 + 1 + 1; len(got) != want {
		t.Errorf("got %d series, want %d", len(got), want)
	}
	for series := range got {
		if strings.Contains(series, "Secret") {
			t.Errorf("got a meeting title in series %s, want titles never in labels", series)
		}
	}
}

func TestSetSnapshotsTheReport(t *testing.T) {
	r := sampleReport()
	c := NewCollector()
	c.Set(r)
	before := samples(t, c)

	r.People[0].Weeks[2].Seconds["design"] = 1
	*r.People[0].Weeks[2].DesignShare = 0.9
	r.People[0].Name = "renamed"
	r.Categories[0] = "changed"

	after := samples(t, c)
	if fmt.Sprint(after) != fmt.Sprint(before) {
		t.Errorf("got series changed by editing the report after Set, want the snapshot kept:\n%v\nwant\n%v", after, before)
	}

	c.Set(nil)
	if got := samples(t, c); len(got) != 0 {
		t.Errorf("got %d series after Set(nil), want 0", len(got))
	}
}

func TestConcurrentSetAndCollect(t *testing.T) {
	c := NewCollector()
	reg := prometheus.NewRegistry()
	reg.MustRegister(c)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				c.Set(sampleReport())
			}
		}()
		go func() {
			defer wg.Done()
			for j := 0; j < 50; j++ {
				if _, err := reg.Gather(); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestRegistryHandler(t *testing.T) {
	c := NewCollector()
	c.Set(sampleReport())
	reg := NewRegistry("1.2.3")
	srv := httptest.NewServer(Handler(reg, c))
	defer srv.Close()

	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("got status %d, want 200: %s", resp.StatusCode, body)
	}
	for _, want := range []string{
		fmt.Sprintf(`weekmap_build_info{goversion=%q,version="1.2.3"} 1`, runtime.Version()),
		`weekmap_week_category_seconds{category="design",person="work",week="2026-W47",weeks_ago="0"} 3600`,
		`weekmap_design_share_target_ratio 0.2`,
		"go_goroutines ",
		"promhttp_metric_handler_requests_total",
	} {
		if !bytes.Contains(body, []byte(want)) {
			t.Errorf("got a scrape without %q, want it", want)
		}
	}

	// The registry and the report's families make one exposition, each
	// family once.
	parser := expfmt.NewTextParser(model.LegacyValidation)
	if _, err := parser.TextToMetricFamilies(bytes.NewReader(body)); err != nil {
		t.Errorf("the scrape does not parse as one exposition: %v", err)
	}
	req, _ := http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	zresp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	defer zresp.Body.Close()
	zr, err := gzip.NewReader(zresp.Body)
	if err != nil {
		t.Fatalf("gzip scrape: %v (Content-Encoding %q)", err, zresp.Header.Get("Content-Encoding"))
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(stripVolatile(unzipped), stripVolatile(body)) {
		t.Errorf("the gzipped scrape differs from the plain one")
	}

	// A scraper that asks for OpenMetrics gets it, with its EOF marker.
	req, _ = http.NewRequest("GET", srv.URL, nil)
	req.Header.Set("Accept", "application/openmetrics-text;version=1.0.0")
	oresp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer oresp.Body.Close()
	om, _ := io.ReadAll(oresp.Body)
	if ct := oresp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/openmetrics-text") || !bytes.HasSuffix(om, []byte("# EOF\n")) {
		t.Errorf("got Content-Type %q and a body ending %q, want OpenMetrics", ct, om[max(0, len(om)-20):])
	}

	problems, err := testutil.GatherAndLint(reg, "weekmap_build_info")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Errorf("got lint problem %s: %s, want none", p.Metric, p.Text)
	}
}

// stripVolatile drops the Go, process and promhttp series, which change between two
// scrapes.
func stripVolatile(b []byte) []byte {
	var out []byte
	for _, line := range bytes.SplitAfter(b, []byte("\n")) {
		if bytes.Contains(line, []byte("go_")) || bytes.Contains(line, []byte("process_")) || bytes.Contains(line, []byte("promhttp_")) {
			continue
		}
		out = append(out, line...)
	}
	return out
}

// TestMergedFamilyNames: a registry family with a report family's name is
// an error, not a merged family; the rest is still served, sorted by name.
func TestMergedFamilyNames(t *testing.T) {
	c := NewCollector()
	c.Set(sampleReport())
	reg := prometheus.NewRegistry()
	reg.MustRegister(prometheus.NewGauge(prometheus.GaugeOpts{Name: "weekmap_design_share_target_ratio", Help: "a clash"}))
	reg.MustRegister(prometheus.NewGauge(prometheus.GaugeOpts{Name: "aaa_first", Help: "sorts first"}))
	families, err := merged{reg, c}.Gather()
	if err == nil || !strings.Contains(err.Error(), "weekmap_design_share_target_ratio") {
		t.Errorf("got error %v, want one naming the clashing family", err)
	}
	var names []string
	for _, f := range families {
		names = append(names, f.GetName())
	}
	if !slices.IsSorted(names) || names[0] != "aaa_first" || slices.Index(names, "weekmap_week_category_seconds") < 0 {
		t.Errorf("got families %v, want the registry's and the report's sorted by name", names)
	}
	if n := strings.Count(strings.Join(names, " "), "weekmap_design_share_target_ratio"); n != 1 {
		t.Errorf("got %d families named weekmap_design_share_target_ratio, want 1", n)
	}
}
