package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"google.golang.org/api/calendar/v3"
	"google.golang.org/api/option"

	"github.com/weekmap/weekmap/internal/fakegoogle"
)

// The child process of BenchmarkTeam1000 is this test binary run with
// these set: the config to serve, and the file for its results.
const (
	teamChildEnv = "WEEKMAP_BENCH_TEAM_CONFIG"
	teamOutEnv   = "WEEKMAP_BENCH_TEAM_OUT"
	// teamProfileEnv, if set to a folder, makes the child write a CPU
	// profile of each step and a heap profile after it there.
	teamProfileEnv = "WEEKMAP_BENCH_TEAM_PROFILE"
	// teamPeopleEnv, if set, replaces the 1,000 people, for a quicker
	// look.
	teamPeopleEnv = "WEEKMAP_BENCH_TEAM_PEOPLE"
)

// teamResult is what the child measured of itself.
type teamResult struct {
	// Wall and CPU (user + system) seconds of each step.
	FirstSync, FirstSyncCPU         float64
	Recompute, RecomputeCPU         float64
	UnchangedSync, UnchangedSyncCPU float64
	// PeakRSS is VmHWM; RSS is VmRSS at the end, both in bytes;
	// SyncPeakRSS is VmHWM after the first sync, before any report.
	PeakRSS, RSS, SyncPeakRSS int64
	// StoreBytes is the store file with its -wal and -shm files.
	StoreBytes int64
	Events     int
	// Scrapes of /metrics over HTTP with gzip: latency percentiles in
	// seconds, and the gzipped body's size.
	ScrapeP50, ScrapeP99 float64
	ScrapeBytes          int
}

// BenchmarkTeam1000 is team mode at the scale of an organisation on one
// machine: 1,000 people, each with a calendar of 2,000 events, read
// through one service account key at the default sync_concurrency, every
// request (token endpoint and events.list) answered after 100 ms. A child
// process — this test binary running TestTeamChild — does what `weekmap
// serve` does: a first sync of everyone into a new store, the report of
// the last 12 weeks, an unchanged round, the report again, then 200
// scrapes of /metrics. It measures its own wall and CPU time per step, its
// peak RSS and the store's size, so that the stand-in's work is not
// counted as weekmap's.
//
// Every person reads the same generated calendar: the stand-in's token
// endpoint grants each person a token of their own, and a front in front
// of the Calendar API (teamFront) answers every person's events.list with
// the pages of one calendar, from a replay warmed before timing. Only
// event ids need to be unique within a calendar, so the store holds
// 2,000,000 rows as it would for real calendars. Run:
//
//	go test -run '^$' -bench Team1000 -benchtime 1x -timeout 30m ./bench/
func BenchmarkTeam1000(b *testing.B) {
	const perPerson = 2000
	people := 1000
	if n, err := strconv.Atoi(os.Getenv(teamPeopleEnv)); err == nil {
		people = n
	}
	f := newFake(b)
	from, to := spanOf()
	f.Load(fakegoogle.LoadConfig{Calendar: "bench", Events: perPerson, From: from, To: to, Seed: 9})
	f.SetLatency(apiLatency)
	tm := newTeam(b, f)
	front := newTeamFront(b, f, "bench", apiLatency)
	front.warm(b)

	var res teamResult
	var tokens, calls int64
	round := 0
	for b.Loop() {
		cfg := tm.config(b, fmt.Sprint("team", round), people, front.Endpoint(), "")
		round++
		tokens0, calls0 := f.TokenRequests(), front.calls.Load()
		res = runTeamChild(b, cfg)
		tokens, calls = int64(f.TokenRequests()-tokens0), front.calls.Load()-calls0
	}
	b.ReportMetric(res.FirstSync, "first_s")
	b.ReportMetric(res.FirstSyncCPU, "first_cpu_s")
	b.ReportMetric(res.UnchangedSync, "unchanged_s")
	b.ReportMetric(res.UnchangedSyncCPU, "unchanged_cpu_s")
	b.ReportMetric(res.Recompute, "report_s")
	b.ReportMetric(res.RecomputeCPU, "report_cpu_s")
	b.ReportMetric(float64(res.PeakRSS)/(1<<20), "peak_rss_MiB")
	b.ReportMetric(float64(res.SyncPeakRSS)/(1<<20), "sync_peak_rss_MiB")
	b.ReportMetric(float64(res.RSS)/(1<<20), "end_rss_MiB")
	b.ReportMetric(float64(res.StoreBytes)/(1<<20), "store_MiB")
	b.ReportMetric(float64(res.Events), "events")
	b.ReportMetric(res.ScrapeP50*1000, "metrics_p50_ms")
	b.ReportMetric(res.ScrapeP99*1000, "metrics_p99_ms")
	b.ReportMetric(float64(res.ScrapeBytes)/1024, "metrics_gzip_KiB")
	b.ReportMetric(float64(tokens), "token_requests")
	b.ReportMetric(float64(calls), "api_calls")
}

// teamFront stands in front of the stand-in's Calendar API for
// BenchmarkTeam1000: after the latency it answers any person's listing of
// their primary calendar with the listing of one calendar of the
// stand-in, through a replay (so once warm, the stand-in builds no page).
type teamFront struct {
	*httptest.Server
	calls atomic.Int64
}

func newTeamFront(tb testing.TB, f *fakegoogle.Server, calendarID string, latency time.Duration) *teamFront {
	tb.Helper()
	rep := newReplay(tb, f.URL)
	access, _ := f.IssueToken()
	fr := &teamFront{}
	fr.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fr.calls.Add(1)
		t := time.NewTimer(latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
		r = r.Clone(r.Context())
		r.URL.Path = strings.Replace(r.URL.Path, "/calendars/primary/", "/calendars/"+calendarID+"/", 1)
		r.URL.RawPath = ""
		r.Header.Set("Authorization", "Bearer "+access)
		rep.serve(w, r)
	}))
	tb.Cleanup(fr.Close)
	return fr
}

// Endpoint is the Calendar API base URL through the front.
func (fr *teamFront) Endpoint() string { return fr.URL + "/calendar/v3/" }

// warm lists the calendar once as a first sync does, so that the replay
// holds its pages.
func (fr *teamFront) warm(tb testing.TB) {
	tb.Helper()
	svc, err := calendar.NewService(context.Background(), option.WithHTTPClient(http.DefaultClient), option.WithEndpoint(fr.Endpoint()))
	if err != nil {
		tb.Fatal(err)
	}
	fetchAll(tb, svc, "primary", syncFields)
	fr.calls.Store(0)
}

// runTeamChild runs TestTeamChild on the config at cfgPath in a child
// process and returns what it measured.
func runTeamChild(tb testing.TB, cfgPath string) teamResult {
	tb.Helper()
	out := filepath.Join(filepath.Dir(cfgPath), "result.json")
	cmd := exec.Command(os.Args[0], "-test.run=^TestTeamChild$", "-test.timeout=0")
	cmd.Env = append(os.Environ(), teamChildEnv+"="+cfgPath, teamOutEnv+"="+out)
	if msg, err := cmd.CombinedOutput(); err != nil {
		tb.Fatalf("child: %v\n%s", err, msg)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		tb.Fatal(err)
	}
	var res teamResult
	if err := json.Unmarshal(data, &res); err != nil {
		tb.Fatal(err)
	}
	return res
}

// TestTeamChild is the child process of BenchmarkTeam1000; it skips
// unless that benchmark runs it.
func TestTeamChild(t *testing.T) {
	cfgPath := os.Getenv(teamChildEnv)
	if cfgPath == "" {
		t.Skip("the child process of BenchmarkTeam1000")
	}
	ctx := context.Background()
	srv, st := teamServer(t, cfgPath)
	var res teamResult
	profiles := os.Getenv(teamProfileEnv)
	step := func(name string, wall, cpu *float64, fn func()) {
		if profiles != "" {
			stop := startProfile(t, filepath.Join(profiles, name))
			defer stop()
		}
		start, cpu0 := time.Now(), cpuTime(t)
		fn()
		*wall, *cpu = time.Since(start).Seconds(), (cpuTime(t) - cpu0).Seconds()
	}
	step("first", &res.FirstSync, &res.FirstSyncCPU, func() { syncRound(t, srv) })
	res.SyncPeakRSS = procStatus(t, "VmHWM")
	recompute := func() {
		if err := srv.Recompute(ctx); err != nil {
			t.Fatal(err)
		}
	}
	step("report", &res.Recompute, &res.RecomputeCPU, recompute)
	step("unchanged", &res.UnchangedSync, &res.UnchangedSyncCPU, func() { syncRound(t, srv) })
	recompute()

	counts, err := st.Counts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range counts {
		res.Events += n
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		if info, err := os.Stat(st.Path() + suffix); err == nil {
			res.StoreBytes += info.Size()
		}
	}
	if profiles != "" {
		stop := startProfile(t, filepath.Join(profiles, "metrics"))
		res.ScrapeP50, res.ScrapeP99, res.ScrapeBytes = scrapeLatency(t, srv.Handler(), 200)
		stop()
	} else {
		res.ScrapeP50, res.ScrapeP99, res.ScrapeBytes = scrapeLatency(t, srv.Handler(), 200)
	}
	res.PeakRSS, res.RSS = procStatus(t, "VmHWM"), procStatus(t, "VmRSS")
	data, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(os.Getenv(teamOutEnv), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// scrapeLatency scrapes /metrics of h n times over HTTP as Prometheus
// does (gzip, one kept-alive connection) and returns the median and 99th
// percentile latency in seconds, and the body's size.
func scrapeLatency(t *testing.T, h http.Handler, n int) (p50, p99 float64, size int) {
	t.Helper()
	hs := httptest.NewServer(h)
	defer hs.Close()
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	scrape := func() time.Duration {
		start := time.Now()
		req, _ := http.NewRequest("GET", hs.URL+"/metrics", nil)
		req.Header.Set("Accept-Encoding", "gzip")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil || resp.StatusCode != http.StatusOK {
			t.Fatalf("scrape: %v, status %d", err, resp.StatusCode)
		}
		size = len(body)
		return time.Since(start)
	}
	scrape() // the connection, as Prometheus keeps it
	lat := make([]time.Duration, n)
	for i := range lat {
		lat[i] = scrape()
	}
	slices.Sort(lat)
	return lat[n/2].Seconds(), lat[(n*99)/100-1].Seconds(), size
}

// startProfile starts a CPU profile written to prefix.cpu.pprof; the
// function it returns stops it and writes a heap profile to
// prefix.heap.pprof.
func startProfile(t *testing.T, prefix string) (stop func()) {
	t.Helper()
	cpu, err := os.Create(prefix + ".cpu.pprof")
	if err != nil {
		t.Fatal(err)
	}
	if err := pprof.StartCPUProfile(cpu); err != nil {
		t.Fatal(err)
	}
	return func() {
		pprof.StopCPUProfile()
		cpu.Close()
		heap, err := os.Create(prefix + ".heap.pprof")
		if err != nil {
			t.Fatal(err)
		}
		defer heap.Close()
		if err := pprof.Lookup("heap").WriteTo(heap, 0); err != nil {
			t.Fatal(err)
		}
	}
}

// cpuTime is the process's user and system CPU time so far.
func cpuTime(t *testing.T) time.Duration {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// procStatus reads a size in kB from /proc/self/status, in bytes.
func procStatus(t *testing.T, key string) int64 {
	t.Helper()
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, key+":"); ok {
			kib, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kib << 10
		}
	}
	t.Fatalf("no %s in /proc/self/status", key)
	return 0
}
