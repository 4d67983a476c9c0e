package report

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
)

// withRandomPeople gives some events attendee lists of every size, rooms,
// the owner's own entry or not, and series ids.
func withRandomPeople(r *rand.Rand, events []Classified) []Classified {
	for i := range events {
		e := &events[i]
		if e.Attendees != nil || r.IntN(3) == 0 {
			continue
		}
		n := []int{1, 2, 3, 5, 8, 9, 14}[r.IntN(7)]
		e.Attendees = []cal.Attendee{{Email: "me@example.com", Self: true, ResponseStatus: cal.ResponseAccepted}}
		for j := 1; j < n; j++ {
			e.Attendees = append(e.Attendees, cal.Attendee{Email: fmt.Sprintf("p%d@d%d.example", r.IntN(12), r.IntN(3)), ResponseStatus: cal.ResponseAccepted})
		}
		if r.IntN(4) == 0 {
			e.Attendees = append(e.Attendees, cal.Attendee{Email: "room@resource.example", Resource: true})
		}
		if r.IntN(5) == 0 {
			e.RecurringEventID = fmt.Sprintf("s%d", r.IntN(4))
		}
	}
	return events
}

// TestSplitsAddUp checks that every split of every week and summary adds up
// to the figure it divides, and that the events listed behind a week hold
// exactly its counted time, over random weeks and configurations.
func TestSplitsAddUp(t *testing.T) {
	configs := map[string]func(*config.Week){
		"defaults":              func(*config.Week) {},
		"none unscheduled":      func(c *config.Week) { c.Accounting.Unscheduled = config.UnscheduledNone },
		"unscheduled to review": func(c *config.Week) { c.Accounting.Unscheduled = "review" },
	}
	for _, zone := range []string{"Europe/Berlin", "America/New_York", "Asia/Kolkata"} {
		loc := mustLoad(t, zone)
		weeks := LastWeeks(time.Date(2026, time.November, 4, 12, 0, 0, 0, loc), 3, loc) // Berlin and New York fall back
		for name, edit := range configs {
			cfg := defaultWeek()
			cfg.Timezone = loc
			edit(&cfg)
			for seed := range uint64(15) {
				r := rand.New(rand.NewPCG(seed, 11))
				var events []Classified
				for i, w := range weeks {
					for _, e := range withRandomPeople(r, randomEvents(r, w, 30)) {
						e.ID = fmt.Sprintf("w%d-%s", i, e.ID)
						events = append(events, e)
					}
				}
				rep := Build(cfg, workCategories(), weeks[2].Start, weeks, []Person{person("me", events)})
				p := rep.People[0]
				label := fmt.Sprintf("%s %s seed %d", zone, name, seed)
				for _, w := range p.Weeks {
					checkSplits(t, label+" "+w.Week, rep.FocusCategory, w.Seconds, w.TotalSeconds, w.UnscheduledSeconds, w.Splits)
					var listed int64
					counted := 0
					for _, e := range w.Events {
						listed += e.Seconds
						if e.Counted {
							counted++
						} else if e.Seconds != 0 || e.Reason == "" {
							t.Errorf("%s %s: event %+v is not counted but has %d s and reason %q", label, w.Week, e, e.Seconds, e.Reason)
						}
					}
					if listed != w.TotalSeconds-w.UnscheduledSeconds || counted != w.EventsCounted {
						t.Errorf("%s %s: events listed hold %d s, %d counted; want %d s (the total less unscheduled) and %d",
							label, w.Week, listed, counted, w.TotalSeconds-w.UnscheduledSeconds, w.EventsCounted)
					}
				}
				s := p.Summary
				checkSplits(t, label+" summary", rep.FocusCategory, s.Seconds, s.TotalSeconds, s.UnscheduledSeconds, s.Splits)
			}
		}
	}
}

func checkSplits(t *testing.T, label, focus string, seconds Seconds, total, unscheduled int64, s Splits) {
	t.Helper()
	if got := s.MeetingSeconds() + s.SoloSeconds + unscheduled; got != total {
		t.Errorf("%s: meetings by size, solo and unscheduled make %d s, want the total %d s (%+v)", label, got, total, s)
	}
	if got := s.RecurringSeconds + s.OneOffSeconds + unscheduled; got != total {
		t.Errorf("%s: recurring, one-off and unscheduled make %d s, want the total %d s (%+v)", label, got, total, s)
	}
	if got := s.FocusBookedSeconds + unscheduled; got != seconds[focus] {
		t.Errorf("%s: booked and unscheduled %s make %d s, want its %d s", label, focus, got, seconds[focus])
	}
}

func TestPeopleAt(t *testing.T) {
	tests := []struct {
		name string
		e    Classified
		want int
	}{
		{"no attendees: the owner", Classified{}, 1},
		{"owner alone on the list", Classified{Event: cal.Event{Attendees: []cal.Attendee{{Email: "me@x", Self: true}}}}, 1},
		{"a 1:1", Classified{Event: cal.Event{Attendees: []cal.Attendee{{Email: "me@x", Self: true}, {Email: "a@x"}}}}, 2},
		{"rooms are not people", Classified{Event: cal.Event{Attendees: []cal.Attendee{{Email: "me@x", Self: true}, {Email: "a@x"}, {Email: "r@x", Resource: true}}}}, 2},
		{"organizer left off the list", Classified{Event: cal.Event{Organizer: cal.Organizer{Email: "me@x", Self: true}, Attendees: []cal.Attendee{{Email: "a@x"}}}}, 2},
		{"organizer on the list", Classified{Event: cal.Event{Organizer: cal.Organizer{Email: "Me@X", Self: true}, Attendees: []cal.Attendee{{Email: "me@x"}, {Email: "a@x"}}}}, 2},
		{"someone else's meeting", Classified{Event: cal.Event{Organizer: cal.Organizer{Email: "a@x"}, Attendees: []cal.Attendee{{Email: "a@x"}, {Email: "me@x", Self: true}, {Email: "b@x"}}}}, 3},
	}
	for _, tt := range tests {
		if got := peopleAt(&tt.e); got != tt.want {
			t.Errorf("%s: got %d people, want %d", tt.name, got, tt.want)
		}
	}
}

// TestCollaborators checks whom a person meets most: by address (in lower
// case) and domain, without the owner, rooms, the organizing owner, or
// meetings of nine or more; an instance over a week boundary is one
// meeting.
func TestCollaborators(t *testing.T) {
	loc := mustLoad(t, "UTC")
	weeks := LastWeeks(time.Date(2026, time.November, 18, 0, 0, 0, 0, loc), 2, loc)
	w0, w1 := weeks[0], weeks[1]
	var crowd []string
	for i := range 9 {
		crowd = append(crowd, fmt.Sprintf("c%d@big.example", i))
	}
	events := []Classified{
		event("1", "alignment", clock(w0, 0, "10:00"), clock(w0, 0, "11:00"), with("Ana@Example.com", "bo@example.com")),
		event("2", "alignment", clock(w1, 0, "10:00"), clock(w1, 0, "10:30"), with("ana@example.com", "room@example.com"), func(e *Classified) {
			e.Attendees[2].Resource = true
		}),
		// Over the boundary between the weeks: 2 h in w0, 2 h in w1.
		event("3", "incident", clock(w0, 6, "22:00"), clock(w1, 0, "02:00"), with("oncall@ops.example")),
		event("4", "alignment", clock(w1, 1, "10:00"), clock(w1, 1, "11:00"), with(crowd...)),
		event("5", "review", clock(w1, 2, "10:00"), clock(w1, 2, "11:00"), organizing),
		event("6", "review", clock(w1, 3, "10:00"), clock(w1, 3, "11:00"), with("ana@example.com"), withStatus(cal.StatusCancelled)),
	}
	p := Build(defaultWeek(), workCategories(), w1.Start, weeks, []Person{person("me", events)}).People[0]
	wantPeople := []Collaborator{
		{Key: "oncall@ops.example", Seconds: 4 * 3600, Meetings: 1},
		{Key: "ana@example.com", Seconds: 5400, Meetings: 2},
		{Key: "bo@example.com", Seconds: 3600, Meetings: 1},
		{Key: "peer@example.com", Seconds: 3600, Meetings: 1},
	}
	wantDomains := []Collaborator{
		{Key: "ops.example", Seconds: 4 * 3600, Meetings: 1},
		{Key: "example.com", Seconds: 5400 + 3600, Meetings: 3},
	}
	if !reflect.DeepEqual(p.Collaborators, wantPeople) {
		t.Errorf("got collaborators %+v, want %+v", p.Collaborators, wantPeople)
	}
	if !reflect.DeepEqual(p.Domains, wantDomains) {
		t.Errorf("got domains %+v, want %+v", p.Domains, wantDomains)
	}
	if got := p.Weeks[1].Splits.LargeGroupSeconds; got != 3600 {
		t.Errorf("got %d s in large meetings, want the 3600 s of the meeting of ten", got)
	}
}

func TestRedact(t *testing.T) {
	r := sampleReport(t, func(*config.Week) {})
	red := r.Redact()
	if !red.Redacted || r.Redacted {
		t.Fatalf("got Redacted %v on the copy and %v on the original, want true and false", red.Redacted, r.Redacted)
	}
	for i, p := range red.People {
		if len(p.Collaborators)+len(p.Domains) > 0 {
			t.Errorf("%s: got collaborators %v and domains %v, want none", p.Name, p.Collaborators, p.Domains)
		}
		for _, m := range p.TopMeetings {
			if m.Title != "" || m.Category == "" {
				t.Errorf("%s: got meeting %+v, want its category and no title", p.Name, m)
			}
		}
		for w, wk := range p.Weeks {
			for e, ev := range wk.Events {
				if ev.Title != "" || ev.Rule == "" {
					t.Errorf("%s %s: got event %+v, want its rule and no title", p.Name, wk.Week, ev)
				}
				if orig := r.People[i].Weeks[w].Events[e]; orig.Title == "" && orig.Rule != "" && ev.Seconds != orig.Seconds {
					t.Errorf("%s %s: redacting changed the event's figures", p.Name, wk.Week)
				}
			}
		}
	}
	if r.People[0].Weeks[1].Events[0].Title == "" || len(r.People[0].Collaborators) == 0 {
		t.Errorf("Redact changed the original report")
	}
}

// TestRoundedAddsUp checks Rounded's promise on random rows: every group
// adds up to the total printed next to it, and no figure is a tenth of an
// hour or more away from its exact value.
func TestRoundedAddsUp(t *testing.T) {
	r := Report{Categories: []string{"design", "review", "alignment", "incident", "implementation"}, FocusCategory: "implementation"}
	rnd := rand.New(rand.NewPCG(3, 5))
	near := func(label string, tenths, seconds int64) {
		if d := tenths*360 - seconds; d <= -360 || d >= 360 {
			t.Errorf("%s: got %s h for %d s, want within a tenth of an hour", label, FormatTenths(tenths), seconds)
		}
	}
	for range 20000 {
		// Parts in seconds, minutes or quarter hours, as calendars have them.
		unit := []int64{1, 60, 900}[rnd.IntN(3)]
		part := func() int64 { return rnd.Int64N(20*3600/unit) * unit }
		w := WeekReport{Seconds: Seconds{}, UnscheduledSeconds: part()}
		var events int64
		for _, c := range r.Categories {
			w.Seconds[c] = part()
			events += w.Seconds[c]
		}
		w.Seconds["legacy"] = part()
		events += w.Seconds["legacy"]
		w.Seconds["implementation"] += w.UnscheduledSeconds
		w.TotalSeconds = events + w.UnscheduledSeconds
		// Any division of the events' time will do.
		cut := func(n int) []int64 {
			out := make([]int64, n)
			left := events
			for i := range n - 1 {
				out[i] = rnd.Int64N(left + 1)
				left -= out[i]
			}
			out[n-1] = left
			return out
		}
		sizes, kinds := cut(4), cut(2)
		w.Splits = Splits{OneOnOneSeconds: sizes[0], SmallGroupSeconds: sizes[1], LargeGroupSeconds: sizes[2], SoloSeconds: sizes[3],
			RecurringSeconds: kinds[0], OneOffSeconds: kinds[1], FocusBookedSeconds: w.Seconds["implementation"] - w.UnscheduledSeconds}

		h := r.RoundWeek(w)
		var sum int64
		for c, v := range h.Categories {
			sum += v
			near(c, v, w.Seconds[c])
		}
		if sum != h.Total {
			t.Fatalf("categories %v sum to %d tenths, want the total %d (%+v)", h.Categories, sum, h.Total, w)
		}
		if got := h.OneOnOne + h.SmallGroup + h.LargeGroup + h.Solo + h.Unscheduled; got != h.Total {
			t.Fatalf("sizes sum to %d tenths, want %d (%+v)", got, h.Total, w)
		}
		if got := h.Recurring + h.OneOff + h.Unscheduled; got != h.Total {
			t.Fatalf("recurring and one-off sum to %d tenths, want %d (%+v)", got, h.Total, w)
		}
		if got := h.FocusBooked + h.Unscheduled; got != h.Categories["implementation"] {
			t.Fatalf("booked and unscheduled sum to %d tenths, want implementation's %d", got, h.Categories["implementation"])
		}
		for label, p := range map[string][2]int64{
			"total": {h.Total, w.TotalSeconds}, "1:1": {h.OneOnOne, sizes[0]}, "small": {h.SmallGroup, sizes[1]},
			"large": {h.LargeGroup, sizes[2]}, "solo": {h.Solo, sizes[3]}, "recurring": {h.Recurring, kinds[0]},
			"one-off": {h.OneOff, kinds[1]}, "booked": {h.FocusBooked, w.Splits.FocusBookedSeconds},
		} {
			near(label, p[0], p[1])
		}
	}
}

// TestTextAndCSVAddUp reads the text and CSV outputs of random reports
// back and checks that in every row the categories add up to the total
// printed, and so do the splits.
func TestTextAndCSVAddUp(t *testing.T) {
	loc := mustLoad(t, "Europe/Berlin")
	weeks := LastWeeks(time.Date(2026, time.November, 18, 12, 0, 0, 0, loc), 3, loc)
	cfg := defaultWeek()
	cfg.Timezone = loc
	for seed := range uint64(30) {
		r := rand.New(rand.NewPCG(seed, 9))
		var events []Classified
		for i, w := range weeks {
			for _, e := range withRandomPeople(r, randomEvents(r, w, 25)) {
				// Odd lengths, so that rounding has work to do.
				e.End = e.End.Add(time.Duration(r.IntN(900)) * time.Second)
				e.ID = fmt.Sprintf("w%d-%s", i, e.ID)
				events = append(events, e)
			}
		}
		rep := Build(cfg, workCategories(), weeks[2].Start, weeks, []Person{person("me", events)})

		var text bytes.Buffer
		if err := WriteText(&text, rep); err != nil {
			t.Fatal(err)
		}
		n := len(workCategories())
		rows := 0
		sc := bufio.NewScanner(&text)
		for table := 0; sc.Scan(); {
			f := strings.Fields(sc.Text())
			switch {
			case len(f) > 0 && f[0] == "week":
				table++
				continue
			case len(f) == 0 || !strings.HasPrefix(f[0], "2026-W"):
				continue
			}
			if f[1] == "–" { // a summary row's label, "2026-W45 – 2026-W47"
				f = f[2:]
			}
			nums := floats(f[1:])
			var parts []float64
			var total float64
			switch table {
			case 1:
				parts, total = nums[:n], nums[n]
			case 2:
				parts, total = nums[:5], nums[5]
				if got := sum(nums[6:8]) + nums[4]; !tenthsEqual(got, total) {
					t.Errorf("seed %d: %q: recurring, one-off and unscheduled make %.1f, want %.1f", seed, sc.Text(), got, total)
				}
			}
			if got := sum(parts); !tenthsEqual(got, total) {
				t.Errorf("seed %d: %q: parts make %.1f, want the total %.1f", seed, sc.Text(), got, total)
			}
			rows++
		}
		if rows != 2*(len(weeks)+1) {
			t.Fatalf("seed %d: read %d rows of figures, want %d:\n%s", seed, rows, 2*(len(weeks)+1), text.String())
		}

		var b bytes.Buffer
		if err := WriteCSV(&b, rep); err != nil {
			t.Fatal(err)
		}
		records, err := csv.NewReader(&b).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		col := func(name string) int { return slices.Index(records[0], name) }
		for _, rec := range records[1:] {
			get := func(name string) int64 { v, _ := strconv.ParseInt(rec[col(name)], 10, 64); return v }
			var cats int64
			for _, c := range workCategories() {
				cats += get(c + "_seconds")
			}
			total, unscheduled := get("total_seconds"), get("unscheduled_seconds")
			sizes := get("one_on_one_seconds") + get("small_group_seconds") + get("large_group_seconds") + get("solo_seconds")
			if cats != total || sizes+unscheduled != total || get("recurring_seconds")+get("one_off_seconds")+unscheduled != total ||
				get("focus_booked_seconds")+unscheduled != get("implementation_seconds") {
				t.Errorf("seed %d: CSV row %v does not add up", seed, rec)
			}
		}
	}
}

func floats(fields []string) []float64 {
	var out []float64
	for _, f := range fields {
		v, err := strconv.ParseFloat(f, 64)
		if err != nil {
			break // the share and notes
		}
		out = append(out, v)
	}
	return out
}

func sum(v []float64) float64 {
	var s float64
	for _, x := range v {
		s += x
	}
	return s
}

func tenthsEqual(a, b float64) bool { return int64(a*10+0.5) == int64(b*10+0.5) }
