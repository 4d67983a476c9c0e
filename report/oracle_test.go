package report

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
)

// TestAccountWeekAgainstOracle compares AccountWeek with a deliberately
// naive reading of the README's "How the week is counted", written separately: walk the week one
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
			c.WorkingHours = config.WorkingHours{Days: days("sun", "mon", "wed", "sat"), Start: clk("01:30"), End: clk("23:00")}
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
				me := Person{Name: "me", Calendars: []string{"work", "shared"}, Events: events, Coverage: everything}
				got := Build(cfg, cats, w.Start, []Week{w}, []Person{me}).People[0].Weeks[0]
				want := oracle(cfg, loc, cats, w, events)
				label := fmt.Sprintf("%s %s %s seed %d", sc.zone, sc.week, name, seed)
				for _, c := range cats {
					if got.Seconds[c] != want.seconds[c] {
						t.Errorf("%s: seconds[%s] = %d, oracle says %d", label, c, got.Seconds[c], want.seconds[c])
					}
				}
				if got.TotalSeconds != want.total || got.UnscheduledSeconds != want.unscheduled || got.EventsCounted != want.counted || got.TimeOffSeconds != want.timeOff {
					t.Errorf("%s: total %d unscheduled %d counted %d time off %d; oracle says %d, %d, %d, %d",
						label, got.TotalSeconds, got.UnscheduledSeconds, got.EventsCounted, got.TimeOffSeconds, want.total, want.unscheduled, want.counted, want.timeOff)
				}
			}
		}
	}
}

// oracleEvents adds what randomEvents leaves out: all-day days off (a
// vacation in category off, an out-of-office, a public holiday as a
// holidays calendar gives it) and markers, timed time off, tentative and
// unanswered invitations, and meetings in two of the person's calendars.
func oracleEvents(r *rand.Rand, w Week, n int) []Classified {
	events := randomEvents(r, w, n)
	for i := range events {
		switch r.IntN(12) {
		case 0:
			invited(cal.ResponseTentative)(&events[i])
		case 1:
			invited(cal.ResponseNeedsAction)(&events[i])
		case 2:
			events[i].Status = cal.StatusTentative
		case 3:
			organizing(&events[i])
		case 4:
			events[i].Category = "off"
		}
	}
	// The same meetings in a second calendar, some with the person's own
	// (maybe different) answer, some under another title.
	for i := range len(events) / 4 {
		k := r.IntN(len(events))
		events[k].ICalUID = fmt.Sprintf("uid-%d", i)
		e := events[k]
		copy := e
		copy.Calendar, copy.ID = "shared", e.ID+"-copy"
		switch r.IntN(3) {
		case 0:
			copy.Title = "copy of " + e.Title
		case 1:
			invited(cal.ResponseDeclined)(&copy)
		}
		events = append(events, copy)
	}
	day := func(d int) string {
		y, m, dd := w.Start.Date()
		return time.Date(y, m, dd+d, 12, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	d := r.IntN(9) - 1
	// A public holiday in the shared calendar (time off, as a holidays
	// calendar gives it) that the work calendar, listed first, also shows
	// as a plain all-day event under the same title.
	hd := r.IntN(7)
	onCalendar := func(c string) func(*Classified) { return func(e *Classified) { e.Calendar = c } }
	events = append(events,
		allDay("ooo", "ignore", day(d), day(d+1+r.IntN(2)), withType(cal.TypeOutOfOffice)),
		allDay("vacation", "off", day(r.IntN(7)), day(7), free),
		allDay("holiday", "off", day(r.IntN(7)), day(r.IntN(7)+1)),
		allDay("public-holiday", "off", day(hd), day(hd+1), onCalendar("shared"), titled("Day of Unity"), free),
		allDay("public-holiday-copy", "alignment", day(hd), day(hd+1), titled("Day of Unity"), free),
		allDay("offsite", "alignment", day(r.IntN(7)), day(7)),
		allDay("bday", "ignore", day(r.IntN(7)), day(7), withType(cal.TypeBirthday)),
	)
	return events
}

type oracleResult struct {
	seconds                     map[string]int64
	total, unscheduled, timeOff int64
	counted                     int
}

// oracle counts a week one minute at a time, as the README describes the
// accounting, written for clarity rather than speed.
func oracle(cfg config.Week, loc *time.Location, cats []string, w Week, events []Classified) oracleResult {
	a := cfg.Accounting
	calendars := []string{"work", "shared"}
	rank := func(cat string) int {
		if i := slices.Index(a.Precedence, cat); i >= 0 {
			return i
		}
		return len(a.Precedence) + slices.Index(cats, cat)
	}
	mine := func(e *Classified) string {
		for _, at := range e.Attendees {
			if at.Self {
				return at.ResponseStatus
			}
		}
		return "accepted"
	}
	// answer says what a copy holds of the person's own answer: a
	// decline (3), another answer (2), an entry without one (1), none (0).
	answer := func(e *Classified) int {
		for _, at := range e.Attendees {
			if at.Self {
				switch at.ResponseStatus {
				case "declined":
					return 3
				case "", "needsAction":
					return 1
				}
				return 2
			}
		}
		return 0
	}
	timeOff := func(e *Classified) int {
		if e.Status != "cancelled" && mine(e) != "declined" && e.EventType != "workingLocation" && e.EventType != "birthday" &&
			(e.Category == "off" || e.EventType == "outOfOffice") {
			return 1
		}
		return 0
	}
	// Two events are the same meeting if a chain of equal UIDs and starts,
	// or equal titles, starts and ends, joins them; of a meeting, the copy
	// with the strongest answer counts (a decline anywhere wins), then a
	// copy that is time off, then the one in the first calendar, then the
	// smallest id.
	same := func(x, y *Classified) bool {
		if x.Status == "cancelled" || y.Status == "cancelled" {
			return false
		}
		start := func(e *Classified) string {
			if e.AllDay {
				return e.StartDate
			}
			return e.Start.UTC().String()
		}
		end := func(e *Classified) string {
			if e.AllDay {
				return e.EndDate
			}
			return e.End.UTC().String()
		}
		return x.ICalUID != "" && x.ICalUID == y.ICalUID && start(x) == start(y) ||
			x.Title == y.Title && start(x) == start(y) && end(x) == end(y)
	}
	group := make([]int, len(events))
	for i := range group {
		group[i] = i
	}
	for changed := true; changed; {
		changed = false
		for i := range events {
			for j := range events {
				if same(&events[i], &events[j]) && group[j] != group[i] {
					g := min(group[i], group[j])
					if group[i] != g || group[j] != g {
						group[i], group[j] = g, g
						changed = true
					}
				}
			}
		}
	}
	counts := func(i int) bool {
		for j := range events {
			if group[j] != group[i] || i == j || events[j].Status == "cancelled" {
				continue
			}
			x, y := &events[i], &events[j]
			if answer(x) != answer(y) {
				if answer(y) > answer(x) {
					return false
				}
				continue
			}
			if timeOff(x) != timeOff(y) {
				if timeOff(y) > timeOff(x) {
					return false
				}
				continue
			}
			cx, cy := slices.Index(calendars, x.Calendar), slices.Index(calendars, y.Calendar)
			if cy < cx || cy == cx && (y.ID < x.ID || y.ID == x.ID && j < i) {
				return false
			}
		}
		return true
	}
	inEvent := func(e *Classified, m time.Time) bool {
		if e.AllDay {
			local := m.In(loc).Format(time.DateOnly)
			if e.EndDate <= e.StartDate {
				// As RFC 5545 says of a date without a usable end: one day.
				return local == e.StartDate
			}
			return local >= e.StartDate && local < e.EndDate
		}
		return !m.Before(e.Start) && m.Before(e.End)
	}
	off := func(m time.Time) bool {
		for i := range events {
			e := &events[i]
			if e.Status != "cancelled" && mine(e) != "declined" && counts(i) &&
				(e.Category == "off" || e.EventType == "outOfOffice") && inEvent(e, m) {
				return true
			}
		}
		return false
	}
	work := func(i int) bool {
		e := &events[i]
		switch {
		case !counts(i), e.Status == "cancelled", mine(e) == "declined", e.EventType == "workingLocation", e.EventType == "birthday",
			e.EventType == "outOfOffice", e.Category == "off", e.AllDay, e.Transparency == "transparent" && !a.CountFree,
			(e.Status == "tentative" || mine(e) == "tentative") && !a.CountTentative,
			mine(e) == "needsAction" && !a.CountUnanswered, e.Category == "ignore":
			return false
		}
		return true
	}
	blocks := func(i int, m time.Time) bool {
		e := &events[i]
		if e.Category != "ignore" || !counts(i) || e.Status == "cancelled" || mine(e) == "declined" || e.AllDay ||
			e.EventType == "workingLocation" || e.EventType == "birthday" || e.EventType == "outOfOffice" {
			return false
		}
		// As documented: the step-2 switches apply to ignored events too.
		if e.Transparency == "transparent" && !a.CountFree ||
			(e.Status == "tentative" || mine(e) == "tentative") && !a.CountTentative ||
			mine(e) == "needsAction" && !a.CountUnanswered {
			return false
		}
		return inEvent(e, m)
	}
	working := func(m time.Time) bool {
		l := m.In(loc)
		day := []string{"sun", "mon", "tue", "wed", "thu", "fri", "sat"}[l.Weekday()]
		mins := l.Hour()*60 + l.Minute()
		for _, d := range cfg.WorkingHours.Days {
			if d.Day != day {
				continue
			}
			start, end := cfg.WorkingHours.Start, cfg.WorkingHours.End
			if d.Own {
				start, end = d.Start, d.End
			}
			return mins >= int(start) && mins < int(end)
		}
		return false
	}

	res := oracleResult{seconds: map[string]int64{}}
	countedIDs := map[int]bool{}
	for m := w.Start; m.Before(w.End); m = m.Add(time.Minute) {
		if off(m) {
			if working(m) {
				res.timeOff += 60
			}
			continue
		}
		best := ""
		for i := range events {
			if work(i) && inEvent(&events[i], m) {
				countedIDs[i] = true
				if best == "" || rank(events[i].Category) < rank(best) {
					best = events[i].Category
				}
			}
		}
		if best != "" {
			res.seconds[best] += 60
			continue
		}
		blocked := false
		for i := range events {
			if blocks(i, m) {
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
	res.counted = len(countedIDs)
	return res
}
