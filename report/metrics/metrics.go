// Package metrics exports the weekly report as Prometheus metrics (SPEC
// section 8): hours per category and the design share of every reported
// week, and the target they are judged against.
package metrics

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"net/http"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/common/expfmt"

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
	// text and gzipped are the snapshot in the Prometheus text format,
	// encoded once in Set: see Handler.
	text, gzipped []byte
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
	snap := newSnapshot(r)
	snap.text, snap.gzipped = encode(snap)
	c.snapshot.Store(snap)
}

// encode renders the report's metrics once, plain and gzipped, so that a
// scrape only copies bytes: with 200 calendars they are 14,400 series, and
// building, encoding and compressing them on every scrape took 100 ms
// (docs/PERFORMANCE.md).
func encode(s *snapshot) (text, gzipped []byte) {
	tmp := &Collector{}
	tmp.snapshot.Store(s)
	reg := prometheus.NewRegistry()
	reg.MustRegister(tmp)
	families, err := reg.Gather()
	if err != nil {
		// Our own descriptors and label values: a failure is a bug.
		panic(fmt.Sprintf("metrics: gather the report: %v", err))
	}
	var plain bytes.Buffer
	enc := expfmt.NewEncoder(&plain, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range families {
		if err := enc.Encode(mf); err != nil {
			panic(fmt.Sprintf("metrics: encode the report: %v", err))
		}
	}
	return plain.Bytes(), gzipBytes(plain.Bytes(), gzip.DefaultCompression)
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

// NewRegistry returns weekmap's own registry (never the global one) with
// the Go and process collectors and weekmap_build_info. The report's metrics
// are not registered in it: Handler serves them from the Collector's
// pre-encoded snapshot.
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

// Cached is a gatherer whose exposition is encoded again only when its
// changes counter moved: for metrics that change in bursts (a sync) and are
// scraped far more often than they change, like the sync metrics of 200
// sources (4,600 series).
type Cached struct {
	g       prometheus.Gatherer
	changes func() uint64

	mu            sync.Mutex
	seen          uint64
	valid         bool
	text, gzipped []byte
}

// NewCached caches g's exposition until changes() returns a new value.
func NewCached(g prometheus.Gatherer, changes func() uint64) *Cached {
	return &Cached{g: g, changes: changes}
}

func (c *Cached) encoded() (text, gzipped []byte, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	// Read the counter before gathering: a change during the gather makes
	// the next scrape encode again.
	n := c.changes()
	if c.valid && n == c.seen {
		return c.text, c.gzipped, nil
	}
	text, err = encodeGatherer(c.g)
	if err != nil {
		return nil, nil, err
	}
	c.text, c.gzipped, c.seen, c.valid = text, gzipBytes(text, gzip.DefaultCompression), n, true
	return c.text, c.gzipped, nil
}

func encodeGatherer(g prometheus.Gatherer) ([]byte, error) {
	families, err := g.Gather()
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	enc := expfmt.NewEncoder(&b, expfmt.NewFormat(expfmt.TypeTextPlain))
	for _, mf := range families {
		if err := enc.Encode(mf); err != nil {
			return nil, err
		}
	}
	return b.Bytes(), nil
}

func gzipBytes(b []byte, level int) []byte {
	var out bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&out, level)
	zw.Write(b)
	zw.Close()
	return out.Bytes()
}

// fastWriters are reused by gzipFast: a new gzip.Writer allocates about a
// megabyte, which on every scrape was most of a scrape's garbage.
var fastWriters = sync.Pool{New: func() any {
	zw, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed)
	return zw
}}

// gzipFast compresses b at gzip.BestSpeed.
func gzipFast(b []byte) []byte {
	var out bytes.Buffer
	zw := fastWriters.Get().(*gzip.Writer)
	zw.Reset(&out)
	zw.Write(b)
	zw.Close()
	fastWriters.Put(zw)
	return out.Bytes()
}

// Handler serves /metrics in the Prometheus text format: reg, gathered on
// each scrape (the Go and process collectors, weekmap_build_info), then each
// cached gatherer, then the report's metrics from c, encoded when the
// report was set. Gzip is used when the scraper accepts it; the parts are
// separate gzip members, which gzip readers (Prometheus's included) read as
// one stream.
func Handler(reg *prometheus.Registry, c *Collector, cached ...*Cached) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		live, err := encodeGatherer(reg)
		if err != nil {
			http.Error(w, "gather metrics: "+err.Error(), http.StatusInternalServerError)
			return
		}
		texts, zipped := [][]byte{live}, [][]byte{nil}
		for _, cg := range cached {
			text, gz, err := cg.encoded()
			if err != nil {
				http.Error(w, "gather metrics: "+err.Error(), http.StatusInternalServerError)
				return
			}
			texts, zipped = append(texts, text), append(zipped, gz)
		}
		if snap := c.snapshot.Load(); snap != nil {
			texts, zipped = append(texts, snap.text), append(zipped, snap.gzipped)
		}
		w.Header().Set("Content-Type", string(expfmt.NewFormat(expfmt.TypeTextPlain)))
		w.Header().Add("Vary", "Accept-Encoding")
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			for _, t := range texts {
				w.Write(t)
			}
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		// The live part changes on every scrape: compress it fast.
		zipped[0] = gzipFast(live)
		for _, z := range zipped {
			w.Write(z)
		}
	})
}
