package report

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/weekmap/weekmap/cal"
)

// TestNoData: weeks before the person's first event and outside every
// source's window have no data, in every figure; the others are answers.
func TestNoData(t *testing.T) {
	loc := mustLoad(t, "Europe/Berlin")
	now := time.Date(2026, time.November, 18, 12, 0, 0, 0, loc)
	weeks := LastWeeks(now, 6, loc) // W42 … W47
	first := clock(weeks[2], 1, "10:00")
	p := Person{Name: "me", Calendars: []string{"work"},
		Events: []Classified{event("a", "design", first, first.Add(time.Hour))},
		Coverage: Coverage{
			// The only source's window ends in the middle of W46.
			Windows:  []Window{{From: weeks[0].Start.AddDate(0, 0, -30), To: clock(weeks[4], 2, "12:00")}},
			Earliest: first,
		}}
	r := Build(defaultWeek(), workCategories(), now, weeks, []Person{p})
	var got []string
	for _, w := range r.People[0].Weeks {
		if w.NoData {
			if w.TotalSeconds != 0 || w.DesignShare != nil || w.BelowTarget || w.EventsCounted != 0 || len(w.Seconds) != len(workCategories()) {
				t.Errorf("%s: no data but figures %+v, want all 0, no share, not below target, every category", w.Week, w)
			}
			got = append(got, w.Week)
		}
	}
	// W46, which the window cuts, is not known either: a series'
	// instances after the window's end were never expanded.
	if want := "2026-W42 2026-W43 2026-W46 2026-W47"; strings.Join(got, " ") != want {
		t.Errorf("got no data in %v, want %s", got, want)
	}
	s := r.People[0].Summary
	if s == nil || s.Weeks != 6 || s.WeeksWithData != 2 || s.WeeksBelow != 2 {
		t.Errorf("got summary %+v, want 6 weeks, 2 with data, both below target", s)
	}
	// Two calendars: a week one of them cuts is not known.
	p.Coverage.Windows = append(p.Coverage.Windows, Window{From: clock(weeks[2], 3, "08:00"), To: weeks[5].End.AddDate(0, 0, 30)})
	got = nil
	for _, w := range Build(defaultWeek(), workCategories(), now, weeks, []Person{p}).People[0].Weeks {
		if !w.NoData {
			got = append(got, w.Week)
		}
	}
	if want := "2026-W45"; strings.Join(got, " ") != want {
		t.Errorf("two calendars: got data in %v, want %s (covered wholly by both)", got, want)
	}
	// Never synced, or synced without a single event: no week has data.
	for _, c := range []Coverage{{}, {Windows: everything.Windows}} {
		r := Build(defaultWeek(), workCategories(), now, weeks, []Person{{Name: "me", Coverage: c}})
		for _, w := range r.People[0].Weeks {
			if !w.NoData {
				t.Errorf("coverage %+v: %s has data, want none", c, w.Week)
			}
		}
	}
}

// TestTwoCalendars: a meeting in two of the person's calendars counts
// once, and the copy with the person's own answer decides.
func TestTwoCalendars(t *testing.T) {
	loc := mustLoad(t, "Europe/Berlin")
	w := mustWeek(t, "2026-W47", loc)
	in := func(cal string, e Classified) Classified { e.Calendar = cal; return e }
	uid := func(u string) func(*Classified) { return func(e *Classified) { e.ICalUID = u } }
	events := []Classified{
		// Same UID and start in both calendars, titled differently.
		in("work", event("w1", "design", clock(w, 1, "10:00"), clock(w, 1, "11:00"), uid("u1"), titled("Design sync"))),
		in("team", event("t1", "alignment", clock(w, 1, "10:00"), clock(w, 1, "11:00"), uid("u1"), titled("[team] Design sync"))),
		// Same title and time, no UIDs (an ICS export and a JSON file).
		in("work", event("w2", "review", clock(w, 2, "14:00"), clock(w, 2, "15:00"), titled("PR review"))),
		in("team", event("t2", "review", clock(w, 2, "14:00"), clock(w, 2, "15:00"), titled("PR review"))),
		// Declined in the person's own calendar, accepted-looking in the
		// team calendar where they have no attendee entry: declined wins.
		in("team", event("t3", "alignment", clock(w, 3, "10:00"), clock(w, 3, "12:00"), uid("u3"))),
		in("work", event("w3", "alignment", clock(w, 3, "10:00"), clock(w, 3, "12:00"), uid("u3"), invited(cal.ResponseDeclined))),
		// Overlapping meetings in different calendars: each instant once.
		in("work", event("w4", "incident", clock(w, 4, "10:00"), clock(w, 4, "12:00"))),
		in("team", event("t4", "design", clock(w, 4, "11:00"), clock(w, 4, "13:00"))),
	}
	calendars := []string{"work", "team"}
	got := AccountWeek(defaultWeek(), workCategories(), calendars, w, events)
	want := Seconds{"design": 3600 + 3600, "review": 3600, "alignment": 0, "incident": 7200, "implementation": 35 * 3600}
	for c, s := range want {
		if got.Seconds[c] != s {
			t.Errorf("seconds[%s] = %d, want %d", c, got.Seconds[c], s)
		}
	}
	if got.EventsCounted != 4 {
		t.Errorf("events counted = %d, want 4 (w1, w2, w4, t4)", got.EventsCounted)
	}
	verdicts := Verdicts(defaultWeek(), calendars, events)
	wantReasons := []string{"", ReasonDuplicate, "", ReasonDuplicate, ReasonDuplicate, ReasonDeclined, "", ""}
	for i, v := range verdicts {
		if v.Reason != wantReasons[i] || v.Counted != (wantReasons[i] == "") {
			t.Errorf("%s: got %+v, want reason %q", events[i].ID, v, wantReasons[i])
		}
	}
}

// TestDuplicateCopyChoice: of a meeting in two calendars, the copy that
// counts is the one with the strongest answer of the person's (a decline
// anywhere wins), then the one that is time off, then the first calendar.
func TestDuplicateCopyChoice(t *testing.T) {
	loc := mustLoad(t, "Europe/Berlin")
	w := mustWeek(t, "2026-W47", loc)
	in := func(c string) func(*Classified) { return func(e *Classified) { e.Calendar = c } }
	meeting := func(id, c string, opts ...func(*Classified)) Classified {
		return event(id, "design", clock(w, 0, "10:00"), clock(w, 0, "12:00"), append([]func(*Classified){in(c), titled("Architecture discussion")}, opts...)...)
	}
	for _, tc := range []struct {
		name         string
		first, other Classified
		// counted is which copy counts ("" for neither); why1 and why2
		// the verdicts' reasons of first and other.
		counted, why1, why2 string
	}{
		{"declined in the second calendar, unanswered in the first",
			meeting("t", "team", invited(cal.ResponseNeedsAction)), meeting("w", "work", invited(cal.ResponseDeclined)),
			"", ReasonDuplicate, ReasonDeclined},
		{"declined in the second calendar, accepted in the first",
			meeting("t", "team", invited(cal.ResponseAccepted)), meeting("w", "work", invited(cal.ResponseDeclined)),
			"", ReasonDuplicate, ReasonDeclined},
		{"accepted in the second calendar, unanswered in the first",
			meeting("t", "team", invited(cal.ResponseNeedsAction)), meeting("w", "work", invited(cal.ResponseAccepted)),
			"w", ReasonDuplicate, ""},
		{"both accepted: the first calendar",
			meeting("t", "team", invited(cal.ResponseAccepted)), meeting("w", "work", invited(cal.ResponseAccepted)),
			"t", "", ReasonDuplicate},
		{"a holiday the first calendar shows as a plain all-day event",
			allDay("t", "alignment", "2026-11-17", "2026-11-18", in("team"), titled("Day of Unity"), free),
			allDay("w", "off", "2026-11-17", "2026-11-18", in("work"), titled("Day of Unity"), free),
			"", ReasonAllDay, ReasonTimeOff}, // an excluded copy keeps its own reason
	} {
		t.Run(tc.name, func(t *testing.T) {
			events := []Classified{tc.first, tc.other}
			calendars := []string{"team", "work"}
			v := Verdicts(defaultWeek(), calendars, events)
			if v[0].Reason != tc.why1 || v[1].Reason != tc.why2 {
				t.Errorf("reasons %q, %q; want %q, %q", v[0].Reason, v[1].Reason, tc.why1, tc.why2)
			}
			got := AccountWeek(defaultWeek(), workCategories(), calendars, w, events)
			wantDesign := int64(0)
			if tc.counted != "" {
				wantDesign = 7200
			}
			if got.Seconds["design"] != wantDesign {
				t.Errorf("design %d s, want %d", got.Seconds["design"], wantDesign)
			}
			if tc.name == "a holiday the first calendar shows as a plain all-day event" && got.TimeOffSeconds != 8*3600 {
				t.Errorf("time off %d s, want the holiday's 8 h", got.TimeOffSeconds)
			}
		})
	}
}

func TestVerdictsTimeOff(t *testing.T) {
	w := mustWeek(t, "2026-W47", mustLoad(t, "Europe/Berlin"))
	events := []Classified{
		allDay("v", "off", "2026-11-17", "2026-11-18", free),
		event("in", "alignment", clock(w, 1, "09:30"), clock(w, 1, "09:45")),
		event("across", "design", clock(w, 0, "23:00"), clock(w, 1, "01:00")),
		event("after", "design", clock(w, 2, "09:30"), clock(w, 2, "09:45")),
	}
	want := []Verdict{{Reason: ReasonTimeOff}, {Reason: ReasonTimeOff}, {Counted: true}, {Counted: true}}
	for i, v := range Verdicts(defaultWeek(), nil, events) {
		if v != want[i] {
			t.Errorf("%s: got %+v, want %+v", events[i].ID, v, want[i])
		}
	}
}

func TestSummarizePeriods(t *testing.T) {
	loc := mustLoad(t, "Europe/Berlin")
	weeks, err := WeeksOfPeriod(time.Date(2026, 11, 18, 12, 0, 0, 0, loc), PeriodQuarter, loc)
	if err != nil {
		t.Fatal(err)
	}
	// Q4 2026 by Thursdays: W40 (Thursday 1 October) to W53 (Thursday 31 December).
	if len(weeks) != 14 || weeks[0].String() != "2026-W40" || weeks[13].String() != "2026-W53" {
		t.Fatalf("got %d weeks %v … %v, want W40 to W53", len(weeks), weeks[0], weeks[len(weeks)-1])
	}
	month, err := WeeksOfPeriod(time.Date(2026, 11, 18, 12, 0, 0, 0, loc), PeriodMonth, loc)
	if err != nil || len(month) != 4 || month[0].String() != "2026-W45" || month[3].String() != "2026-W48" {
		t.Fatalf("got November %v, %v, want W45 to W48", month, err)
	}
	r := Build(defaultWeek(), workCategories(), weeks[0].Start, weeks, []Person{person("me", nil)})
	if err := r.Summarize(PeriodMonth); err != nil {
		t.Fatal(err)
	}
	var labels []string
	var sum int
	for _, p := range r.People[0].Periods {
		labels = append(labels, p.Label)
		sum += p.Weeks
		if p.TotalSeconds != int64(p.Weeks)*40*3600 {
			t.Errorf("%s: total %d, want 40 h a week", p.Label, p.TotalSeconds)
		}
	}
	if strings.Join(labels, " ") != "2026-10 2026-11 2026-12" || sum != 14 {
		t.Errorf("got periods %v over %d weeks, want October, November, December over 14", labels, sum)
	}
	if err := r.Summarize("fortnight"); err == nil {
		t.Error("Summarize(fortnight): got no error, want one")
	}
}

// TestDuplicatesMatchesPairwise compares duplicates with the definition
// applied to every pair of events: random calendars with many events at the
// same moments (crowds larger than the pairwise limit included), shared
// UIDs and titles, all-day events and cancelled ones.
func TestDuplicatesMatchesPairwise(t *testing.T) {
	base := time.Date(2026, 11, 16, 9, 0, 0, 0, time.UTC)
	for seed := range uint64(20) {
		r := rand.New(rand.NewPCG(seed, 3))
		n := 20 + r.IntN(120)
		events := make([]Classified, n)
		for i := range events {
			e := &events[i]
			e.ID = fmt.Sprintf("e%d", i)
			e.Calendar = []string{"work", "home", "export"}[r.IntN(3)]
			e.Start = base.Add(time.Duration(r.IntN(3)) * 30 * time.Minute)
			e.End = e.Start.Add(time.Duration(1+r.IntN(2)) * 30 * time.Minute)
			e.Title = fmt.Sprintf("t%d", r.IntN(6))
			if r.IntN(3) == 0 {
				e.ICalUID = fmt.Sprintf("u%d", r.IntN(5))
			}
			if r.IntN(8) == 0 {
				e.AllDay, e.StartDate, e.EndDate = true, "2026-11-16", []string{"2026-11-17", "2026-11-18"}[r.IntN(2)]
				e.Start = time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC)
			}
			if r.IntN(10) == 0 {
				e.Status = cal.StatusCancelled
			}
		}
		// The definition, on every pair, closed transitively.
		same := func(a, b *Classified) bool {
			if a.Status == cal.StatusCancelled || b.Status == cal.StatusCancelled || a.AllDay != b.AllDay {
				return false
			}
			sameStart := a.Start.Equal(b.Start)
			sameEnd := a.End.Equal(b.End)
			if a.AllDay {
				sameStart, sameEnd = a.StartDate == b.StartDate, a.EndDate == b.EndDate
			}
			return sameStart && (a.ICalUID != "" && a.ICalUID == b.ICalUID || a.Title == b.Title && sameEnd)
		}
		group := make([]int, n)
		for i := range group {
			group[i] = i
		}
		for changed := true; changed; {
			changed = false
			for i := range events {
				for j := range events {
					if same(&events[i], &events[j]) && group[i] != group[j] {
						g := min(group[i], group[j])
						changed = changed || group[i] != g || group[j] != g
						group[i], group[j] = g, g
					}
				}
			}
		}
		got := duplicates(events, []string{"work", "home", "export"}, make([]disposition, len(events)))
		root := func(i int) int {
			if got[i] >= 0 {
				return got[i]
			}
			return i
		}
		for i := range events {
			if got[i] >= 0 && got[got[i]] != -1 {
				t.Fatalf("seed %d: event %d counts instead of %d, but is itself a duplicate", seed, got[i], i)
			}
			for j := range events {
				if twins, want := root(i) == root(j), group[i] == group[j]; twins != want {
					t.Fatalf("seed %d: events %d and %d: same meeting %v, want %v (%+v / %+v)", seed, i, j, twins, want, events[i].Event, events[j].Event)
				}
			}
		}
	}
}
