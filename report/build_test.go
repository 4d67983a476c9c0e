package report

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"
)

func TestBuildTopMeetings(t *testing.T) {
	loc := mustLoad(t, "Europe/Berlin")
	now := time.Date(2026, time.November, 18, 12, 0, 0, 0, loc)
	weeks := LastWeeks(now, 2, loc)
	w0, w1 := weeks[0], weeks[1]
	events := []Classified{
		// A weekly 1:1 renamed in its second week: two hours, newest title.
		event("11a", "alignment", clock(w0, 1, "10:00"), clock(w0, 1, "11:00"), series("one-on-one"), titled("1:1 Ana")),
		event("11b", "alignment", clock(w1, 1, "10:00"), clock(w1, 1, "11:00"), series("one-on-one"), titled("1:1 Ana / Ben")),
		// A daily standup half hidden by an incident review: 4 × 15 min.
		event("su1", "alignment", clock(w1, 0, "09:30"), clock(w1, 0, "09:45"), series("standup"), titled("Standup")),
		event("su2", "alignment", clock(w1, 1, "09:30"), clock(w1, 1, "09:45"), series("standup"), titled("Standup")),
		event("su3", "alignment", clock(w1, 2, "09:30"), clock(w1, 2, "09:45"), series("standup"), titled("Standup")),
		event("su4", "alignment", clock(w1, 3, "09:30"), clock(w1, 3, "09:45"), series("standup"), titled("Standup")),
		event("su5", "alignment", clock(w1, 4, "09:30"), clock(w1, 4, "09:45"), series("standup"), titled("Standup")),
		event("inc", "incident", clock(w1, 4, "09:00"), clock(w1, 4, "10:00"), titled("Incident review")),
		// An on-call shift over the weeks' boundary is one instance.
		event("oc", "incident", clock(w0, 6, "20:00"), clock(w1, 0, "04:00"), series("oncall"), titled("On-call")),
		// Declined and ignored series take no time and are left out.
		event("d1", "design", clock(w1, 2, "14:00"), clock(w1, 2, "15:00"), series("declined"), invited("declined")),
		event("l1", "ignore", clock(w1, 2, "12:00"), clock(w1, 2, "13:00"), series("lunch"), titled("Lunch")),
		// Not recurring.
		event("x", "design", clock(w1, 3, "14:00"), clock(w1, 3, "18:00"), titled("Design review")),
	}
	r := Build(defaultWeek(), workCategories(), now, weeks, []Person{person("work", events)})
	got := r.People[0].TopMeetings
	want := []Meeting{
		{Title: "On-call", Category: "incident", Seconds: 8 * 3600, Count: 1},
		{Title: "1:1 Ana / Ben", Category: "alignment", Seconds: 2 * 3600, Count: 2},
		{Title: "Standup", Category: "alignment", Seconds: 60 * 60, Count: 4},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got top meetings %+v, want %+v", got, want)
	}
}

func TestBuildKeepsTenLargest(t *testing.T) {
	loc := mustLoad(t, "UTC")
	weeks := LastWeeks(time.Date(2026, time.November, 18, 0, 0, 0, 0, loc), 1, loc)
	var events []Classified
	for i := range 12 {
		from := clock(weeks[0], 0, "00:00").Add(time.Duration(i) * 2 * time.Hour)
		events = append(events, event(fmt.Sprint(i), "review", from, from.Add(time.Duration(i+1)*time.Minute), series(fmt.Sprint("s", i)), titled(fmt.Sprint("m", i))))
	}
	r := Build(defaultWeek(), workCategories(), weeks[0].Start, weeks, []Person{person("work", events)})
	got := r.People[0].TopMeetings
	if len(got) != 10 {
		t.Fatalf("got %d meetings, want 10", len(got))
	}
	if got[0].Title != "m11" || got[9].Title != "m2" {
		t.Errorf("got first %q and last %q, want m11 and m2", got[0].Title, got[9].Title)
	}
}

func TestBuildReport(t *testing.T) {
	loc := mustLoad(t, "Europe/Berlin")
	now := time.Date(2026, time.November, 18, 12, 30, 15, 500, loc)
	weeks := LastWeeks(now, 3, loc)
	cfg := defaultWeek()
	r := Build(cfg, workCategories(), now, weeks, []Person{person("a", nil), person("b", nil)})
	if got, want := r.GeneratedAt, time.Date(2026, time.November, 18, 11, 30, 15, 0, time.UTC); !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("got generated_at %s, want %s", got, want)
	}
	if len(r.People) != 2 || r.People[1].Name != "b" || len(r.People[1].Weeks) != 3 {
		t.Fatalf("got calendars %+v, want a and b with 3 weeks each", r.People)
	}
	for i, wr := range r.People[0].Weeks {
		if wr.Week != weeks[i].String() {
			t.Errorf("week %d: got %s, want %s", i, wr.Week, weeks[i])
		}
	}
	if r.Timezone != "Europe/Berlin" || !reflect.DeepEqual(r.Categories, workCategories()) || r.Target.MinShare != 0.2 {
		t.Errorf("got timezone %q, categories %v, min share %v; want the config's", r.Timezone, r.Categories, r.Target.MinShare)
	}
}

// TestBuildMatchesAccountWeek checks that Build, which looks at each event
// once for all weeks, reports every week exactly as AccountWeek does for
// that week alone, also for events that cross week boundaries and weeks
// with a DST change.
func TestBuildMatchesAccountWeek(t *testing.T) {
	loc := mustLoad(t, "Europe/Berlin")
	cfg := defaultWeek()
	cfg.Timezone = mustLoad(t, "Europe/Berlin")
	weeks := LastWeeks(time.Date(2026, time.October, 28, 12, 0, 0, 0, loc), 4, loc) // W41–W44, fall back in W43
	for seed := range uint64(10) {
		r := rand.New(rand.NewPCG(seed, 7))
		var events []Classified
		for i, w := range weeks {
			for _, e := range oracleEvents(r, w, 30) {
				e.ID = fmt.Sprintf("w%d-%s", i, e.ID)
				if r.IntN(4) == 0 {
					e.RecurringEventID = fmt.Sprintf("series%d", r.IntN(5))
				}
				events = append(events, e)
			}
		}
		// Two that cross every boundary: an on-call shift and a long offsite.
		events = append(events,
			event("cross1", "incident", clock(weeks[0], 6, "18:00"), clock(weeks[1], 0, "06:00")),
			event("cross2", "design", clock(weeks[1], 5, "09:00"), clock(weeks[3], 1, "17:00")),
		)
		me := Person{Name: "me", Calendars: []string{"work", "shared"}, Events: events, Coverage: everything}
		rep := Build(cfg, workCategories(), weeks[3].End, weeks, []Person{me})
		for i, w := range weeks {
			want := AccountWeek(inZone(cfg, loc), workCategories(), me.Calendars, w, events)
			// Only Build knows the series' ranks over the whole report.
			got := rep.People[0].Weeks[i]
			got.Events = slices.Clone(got.Events)
			for j := range got.Events {
				got.Events[j].Series = 0
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("seed %d, %s: Build says %+v, AccountWeek says %+v", seed, w, got, want)
			}
		}
	}
}
