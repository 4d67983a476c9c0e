package sample

import (
	"time"

	"github.com/weekmap/weekmap/cal"
)

// Team is the team of the demo's engineer and four teammates: five people,
// the default teams.min_group_size, so the team's weeks show where all
// five have data.
const Team = "platform"

// Person is one of the demo's people besides its engineer: their name,
// team, and how many weeks before the current one their calendar starts.
type Person struct {
	Name, Team string
	// Weeks is how many weeks, ending with the current one, their
	// calendar has; fewer than Weeks for someone who joined since.
	Weeks int
	// variant makes their weeks differ from the engineer's.
	variant int
}

// People are the demo's people besides its engineer ("me", also of Team):
// three teammates with twelve weeks each and one who joined eight weeks
// ago, so that Team's four weeks before have four people with data and
// are not shown; and two people of a team of two, which is never shown.
var People = []Person{
	{Name: "ana", Team: Team, Weeks: Weeks, variant: 1},
	{Name: "raj", Team: Team, Weeks: Weeks, variant: 2},
	{Name: "lea", Team: Team, Weeks: Weeks, variant: 3},
	{Name: "tom", Team: Team, Weeks: 8, variant: 4},
	{Name: "kim", Team: "payments", Weeks: Weeks, variant: 5},
	{Name: "sam", Team: "payments", Weeks: Weeks, variant: 7},
}

// GenerateFor returns p's calendar as Generate returns the engineer's: the
// same kinds of weeks in another order, from the start of p's first week.
func GenerateFor(p Person, now time.Time, loc *time.Location) []cal.Event {
	if loc == nil {
		loc = time.UTC
	}
	start := mondayOf(now.In(loc))
	from := addDays(start, -7*(p.Weeks-1))
	first := time.Date(from.y, from.m, from.d, 0, 0, 0, 0, loc)
	var events []cal.Event
	for _, e := range generateVariant(now, loc, p.variant) {
		if !e.Start.Before(first) {
			events = append(events, e.Event)
		}
	}
	return events
}
