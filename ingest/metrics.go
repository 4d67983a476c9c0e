package ingest

import (
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Reasons in weekmap_sync_errors_total.
const (
	ReasonFullSyncRequired = "full_sync_required"
	ReasonRateLimited      = "rate_limited"
	ReasonServerError      = "server_error"
	ReasonNetwork          = "network"
	ReasonRevoked          = "revoked"
	ReasonNotConnected     = "not_connected"
	ReasonUnauthorized     = "unauthorized"
	// ReasonInvalidData is a calendar file or feed weekmap refused: it
	// could not be parsed, or it is over a size or recurrence limit.
	ReasonInvalidData = "invalid_data"
	ReasonOther       = "other"
)

// Metrics are the sync metrics (README, "Metrics"). Labels are source names
// and HTTP status codes only: never titles, e-mails or calendar ids. A nil
// *Metrics records nothing.
type Metrics struct {
	lastSuccess *prometheus.GaugeVec
	duration    *prometheus.HistogramVec
	errors      *prometheus.CounterVec
	requests    *prometheus.CounterVec
	events      *prometheus.GaugeVec

	// group, if set, names the series a source is counted in (see
	// GroupBy); success and stored are then kept per source, to export
	// each group's oldest success and summed events, and seen holds every
	// source that has tried to sync.
	group   func(source string) string
	mu      sync.Mutex
	success map[string]time.Time
	stored  map[string]int
	seen    map[string]bool
}

// NewMetrics returns unregistered sync metrics; see Register.
func NewMetrics() *Metrics {
	return &Metrics{
		lastSuccess: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "weekmap_sync_last_success_timestamp_seconds",
			Help: "When the source last synced without error, in seconds since the Unix epoch.",
		}, []string{"source"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "weekmap_sync_duration_seconds",
			Help:    "How long one sync of the source took, failed ones included.",
			Buckets: []float64{0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300},
		}, []string{"source"}),
		errors: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "weekmap_sync_errors_total",
			Help: "Problems met while syncing the source, by reason; retried ones and full resyncs forced by the API included.",
		}, []string{"source", "reason"}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "weekmap_api_requests_total",
			Help: "Responses from the calendar API, by HTTP status code.",
		}, []string{"source", "code"}),
		events: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "weekmap_events",
			Help: "Events of the source in the store after its last sync.",
		}, []string{"source"}),
	}
}

// GroupBy makes the metrics of each source count in the series of
// group(source) instead of its own: counters and the duration histogram
// add up, weekmap_events is the group's sum, and
// weekmap_sync_last_success_timestamp_seconds is the oldest last success
// of the group's sources, so the stale alert fires when any of them is
// stale; while one of them has tried but never synced, the group has no
// last-success series, as a source of its own would not, and the
// never-synced alert fires. serve uses it to keep people's names (which name
// their sources in team mode) out of /metrics when person metrics are off.
// Call it before anything is recorded.
func (m *Metrics) GroupBy(group func(source string) string) {
	m.group = group
	m.success = map[string]time.Time{}
	m.stored = map[string]int{}
	m.seen = map[string]bool{}
}

// label is the label value source's metrics carry.
func (m *Metrics) label(source string) string {
	if m.group == nil {
		return source
	}
	return m.group(source)
}

// setSuccess records source's last success and stored events.
func (m *Metrics) setSuccess(source string, at time.Time, stored int) {
	if m.group == nil {
		m.lastSuccess.WithLabelValues(source).Set(float64(at.UnixNano()) / 1e9)
		m.events.WithLabelValues(source).Set(float64(stored))
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	m.success[source], m.stored[source] = at, stored
	m.seen[source] = true
	m.setGroup(m.group(source))
}

// setGroup exports group g's oldest success and summed events; m.mu is
// held.
func (m *Metrics) setGroup(g string) {
	var oldest time.Time
	sum, never := 0, false
	for s := range m.seen {
		if m.group(s) != g {
			continue
		}
		t, ok := m.success[s]
		never = never || !ok
		if ok && (oldest.IsZero() || t.Before(oldest)) {
			oldest = t
		}
		sum += m.stored[s]
	}
	if never {
		m.lastSuccess.DeleteLabelValues(g)
	} else if !oldest.IsZero() {
		m.lastSuccess.WithLabelValues(g).Set(float64(oldest.UnixNano()) / 1e9)
	}
	if !oldest.IsZero() {
		m.events.WithLabelValues(g).Set(float64(sum))
	}
}

// Register adds the metrics to reg.
func (m *Metrics) Register(reg prometheus.Registerer) error {
	for _, c := range []prometheus.Collector{m.lastSuccess, m.duration, m.errors, m.requests, m.events} {
		if err := reg.Register(c); err != nil {
			return err
		}
	}
	return nil
}

// CountResponse counts one response of a calendar API by status code.
func (m *Metrics) CountResponse(source string, code int) {
	if m != nil {
		m.requests.WithLabelValues(m.label(source), strconv.Itoa(code)).Inc()
	}
}

// Init creates source's error series at zero, one per reason, as
// Prometheus advises for counters: rate() and increase() then work from the
// first failure on, and "no errors" reads as 0 rather than as no data.
func (m *Metrics) Init(source string) {
	if m == nil {
		return
	}
	if m.group != nil {
		m.mu.Lock()
		if !m.seen[source] {
			m.seen[source] = true
			m.setGroup(m.group(source))
		}
		m.mu.Unlock()
	}
	for _, r := range []string{ReasonFullSyncRequired, ReasonRateLimited, ReasonServerError, ReasonNetwork,
		ReasonRevoked, ReasonNotConnected, ReasonUnauthorized, ReasonInvalidData, ReasonOther} {
		m.errors.WithLabelValues(m.label(source), r)
	}
}

// CountError counts one problem met while syncing source.
func (m *Metrics) CountError(source, reason string) {
	if m != nil {
		m.errors.WithLabelValues(m.label(source), reason).Inc()
	}
}

// Finished records the end of one sync: its duration always, and on
// success its time (as the store records it) and the number of stored
// events.
func (m *Metrics) Finished(source string, took time.Duration, at time.Time, stored int, err error) {
	if m == nil {
		return
	}
	m.duration.WithLabelValues(m.label(source)).Observe(took.Seconds())
	if err != nil {
		return
	}
	m.setSuccess(source, at, stored)
}

// Restore sets source's last-success time and event count from the store,
// so that a restarted serve exports them at its first scrape, before it
// syncs again: a source that has been failing since before the restart
// still looks stale to the alert. A source that never synced has no
// last-success series.
func (m *Metrics) Restore(source string, st SyncState, stored int) {
	if m == nil {
		return
	}
	m.Init(source)
	if st.LastSuccess.IsZero() {
		return
	}
	m.setSuccess(source, st.LastSuccess, stored)
}
