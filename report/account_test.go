package report

import (
	"maps"
	"testing"
	"time"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
)

// accountCase is one week of events and the hours it should come to.
// want lists the non-zero categories; every other category must be 0.
type accountCase struct {
	name        string
	cfg         func(*config.Week)
	events      func(w Week) []Classified
	want        map[string]float64
	unscheduled float64
	counted     int
	// timeOff is the working time taken by time off, in hours.
	timeOff float64
}

func runAccountCases(t *testing.T, zone, week string, cats []string, tests []accountCase) {
	t.Helper()
	loc := mustLoad(t, zone)
	w := mustWeek(t, week, loc)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := defaultWeek()
			if tt.cfg != nil {
				tt.cfg(&cfg)
			}
			var events []Classified
			if tt.events != nil {
				events = tt.events(w)
			}
			got := AccountWeek(inZone(cfg, loc), cats, nil, w, events)
			gotHours := map[string]float64{}
			for c, s := range got.Seconds {
				if s != 0 {
					gotHours[c] = hoursOf(s)
				}
			}
			if !maps.Equal(gotHours, tt.want) {
				t.Errorf("got hours %v, want %v", gotHours, tt.want)
			}
			for _, c := range cats {
				if _, ok := got.Seconds[c]; !ok {
					t.Errorf("category %s missing from seconds %v", c, got.Seconds)
				}
			}
			if u := hoursOf(got.UnscheduledSeconds); u != tt.unscheduled {
				t.Errorf("got %v unscheduled hours, want %v", u, tt.unscheduled)
			}
			if off := hoursOf(got.TimeOffSeconds); off != tt.timeOff {
				t.Errorf("got %v hours of time off, want %v", off, tt.timeOff)
			}
			if got.EventsCounted != tt.counted {
				t.Errorf("got %d events counted, want %d", got.EventsCounted, tt.counted)
			}
			var sum float64
			for _, h := range tt.want {
				sum += h
			}
			if total := hoursOf(got.TotalSeconds); total != sum {
				t.Errorf("got total %v hours, want %v", total, sum)
			}
			if got.Week != w.String() || !got.Start.Equal(w.Start) || !got.End.Equal(w.End) {
				t.Errorf("got week %s [%s, %s), want %s [%s, %s)", got.Week, got.Start, got.End, w, w.Start, w.End)
			}
		})
	}
}

// oneMeeting is a design meeting Monday 10:00–11:00 with opts applied.
func oneMeeting(opts ...func(*Classified)) func(Week) []Classified {
	return func(w Week) []Classified {
		return []Classified{event("m", "design", clock(w, 0, "10:00"), clock(w, 0, "11:00"), opts...)}
	}
}

var (
	countedMeeting  = map[string]float64{"design": 1, "implementation": 39}
	excludedMeeting = map[string]float64{"implementation": 40}
)

func TestAccountWeekExclusions(t *testing.T) {
	no := func(f func(*config.Accounting)) func(*config.Week) { return func(c *config.Week) { f(&c.Accounting) } }
	runAccountCases(t, "Europe/Berlin", "2026-W47", workCategories(), []accountCase{
		{name: "empty week", want: excludedMeeting, unscheduled: 40},
		{name: "confirmed", events: oneMeeting(), want: countedMeeting, unscheduled: 39, counted: 1},
		{name: "cancelled", events: oneMeeting(withStatus(cal.StatusCancelled)), want: excludedMeeting, unscheduled: 40},
		{name: "declined", events: oneMeeting(invited(cal.ResponseDeclined)), want: excludedMeeting, unscheduled: 40},
		{name: "accepted", events: oneMeeting(invited(cal.ResponseAccepted)), want: countedMeeting, unscheduled: 39, counted: 1},
		{name: "working location", events: oneMeeting(withType(cal.TypeWorkingLocation)), want: excludedMeeting, unscheduled: 40},
		{name: "birthday", events: oneMeeting(withType(cal.TypeBirthday)), want: excludedMeeting, unscheduled: 40},
		{name: "focus time counts", events: oneMeeting(withType(cal.TypeFocusTime)), want: countedMeeting, unscheduled: 39, counted: 1},
		{name: "all-day", events: func(Week) []Classified {
			return []Classified{allDay("a", "design", "2026-11-17", "2026-11-18")}
		}, want: excludedMeeting, unscheduled: 40},
		{name: "free", events: oneMeeting(free), want: excludedMeeting, unscheduled: 40},
		{name: "free with count_free", cfg: no(func(a *config.Accounting) { a.CountFree = true }), events: oneMeeting(free), want: countedMeeting, unscheduled: 39, counted: 1},
		{name: "tentative answer", events: oneMeeting(invited(cal.ResponseTentative)), want: countedMeeting, unscheduled: 39, counted: 1},
		{name: "tentative answer off", cfg: no(func(a *config.Accounting) { a.CountTentative = false }), events: oneMeeting(invited(cal.ResponseTentative)), want: excludedMeeting, unscheduled: 40},
		{name: "tentative event off", cfg: no(func(a *config.Accounting) { a.CountTentative = false }), events: oneMeeting(withStatus(cal.StatusTentative)), want: excludedMeeting, unscheduled: 40},
		{name: "unanswered", events: oneMeeting(invited(cal.ResponseNeedsAction)), want: countedMeeting, unscheduled: 39, counted: 1},
		{name: "unanswered off", cfg: no(func(a *config.Accounting) { a.CountUnanswered = false }), events: oneMeeting(invited(cal.ResponseNeedsAction)), want: excludedMeeting, unscheduled: 40},
		{name: "blank answer is unanswered", cfg: no(func(a *config.Accounting) { a.CountUnanswered = false }), events: oneMeeting(invited("")), want: excludedMeeting, unscheduled: 40},
		// Google omits the organizer's own attendee entry on some events;
		// the organizer has nothing to answer, so it is not "unanswered".
		{name: "organizer without own entry", cfg: no(func(a *config.Accounting) { a.CountUnanswered = false; a.CountTentative = false }), events: oneMeeting(organizing), want: countedMeeting, unscheduled: 39, counted: 1},
		{name: "outside the week", events: func(w Week) []Classified {
			return []Classified{event("m", "design", clock(w, 7, "10:00"), clock(w, 7, "11:00"))}
		}, want: excludedMeeting, unscheduled: 40},
	})
}

func TestVerdict(t *testing.T) {
	w := mustWeek(t, "2026-W47", mustLoad(t, "Europe/Berlin"))
	meeting := func(category string, opts ...func(*Classified)) Classified {
		return event("m", category, clock(w, 0, "10:00"), clock(w, 0, "11:00"), opts...)
	}
	tests := []struct {
		name        string
		e           Classified
		wantCounted bool
		wantReason  string
	}{
		{"counted", meeting("design"), true, ""},
		{"cancelled beats free", meeting("design", withStatus(cal.StatusCancelled), free), false, ReasonCancelled},
		{"declined", meeting("design", invited(cal.ResponseDeclined)), false, ReasonDeclined},
		{"declined ignore", meeting("ignore", invited(cal.ResponseDeclined)), false, ReasonDeclined},
		{"working location", meeting("ignore", withType(cal.TypeWorkingLocation)), false, ReasonWorkingLocation},
		{"birthday", allDay("b", "ignore", "2026-11-17", "2026-11-18", withType(cal.TypeBirthday)), false, ReasonBirthday},
		{"out of office", meeting("ignore", withType(cal.TypeOutOfOffice)), false, ReasonTimeOff},
		{"all-day out of office", allDay("o", "ignore", "2026-11-17", "2026-11-18", withType(cal.TypeOutOfOffice)), false, ReasonTimeOff},
		{"all-day", allDay("a", "design", "2026-11-17", "2026-11-18"), false, ReasonAllDay},
		{"free", meeting("review", free), false, ReasonFree},
		{"tentative counted by default", meeting("review", invited(cal.ResponseTentative)), true, ""},
		{"unanswered counted by default", meeting("review", invited(cal.ResponseNeedsAction)), true, ""},
		{"ignored", meeting("ignore"), false, ReasonIgnored},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Verdicts(defaultWeek(), nil, []Classified{tt.e})[0]
			if got.Counted != tt.wantCounted || got.Reason != tt.wantReason {
				t.Errorf("got (%v, %q), want (%v, %q)", got.Counted, got.Reason, tt.wantCounted, tt.wantReason)
			}
		})
	}
	strict := defaultWeek()
	strict.Accounting.CountTentative, strict.Accounting.CountUnanswered = false, false
	for _, tt := range []struct {
		e    Classified
		want string
	}{
		{meeting("review", invited(cal.ResponseTentative)), ReasonTentative},
		{meeting("review", withStatus(cal.StatusTentative)), ReasonTentative},
		{meeting("review", invited(cal.ResponseNeedsAction)), ReasonUnanswered},
	} {
		if got := Verdicts(strict, nil, []Classified{tt.e})[0]; got.Counted || got.Reason != tt.want {
			t.Errorf("with the switches off: got (%v, %q), want (false, %q)", got.Counted, got.Reason, tt.want)
		}
	}
}

func TestAccountWeekOverlaps(t *testing.T) {
	two := func(a, b Classified) func(Week) []Classified {
		return func(Week) []Classified { return []Classified{a, b} }
	}
	loc := mustLoad(t, "Europe/Berlin")
	w := mustWeek(t, "2026-W47", loc)
	at := func(hhmm string) time.Time { return clock(w, 1, hhmm) } // Tuesday
	precedence := func(p ...string) func(*config.Week) { return func(c *config.Week) { c.Accounting.Precedence = p } }
	cats := append(append([]string{}, workCategories()...), "oncall")
	runAccountCases(t, "Europe/Berlin", "2026-W47", cats, []accountCase{
		{name: "nested lower inside higher",
			events: two(event("a", "design", at("10:00"), at("12:00")), event("b", "review", at("10:30"), at("11:00"))),
			want:   map[string]float64{"design": 2, "implementation": 38}, unscheduled: 38, counted: 2},
		{name: "nested higher inside lower",
			events: two(event("a", "review", at("10:00"), at("12:00")), event("b", "incident", at("10:30"), at("11:00"))),
			want:   map[string]float64{"review": 1.5, "incident": 0.5, "implementation": 38}, unscheduled: 38, counted: 2},
		{name: "identical spans",
			events: two(event("a", "review", at("10:00"), at("11:00")), event("b", "design", at("10:00"), at("11:00"))),
			want:   map[string]float64{"design": 1, "implementation": 39}, unscheduled: 39, counted: 2},
		{name: "partial overlap",
			events: two(event("a", "review", at("10:00"), at("11:00")), event("b", "design", at("10:30"), at("11:30"))),
			want:   map[string]float64{"design": 1, "review": 0.5, "implementation": 38.5}, unscheduled: 38.5, counted: 2},
		{name: "exact duplicates count once",
			events: two(event("a", "design", at("10:00"), at("11:00")), event("a", "design", at("10:00"), at("11:00"))),
			want:   map[string]float64{"design": 1, "implementation": 39}, unscheduled: 39, counted: 1},
		{name: "implementation event outranks nothing but fills its time",
			events: two(event("a", "implementation", at("08:00"), at("10:00")), event("b", "alignment", at("09:30"), at("10:30"))),
			want:   map[string]float64{"alignment": 1, "implementation": 1.5 + 38.5}, unscheduled: 38.5, counted: 2},
		{name: "configured precedence", cfg: precedence("review", "design"),
			events: two(event("a", "design", at("10:00"), at("11:00")), event("b", "review", at("10:00"), at("11:00"))),
			want:   map[string]float64{"review": 1, "implementation": 39}, unscheduled: 39, counted: 2},
		{name: "unlisted categories rank after, in category order", cfg: precedence("alignment"),
			events: two(event("a", "review", at("10:00"), at("11:00")), event("b", "design", at("10:00"), at("11:00"))),
			want:   map[string]float64{"design": 1, "implementation": 39}, unscheduled: 39, counted: 2},
		{name: "custom category ranks after the listed ones",
			events: two(event("a", "oncall", at("10:00"), at("12:00")), event("b", "implementation", at("11:00"), at("12:00"))),
			want:   map[string]float64{"oncall": 1, "implementation": 39}, unscheduled: 38, counted: 2},
		{name: "ignore never outranks",
			events: two(event("a", "ignore", at("10:00"), at("12:00")), event("b", "review", at("10:30"), at("11:00"))),
			want:   map[string]float64{"review": 0.5, "implementation": 38}, unscheduled: 38, counted: 1},
		{name: "out of office outranks everything",
			events: two(event("a", "ignore", at("09:00"), at("17:00"), withType(cal.TypeOutOfOffice)), event("b", "incident", at("16:00"), at("18:00"))),
			want:   map[string]float64{"incident": 1, "implementation": 32}, unscheduled: 32, counted: 1, timeOff: 8},
		{name: "ignore never outranks",
			events: two(event("a", "ignore", at("09:00"), at("17:00")), event("b", "incident", at("16:00"), at("18:00"))),
			want:   map[string]float64{"incident": 2, "implementation": 32}, unscheduled: 32, counted: 1},
	})
}

func TestAccountWeekClipping(t *testing.T) {
	one := func(e func(w Week) Classified) func(Week) []Classified {
		return func(w Week) []Classified { return []Classified{e(w)} }
	}
	none := func(c *config.Week) { c.Accounting.Unscheduled = config.UnscheduledNone }
	runAccountCases(t, "Europe/Berlin", "2026-W47", workCategories(), []accountCase{
		{name: "across midnight", cfg: none, events: one(func(w Week) Classified {
			return event("a", "incident", clock(w, 1, "22:00"), clock(w, 2, "02:00"))
		}), want: map[string]float64{"incident": 4}, counted: 1},
		{name: "into the next week", cfg: none, events: one(func(w Week) Classified {
			return event("a", "incident", clock(w, 6, "22:00"), clock(w, 7, "02:00"))
		}), want: map[string]float64{"incident": 2}, counted: 1},
		{name: "from the week before", cfg: none, events: one(func(w Week) Classified {
			return event("a", "incident", clock(w, -1, "23:00"), clock(w, 0, "01:00"))
		}), want: map[string]float64{"incident": 1}, counted: 1},
		{name: "longer than the week", cfg: none, events: one(func(w Week) Classified {
			return event("a", "incident", clock(w, -3, "00:00"), clock(w, 10, "00:00"))
		}), want: map[string]float64{"incident": 168}, counted: 1},
		{name: "ends exactly at the week start", cfg: none, events: one(func(w Week) Classified {
			return event("a", "incident", clock(w, -1, "22:00"), clock(w, 0, "00:00"))
		}), want: map[string]float64{}},
		{name: "zero length", cfg: none, events: one(func(w Week) Classified {
			return event("a", "incident", clock(w, 1, "10:00"), clock(w, 1, "10:00"))
		}), want: map[string]float64{}},
	})
}

func TestAccountWeekWorkingHours(t *testing.T) {
	ooo := withType(cal.TypeOutOfOffice)
	runAccountCases(t, "Europe/Berlin", "2026-W47", workCategories(), []accountCase{
		{name: "timed out of office", events: func(w Week) []Classified {
			return []Classified{event("o", "ignore", clock(w, 0, "08:00"), clock(w, 0, "13:00"), ooo)}
		}, want: map[string]float64{"implementation": 36}, unscheduled: 36, timeOff: 4},
		{name: "all-day out of office", events: func(Week) []Classified {
			return []Classified{allDay("o", "ignore", "2026-11-18", "2026-11-19", ooo)}
		}, want: map[string]float64{"implementation": 32}, unscheduled: 32, timeOff: 8},
		{name: "meeting during a day off does not count", events: func(w Week) []Classified {
			return []Classified{
				allDay("o", "ignore", "2026-11-18", "2026-11-19", ooo),
				event("m", "design", clock(w, 2, "10:00"), clock(w, 2, "11:00")),
			}
		}, want: map[string]float64{"implementation": 32}, unscheduled: 32, counted: 0, timeOff: 8},
		{name: "vacation without an event type, shown as free, takes the standup", events: func(w Week) []Classified {
			return []Classified{
				allDay("v", "off", "2026-11-17", "2026-11-18", free, titled("Vacation")),
				event("s", "alignment", clock(w, 1, "09:30"), clock(w, 1, "09:45"), series("standup")),
				event("s2", "alignment", clock(w, 2, "09:30"), clock(w, 2, "09:45"), series("standup")),
			}
		}, want: map[string]float64{"alignment": 0.25, "implementation": 31.75}, unscheduled: 31.75, counted: 1, timeOff: 8},
		{name: "a meeting that starts before time off counts until it starts", events: func(w Week) []Classified {
			return []Classified{
				event("o", "off", clock(w, 1, "12:00"), clock(w, 1, "17:00"), titled("Doctor, then off")),
				event("m", "design", clock(w, 1, "11:00"), clock(w, 1, "13:00")),
			}
		}, want: map[string]float64{"design": 1, "implementation": 34}, unscheduled: 34, counted: 1, timeOff: 5},
		{name: "declined time off is not time off", events: func(w Week) []Classified {
			return []Classified{allDay("o", "off", "2026-11-18", "2026-11-19", invited(cal.ResponseDeclined))}
		}, want: map[string]float64{"implementation": 40}, unscheduled: 40},
		{name: "vacation into the next week", events: func(Week) []Classified {
			return []Classified{allDay("o", "ignore", "2026-11-20", "2026-11-25", ooo)}
		}, want: map[string]float64{"implementation": 32}, unscheduled: 32, timeOff: 8},
		{name: "ignore removes working hours", events: func(w Week) []Classified {
			return []Classified{
				event("l", "ignore", clock(w, 3, "12:00"), clock(w, 3, "14:00")),
				event("m", "design", clock(w, 3, "12:00"), clock(w, 3, "13:00")),
			}
		}, want: map[string]float64{"design": 1, "implementation": 38}, unscheduled: 38, counted: 1},
		{name: "free ignore does not block", events: func(w Week) []Classified {
			return []Classified{event("l", "ignore", clock(w, 3, "12:00"), clock(w, 3, "13:00"), free)}
		}, want: map[string]float64{"implementation": 40}, unscheduled: 40},
		{name: "evening work adds to the day", events: func(w Week) []Classified {
			return []Classified{event("m", "incident", clock(w, 4, "16:00"), clock(w, 4, "20:00"))}
		}, want: map[string]float64{"incident": 4, "implementation": 39}, unscheduled: 39, counted: 1},
		{name: "unscheduled none", cfg: func(c *config.Week) { c.Accounting.Unscheduled = config.UnscheduledNone },
			events: oneMeeting(), want: map[string]float64{"design": 1}, counted: 1},
		{name: "unscheduled to another category", cfg: func(c *config.Week) { c.Accounting.Unscheduled = "review" },
			events: oneMeeting(), want: map[string]float64{"design": 1, "review": 39}, unscheduled: 39, counted: 1},
		{name: "weekend days and a short day", cfg: func(c *config.Week) {
			c.WorkingHours = config.WorkingHours{Days: days("sat", "sun"), Start: clk("10:00"), End: clk("24:00")}
		}, want: map[string]float64{"implementation": 28}, unscheduled: 28},
		{name: "no working days", cfg: func(c *config.Week) { c.WorkingHours.Days = nil },
			events: oneMeeting(), want: map[string]float64{"design": 1}, counted: 1},
	})
}

func TestAccountWeekShare(t *testing.T) {
	loc := mustLoad(t, "Europe/Berlin")
	w := mustWeek(t, "2026-W47", loc)
	meetings := func(n int, cat string) []Classified {
		var es []Classified
		for i := range n {
			es = append(es, event(cat+string(rune('a'+i)), cat, clock(w, i, "09:00"), clock(w, i, "11:00")))
		}
		return es
	}
	none := defaultWeek()
	none.Accounting.Unscheduled = config.UnscheduledNone
	tests := []struct {
		name      string
		cfg       config.Week
		events    []Classified
		wantShare float64 // -1 = nil
		wantBelow bool
	}{
		{"no time at all", none, nil, -1, false},
		{"only ignored time", none, meetings(2, "ignore"), -1, false},
		{"all design", none, meetings(2, "design"), 1, false},
		{"empty working week", defaultWeek(), nil, 0, true},
		{"exactly the target", defaultWeek(), meetings(4, "alignment"), 0.2, false},
		{"just below", defaultWeek(), meetings(3, "review"), 0.15, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := AccountWeek(inZone(tt.cfg, loc), workCategories(), nil, w, tt.events)
			switch {
			case tt.wantShare < 0 && got.DesignShare != nil:
				t.Errorf("got share %v, want nil", *got.DesignShare)
			case tt.wantShare >= 0 && got.DesignShare == nil:
				t.Errorf("got nil share, want %v", tt.wantShare)
			case tt.wantShare >= 0 && *got.DesignShare != tt.wantShare:
				t.Errorf("got share %v, want %v", *got.DesignShare, tt.wantShare)
			}
			if got.BelowTarget != tt.wantBelow {
				t.Errorf("got below_target %v, want %v", got.BelowTarget, tt.wantBelow)
			}
		})
	}
}
