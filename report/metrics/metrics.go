// Package metrics exports the weekly report as Prometheus metrics (README,
// "Metrics"): each person's and each team's hours per category and design
// share of every reported week, the members with data of each team's week,
// and the target they are judged against. A report without people (person
// reports off) exports no series with a person label.
package metrics

import (
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	dto "github.com/prometheus/client_model/go"

	"github.com/weekmap/weekmap/report"
)

// The descriptors are fixed, like node_exporter's: the collector only sends
// const metrics built from a snapshot, so nothing here is mutable.
const (
	weekCategorySecondsName = "weekmap_week_category_seconds"
	weekDesignShareName     = "weekmap_week_design_share_ratio"
)

var (
	weekCategorySecondsDesc = prometheus.NewDesc(
		weekCategorySecondsName,
		"Counted working time in an ISO week, by category, in seconds. "+
			"Working hours with no event are included under the accounting.unscheduled category; "+
			"weeks_ago 0 is the current week, which is counted as planned. No sample for a week without data.",
		[]string{"person", "category", "week", "weeks_ago"}, nil,
	)
	weekDesignShareDesc = prometheus.NewDesc(
		weekDesignShareName,
		"Share of an ISO week's work time spent in the target categories "+
			"(by default design, review and alignment), from 0 to 1; "+
			"time in the ignore and off categories is not work. No sample for a week with no work time or no data.",
		[]string{"person", "week", "weeks_ago"}, nil,
	)
	designShareTargetDesc = prometheus.NewDesc(
		"weekmap_design_share_target_ratio",
		"The configured minimum design share (target.min_share), from 0 to 1; "+
			"a week whose weekmap_week_design_share_ratio is below it is below target.",
		nil, nil,
	)
)

// Collector reports the last report handed to Set. It is a
// prometheus.Collector, and also a prometheus.Gatherer that hands out the
// metric families gathered once when the report was set: a report changes
// after a sync, every 15 minutes, and is scraped far more often, so a scrape
// only encodes (for 200 people that is 14,400 series; see
// docs/PERFORMANCE.md). It is safe for concurrent use: Set replaces the
// snapshot atomically while scrapes read the previous one.
type Collector struct {
	snapshot atomic.Pointer[snapshot]
}

var _ prometheus.Gatherer = (*Collector)(nil)

// snapshot holds the values of one report, copied out of it so that later
// changes to the report cannot race with a scrape, and their families.
type snapshot struct {
	target   float64
	weeks    []weekSample
	teams    []teamSample
	partial  []teamSample
	families []*dto.MetricFamily
}

type weekSample struct {
	person, week, weeksAgo string
	categories             []string
	seconds                []float64 // parallel to categories
	designShare            *float64
}

// NewCollector returns a Collector with no report yet; until Set is called
// it exports nothing.
func NewCollector() *Collector {
	return &Collector{}
}

// Set makes r the report the collector exports. Call it after each sync or
// recompute. A nil r clears the snapshot.
func (c *Collector) Set(r *report.Report) {
	if r == nil {
		c.snapshot.Store(nil)
		return
	}
	snap := newSnapshot(r)
	// Gather through a registry of its own, so that the families are
	// checked (names, labels, duplicates) once, as a registry would.
	reg := prometheus.NewRegistry()
	reg.MustRegister(snapshotCollector{snap})
	families, err := reg.Gather()
	if err != nil {
		// Our own descriptors and label values: a failure is a bug.
		panic(fmt.Sprintf("metrics: gather the report: %v", err))
	}
	snap.families = families
	c.snapshot.Store(snap)
}

// Gather implements prometheus.Gatherer with the families of the last
// report. Callers must not modify them.
func (c *Collector) Gather() ([]*dto.MetricFamily, error) {
	if s := c.snapshot.Load(); s != nil {
		return s.families, nil
	}
	return nil, nil
}

func newSnapshot(r *report.Report) *snapshot {
	s := &snapshot{target: r.Target.MinShare}
	for _, p := range r.People {
		for i, w := range p.Weeks {
			if w.NoData {
				continue
			}
			categories := categoriesOf(r.Categories, w.Seconds)
			sample := weekSample{
				person:     p.Name,
				week:       w.Week,
				weeksAgo:   strconv.Itoa(len(p.Weeks) - 1 - i),
				categories: categories,
				seconds:    make([]float64, len(categories)),
			}
			for j, name := range categories {
				sample.seconds[j] = float64(w.Seconds[name])
			}
			if w.DesignShare != nil {
				share := *w.DesignShare
				sample.designShare = &share
			}
			s.weeks = append(s.weeks, sample)
		}
	}
	s.teams, s.partial = teamSamples(r)
	return s
}

// categoriesOf returns the report's categories followed by any category the
// week has seconds for but the list lacks, so that no counted time is lost
// from the metrics even if the two disagree.
func categoriesOf(ordered []string, seconds report.Seconds) []string {
	out := slices.Clone(ordered)
	var extra []string
	for name := range seconds {
		if !slices.Contains(ordered, name) {
			extra = append(extra, name)
		}
	}
	slices.Sort(extra)
	return append(out, extra...)
}

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) { describe(ch) }

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	if s := c.snapshot.Load(); s != nil {
		s.collect(ch)
	}
}

// snapshotCollector collects one snapshot, for Set's gathering.
type snapshotCollector struct{ s *snapshot }

func (sc snapshotCollector) Describe(ch chan<- *prometheus.Desc) { describe(ch) }
func (sc snapshotCollector) Collect(ch chan<- prometheus.Metric) { sc.s.collect(ch) }

func describe(ch chan<- *prometheus.Desc) {
	ch <- weekCategorySecondsDesc
	ch <- weekDesignShareDesc
	ch <- designShareTargetDesc
	describeTeams(ch)
}

func (s *snapshot) collect(ch chan<- prometheus.Metric) {
	ch <- prometheus.MustNewConstMetric(designShareTargetDesc, prometheus.GaugeValue, s.target)
	for _, w := range s.weeks {
		for i, category := range w.categories {
			ch <- prometheus.MustNewConstMetric(weekCategorySecondsDesc, prometheus.GaugeValue,
				w.seconds[i], w.person, category, w.week, w.weeksAgo)
		}
		if w.designShare != nil {
			ch <- prometheus.MustNewConstMetric(weekDesignShareDesc, prometheus.GaugeValue,
				*w.designShare, w.person, w.week, w.weeksAgo)
		}
	}
	collectTeams(ch, s.teams, s.partial)
}

// NewRegistry returns weekmap's own registry (never the global one) with
// the Go and process collectors and weekmap_build_info.
func NewRegistry(version string) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "weekmap_build_info",
			Help: "Always 1; its labels name the weekmap version and the Go version it was built with.",
			ConstLabels: prometheus.Labels{
				"version":   version,
				"goversion": runtime.Version(),
			},
		}, func() float64 { return 1 }),
	)
	return reg
}

// Handler serves /metrics from reg and the report collector c as
// node_exporter does: the content type the scraper asks for (Prometheus text
// or OpenMetrics), compressed when it accepts it, families checked for
// duplicates across both, and promhttp's own metrics of the handler added
// to reg. c must not be registered in reg.
func Handler(reg *prometheus.Registry, c *Collector) http.Handler {
	h := promhttp.HandlerFor(merged{reg, c}, promhttp.HandlerOpts{
		ErrorHandling:     promhttp.ContinueOnError,
		EnableOpenMetrics: true,
		// A scrape never waits on a calendar: everything is computed
		// after a sync, so a slow scrape is a problem worth a 503.
		Timeout: 10 * time.Second,
	})
	return promhttp.InstrumentMetricHandler(reg, h)
}

// merged gathers the registry's families and the report's. It does what
// prometheus.Gatherers does, except checking each of the report's metrics
// again on every scrape: they were checked when the report was set (see
// Collector.Set), and at a thousand people, 84,000 series, those checks
// were a third of every scrape. Family names are still compared, so a
// report family can never shadow or merge with a registry one.
type merged struct {
	reg prometheus.Gatherer
	c   *Collector
}

func (m merged) Gather() ([]*dto.MetricFamily, error) {
	families, err := m.reg.Gather()
	own, _ := m.c.Gather()
	if len(own) == 0 {
		return families, err
	}
	names := make(map[string]bool, len(families))
	for _, f := range families {
		names[f.GetName()] = true
	}
	out := slices.Clip(families)
	for _, f := range own {
		if names[f.GetName()] {
			err = errors.Join(err, fmt.Errorf("metric family %s is both a registry's and the report's", f.GetName()))
			continue
		}
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b *dto.MetricFamily) int { return strings.Compare(a.GetName(), b.GetName()) })
	return out, err
}
