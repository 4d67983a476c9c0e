package bench

import (
	"context"
	"net/http"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"google.golang.org/api/calendar/v3"
	"google.golang.org/api/option"

	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/ingest/google"
	"github.com/weekmap/weekmap/internal/fakegoogle"
)

// syncFields is the source's partial-response selection, repeated here so
// that the fetch floor asks for exactly what the source asks for; the
// fake's request log (TestFloorMatchesSource) keeps the two in step.
const syncFields = "nextPageToken,nextSyncToken,items(id,iCalUID,status,summary,description,transparency,eventType," +
	"recurringEventId,colorId,updated,start,end,organizer(email,self)," +
	"attendees(email,self,responseStatus,resource,optional,organizer))"

// service is a Calendar client on the same transport the source uses,
// for listing without the source.
func (a account) service(tb testing.TB, rt http.RoundTripper) *calendar.Service {
	tb.Helper()
	tok, err := google.LoadToken(a.token)
	if err != nil {
		tb.Fatal(err)
	}
	client := &http.Client{Transport: &oauth2.Transport{Source: oauth2.StaticTokenSource(tok), Base: rt}}
	svc, err := calendar.NewService(context.Background(), option.WithHTTPClient(client), option.WithEndpoint(a.endpoint))
	if err != nil {
		tb.Fatal(err)
	}
	return svc
}

// fetchAll lists calendarID as a full sync does — same query, every page
// followed and decoded — and stores nothing: the floor of a sync. An
// empty fields lists without a selection. It returns the items and calls.
func fetchAll(tb testing.TB, svc *calendar.Service, calendarID, fields string) (items, calls int) {
	tb.Helper()
	from, to := window.Bounds(now)
	page := ""
	for {
		call := svc.Events.List(calendarID).SingleEvents(true).ShowDeleted(true).MaxResults(2500).
			TimeMin(from.UTC().Format(time.RFC3339)).TimeMax(to.UTC().Format(time.RFC3339))
		if fields != "" {
			call = call.Fields(syncFields)
		}
		if page != "" {
			call = call.PageToken(page)
		}
		res, err := call.Do()
		if err != nil {
			tb.Fatal(err)
		}
		items += len(res.Items)
		calls++
		if res.NextPageToken == "" {
			return items, calls
		}
		page = res.NextPageToken
	}
}

// BenchmarkGoogleSync syncs a generated calendar of 100,000 events fully
// through the real source and store, next to the floor of merely fetching
// and decoding the same pages with the same client, then syncs it again
// unchanged; each iteration does all three, on a new store. Pages come
// from a replay of the fake (see replay), warmed before timing. Last, a
// child process syncs the calendar alone, for its peak RSS. Run:
//
//	go test -run '^$' -bench GoogleSync -benchtime 2x ./bench/
func BenchmarkGoogleSync(b *testing.B) {
	const n = 100_000
	f := newFake(b)
	from, to := spanOf()
	f.Load(fakegoogle.LoadConfig{Events: n, From: from, To: to, Seed: 1})
	acc := connect(b, f, b.TempDir())
	proxy := newReplay(b, f.URL)
	acc.endpoint = proxy.Endpoint()
	counting := &countingTransport{base: http.DefaultTransport}
	svc := acc.service(b, counting)
	cfg := acc.sourceConfig("work", "primary")
	fetchAll(b, svc, "primary", syncFields) // warm the replay

	var fetch, full, unchanged time.Duration
	var fullCalls, unchangedCalls, items int
	var fetchBytes int64
	for b.Loop() {
		counting.bytes.Store(0)
		start := time.Now()
		items, _ = fetchAll(b, svc, "primary", syncFields)
		fetch += time.Since(start)
		fetchBytes = counting.bytes.Load()

		st := openStore(b, b.TempDir())
		src := google.New(cfg, google.Options{HTTPClient: &http.Client{Transport: counting}})
		proxy.Calls()
		start = time.Now()
		if _, err := syncGoogle(context.Background(), st, src, ingest.Options{Now: now}); err != nil {
			b.Fatal(err)
		}
		full += time.Since(start)
		fullCalls = proxy.Calls()

		start = time.Now()
		res, err := syncGoogle(context.Background(), st, src, ingest.Options{Now: now})
		if err != nil {
			b.Fatal(err)
		}
		if !res.Unchanged {
			b.Fatalf("second sync = %+v, want unchanged", res)
		}
		unchanged += time.Since(start)
		unchangedCalls = proxy.Calls()
		st.Close()
	}
	iters := float64(b.N)
	b.ReportMetric(float64(items)*iters/full.Seconds(), "sync_events/s")
	b.ReportMetric(float64(items)*iters/fetch.Seconds(), "fetch_events/s")
	b.ReportMetric(full.Seconds()/fetch.Seconds(), "sync/fetch")
	b.ReportMetric(float64(fullCalls), "full_calls")
	b.ReportMetric(float64(minCalls(items)), "full_calls_min")
	b.ReportMetric(float64(unchangedCalls), "unchanged_calls")
	b.ReportMetric(unchanged.Seconds()*1000/iters, "unchanged_ms")
	b.ReportMetric(float64(fetchBytes)/float64(items), "wire_B/event")

	b.StopTimer()
	peak := childPeakRSS(b, "sync", cfg)
	base := childPeakRSS(b, "idle", cfg)
	b.ReportMetric(float64(peak)/(1<<20), "peak_rss_MiB")
	b.ReportMetric(float64(base)/(1<<20), "idle_rss_MiB")
}

// BenchmarkWireBytes lists the same 10,000 events with and without the
// source's fields selection and reports the bytes per event of each.
func BenchmarkWireBytes(b *testing.B) {
	const n = 10_000
	f := newFake(b)
	from, to := spanOf()
	f.Load(fakegoogle.LoadConfig{Events: n, From: from, To: to, Seed: 2})
	acc := connect(b, f, b.TempDir())
	counting := &countingTransport{base: http.DefaultTransport}
	svc := acc.service(b, counting)
	var with, without int64
	for b.Loop() {
		counting.bytes.Store(0)
		fetchAll(b, svc, "primary", syncFields)
		with = counting.bytes.Load()
		counting.bytes.Store(0)
		fetchAll(b, svc, "primary", "")
		without = counting.bytes.Load()
	}
	b.ReportMetric(float64(with)/n, "fields_B/event")
	b.ReportMetric(float64(without)/n, "nofields_B/event")
	b.ReportMetric(float64(without)/float64(with), "saving_x")
}

// BenchmarkTeamSync syncs 200 calendars of 2,000 events each, one source
// per calendar in turn as `weekmap serve` does, fully and then unchanged.
// Like BenchmarkGoogleSync it reads through a replay of the fake, warmed by
// one untimed round, so that it times weekmap and not the fakegoogle.
func BenchmarkTeamSync(b *testing.B) {
	const calendars, perCalendar = 200, 2000
	f := newFake(b)
	from, to := spanOf()
	ids := f.LoadTeam(calendars, perCalendar, from, to, 3)
	acc := connect(b, f, b.TempDir())
	proxy := newReplay(b, f.URL)
	acc.endpoint = proxy.Endpoint()
	// round syncs every calendar fully and then unchanged into a new
	// store, and returns how long each pass took and the calls it made.
	round := func() (took [2]time.Duration, calls [2]int) {
		st := openStore(b, b.TempDir())
		defer st.Close()
		sources := make([]*google.Source, len(ids))
		for i, id := range ids {
			sources[i] = google.New(acc.sourceConfig(id, id), google.Options{})
		}
		for pass := range 2 {
			proxy.Calls()
			start := time.Now()
			for i, src := range sources {
				res, err := syncNamed(context.Background(), st, ids[i], src, ingest.Options{Now: now})
				if err != nil {
					b.Fatal(err)
				}
				if pass == 1 && !res.Unchanged {
					b.Fatalf("second sync = %+v, want unchanged", res)
				}
			}
			took[pass] = time.Since(start)
			calls[pass] = proxy.Calls()
		}
		return took, calls
	}
	round() // warm the replay
	var full, unchanged time.Duration
	var calls [2]int
	for b.Loop() {
		var took [2]time.Duration
		took, calls = round()
		full += took[0]
		unchanged += took[1]
	}
	b.ReportMetric(full.Seconds()/float64(b.N), "full_s")
	b.ReportMetric(unchanged.Seconds()/float64(b.N), "unchanged_s")
	b.ReportMetric(float64(calls[0]), "full_calls")
	b.ReportMetric(float64(calls[1]), "unchanged_calls")
}
