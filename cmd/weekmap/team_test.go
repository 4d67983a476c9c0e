package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/calendar/v3"

	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest/store"
	"github.com/weekmap/weekmap/internal/fakegoogle"
	"github.com/weekmap/weekmap/server"
)

// teamPerson is someone in the team config: their name, team and whether
// the admin's domain-wide delegation covers them.
type teamPerson struct {
	name, team string
	delegated  bool
}

func (p teamPerson) email() string { return p.name + "@corp.example" }

// sevenPeople are two teams, one of whose members the service account may
// not act as.
var sevenPeople = []teamPerson{
	{"ann", "payments", true}, {"ben", "payments", true}, {"cat", "payments", true}, {"dan", "payments", true},
	{"eve", "search", true}, {"fay", "search", true}, {"gus", "search", false},
}

// teamConfig starts a Calendar API stand-in with a service account whose
// key (made here) reads the calendar of each of people, each holding
// events events of its own in 2026-W47, and writes a config in team mode.
// It returns the stand-in, the config file and the key's client id.
func teamConfig(t *testing.T, people []teamPerson, events int, extra string) (*fakegoogle.Server, string, string) {
	t.Helper()
	f := fakegoogle.New()
	t.Cleanup(f.Close)
	key, err := fakegoogle.NewRSAKey()
	if err != nil {
		t.Fatal(err)
	}
	sa, err := f.AddServiceAccount("weekmap@corp-project.iam.gserviceaccount.com", key)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeFile(t, dir, "service-account.json", string(sa.JSON))
	cfg := "store: ./weekmap.db\ntimezone: Europe/Berlin\ngoogle_workspace:\n  service_account_key: ./service-account.json\n  endpoint: \"" + f.Endpoint() + "\"\npeople:\n"
	for _, p := range people {
		cfg += fmt.Sprintf("  - {name: %s, emails: [%s], team: %s}\n", p.name, p.email(), p.team)
		f.SetDelegated(p.email(), p.delegated)
		for i := range events {
			start := time.Date(2026, 11, 16+i%5, 9+i%8, 0, 0, 0, time.UTC)
			f.Put(p.email(), &calendar.Event{Id: fmt.Sprintf("%s-%d", p.name, i), Summary: "Design review " + p.name,
				Start: &calendar.EventDateTime{DateTime: start.Format(time.RFC3339)},
				End:   &calendar.EventDateTime{DateTime: start.Add(30 * time.Minute).Format(time.RFC3339)}})
		}
	}
	return f, writeFile(t, dir, "weekmap.yaml", cfg+extra), sa.ClientID
}

// notDelegated is the one sentence a person the service account may not
// act as gets.
func notDelegated(name, clientID string) string {
	return "google source " + name + ": Google does not let the service account read the calendar of " + name +
		"@corp.example (unauthorized_client): in the Google Admin console, under Security > Access and data control > API controls > Domain-wide delegation, check that client ID " +
		clientID + " has the scope https://www.googleapis.com/auth/calendar.readonly, and that " + name + "@corp.example is a user of your domain"
}

// storedTeam returns each person's stored event ids, by source.
func storedTeam(t *testing.T, cfgPath string) map[string][]string {
	t.Helper()
	st, err := store.Open(context.Background(), filepath.Join(filepath.Dir(cfgPath), "weekmap.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	events, err := st.Events(context.Background(), "", time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, e := range events {
		out[e.Calendar] = append(out[e.Calendar], e.ID)
	}
	for _, ids := range out {
		slices.Sort(ids)
	}
	return out
}

// TestTeamSync syncs seven people in two teams through one service account
// key, with weekmap sync and with the library `weekmap serve` runs: the
// person the account may not act as fails alone, in one sentence, and the
// other six have their events, each logged and counted as its own source.
func TestTeamSync(t *testing.T) {
	tests := []struct {
		name string
		// sync runs one round and returns the failures it reported, one
		// per line.
		sync func(t *testing.T, cfgPath string) []string
	}{
		{"weekmap sync", func(t *testing.T, cfgPath string) []string {
			code, out, errOut := runCLI(t, googleNow, "--config", cfgPath, "sync")
			if code != 1 {
				t.Errorf("exit %d, want 1: one source failed", code)
			}
			// One line per person, in the order of the config.
			var want []string
			for _, p := range sevenPeople {
				if p.delegated {
					want = append(want, p.name+": 3 events stored, 3 new or changed, 0 deleted")
				}
			}
			var got []string
			for line := range strings.Lines(out) {
				got = append(got, line[:strings.LastIndex(line, " (")])
			}
			if !slices.Equal(got, want) {
				t.Errorf("stdout lines\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
			}
			lines := strings.Split(strings.TrimSuffix(errOut, "\n"), "\n")
			if last := lines[len(lines)-1]; last != "weekmap sync: 1 of 7 sources failed (see above)" {
				t.Errorf("last stderr line %q, want the count of failures", last)
			}
			var failures []string
			for _, l := range lines[:len(lines)-1] {
				failures = append(failures, strings.TrimPrefix(l, "weekmap sync: "))
			}
			return failures
		}},
		{"server.SyncAll", func(t *testing.T, cfgPath string) []string {
			var logs bytes.Buffer
			s := newTestServer(t, cfgPath, slog.New(slog.NewJSONHandler(&logs, nil)))
			syncErr := s.SyncAll(context.Background(), false)
			checkTeamLogs(t, logs.String())
			checkTeamMetrics(t, s)
			if syncErr == nil {
				return nil
			}
			return strings.Split(syncErr.Error(), "\n")
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, cfgPath, clientID := teamConfig(t, sevenPeople, 3, "")
			failures := tt.sync(t, cfgPath)
			if want := []string{notDelegated("gus", clientID)}; !slices.Equal(failures, want) {
				t.Errorf("failures\n%s\nwant\n%s", strings.Join(failures, "\n"), strings.Join(want, "\n"))
			}
			stored := storedTeam(t, cfgPath)
			for _, p := range sevenPeople {
				var want []string
				if p.delegated {
					want = []string{p.name + "-0", p.name + "-1", p.name + "-2"}
				}
				if got := stored[p.name]; !slices.Equal(got, want) {
					t.Errorf("%s's stored events = %v, want %v", p.name, got, want)
				}
			}
		})
	}
}

// checkTeamLogs checks that each person's sync was logged once, with its
// own source and count, and gus's failure once at error level.
func checkTeamLogs(t *testing.T, logs string) {
	t.Helper()
	synced, failed := map[string]float64{}, map[string]int{}
	for line := range strings.Lines(logs) {
		var rec struct {
			Level, Msg, Source string
			Events             float64
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("log line %q: %v", line, err)
		}
		switch rec.Msg {
		case "synced":
			if _, dup := synced[rec.Source]; dup {
				t.Errorf("%s logged as synced twice", rec.Source)
			}
			synced[rec.Source] = rec.Events
		case "sync failed":
			failed[rec.Source]++
		}
	}
	want := map[string]float64{"ann": 3, "ben": 3, "cat": 3, "dan": 3, "eve": 3, "fay": 3}
	if fmt.Sprint(synced) != fmt.Sprint(want) {
		t.Errorf("synced logs = %v, want %v", synced, want)
	}
	if fmt.Sprint(failed) != "map[gus:1]" {
		t.Errorf("sync failed logs = %v, want gus once", failed)
	}
}

// checkTeamMetrics scrapes /metrics: stored events and errors are each
// person's own.
func checkTeamMetrics(t *testing.T, s *server.Server) {
	t.Helper()
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body, _ := io.ReadAll(rec.Body)
	has := func(line string) bool { return bytes.Contains(body, []byte(line+"\n")) }
	for _, p := range sevenPeople {
		unauthorized := map[bool]string{true: "0", false: "1"}[p.delegated]
		if line := `weekmap_sync_errors_total{reason="unauthorized",source="` + p.name + `"} ` + unauthorized; !has(line) {
			t.Errorf("/metrics lacks %s", line)
		}
		for _, line := range []string{
			`weekmap_api_requests_total{code="200",source="` + p.name + `"} 1`,
			`weekmap_events{source="` + p.name + `"} 3`,
		} {
			if has(line) != p.delegated {
				t.Errorf("/metrics has %s: %v, want %v", line, !p.delegated, p.delegated)
			}
		}
	}
}

// TestConnectNotNeededInTeamMode: with only a service account, connect
// says there is nothing to do, and succeeds.
func TestConnectNotNeededInTeamMode(t *testing.T) {
	_, cfgPath, _ := teamConfig(t, sevenPeople[:2], 0, "")
	tests := []struct {
		args []string
		want string
	}{
		{nil, "weekmap connect is not needed: every google source reads its person's calendar through the service account key "},
		{[]string{"--source", "ann"}, `Source "ann" needs no weekmap connect: it reads the calendar of ann@corp.example through the service account key `},
	}
	for _, tt := range tests {
		err, out, errOut := runConnectCLI(t, false, append([]string{"--config", cfgPath, "--no-browser"}, tt.args...)...)
		if err != nil || out != "" || !strings.HasPrefix(errOut, tt.want) || strings.Contains(errOut, "http://") {
			t.Errorf("connect %v: err %v, stdout %q, stderr %q; want no error and %q", tt.args, err, out, errOut, tt.want)
		}
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(cfgPath), "ann.token.json")); err == nil {
		t.Error("connect wrote a token file in team mode")
	}
}

// newTestServer is the server `weekmap serve` makes of the config at
// cfgPath (through newPipeline), logging to log, with its clock at
// googleNow and its store open until the test ends.
func newTestServer(t *testing.T, cfgPath string, log *slog.Logger) *server.Server {
	t.Helper()
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPipeline(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { p.store.Close() })
	s, err := server.New(cfg, p.store, p.cls, server.Options{Log: log, Now: func() time.Time { return googleNow }})
	if err != nil {
		t.Fatal(err)
	}
	return s
}
