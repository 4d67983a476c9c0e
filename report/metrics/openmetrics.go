package metrics

import (
	"fmt"
	"io"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/common/expfmt"

	"github.com/weekmap/weekmap/report"
)

// History descriptors: the same names as the live metrics, without
// weeks_ago (which changes every week and so means nothing in history), so
// that a query can tell the two apart and one that leaves weeks_ago out sees
// both.
var (
	historyCategoryDesc = prometheus.NewDesc(weekCategorySecondsName,
		"Counted working time in a complete ISO week, by category, in seconds (backfilled history; "+
			"the sample is at the start of the week).",
		[]string{"person", "category", "week"}, nil)
	historyShareDesc = prometheus.NewDesc(weekDesignShareName,
		"Share of a complete ISO week's work time spent in the target categories, from 0 to 1 "+
			"(backfilled history; the sample is at the start of the week).",
		[]string{"person", "week"}, nil)
	historyTeamCategoryDesc = prometheus.NewDesc(teamCategorySecondsName,
		"Counted working time of a team's members with data in a complete ISO week, summed, by category, in seconds "+
			"(backfilled history; the sample is at the start of the week).",
		[]string{"team", "category", "week"}, nil)
	historyTeamShareDesc = prometheus.NewDesc(teamDesignShareName,
		"Share of a team's summed work time in a complete ISO week spent in the target categories, from 0 to 1 "+
			"(backfilled history; the sample is at the start of the week).",
		[]string{"team", "week"}, nil)
	historyTeamMembersDesc = prometheus.NewDesc(teamMembersName,
		"Members of a team with data in a complete ISO week (backfilled history; the sample is at the start of the week).",
		[]string{"team", "week"}, nil)
)

// history is a collector of timestamped samples, one per complete week.
type history struct {
	r   *report.Report
	now time.Time
}

func (h history) Describe(ch chan<- *prometheus.Desc) {
	ch <- historyCategoryDesc
	ch <- historyShareDesc
	ch <- historyTeamCategoryDesc
	ch <- historyTeamShareDesc
	ch <- historyTeamMembersDesc
}

func (h history) Collect(ch chan<- prometheus.Metric) {
	for _, c := range h.r.People {
		for _, w := range c.Weeks {
			if w.End.After(h.now) || w.NoData {
				continue // the current week is not history yet; a week without data never is
			}
			// At the week's first instant (Monday 00:00 in the report's
			// zone): inside the week it describes, so a graph puts the
			// value on its week; and a complete week's start is at least
			// 7 days old, so no sample lands in the last hours that
			// Prometheus's head block still holds and that promtool's
			// backfill must not overlap.
			at := w.Start
			for _, cat := range categoriesOf(h.r.Categories, w.Seconds) {
				m := prometheus.MustNewConstMetric(historyCategoryDesc, prometheus.GaugeValue, float64(w.Seconds[cat]), c.Name, cat, w.Week)
				ch <- prometheus.NewMetricWithTimestamp(at, m)
			}
			if w.DesignShare != nil {
				m := prometheus.MustNewConstMetric(historyShareDesc, prometheus.GaugeValue, *w.DesignShare, c.Name, w.Week)
				ch <- prometheus.NewMetricWithTimestamp(at, m)
			}
		}
	}
	// Teams as the live series have them: no sample for a suppressed
	// week. The partial sums are not history: summing them across
	// instances is for the live recording rules.
	for _, t := range h.r.Teams {
		for _, w := range t.Weeks {
			if w.End.After(h.now) || w.Suppressed() {
				continue
			}
			at := w.Start
			for _, cat := range categoriesOf(h.r.Categories, w.Seconds) {
				m := prometheus.MustNewConstMetric(historyTeamCategoryDesc, prometheus.GaugeValue, float64(w.Seconds[cat]), t.Name, cat, w.Week)
				ch <- prometheus.NewMetricWithTimestamp(at, m)
			}
			if w.DesignShare != nil {
				m := prometheus.MustNewConstMetric(historyTeamShareDesc, prometheus.GaugeValue, *w.DesignShare, t.Name, w.Week)
				ch <- prometheus.NewMetricWithTimestamp(at, m)
			}
			m := prometheus.MustNewConstMetric(historyTeamMembersDesc, prometheus.GaugeValue, float64(w.Members), t.Name, w.Week)
			ch <- prometheus.NewMetricWithTimestamp(at, m)
		}
	}
}

// WriteOpenMetrics writes the complete weeks of r's people and teams (those
// that ended by now)
// as OpenMetrics text with a timestamp on every sample, for
// `promtool tsdb create-blocks-from openmetrics`. A year is a few hundred
// samples a person; promtool writes one block per --max-block-duration range
// they fall in, so the README's 8760h (which promtool rounds down to its
// 4374h range) makes at most three blocks of a year instead of one per week.
func WriteOpenMetrics(w io.Writer, r report.Report, now time.Time) error {
	reg := prometheus.NewPedanticRegistry()
	if err := reg.Register(history{r: &r, now: now}); err != nil {
		return fmt.Errorf("openmetrics: %w", err)
	}
	families, err := reg.Gather()
	if err != nil {
		return fmt.Errorf("openmetrics: %w", err)
	}
	enc := expfmt.NewEncoder(w, expfmt.NewFormat(expfmt.TypeOpenMetrics))
	for _, mf := range families {
		if err := enc.Encode(mf); err != nil {
			return fmt.Errorf("openmetrics: %w", err)
		}
	}
	if _, err := expfmt.FinalizeOpenMetrics(w); err != nil {
		return fmt.Errorf("openmetrics: %w", err)
	}
	return nil
}
