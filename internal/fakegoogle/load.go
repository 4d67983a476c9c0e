package fakegoogle

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"time"

	"google.golang.org/api/calendar/v3"
)

// LoadConfig describes a generated calendar: Events events starting in
// [From, To), the same ones for the same Seed and Calendar.
type LoadConfig struct {
	// Calendar is the calendar id the events go to; "primary" if empty.
	Calendar string
	Events   int
	From, To time.Time
	Seed     uint64
	// Owner is the calendar owner's e-mail; "me@example.com" if empty.
	Owner string
}

// Generate returns the events cfg describes, as Google would list them
// with singleEvents=true: instances of recurring series next to one-off
// meetings, focus blocks, out-of-office days, all-day events and a few
// cancelled ones, with realistic titles, descriptions, attendee lists,
// conference data and the bookkeeping fields (etag, htmlLink, iCalUID…)
// that a request without a fields selection carries. Event ids are unique
// within the calendar.
func Generate(cfg LoadConfig) []*calendar.Event {
	if cfg.Calendar == "" {
		cfg.Calendar = "primary"
	}
	if cfg.Owner == "" {
		cfg.Owner = "me@example.com"
	}
	if !cfg.To.After(cfg.From) || cfg.Events <= 0 {
		return nil
	}
	h := fnv.New64a()
	h.Write([]byte(cfg.Calendar))
	rng := rand.New(rand.NewPCG(cfg.Seed, h.Sum64()))
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		loc = time.UTC
	}
	g := &generator{cfg: cfg, rng: rng, loc: loc}
	g.series = make([]series, 24+cfg.Events/400)
	for i := range g.series {
		g.series[i] = g.newSeries(i)
	}
	days := max(1, int(cfg.To.Sub(cfg.From)/(24*time.Hour)))
	out := make([]*calendar.Event, 0, cfg.Events)
	for i := range cfg.Events {
		// Spread the events evenly over the days of the span, at office
		// hours in the owner's zone, so that every week gets its share.
		day := cfg.From.In(loc).AddDate(0, 0, i*days/cfg.Events)
		out = append(out, g.event(i, day))
	}
	return out
}

// LoadTeam fills calendars "team-000" … with perCalendar generated events
// each (seeded by seed and the calendar id) and returns their ids.
func (s *Server) LoadTeam(calendars, perCalendar int, from, to time.Time, seed uint64) []string {
	ids := make([]string, calendars)
	for i := range ids {
		ids[i] = fmt.Sprintf("team-%03d", i)
		s.Load(LoadConfig{Calendar: ids[i], Events: perCalendar, From: from, To: to, Seed: seed, Owner: fmt.Sprintf("member%03d@example.com", i)})
	}
	return ids
}

// Load puts the events cfg describes on the fake, in one step: 100,000
// calls of Put would do the same, slower.
func (s *Server) Load(cfg LoadConfig) {
	events := Generate(cfg)
	if cfg.Calendar == "" {
		cfg.Calendar = "primary"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cal := s.events[cfg.Calendar]
	if cal == nil {
		cal = make(map[string]*entry, len(events))
		s.events[cfg.Calendar] = cal
	}
	for _, ev := range events {
		s.seq++
		ev.Updated = time.Unix(1_700_000_000+s.seq, 0).UTC().Format(time.RFC3339)
		cal[ev.Id] = &entry{ev: ev, seq: s.seq}
	}
}

type generator struct {
	cfg    LoadConfig
	rng    *rand.Rand
	loc    *time.Location
	series []series
}

// series is a recurring meeting: its instances share a title, length,
// attendees and description.
type series struct {
	id, title, description string
	minutes                int
	attendees              []*calendar.EventAttendee
	organizer              string
}

var (
	firstNames = []string{"alex", "sam", "priya", "dana", "lee", "maria", "jonas", "chen", "fatima", "olga", "tom", "ana", "raj", "lena", "kofi", "yuki", "pablo", "ines", "noah", "mia"}
	lastNames  = []string{"schmidt", "garcia", "nguyen", "kowalski", "okafor", "tanaka", "silva", "muller", "rossi", "dubois", "patel", "kim", "novak", "larsen", "haddad"}
	projects   = []string{"Atlas", "Phoenix", "ledger", "search v2", "billing revamp", "notifications", "checkout", "payments", "onboarding", "data pipeline", "auth service", "mobile API"}
	externals  = []string{"partner.io", "globex.com", "acme-consulting.de", "vendor.dev"}
	rooms      = []string{"Room Berlin (8)", "Room Lisbon (4)", "Room Oslo (12)", "Phone booth 3"}

	seriesTitles = []string{"Daily standup", "Weekly sync: %s", "%s / %s 1:1", "Sprint planning", "Retro", "Backlog grooming",
		"Design review: %s", "Architecture review board", "Platform weekly", "On-call handoff", "Skip-level with %s",
		"Jour fixe %s", "Reunión semanal", "Point hebdo", "OKR check-in", "Code review office hours", "Guild: backend"}
	oneOffTitles = []string{"Design: %s", "RFC: %s write-up", "PR walkthrough: %s", "Kick-off: %s", "Customer call: Globex",
		"Incident review: %s outage", "INC-%d postmortem", "Phone screen - backend candidate", "Interview: Staff Engineer (system design)",
		"Pairing with %s", "Spike: %s", "Debugging flaky tests", "Refactor %s module", "Release 4.%d", "Load testing %s",
		"Tech spec - %s", "Whiteboarding session", "Threat modeling: %s", "Catch-up", "Quick chat", "Lunch", "Dentist",
		"Besprechung Projekt %s", "Revisión de diseño %s", "Prep slides", "Vendor demo: observability", "[PAY-%d] ledger rounding",
		"Capacity planning", "Roadmap alignment", "Bug bash", "Hiring debrief", "Team lunch 🍕", "Sync", ""}
	focusTitles   = []string{"Focus time", "Heads down", "Deep work block", "🎧 coding", "Fokuszeit"}
	descriptions  = []string{"Agenda:\n1. open questions\n2. decisions\n3. next steps", "https://github.com/acme/%s/pull/%d", "Notes: https://docs.acme.io/design-doc/%s", "Follow-up from INC-%d", "Please review the doc before the meeting.", "Bring laptops."}
	durationsMins = []int{15, 25, 30, 30, 45, 50, 60, 60, 90, 120}
)

func (g *generator) pick(list []string) string { return list[g.rng.IntN(len(list))] }

func (g *generator) person() string {
	return g.pick(firstNames) + "." + g.pick(lastNames) + "@example.com"
}

// fill replaces each %s and %d of a template with a name, project or number.
func (g *generator) fill(tmpl string) string {
	var b strings.Builder
	for i := 0; i < len(tmpl); i++ {
		if tmpl[i] == '%' && i+1 < len(tmpl) {
			switch tmpl[i+1] {
			case 's':
				if g.rng.IntN(2) == 0 {
					b.WriteString(strings.ToUpper(g.pick(firstNames)[:1]) + g.pick(firstNames)[1:])
				} else {
					b.WriteString(g.pick(projects))
				}
				i++
				continue
			case 'd':
				fmt.Fprint(&b, 100+g.rng.IntN(9000))
				i++
				continue
			}
		}
		b.WriteByte(tmpl[i])
	}
	return b.String()
}

// attendees returns n people (the owner first) and sometimes a room;
// the distribution leans on small meetings, as real calendars do.
func (g *generator) attendees(organizer string) []*calendar.EventAttendee {
	var n int
	switch r := g.rng.IntN(10); {
	case r < 3:
		return nil
	case r < 5:
		n = 2
	case r < 9:
		n = 3 + g.rng.IntN(6)
	default:
		n = 9 + g.rng.IntN(30)
	}
	out := []*calendar.EventAttendee{{Email: g.cfg.Owner, Self: true, ResponseStatus: "accepted", Organizer: organizer == g.cfg.Owner}}
	for len(out) < n {
		email := g.person()
		if g.rng.IntN(8) == 0 {
			email = g.pick(firstNames) + "@" + g.pick(externals)
		}
		a := &calendar.EventAttendee{Email: email, ResponseStatus: g.pick([]string{"accepted", "accepted", "tentative", "needsAction", "declined"}), Organizer: email == organizer}
		if g.rng.IntN(6) == 0 {
			a.Optional = true
		}
		out = append(out, a)
	}
	if g.rng.IntN(4) == 0 {
		out = append(out, &calendar.EventAttendee{Email: "c_" + fmt.Sprint(g.rng.Uint32()) + "@resource.calendar.google.com", DisplayName: g.pick(rooms), Resource: true, ResponseStatus: "accepted"})
	}
	return out
}

func (g *generator) description() string {
	if g.rng.IntN(2) == 0 {
		return ""
	}
	d := g.fill(g.pick(descriptions))
	if g.rng.IntN(5) == 0 {
		// Invitations pasted from a conferencing tool make long descriptions.
		d += "\n\n──────────\nJoin Zoom Meeting\nhttps://zoom.us/j/" + fmt.Sprint(g.rng.Uint64()) +
			"\n\nMeeting ID: 845 1234 5678\nPasscode: 123456\n\nOne tap mobile\n+496938079883,,84512345678# Germany\n+4930566797240,,84512345678# Germany\n"
	}
	return d
}

func (g *generator) newSeries(i int) series {
	organizer := g.cfg.Owner
	if g.rng.IntN(2) == 0 {
		organizer = g.person()
	}
	return series{
		id:          fmt.Sprintf("s%04d%08x", i, g.rng.Uint32()),
		title:       g.fill(g.pick(seriesTitles)),
		description: g.description(),
		minutes:     g.pick2(durationsMins),
		attendees:   g.attendees(organizer),
		organizer:   organizer,
	}
}

func (g *generator) pick2(list []int) int { return list[g.rng.IntN(len(list))] }

// event makes the i-th event, on day (midnight in the owner's zone).
func (g *generator) event(i int, day time.Time) *calendar.Event {
	start := time.Date(day.Year(), day.Month(), day.Day(), 8+g.rng.IntN(10), 15*g.rng.IntN(4), 0, 0, g.loc)
	ev := &calendar.Event{
		Kind:      "calendar#event",
		Status:    "confirmed",
		Created:   start.AddDate(0, 0, -14).UTC().Format(time.RFC3339),
		Sequence:  int64(g.rng.IntN(3)),
		Reminders: &calendar.EventReminders{UseDefault: true},
		EventType: "default",
	}
	minutes := g.pick2(durationsMins)
	organizer := g.cfg.Owner
	switch r := g.rng.IntN(100); {
	case r < 40: // an instance of a recurring series
		s := g.series[g.rng.IntN(len(g.series))]
		ev.Id = fmt.Sprintf("%s_%s_%x", s.id, start.UTC().Format("20060102T150405Z"), i)
		ev.RecurringEventId = s.id
		ev.OriginalStartTime = &calendar.EventDateTime{DateTime: start.Format(time.RFC3339), TimeZone: g.loc.String()}
		ev.Summary, ev.Description, ev.Attendees, minutes, organizer = s.title, s.description, s.attendees, s.minutes, s.organizer
	case r < 47:
		ev.Id = fmt.Sprintf("f%07x%04x", i, g.rng.IntN(1<<16))
		ev.Summary, ev.EventType, minutes = g.pick(focusTitles), "focusTime", 120+60*g.rng.IntN(3)
		ev.Transparency = g.pick([]string{"opaque", "transparent"})
	case r < 49:
		ev.Id = fmt.Sprintf("o%07x%04x", i, g.rng.IntN(1<<16))
		ev.Summary, ev.EventType, minutes = g.pick([]string{"Out of office", "Urlaub", "PTO"}), "outOfOffice", 8*60
		start = time.Date(day.Year(), day.Month(), day.Day(), 9, 0, 0, 0, g.loc)
	case r < 53: // all day
		ev.Id = fmt.Sprintf("d%07x%04x", i, g.rng.IntN(1<<16))
		ev.Summary = g.pick([]string{"Bank holiday", "Office: Berlin", "Conference day", "Sam's birthday", "Release freeze"})
		ev.Start = &calendar.EventDateTime{Date: day.Format(time.DateOnly)}
		ev.End = &calendar.EventDateTime{Date: day.AddDate(0, 0, 1).Format(time.DateOnly)}
		ev.Transparency = "transparent"
		if strings.HasPrefix(ev.Summary, "Office") {
			ev.EventType = "workingLocation"
		}
	default:
		if g.rng.IntN(2) == 0 {
			organizer = g.person()
		}
		ev.Id = fmt.Sprintf("e%07x%04x", i, g.rng.IntN(1<<16))
		ev.Summary, ev.Description, ev.Attendees = g.fill(g.pick(oneOffTitles)), g.description(), g.attendees(organizer)
	}
	if ev.Start == nil {
		ev.Start = &calendar.EventDateTime{DateTime: start.Format(time.RFC3339), TimeZone: g.loc.String()}
		ev.End = &calendar.EventDateTime{DateTime: start.Add(time.Duration(minutes) * time.Minute).Format(time.RFC3339), TimeZone: g.loc.String()}
	}
	ev.Organizer = &calendar.EventOrganizer{Email: organizer, Self: organizer == g.cfg.Owner}
	ev.Creator = &calendar.EventCreator{Email: organizer, Self: organizer == g.cfg.Owner}
	ev.ICalUID = ev.Id + "@google.com"
	ev.Etag = fmt.Sprintf(`"%d"`, 3_400_000_000_000_000+g.rng.Int64N(1e15))
	ev.HtmlLink = "https://www.google.com/calendar/event?eid=" + strings.ToLower(fmt.Sprintf("%x", ev.Id))
	if len(ev.Attendees) > 1 && g.rng.IntN(2) == 0 {
		code := fmt.Sprintf("%03d-%04d-%03d", g.rng.IntN(1000), g.rng.IntN(10000), g.rng.IntN(1000))
		ev.HangoutLink = "https://meet.google.com/" + code
		ev.ConferenceData = &calendar.ConferenceData{
			ConferenceId:       code,
			ConferenceSolution: &calendar.ConferenceSolution{Name: "Google Meet", IconUri: "https://fonts.gstatic.com/s/i/productlogos/meet_2020q4/v6/web-512dp/logo_meet_2020q4_color_2x_web_512dp.png", Key: &calendar.ConferenceSolutionKey{Type: "hangoutsMeet"}},
			EntryPoints: []*calendar.EntryPoint{
				{EntryPointType: "video", Uri: ev.HangoutLink, Label: "meet.google.com/" + code},
				{EntryPointType: "phone", Uri: "tel:+49-30-123456789", Label: "+49 30 123456789", Pin: fmt.Sprint(g.rng.IntN(1e9))},
			},
		}
	}
	if g.rng.IntN(5) == 0 {
		ev.Location = g.pick(rooms)
	}
	if g.rng.IntN(10) == 0 {
		ev.ColorId = fmt.Sprint(1 + g.rng.IntN(11))
	}
	switch g.rng.IntN(50) {
	case 0:
		ev.Status = "cancelled"
	case 1, 2:
		ev.Status = "tentative"
	}
	return ev
}
