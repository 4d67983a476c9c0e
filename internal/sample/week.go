package sample

import (
	"fmt"
	"strings"
	"time"

	"github.com/weekmap/weekmap/cal"
)

// mode is the kind of week the engineer has, which sets how much design and
// review work lands on the calendar. Weeks cycle through a project's life so
// that any twelve consecutive weeks hold weeks on both sides of the 20%
// target line.
type mode struct {
	name string
	// rfcs, designDocs, reviews and focus are how many RFC discussions,
	// design-doc sessions, PR review blocks and focus blocks to schedule.
	rfcs, designDocs, reviews, focus int
	// skipArch declines the architecture review to protect heads-down time.
	skipArch bool
}

// modeOf follows a six-week project rhythm: write and argue the design, build
// it, then pick up the next one.
func modeOf(num int64) mode {
	designHeavy := mode{name: "design-heavy", rfcs: 2, designDocs: 2, reviews: 1, focus: 3}
	steady := mode{name: "steady", rfcs: 1, reviews: 1, focus: 5}
	headsDown := mode{name: "heads-down", rfcs: 1, focus: 6, skipArch: true}
	return [...]mode{designHeavy, designHeavy, steady, headsDown, headsDown, steady}[mod(num, 6)]
}

// build lays out the week: fixed commitments first (day off, recurring
// meetings, company events, incidents), then the self-scheduled blocks in
// whatever time is left, so they never collide by accident.
func (w *week) build() []plannedEvent {
	w.outOfOffice()
	for _, s := range recurringSeries() {
		if s.every == 2 && mod(w.num, 2) != int64(s.parity) {
			continue
		}
		for _, wd := range s.days {
			w.instance(s, (int(wd)+6)%7)
		}
	}
	w.birthday()
	w.allHands()
	w.incident()
	w.vendorSync()
	w.interview()
	w.rfcs()
	w.designDocs()
	w.reviews()
	w.focusBlocks()
	return w.events
}

func (w *week) outOfOffice() {
	if w.ooo < 0 {
		return
	}
	title := "Vacation"
	if mod(w.num/Weeks, 2) == 1 {
		title = "Out of office"
	}
	all := span{hm(9, 0), hm(17, 0)}
	w.reserve(w.ooo, all)
	w.timed("ooo", "", w.ooo, all, cal.Event{Title: title, EventType: cal.TypeOutOfOffice}, "ooo")
}

// instance adds one occurrence of a recurring meeting, with the exceptions
// real series accumulate: a cancelled week, a declined one, a renamed one.
func (w *week) instance(s series, day int) {
	e := cal.Event{Title: s.title, Description: s.description, ColorID: s.color}
	mine := accepted
	switch s.id {
	case idArch:
		if mod(w.num, 2) == 1 {
			e.Title = "Design review: " + services[mod(w.num/2, int64(len(services)))]
		}
		if w.mode.skipArch {
			mine = declined
		}
	case idTeamSync:
		if mod(w.num, 6) == 4 {
			e.Status = cal.StatusCancelled
		} else if w.rng.Float64() < 0.2 {
			mine = declined
		}
	case idLunch:
		if w.rng.Float64() < 0.25 {
			e.Transparency = cal.TransparencyTransparent
		}
	}
	if day == w.ooo && s.organizer != "" {
		mine = declined // Google declines invitations during time off
	}
	if s.id != idLunch {
		e.Organizer = organizerOf(s.organizer)
		e.Attendees = attendees(s.organizer, s.guests, s.room, mine)
	}
	sp := span{s.start, s.start + int(s.length/time.Minute)}
	if mine != declined && e.Status != cal.StatusCancelled {
		w.reserve(day, sp)
	}
	w.timed(s.id, s.id, day, sp, e, s.category)
}

func (w *week) birthday() {
	if mod(w.num, Weeks) != 2 {
		return
	}
	w.allDay("birthday", 2, cal.Event{
		Title:        "🎂 Mei Lin's birthday",
		EventType:    cal.TypeBirthday,
		Transparency: cal.TransparencyTransparent,
	}, "ignore")
}

// allHands is on the first Thursday of the month.
func (w *week) allHands() {
	const thursday = 3
	if w.at(thursday, 0).Day() > 7 {
		return
	}
	sp := span{hm(16, 0), hm(17, 0)}
	w.reserve(thursday, sp)
	w.timed("all-hands", "", thursday, sp, cal.Event{
		Title:       "Monthly all-hands",
		Description: "Company update, then open Q&A. Questions: go/ask-leadership",
		Organizer:   organizerOf(ceoOffice),
		// Few people answer an all-hands invitation.
		Attendees: attendees(ceoOffice, []string{everyone}, roomAtrium, needsAction),
	}, "alignment")
}

// incident adds a postmortem every fourth week, booked over the team sync
// as postmortems often are, and now and then a short SEV2 follow-up.
func (w *week) incident() {
	inc := 2000 + int(mod(w.num*37, 900))
	if mod(w.num, 4) == 1 {
		const wednesday = 2
		sp := span{hm(14, 30), hm(15, 30)}
		w.reserve(wednesday, sp)
		w.timed("postmortem", "", wednesday, sp, cal.Event{
			Title:       fmt.Sprintf(incidents[mod(w.num/4, 2)], inc),
			Description: fmt.Sprintf("Blameless. Timeline, root cause and action items: https://docs.example.com/pm/INC-%d", inc),
			Organizer:   organizerOf(sreOnCall),
			Attendees:   attendees(sreOnCall, []string{"jonas.weber@example.com", "nora.kim@example.com", manager}, "", accepted),
			ColorID:     "11",
		}, "incident")
		return
	}
	if w.rng.Float64() < 0.25 {
		if day, sp, ok := w.place(30, hm(10, 0), hm(17, 0)); ok {
			w.timed("sev2", "", day, sp, cal.Event{
				Title:     fmt.Sprintf(incidents[2+w.rng.IntN(2)], inc),
				Organizer: organizerOf("nora.kim@example.com"),
				Attendees: attendees("nora.kim@example.com", []string{sreOnCall}, "", accepted),
			}, "incident")
		}
	}
}

// vendorSync brings in guests from outside the organisation.
func (w *week) vendorSync() {
	if mod(w.num, 3) != 2 {
		return
	}
	const thursday = 3
	sp := span{hm(15, 0), hm(15, 45)}
	w.reserve(thursday, sp)
	w.timed("vendor", "", thursday, sp, cal.Event{
		Title:       "Ledgerly ↔ payments-api integration sync",
		Description: "Settlement file format v3, sandbox credentials, cutover date.",
		Organizer:   organizerOf(vendorGuests[0]),
		Attendees:   attendees(vendorGuests[0], append([]string{vendorGuests[1], pm}, team[:2]...), "", accepted),
	}, "alignment")
}

func (w *week) interview() {
	if w.rng.Float64() >= 0.35 {
		return
	}
	day, sp, ok := w.place(60, hm(10, 0), hm(17, 0))
	if !ok {
		return
	}
	w.timed("interview", "", day, sp, cal.Event{
		Title:       pick(w.rng, interviews),
		Description: "Candidate packet and scorecard are in the ATS. Please submit feedback within 24 hours.",
		Organizer:   organizerOf(recruiter),
		Attendees:   attendees(recruiter, nil, roomAda, accepted),
	}, "alignment")
}

// rfcs are invitations from other engineers; in heads-down weeks the owner
// only half-commits to them.
func (w *week) rfcs() {
	for i := range w.mode.rfcs {
		day, sp, ok := w.place(45+15*w.rng.IntN(2), hm(10, 0), hm(17, 0))
		if !ok {
			return
		}
		n := 10 + int(mod(w.num*2+int64(i), 90))
		mine := accepted
		if w.mode.skipArch || w.rng.Float64() < 0.15 {
			mine = tentative
		}
		org := pick(w.rng, otherEngineers)
		w.timed("rfc", "", day, sp, cal.Event{
			Title:       fmt.Sprintf("RFC-%03d: %s discussion", n, rfcTopics[n%len(rfcTopics)]),
			Description: fmt.Sprintf("Doc: https://docs.example.com/rfc/%03d. Please read and comment before the meeting.", n),
			Organizer:   organizerOf(org),
			Attendees:   attendees(org, append([]string{staffEng}, team[1:4]...), "", mine),
		}, "design")
	}
}

// designDocs are time the owner blocks alone to write.
func (w *week) designDocs() {
	topic := rfcTopics[mod(w.num/6, int64(len(rfcTopics)))]
	for range w.mode.designDocs {
		day, sp, ok := w.place(90, hm(9, 0), hm(17, 0))
		if !ok {
			return
		}
		title := pick(w.rng, designTitles)
		w.timed("design-doc", "", day, sp, cal.Event{
			Title:   fmt.Sprintf(title, topic),
			ColorID: "9",
		}, "design")
	}
}

func (w *week) reviews() {
	for range w.mode.reviews {
		day, sp, ok := w.place(60, hm(9, 0), hm(17, 0))
		if !ok {
			return
		}
		title := pick(w.rng, reviewTitles)
		if strings.Contains(title, "%d") {
			title = fmt.Sprintf(title, 1200+w.rng.IntN(400))
		}
		w.timed("review", "", day, sp, cal.Event{Title: title, ColorID: "3"}, "review")
	}
}

// focusBlocks are Google focus-time events: the implementation work that
// should fill most of the week.
func (w *week) focusBlocks() {
	for range w.mode.focus {
		day, sp, ok := w.place(120, hm(9, 45), hm(17, 0))
		if !ok {
			if day, sp, ok = w.place(90, hm(9, 45), hm(17, 0)); !ok {
				return
			}
		}
		w.timed("focus", "", day, sp, cal.Event{
			Title:     "Focus time",
			EventType: cal.TypeFocusTime,
		}, "implementation")
	}
}
