package report

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest"
)

// TestAccountWeekAgainstOracle compares AccountWeek with a deliberately
// naive reading of SPEC section 5, written separately: walk the week one
// minute at a time, decide for each minute which event (if any) owns it,
// and add up. Events sit on quarter hours, so minutes are exact.
func TestAccountWeekAgainstOracle(t *testing.T) {
	scenarios := []struct{ zone, week string }{
		{"Europe/Berlin", "2026-W13"},    // spring forward: 167 h
		{"Europe/Berlin", "2026-W43"},    // fall back: 169 h
		{"America/New_York", "2026-W45"}, // fall back on Sunday 1 Nov
		{"America/New_York", "2026-W11"}, // spring forward on Sunday 8 Mar
		{"Asia/Kolkata", "2026-W47"},     // +05:30
		{"Australia/Lord_Howe", "2026-W14"},
	}
	configs := map[string]func(*config.Week){
		"defaults": func(*config.Week) {},
		"strict": func(c *config.Week) {
			c.Accounting.CountTentative, c.Accounting.CountUnanswered = false, false
			c.Accounting.Precedence = []string{"alignment", "implementation"}
			c.WorkingHours = config.WorkingHours{Days: []string{"sun", "mon", "wed", "sat"}, Start: clk("01:30"), End: clk("23:00")}
		},
		"free counted, none unscheduled": func(c *config.Week) {
			c.Accounting.CountFree = true
			c.Accounting.Unscheduled = config.UnscheduledNone
		},
		"unscheduled to review": func(c *config.Week) { c.Accounting.Unscheduled = "review" },
	}
	cats := workCategories()
	for _, sc := range scenarios {
		loc := mustLoad(t, sc.zone)
		w := mustWeek(t, sc.week, loc)
		for name, edit := range configs {
			cfg := defaultWeek()
			cfg.Timezone = loc
			edit(&cfg)
			for seed := range uint64(15) {
				r := rand.New(rand.NewPCG(seed, 42))
				events := oracleEvents(r, w, 25)
				got := AccountWeek(inZone(cfg, loc), cats, w, events)
				want := oracle(cfg, loc, cats, w, events)
				label := fmt.Sprintf("%s %s %s seed %d", sc.zone, sc.week, name, seed)
				for _, c := range cats {
					if got.Seconds[c] != want.seconds[c] {
						t.Errorf("%s: seconds[%s] = %d, oracle says %d", label, c, got.Seconds[c], want.seconds[c])
					}
				}
				if got.TotalSeconds != want.total || got.UnscheduledSeconds != want.unscheduled || got.EventsCounted != want.counted {
					t.Errorf("%s: total %d unscheduled %d counted %d; oracle says %d, %d, %d",
						label, got.TotalSeconds, got.UnscheduledSeconds, got.EventsCounted, want.total, want.unscheduled, want.counted)
				}
			}
		}
	}
}

// oracleEvents adds what randomEvents leaves out: all-day days off and
// markers, tentative and unanswered invitations.
func oracleEvents(r *rand.Rand, w Week, n int) []Classified {
	events := randomEvents(r, w, n)
	for i := range events {
		switch r.IntN(12) {
		case 0:
			invited(ingest.ResponseTentative)(&events[i])
		case 1:
			invited(ingest.ResponseNeedsAction)(&events[i])
		case 2:
			events[i].Status = ingest.StatusTentative
		case 3:
			organizing(&events[i])
		}
	}
	day := func(d int) string {
		y, m, dd := w.Start.Date()
		return time.Date(y, m, dd+d, 12, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	d := r.IntN(9) - 1
	events = append(events,
		allDay("ooo", "ignore", day(d), day(d+1+r.IntN(2)), withType(ingest.TypeOutOfOffice)),
		allDay("offsite", "alignment", day(r.IntN(7)), day(7)),
		allDay("bday", "ignore", day(r.IntN(7)), day(7), withType(ingest.TypeBirthday)),
	)
	return events
}

type oracleResult struct {
	seconds            map[string]int64
	total, unscheduled int64
	counted            int
}

func oracle(cfg config.Week, loc *time.Location, cats []string, w Week, events []Classified) oracleResult {
	a := cfg.Accounting
	rank := func(cat string) int {
		if i := slices.Index(a.Precedence, cat); i >= 0 {
			return i
		}
		return len(a.Precedence) + slices.Index(cats, cat)
	}
	work := func(e *Classified) bool {
		mine := "accepted"
		for _, at := range e.Attendees {
			if at.Self {
				mine = at.ResponseStatus
			}
		}
		switch {
		case e.Status == "cancelled", mine == "declined", e.EventType == "workingLocation", e.EventType == "birthday",
			e.EventType == "outOfOffice", e.AllDay, e.Transparency == "transparent" && !a.CountFree,
			(e.Status == "tentative" || mine == "tentative") && !a.CountTentative,
			mine == "needsAction" && !a.CountUnanswered, e.Category == "ignore":
			return false
		}
		return true
	}
	blocks := func(e *Classified, m time.Time) bool {
		if e.Status == "cancelled" {
			return false
		}
		for _, at := range e.Attendees {
			if at.Self && at.ResponseStatus == "declined" {
				return false
			}
		}
		if e.EventType == "outOfOffice" {
			if e.AllDay {
				local := m.In(loc).Format(time.DateOnly)
				return local >= e.StartDate && local < e.EndDate
			}
			return !m.Before(e.Start) && m.Before(e.End)
		}
		if e.Category != "ignore" || e.AllDay || e.EventType == "workingLocation" || e.EventType == "birthday" {
			return false
		}
		// As documented: the step-2 switches apply to ignored events too.
		mine := ""
		for _, at := range e.Attendees {
			if at.Self {
				mine = at.ResponseStatus
			}
		}
		if e.Transparency == "transparent" && !a.CountFree ||
			(e.Status == "tentative" || mine == "tentative") && !a.CountTentative ||
			mine == "needsAction" && !a.CountUnanswered {
			return false
		}
		return !m.Before(e.Start) && m.Before(e.End)
	}
	working := func(m time.Time) bool {
		l := m.In(loc)
		day := []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}[l.Weekday()]
		if !slices.Contains(cfg.WorkingHours.Days, day) {
			return false
		}
		mins := l.Hour()*60 + l.Minute()
		return mins >= int(cfg.WorkingHours.Start) && mins < int(cfg.WorkingHours.End)
	}

	res := oracleResult{seconds: map[string]int64{}}
	// Exact duplicates (same title, time and category) count once.
	type meeting struct {
		start, end      time.Time
		title, category string
	}
	countedIDs := map[meeting]bool{}
	for m := w.Start; m.Before(w.End); m = m.Add(time.Minute) {
		best := ""
		for i := range events {
			e := &events[i]
			if work(e) && !m.Before(e.Start) && m.Before(e.End) {
				if best == "" || rank(e.Category) < rank(best) {
					best = e.Category
				}
			}
		}
		if best != "" {
			res.seconds[best] += 60
			continue
		}
		blocked := false
		for i := range events {
			if blocks(&events[i], m) {
				blocked = true
				break
			}
		}
		if !blocked && working(m) && a.Unscheduled != config.UnscheduledNone {
			res.seconds[a.Unscheduled] += 60
			res.unscheduled += 60
		}
	}
	for _, c := range cats {
		res.total += res.seconds[c]
	}
	for i := range events {
		e := &events[i]
		if work(e) && e.Start.Before(w.End) && e.End.After(w.Start) {
			countedIDs[meeting{e.Start, e.End, e.Title, e.Category}] = true
		}
	}
	res.counted = len(countedIDs)
	return res
}
