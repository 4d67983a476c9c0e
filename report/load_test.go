package report

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
)

// TestLoadCoverage: the weeks with data start at the person's earliest
// event in local time (an all-day event is stored at UTC midnight, which
// is the evening before west of UTC), and a holidays calendar neither
// starts them nor covers a week on its own.
func TestLoadCoverage(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	synced := time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
	allDayEvent := func(id, date, title string) cal.Event {
		d, _ := time.Parse(time.DateOnly, date)
		return cal.Event{ID: id, Title: title, AllDay: true, StartDate: date, EndDate: d.AddDate(0, 0, 1).Format(time.DateOnly),
			Start: d, End: d.AddDate(0, 0, 1), Status: cal.StatusConfirmed}
	}
	st := memStore{last: map[string]time.Time{"work": synced, "holidays": synced}, events: map[string][]cal.Event{
		// Monday of 2026-W47; stored at 2026-11-16T00:00Z, Sunday evening in New York.
		"work": {allDayEvent("offsite", "2026-11-16", "Company offsite")},
		// A holidays calendar reaching back months.
		"holidays": {allDayEvent("h1", "2026-07-03", "Independence Day (observed)"), allDayEvent("h2", "2026-11-26", "Thanksgiving")},
	}}
	cfg := config.Default()
	cfg.Timezone = ny
	window := config.Window{Past: config.Span(26 * 7 * 24 * time.Hour), Future: config.Span(14 * 24 * time.Hour)}
	cfg.Sources = []config.Source{
		{Name: "work", Type: config.TypeJSON, Person: "me", SyncWindow: window},
		{Name: "holidays", Type: config.TypeJSON, Person: "me", SyncWindow: window, Holidays: true},
	}
	cfg.People = []config.Person{{Name: "me"}}
	weeks := LastWeeks(synced, 6, ny) // 2026-W43 … W48
	classify := func(e *cal.Event) (string, string) { return cal.Implementation, "test" }
	r, err := Load(context.Background(), st, cfg, classify, Scope{Person: "me"}, weeks, synced, true)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, w := range r.People[0].Weeks {
		if !w.NoData {
			got = append(got, w.Week)
		}
	}
	if want := []string{"2026-W47", "2026-W48"}; !slices.Equal(got, want) {
		t.Errorf("weeks with data %v, want %v", got, want)
	}
	if w48 := r.People[0].Weeks[5]; w48.TimeOffSeconds != 8*3600 {
		t.Errorf("2026-W48 time off %d s, want Thanksgiving's 8 h", w48.TimeOffSeconds)
	}
}
