package report

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
)

// memStore is a Store of calendars held in memory.
type memStore struct {
	events map[string][]cal.Event
	last   map[string]time.Time
}

func (m memStore) Events(_ context.Context, calendar string, from, to time.Time) ([]cal.Event, error) {
	var out []cal.Event
	for _, e := range m.events[calendar] {
		if e.End.After(from) && e.Start.Before(to) {
			out = append(out, e)
		}
	}
	return out, nil
}

func (m memStore) SyncStatus(_ context.Context, calendar string) (time.Time, string, error) {
	return m.last[calendar], "", nil
}

func (m memStore) Earliest(_ context.Context, calendar string) (time.Time, error) {
	var first time.Time
	for _, e := range m.events[calendar] {
		if first.IsZero() || e.Start.Before(first) {
			first = e.Start
		}
	}
	return first, nil
}

// teamWorld is a config of people in teams, each with one calendar of
// their name, and a store holding their events, each of which the
// classifier gives the category it was made with.
type teamWorld struct {
	cfg        *config.Config
	store      memStore
	categories map[string]string // by calendar/id
	weeks      []Week
	now        time.Time
}

func newTeamWorld(t testing.TB, weeks int) *teamWorld {
	loc := mustLoad(t, "Europe/Berlin")
	now := time.Date(2026, time.November, 18, 12, 0, 0, 0, loc)
	cfg := config.Default()
	cfg.Timezone = loc
	return &teamWorld{
		cfg:        cfg,
		store:      memStore{events: map[string][]cal.Event{}, last: map[string]time.Time{}},
		categories: map[string]string{},
		weeks:      LastWeeks(now, weeks, loc),
		now:        now,
	}
}

// add adds a person to team with random events in the weeks from first
// on (none before, so the weeks before have no data), synced an hour ago
// unless never.
func (tw *teamWorld) add(r *rand.Rand, name, team string, first int, never bool) {
	tw.cfg.People = append(tw.cfg.People, config.Person{Name: name, Team: team})
	tw.cfg.Sources = append(tw.cfg.Sources, config.Source{Name: name, Person: name, Type: config.TypeJSON, SyncWindow: config.DefaultWindow()})
	if !never {
		tw.store.last[name] = tw.now.Add(-time.Hour)
	}
	for k := first; k < len(tw.weeks); k++ {
		for _, e := range randomEvents(r, tw.weeks[k], 1+r.IntN(25)) {
			e.Calendar, e.ID = name, fmt.Sprintf("w%d-%s", k, e.ID)
			tw.store.events[name] = append(tw.store.events[name], e.Event)
			tw.categories[name+"/"+e.ID] = e.Category
		}
	}
}

func (tw *teamWorld) classify(e *cal.Event) (string, string) {
	return tw.categories[e.Calendar+"/"+e.ID], "test"
}

func (tw *teamWorld) load(t testing.TB, scope Scope) Report {
	t.Helper()
	r, err := Load(context.Background(), tw.store, tw.cfg, tw.classify, scope, tw.weeks, tw.now, false)
	if err != nil {
		t.Fatalf("Load(%+v): %v", scope, err)
	}
	return r
}

// TestTeamIsTheSumOfItsMembers: for random teams, weeks, events and weeks
// without data, each team's week is the sum of its members' weeks that
// have data — seconds per category, unscheduled, total, time off, events
// counted and splits — with the share computed over the summed time and
// the members with data counted; a week with fewer than the minimum group
// size of them holds no figure at all. The teams are the same with person
// reports off, and then no person is reported.
func TestTeamIsTheSumOfItsMembers(t *testing.T) {
	r := rand.New(rand.NewPCG(20, 2026))
	for round := range 40 {
		tw := newTeamWorld(t, 1+r.IntN(6))
		tw.cfg.Teams.MinGroupSize = 1 + r.IntN(5)
		tw.cfg.Teams.ExportPartialSums = r.IntN(2) == 0
		teams := []string{"payments", "search", "infra", ""}[:1+r.IntN(4)]
		for i := range 1 + r.IntN(10) {
			tw.add(r, fmt.Sprintf("p%d", i), teams[r.IntN(len(teams))], r.IntN(len(tw.weeks)+1), r.IntN(8) == 0)
		}
		label := fmt.Sprintf("round %d (min %d, %d weeks)", round, tw.cfg.Teams.MinGroupSize, len(tw.weeks))
		everyone := tw.load(t, Scope{})
		if len(everyone.People) != len(tw.cfg.People) {
			t.Fatalf("%s: got %d people, want %d", label, len(everyone.People), len(tw.cfg.People))
		}
		var wantTeams []string
		for _, p := range tw.cfg.People {
			if p.Team != "" && !slices.Contains(wantTeams, p.Team) {
				wantTeams = append(wantTeams, p.Team)
			}
		}
		var gotTeams []string
		for _, team := range everyone.Teams {
			gotTeams = append(gotTeams, team.Name)
			checkTeam(t, label, everyone, team, tw.cfg)
		}
		if !slices.Equal(gotTeams, wantTeams) {
			t.Errorf("%s: got teams %v, want %v in the order of the config", label, gotTeams, wantTeams)
		}

		tw.cfg.Privacy.PersonMetrics = false
		private := tw.load(t, Scope{})
		if len(private.People) != 0 {
			t.Errorf("%s: person_metrics false reports %d people, want none", label, len(private.People))
		}
		if !reflect.DeepEqual(private.Teams, everyone.Teams) {
			t.Errorf("%s: person_metrics false changes the teams", label)
		}
		for _, team := range everyone.Teams {
			one := tw.load(t, Scope{Team: team.Name})
			if len(one.People) != 0 || len(one.Teams) != 1 || !reflect.DeepEqual(one.Teams[0], team) {
				t.Errorf("%s: Scope{Team: %q} = %d people and teams %+v, want only the team as in the whole report", label, team.Name, len(one.People), one.Teams)
			}
		}
	}
}

// checkTeam checks team against its members in r.
func checkTeam(t *testing.T, label string, r Report, team TeamReport, cfg *config.Config) {
	t.Helper()
	var members []PersonReport
	for _, p := range r.People {
		if p.Team == team.Name {
			members = append(members, p)
		}
	}
	if team.Size != len(members) {
		t.Errorf("%s: team %s has size %d, want %d", label, team.Name, team.Size, len(members))
	}
	var partial []TeamWeek
	for k, got := range team.Weeks {
		want := TeamWeek{WeekReport: WeekReport{Week: got.Week, Seconds: Seconds{}}}
		for _, c := range r.Categories {
			want.Seconds[c] = 0
		}
		for _, m := range members {
			w := m.Weeks[k]
			if w.Week != got.Week {
				t.Fatalf("%s: team week %d is %s, member %s's is %s", label, k, got.Week, m.Name, w.Week)
			}
			if w.NoData {
				continue
			}
			if w.TotalSeconds > 0 {
				want.Members++
			}
			for c, v := range w.Seconds {
				want.Seconds[c] += v
			}
			want.UnscheduledSeconds += w.UnscheduledSeconds
			want.TotalSeconds += w.TotalSeconds
			want.TimeOffSeconds += w.TimeOffSeconds
			want.EventsCounted += w.EventsCounted
			want.Splits.add(w.Splits)
		}
		var inTarget int64
		for _, c := range cfg.Target.Categories {
			inTarget += want.Seconds[c]
		}
		if want.TotalSeconds > 0 {
			// Over the summed time: not the average of the members' shares.
			share := float64(inTarget) / float64(want.TotalSeconds)
			want.DesignShare, want.BelowTarget = &share, share < cfg.Target.MinShare
		}
		if want.Members > 0 {
			partial = append(partial, want)
		}
		where := fmt.Sprintf("%s: team %s %s (%d members with data)", label, team.Name, got.Week, want.Members)
		if got.Start.IsZero() || !got.End.After(got.Start) || len(got.Events) != 0 {
			t.Errorf("%s: bounds %v–%v and %d events, want the week's bounds and no events", where, got.Start, got.End, len(got.Events))
		}
		if want.Members < cfg.Teams.MinGroupSize {
			checkSuppressed(t, where, got, r.Categories)
			continue
		}
		if got.Suppressed() || got.Members != want.Members {
			t.Errorf("%s: suppressed %v with %d members, want shown with %d", where, got.Suppressed(), got.Members, want.Members)
		}
		if !reflect.DeepEqual(got.Seconds, want.Seconds) || got.UnscheduledSeconds != want.UnscheduledSeconds || got.TotalSeconds != want.TotalSeconds ||
			got.TimeOffSeconds != want.TimeOffSeconds || got.EventsCounted != want.EventsCounted || got.Splits != want.Splits {
			t.Errorf("%s: got %v total %d unscheduled %d off %d events %d splits %+v, want the members' sums %v %d %d %d %d %+v", where,
				got.Seconds, got.TotalSeconds, got.UnscheduledSeconds, got.TimeOffSeconds, got.EventsCounted, got.Splits,
				want.Seconds, want.TotalSeconds, want.UnscheduledSeconds, want.TimeOffSeconds, want.EventsCounted, want.Splits)
		}
		if (got.DesignShare == nil) != (want.DesignShare == nil) || got.DesignShare != nil && *got.DesignShare != *want.DesignShare || got.BelowTarget != want.BelowTarget {
			t.Errorf("%s: share %v below %v, want %v below %v", where, deref(got.DesignShare), got.BelowTarget, deref(want.DesignShare), want.BelowTarget)
		}
	}
	if !cfg.Teams.ExportPartialSums {
		partial = nil
	}
	if len(partial) != len(team.Partial) {
		t.Fatalf("%s: team %s has %d partial weeks, want %d", label, team.Name, len(team.Partial), len(partial))
	}
	for i, want := range partial {
		got := team.Partial[i]
		if got.Week != want.Week || got.Members != want.Members || !reflect.DeepEqual(got.Seconds, want.Seconds) || got.TotalSeconds != want.TotalSeconds {
			t.Errorf("%s: team %s partial %s = %d members %v, want %s %d members %v", label, team.Name, got.Week, got.Members, got.Seconds, want.Week, want.Members, want.Seconds)
		}
	}
	checkTeamSummary(t, label, r, team)
}

// checkSuppressed checks that a suppressed week says nothing but its
// bounds: no members, every category 0 and no other, no share.
func checkSuppressed(t *testing.T, where string, w TeamWeek, categories []string) {
	t.Helper()
	zero := Seconds{}
	for _, c := range categories {
		zero[c] = 0
	}
	if !w.Suppressed() || w.Members != 0 || !reflect.DeepEqual(w.Seconds, zero) || w.TotalSeconds != 0 || w.UnscheduledSeconds != 0 ||
		w.TimeOffSeconds != 0 || w.EventsCounted != 0 || w.Splits != (Splits{}) || w.DesignShare != nil || w.BelowTarget {
		t.Errorf("%s: got %+v, want a suppressed week with no figure", where, w)
	}
}

// checkTeamSummary: a team's summary totals the weeks shown only.
func checkTeamSummary(t *testing.T, label string, r Report, team TeamReport) {
	t.Helper()
	s := team.Summary
	if s == nil {
		t.Fatalf("%s: team %s has no summary", label, team.Name)
	}
	shown, total := 0, int64(0)
	for _, w := range team.Weeks {
		if !w.Suppressed() {
			shown++
			total += w.TotalSeconds
		}
	}
	if s.Weeks != len(team.Weeks) || s.WeeksWithData != shown || s.TotalSeconds != total || (s.DesignShare != nil) != (total > 0) {
		t.Errorf("%s: team %s summary %+v, want %d weeks, %d shown, %d s in all", label, team.Name, s, len(team.Weeks), shown, total)
	}
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

// TestSmallTeamSuppressed: at the default minimum of 5, a team of five
// with data every week is shown and a team of two never is, in any week.
func TestSmallTeamSuppressed(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 2))
	tw := newTeamWorld(t, 4)
	for _, name := range []string{"ann", "ben", "cat", "dan", "eve"} {
		tw.add(r, name, "payments", 0, false)
	}
	tw.add(r, "fay", "search", 0, false)
	tw.add(r, "gus", "search", 0, false)
	rep := tw.load(t, Scope{})
	if len(rep.Teams) != 2 || rep.MinGroupSize != 5 {
		t.Fatalf("got %d teams, min group %d; want 2 teams at the default 5", len(rep.Teams), rep.MinGroupSize)
	}
	for _, w := range rep.Teams[0].Weeks {
		if w.Suppressed() || w.Members != 5 || w.DesignShare == nil {
			t.Errorf("payments %s: suppressed %v, %d members; want shown with 5", w.Week, w.Suppressed(), w.Members)
		}
	}
	for _, w := range rep.Teams[1].Weeks {
		checkSuppressed(t, "search "+w.Week, w, rep.Categories)
	}
	if s := rep.Teams[1].Summary; s.WeeksWithData != 0 || s.TotalSeconds != 0 || s.DesignShare != nil {
		t.Errorf("search summary %+v, want nothing shown", s)
	}
}

// TestTeamMemberAwayIsNoGroup: a member away the whole week adds their
// time off but does not count towards the minimum group size, so a team of
// one person working and others on holiday never shows that person's week.
func TestTeamMemberAwayIsNoGroup(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	tw := newTeamWorld(t, 1)
	tw.cfg.Teams.MinGroupSize = 2
	tw.add(r, "ann", "payments", 0, false)
	tw.add(r, "ben", "payments", 0, false)
	w := tw.weeks[0]
	tw.store.events["ben"] = []cal.Event{{Calendar: "ben", ID: "away", Title: "Vacation", AllDay: true,
		StartDate: w.Start.Format(time.DateOnly), EndDate: w.End.Format(time.DateOnly),
		Start: w.Start, End: w.End, Status: cal.StatusConfirmed}}
	tw.categories["ben/away"] = cal.Off
	rep := tw.load(t, Scope{})
	if ben := rep.People[1].Weeks[0]; ben.NoData || ben.TotalSeconds != 0 || ben.TimeOffSeconds == 0 {
		t.Fatalf("ben's week %+v, want data: no work time, all time off", ben)
	}
	checkSuppressed(t, "payments "+w.String(), rep.Teams[0].Weeks[0], rep.Categories)

	tw.add(r, "cat", "payments", 0, false)
	rep = tw.load(t, Scope{})
	if got := rep.Teams[0].Weeks[0]; got.Suppressed() || got.Members != 2 || got.TimeOffSeconds < rep.People[1].Weeks[0].TimeOffSeconds {
		t.Errorf("with cat: payments %+v, want shown with 2 members and ben's time off", got)
	}
}

// TestLoadScope: what Load refuses, and what a scope reports.
func TestLoadScope(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	tw := newTeamWorld(t, 2)
	tw.add(r, "ann", "payments", 0, false)
	tw.add(r, "ben", "", 0, false)
	tw.add(r, "cat", "search", 0, true)

	if rep := tw.load(t, Scope{Person: "ben"}); len(rep.People) != 1 || rep.People[0].Name != "ben" || len(rep.Teams) != 0 {
		t.Errorf("Scope{Person: ben} = %d people, %d teams; want ben alone", len(rep.People), len(rep.Teams))
	}
	tests := []struct {
		scope   Scope
		private bool
		want    error
	}{
		{Scope{Team: "nope"}, false, ErrNoSuchTeam},
		{Scope{Person: "nope"}, false, ErrNoSuchPerson},
		{Scope{Person: "ann"}, true, ErrPersonHidden},
		{Scope{Team: "search"}, false, ErrNeverSynced},
		{Scope{Person: "cat"}, false, ErrNeverSynced},
		// One unsynced person does not stop the report of everyone.
		{Scope{}, true, nil},
		{Scope{}, false, nil},
	}
	for _, tt := range tests {
		tw.cfg.Privacy.PersonMetrics = !tt.private
		_, err := Load(context.Background(), tw.store, tw.cfg, tw.classify, tt.scope, tw.weeks, tw.now, true)
		if !errors.Is(err, tt.want) {
			t.Errorf("Load(%+v, person_metrics %v) = %v, want %v", tt.scope, !tt.private, err, tt.want)
		}
	}
	tw.cfg.Privacy.PersonMetrics = true
	if _, err := Load(context.Background(), tw.store, tw.cfg, tw.classify, Scope{Team: "payments"}, tw.weeks, tw.now, true); err != nil {
		t.Errorf("Load(Scope{Team: payments}) = %v, want the team", err)
	}
	// Nobody synced: nothing to report.
	never := newTeamWorld(t, 2)
	never.add(r, "dan", "payments", 0, true)
	never.add(r, "eve", "", 0, true)
	if _, err := Load(context.Background(), never.store, never.cfg, never.classify, Scope{}, never.weeks, never.now, true); !errors.Is(err, ErrNeverSynced) {
		t.Errorf("Load of people none of whom synced = %v, want ErrNeverSynced", err)
	}
}
