package bench

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/api/calendar/v3"

	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/ingest/google"
	"github.com/weekmap/weekmap/internal/fakegoogle"
	"github.com/weekmap/weekmap/report"
)

// TestConcurrentSyncAndScrape runs what `weekmap serve` runs at once — a
// sync loop re-syncing a google source that keeps changing, rebuilding the
// report and publishing it to the collector — while other goroutines
// scrape /metrics and read the store. Run it with -race (bench/run.sh
// does): it passes when no scrape fails, every scrape shows a whole
// report, and the race detector finds nothing.
func TestConcurrentSyncAndScrape(t *testing.T) {
	const syncs, scrapers = 8, 4
	f := newFake(t)
	f.SetPageSize(100)
	from, to := spanOf()
	f.Load(fakegoogle.LoadConfig{Events: 600, From: from, To: to, Seed: 7})
	acc := connect(t, f, t.TempDir())
	st := openStore(t, t.TempDir())
	cfg := config.Default().Week
	loc := cfg.Timezone
	weeks := report.LastWeeks(now, 12, loc)
	cls := newClassifier(t)
	empty := report.Build(cfg, cls.Categories(), now, weeks, []report.Person{benchPerson("work", nil)})
	h, col, m := metricsHandler(t, &empty)
	src := google.New(acc.sourceConfig("work", "primary"), google.Options{})
	engine := &ingest.Engine{Store: st, Metrics: m}
	srv := httptest.NewServer(h)
	defer srv.Close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	errs := make(chan error, syncs+scrapers+1)
	var wg sync.WaitGroup
	wg.Go(func() {
		defer cancel()
		for i := range syncs {
			// The calendar changes between syncs, so each one writes.
			f.Put("primary", &calendar.Event{Id: fmt.Sprintf("c%d", i), Summary: "Design review: change", Status: "confirmed",
				Start: &calendar.EventDateTime{DateTime: now.Add(-48 * time.Hour).Format(time.RFC3339)},
				End:   &calendar.EventDateTime{DateTime: now.Add(-47 * time.Hour).Format(time.RFC3339)}})
			if _, err := engine.Sync(ctx, "work", src, ingest.Options{Now: now, Full: i%3 == 2}); err != nil {
				errs <- fmt.Errorf("sync %d: %w", i, err)
				return
			}
			events, err := st.Events(ctx, "work", weeks[0].Start.AddDate(0, 0, -1), weeks[11].End.AddDate(0, 0, 1))
			if err != nil {
				errs <- err
				return
			}
			r := report.Build(cfg, cls.Categories(), now, weeks, []report.Person{benchPerson("work", classified(cls, events))})
			col.Set(&r)
		}
	})
	for range scrapers {
		wg.Go(func() {
			for ctx.Err() == nil {
				resp, err := http.Get(srv.URL + "/metrics")
				if err != nil {
					errs <- err
					return
				}
				body, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil || resp.StatusCode != http.StatusOK {
					errs <- fmt.Errorf("scrape: %v, status %d", err, resp.StatusCode)
					return
				}
				// A report is published whole: 12 weeks of the calendar.
				if got := strings.Count(string(body), `weekmap_week_category_seconds{category="design",person="work"`); got != 12 {
					errs <- fmt.Errorf("scrape shows %d design weeks, want 12", got)
					return
				}
				if _, err := st.Counts(context.Background()); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got := len(f.Events("primary")); got == 0 {
		t.Fatal("the fake has no events")
	}
}
