// Package metrics exports the weekly report as Prometheus metrics (SPEC
// section 8): hours per category and the design share of every reported
// week, and the target they are judged against.
package metrics

import (
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

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
			"weeks_ago 0 is the current week, which is counted as planned.",
		[]string{"calendar", "category", "week", "weeks_ago"}, nil,
	)
	weekDesignShareDesc = prometheus.NewDesc(
		weekDesignShareName,
		"Share of an ISO week's work time spent in the target categories "+
			"(by default design, review and alignment), from 0 to 1; "+
			"time in the ignore category is not work. No sample for a week with no work time.",
		[]string{"calendar", "week", "weeks_ago"}, nil,
	)
	designShareTargetDesc = prometheus.NewDesc(
		"weekmap_design_share_target_ratio",
		"The configured minimum design share (target.min_share), from 0 to 1; "+
			"a week whose weekmap_week_design_share_ratio is below it is below target.",
		nil, nil,
	)
)

// Collector is a prometheus.Collector that reports the last report handed to
// Set. It is safe for concurrent use: Set replaces the snapshot atomically
// while scrapes read the previous one.
type Collector struct {
	snapshot atomic.Pointer[snapshot]
}

// snapshot holds the values of one report, copied out of it so that later
// changes to the report cannot race with a scrape.
type snapshot struct {
	target float64
	weeks  []weekSample
}

type weekSample struct {
	calendar, week, weeksAgo string
	categories               []string
	seconds                  []float64 // parallel to categories
	designShare              *float64
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
	c.snapshot.Store(newSnapshot(r))
}

func newSnapshot(r *report.Report) *snapshot {
	s := &snapshot{target: r.Target.MinShare}
	for _, cal := range r.Calendars {
		for i, w := range cal.Weeks {
			categories := categoriesOf(r.Categories, w.Seconds)
			sample := weekSample{
				calendar:   cal.Name,
				week:       w.Week,
				weeksAgo:   strconv.Itoa(len(cal.Weeks) - 1 - i),
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
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- weekCategorySecondsDesc
	ch <- weekDesignShareDesc
	ch <- designShareTargetDesc
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	s := c.snapshot.Load()
	if s == nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(designShareTargetDesc, prometheus.GaugeValue, s.target)
	for _, w := range s.weeks {
		for i, category := range w.categories {
			ch <- prometheus.MustNewConstMetric(weekCategorySecondsDesc, prometheus.GaugeValue,
				w.seconds[i], w.calendar, category, w.week, w.weeksAgo)
		}
		if w.designShare != nil {
			ch <- prometheus.MustNewConstMetric(weekDesignShareDesc, prometheus.GaugeValue,
				*w.designShare, w.calendar, w.week, w.weeksAgo)
		}
	}
}

// NewRegistry returns a registry of weekmap's own — never the global one —
// holding c, the Go runtime and process collectors, and
// weekmap_build_info{version,goversion}.
func NewRegistry(c *Collector, version string) *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		c,
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

// Handler serves reg in the Prometheus text format, or OpenMetrics when the
// scraper asks for it. Errors while gathering are counted in
// promhttp_metric_handler_errors_total in reg itself.
func Handler(reg *prometheus.Registry) http.Handler {
	return promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		Registry:          reg,
		EnableOpenMetrics: true,
	})
}
