package sample

import (
	"time"

	"github.com/weekmap/weekmap/cal"
)

// The people on the sample calendar. The organisation is on example.com, the
// one vendor on ledgerly.io, so the demo has external meetings to show.
const (
	owner     = "alex.rivera@example.com"
	manager   = "priya.natarajan@example.com"
	mentee    = "sam.okafor@example.com"
	staffEng  = "ravi.shankar@example.com"
	pm        = "lena.hoffmann@example.com"
	recruiter = "julia.moss@example.com"
	ceoOffice = "ceo-office@example.com"
	everyone  = "everyone@example.com"
	sreOnCall = "sre-oncall@example.com"
)

// team is the payments backend team apart from the owner: with them the
// standup has eight people.
var team = []string{
	"jonas.weber@example.com",
	"mei.lin@example.com",
	"diego.fernandez@example.com",
	"fatima.zahra@example.com",
	"tom.becker@example.com",
	"nora.kim@example.com",
	manager,
}

// otherEngineers organise the RFC discussions the owner is invited to.
var otherEngineers = []string{
	"ravi.shankar@example.com",
	"mei.lin@example.com",
	"kwame.mensah@example.com",
	"ines.duarte@example.com",
}

var vendorGuests = []string{"kate.obrien@ledgerly.io", "dev-support@ledgerly.io"}

// Rooms are resource attendees, as Google lists them.
const (
	roomAda    = "example.com_ada-8@resource.calendar.google.com"
	roomHopper = "example.com_hopper-12@resource.calendar.google.com"
	roomAtrium = "example.com_atrium-200@resource.calendar.google.com"
)

// series is a recurring meeting. Its instances are generated week by week
// with ids "<id>_<start in UTC>", as Google's singleEvents listing names them.
type series struct {
	id       string
	title    string
	category string // what the built-in rules are expected to call it
	days     []time.Weekday
	start    int // minutes after local midnight
	length   time.Duration
	// every is 1 for weekly, 2 for fortnightly; parity picks which weeks of
	// the fortnight (by absolute week number) a fortnightly series runs.
	every, parity int
	organizer     string // empty: the owner
	guests        []string
	room          string
	description   string
	color         string
}

func hm(h, m int) int { return h*60 + m }

var weekdays = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday}

// Series ids (Google's base32hex alphabet, a–v and 0–9) that week planning
// treats specially.
const (
	idStandup  = "3pa1d5tandup09"
	idArch     = "4rch1tecture0r"
	idTeamSync = "7eam5snc0pa11"
	idLunch    = "1unch0b1ock0a1"
	idRetro    = "5pr1nt0retr000"
	idPlanning = "5pr1nt0p1an000"
)

// recurringSeries is the backbone of the calendar: the meetings a backend
// engineer on a scrum team has every week or fortnight.
func recurringSeries() []series {
	return []series{
		{id: idStandup, title: "Payments daily standup", category: "alignment",
			days: weekdays, start: hm(9, 30), length: 15 * time.Minute, every: 1,
			organizer: manager, guests: team,
			description: "Yesterday / today / blockers. Keep it to 15 minutes; parking lot after."},
		{id: idPlanning, title: "Sprint planning – Payments", category: "alignment",
			days: []time.Weekday{time.Monday}, start: hm(10, 0), length: time.Hour, every: 2, parity: 0,
			organizer: pm, guests: team, room: roomHopper},
		{id: "0nca11hand0ff0", title: "On-call handoff (payments)", category: "incident",
			days: []time.Weekday{time.Monday}, start: hm(11, 15), length: 15 * time.Minute, every: 1,
			organizer: sreOnCall, guests: []string{"jonas.weber@example.com", "nora.kim@example.com"},
			description: "Open pages, silenced alerts, anything flaky in payments-api or ledger."},
		{id: idArch, title: "Architecture review", category: "review",
			days: []time.Weekday{time.Tuesday}, start: hm(11, 0), length: time.Hour, every: 1,
			organizer: staffEng, guests: append([]string{"kwame.mensah@example.com", "ines.duarte@example.com"}, team[:3]...),
			room: roomAda, description: "Agenda and pre-reads in the arch review doc. Presenters: add your design by Monday."},
		{id: "1on1pr1a0a1e0c", title: "Alex / Priya 1:1", category: "alignment",
			days: []time.Weekday{time.Tuesday}, start: hm(15, 0), length: 30 * time.Minute, every: 1,
			organizer: manager, guests: nil, color: "5"},
		{id: idTeamSync, title: "Payments team sync", category: "alignment",
			days: []time.Weekday{time.Wednesday}, start: hm(14, 0), length: 45 * time.Minute, every: 1,
			organizer: manager, guests: append([]string{pm}, team...), room: roomHopper},
		{id: "1on1a1e0sam00", title: "Alex <> Sam mentoring 1:1", category: "alignment",
			days: []time.Weekday{time.Wednesday}, start: hm(16, 0), length: 30 * time.Minute, every: 2, parity: 1,
			guests: []string{mentee}},
		{id: idRetro, title: "Sprint retro 🔁", category: "alignment",
			days: []time.Weekday{time.Friday}, start: hm(14, 0), length: time.Hour, every: 2, parity: 1,
			organizer: pm, guests: team, room: roomHopper},
		{id: idLunch, title: "Lunch", category: "ignore",
			days: weekdays, start: hm(12, 0), length: time.Hour, every: 1},
	}
}

// rfcTopics are the subjects of RFC discussions and design docs.
var rfcTopics = []string{
	"idempotency keys for payments-api",
	"ledger double-entry invariants",
	"search-indexer backfill strategy",
	"retry budgets between services",
	"event-sourced payouts",
	"partitioning the ledger tables",
	"gRPC deadline propagation",
	"multi-region failover for payments-api",
	"webhook delivery guarantees",
	"PII retention in search-indexer",
}

// designTitles take a topic; a couple carry emoji, as real calendars do.
var designTitles = []string{
	"Design doc: %s",
	"Write design doc – %s",
	"✍️ Design doc writing (%s)",
}

// reviewTitles take a ticket number.
var reviewTitles = []string{
	"PR review block",
	"Code review: PAY-%d",
	"Review PRs – ledger (PAY-%d)",
	"Review queue: payments-api",
}

// services appear in design review titles.
var services = []string{"payments-api", "ledger", "search-indexer", "payouts-worker", "fraud-scorer"}

var incidents = []string{
	"Postmortem: payments-api 502s during deploy (INC-%d)",
	"Postmortem: ledger reconciliation delay (INC-%d)",
	"SEV2 follow-up: search-indexer lag (INC-%d)",
	"Incident review: duplicate payout webhooks (INC-%d)",
}

var interviews = []string{
	"Interview: Senior Backend Engineer – system design",
	"Interview: Backend Engineer – coding",
	"Interview loop debrief",
}

// response is the owner's answer to an invitation.
type response = string

const (
	accepted    response = cal.ResponseAccepted
	declined    response = cal.ResponseDeclined
	tentative   response = cal.ResponseTentative
	needsAction response = cal.ResponseNeedsAction
)
