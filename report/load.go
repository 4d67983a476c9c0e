package report

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
)

// Store is what a report reads from the store of synced events.
type Store interface {
	// Events returns calendar's events that overlap [from, to).
	Events(ctx context.Context, calendar string, from, to time.Time) ([]cal.Event, error)
	// SyncStatus is when calendar last synced without error (zero if
	// never) and, if its last sync failed, the failure's reason.
	SyncStatus(ctx context.Context, calendar string) (lastSuccess time.Time, failing string, err error)
	// Earliest is when calendar's earliest event starts; zero if it has none.
	Earliest(ctx context.Context, calendar string) (time.Time, error)
}

// Classify gives an event its category and the rule that decided it. Load
// calls it from several goroutines at once.
type Classify func(e *cal.Event) (category, rule string)

// HolidaysRule is the rule reported for the events of a holidays: true
// source, which are all time off.
const HolidaysRule = "holidays calendar"

// ErrNeverSynced is returned by Load for a person none of whose sources
// has ever synced: a report of them would be weeks of zeros, not answers.
var ErrNeverSynced = errors.New("has never been synced")

// LoadPerson reads the events of person's sources that overlap [from, to)
// from st, classifies them, and says which times the sources cover.
// Events of a holidays source are time off whatever the rules say.
func LoadPerson(ctx context.Context, st Store, cfg *config.Config, classify Classify, person string, from, to time.Time) (Person, error) {
	p := Person{Name: person}
	// All-day events are stored at UTC midnights: a day on either side
	// catches those that fall in the first or last local day.
	from, to = from.Add(-24*time.Hour), to.Add(24*time.Hour)
	for _, src := range cfg.SourcesOf(person) {
		p.Calendars = append(p.Calendars, src.Name)
		last, failing, err := st.SyncStatus(ctx, src.Name)
		if err != nil {
			return Person{}, err
		}
		p.Sources = append(p.Sources, SourceSync{Name: src.Name, LastSuccess: last, Failing: failing})
		if last.IsZero() {
			continue // never synced: nothing stored is known to be current
		}
		if !src.Holidays {
			wFrom, wTo := src.SyncWindow.Bounds(last)
			p.Coverage.Windows = append(p.Coverage.Windows, Window{From: wFrom, To: wTo})
			earliest, err := earliestStart(ctx, st, src.Name, cfg.Timezone)
			if err != nil {
				return Person{}, err
			}
			if !earliest.IsZero() && (p.Coverage.Earliest.IsZero() || earliest.Before(p.Coverage.Earliest)) {
				p.Coverage.Earliest = earliest
			}
		}
		events, err := st.Events(ctx, src.Name, from, to)
		if err != nil {
			return Person{}, err
		}
		n := len(p.Events)
		p.Events = slices.Grow(p.Events, len(events))[:n+len(events)]
		if err := classifyAll(ctx, p.Events[n:], events, src.Holidays, classify); err != nil {
			return Person{}, err
		}
	}
	return p, nil
}

// earliestStart is when calendar's earliest event starts, an all-day
// event at the local midnight of its date in loc (the store keeps it at
// UTC midnight, up to 14 hours off); zero if calendar has no events.
func earliestStart(ctx context.Context, st Store, calendar string, loc *time.Location) (time.Time, error) {
	first, err := st.Earliest(ctx, calendar)
	if err != nil || first.IsZero() {
		return first, err
	}
	// The events that can start first in local time are stored within a
	// day of the first stored start.
	events, err := st.Events(ctx, calendar, first, first.Add(48*time.Hour))
	if err != nil {
		return time.Time{}, err
	}
	earliest := time.Time{}
	for i := range events {
		start := events[i].Start
		if events[i].AllDay {
			start = localMidnight(events[i].StartDate, start, loc)
		}
		if earliest.IsZero() || start.Before(earliest) {
			earliest = start
		}
	}
	return earliest, nil
}

// classifyAll fills out with events, classified (or time off, from a
// holidays source). A year of a busy calendar is a hundred thousand
// events, so batches are classified on every CPU, and a shutdown is seen
// between batches.
func classifyAll(ctx context.Context, out []Classified, events []cal.Event, holidays bool, classify Classify) error {
	const batch = 1024
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), (len(events)+batch-1)/batch) {
		wg.Go(func() {
			for {
				lo := int(next.Add(batch)) - batch
				if lo >= len(events) || ctx.Err() != nil {
					return
				}
				for i := lo; i < min(lo+batch, len(events)); i++ {
					out[i] = Classified{Event: events[i]}
					if holidays {
						out[i].Category, out[i].Rule = cal.Off, HolidaysRule
					} else {
						out[i].Category, out[i].Rule = classify(&events[i])
					}
				}
			}
		})
	}
	wg.Wait()
	return ctx.Err()
}

// Scope says whom Load reports. The zero Scope is everyone: every person
// (unless privacy.person_metrics is false) and every team.
type Scope struct {
	// Person, if set, is the only one reported, without a team.
	Person string
	// Team, if set, is the only team reported, from its members' weeks,
	// without any person.
	Team string
	// WithoutEvents leaves out each week's list of events (WeekReport.Events,
	// the page's drill-down): everything else is the same. A service's
	// report of a thousand people cannot afford to hold them; it loads one
	// person's when their page is asked for.
	WithoutEvents bool
}

// Errors of a Scope that Load cannot report.
var (
	// ErrPersonHidden is returned for a Scope naming a person when
	// privacy.person_metrics is false: only teams are shown.
	ErrPersonHidden = errors.New("is not reported: privacy.person_metrics is false, so only teams are")
	// ErrNoSuchPerson and ErrNoSuchTeam are returned for a Scope naming
	// someone or a team the config does not have.
	ErrNoSuchPerson = errors.New("is not a person of the config")
	ErrNoSuchTeam   = errors.New("is not a team of the config")
)

// Load builds the report of scope over weeks, oldest first. Each person is
// accounted as soon as their events are read and added to their team's
// sums, so only one person's events are in memory at a time (a thousand
// people's would be gigabytes); a person whose own weeks are not reported
// is dropped once added. A person none of whose sources ever synced has
// only weeks without data. With requireSynced, a report with nothing
// synced in it is an error (ErrNeverSynced) instead: a person reported on
// their own, a team, or everyone, when none of their calendars ever
// synced. One unsynced person among many (a grant that failed) does not
// stop the report of the others: their weeks say "no data".
func Load(ctx context.Context, st Store, cfg *config.Config, classify Classify, scope Scope, weeks []Week, now time.Time, requireSynced bool) (Report, error) {
	if len(weeks) == 0 {
		return Report{}, errors.New("no weeks to report")
	}
	showPeople := cfg.Privacy.PersonMetrics && scope.Team == ""
	teams := Teams(cfg)
	switch {
	case scope.Person != "" && scope.Team != "":
		return Report{}, errors.New("report a person or a team, not both")
	case scope.Person != "":
		if _, ok := cfg.Person(scope.Person); !ok {
			return Report{}, fmt.Errorf("person %q %w", scope.Person, ErrNoSuchPerson)
		}
		if !cfg.Privacy.PersonMetrics {
			return Report{}, fmt.Errorf("person %q %w", scope.Person, ErrPersonHidden)
		}
		teams = nil
	case scope.Team != "":
		if !slices.Contains(teams, scope.Team) {
			return Report{}, fmt.Errorf("team %q %w", scope.Team, ErrNoSuchTeam)
		}
		teams = []string{scope.Team}
	}
	r := newReport(cfg.Week, cfg.WorkCategories(), now, 0)
	r.MinGroupSize = cfg.Teams.MinGroupSize
	builders := map[string]*teamBuilder{}
	for _, name := range teams {
		builders[name] = newTeamBuilder(name, weeks, cfg.Timezone, r.Categories)
	}
	var loaded []string // who is in the report, for ErrNeverSynced
	synced := false
	for _, person := range cfg.Persons() {
		keep := showPeople && (scope.Person == "" || scope.Person == person.Name)
		team := builders[person.Team]
		if !keep && team == nil {
			continue
		}
		p, err := LoadPerson(ctx, st, cfg, classify, person.Name, weeks[0].Start, weeks[len(weeks)-1].End)
		if err != nil {
			return Report{}, err
		}
		loaded = append(loaded, person.Name)
		synced = synced || len(p.Coverage.Windows) > 0
		for i, s := range p.Sources {
			p.Sources[i].Stale = s.LastSuccess.IsZero() || now.Sub(s.LastSuccess) > cfg.Server.StaleAfter()
		}
		if err := ctx.Err(); err != nil {
			return Report{}, err
		}
		pr := buildPerson(cfg.Week, r.Categories, r.FocusCategory, weeks, p, !scope.WithoutEvents)
		pr.Team = person.Team
		if team != nil {
			team.add(pr)
		}
		if keep {
			r.People = append(r.People, pr)
		}
	}
	if requireSynced && !synced {
		switch {
		case scope.Team != "":
			return Report{}, fmt.Errorf("team %q %w: none of its members' calendars has synced; run \"weekmap sync\" first", scope.Team, ErrNeverSynced)
		case len(loaded) == 1:
			return Report{}, fmt.Errorf("person %q %w: run \"weekmap sync\" first", loaded[0], ErrNeverSynced)
		}
		return Report{}, fmt.Errorf("the calendars of the people reported %w: run \"weekmap sync\" first", ErrNeverSynced)
	}
	for _, name := range teams {
		r.Teams = append(r.Teams, builders[name].finish(cfg.Target, cfg.Teams.MinGroupSize, cfg.Teams.ExportPartialSums))
	}
	r.Summarize(PeriodWeek)
	return r, nil
}
