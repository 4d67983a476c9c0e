package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/calendar/v3"

	"github.com/weekmap/weekmap/ingest/store"
	"github.com/weekmap/weekmap/internal/fakegoogle"
)

var googleNow = time.Date(2026, 11, 20, 12, 0, 0, 0, time.UTC)

func putTimed(f *fakegoogle.Server, id, title, start string, minutes int) {
	t, err := time.Parse(time.RFC3339, start)
	if err != nil {
		panic(err)
	}
	f.Put("primary", &calendar.Event{Id: id, Summary: title,
		Start: &calendar.EventDateTime{DateTime: t.Format(time.RFC3339)},
		End:   &calendar.EventDateTime{DateTime: t.Add(time.Duration(minutes) * time.Minute).Format(time.RFC3339)}})
}

// TestGoogleConnectSyncReport is the path a new user takes: connect, sync,
// sync again, report.
func TestGoogleConnectSyncReport(t *testing.T) {
	f := fakegoogle.New()
	defer f.Close()
	f.SetPageSize(2)
	putTimed(f, "d1", "RFC-12: sharding design", "2026-11-17T10:00:00+01:00", 120)
	putTimed(f, "p1", "", "2026-11-17T14:00:00+01:00", 60) // private, no title: stored, and ignored as a placeholder
	putTimed(f, "r1", "Code review: storage PR", "2026-11-18T15:00:00+01:00", 30)
	cfg := googleConfig(t, f, "", "work")

	if err, _, errOut := runConnectCLI(t, true, "--config", cfg, "--no-browser"); err != nil {
		t.Fatalf("connect: %v\n%s", err, errOut)
	}
	code, out, errOut := runCLI(t, googleNow, "--config", cfg, "sync")
	if code != 0 {
		t.Fatalf("sync exited %d: %s", code, errOut)
	}
	if want := "work: 3 events stored, 3 new or changed, 0 deleted"; !strings.Contains(out, want) {
		t.Errorf("sync printed %q, want it to contain %q", out, want)
	}
	f.ResetRequests()
	code, out, errOut = runCLI(t, googleNow, "--config", cfg, "sync")
	if code != 0 || !strings.Contains(out, "work: unchanged, 3 events stored") {
		t.Errorf("second sync: exit %d, printed %q (stderr %q); want 0 and unchanged", code, out, errOut)
	}
	if n := len(f.Requests()); n != 1 {
		t.Errorf("second sync with no changes made %d events.list calls, want 1", n)
	}

	code, out, errOut = runCLI(t, googleNow, "--config", cfg, "report", "--week", "2026-W47", "--format", "json")
	if code != 0 {
		t.Fatalf("report exited %d: %s", code, errOut)
	}
	var rep struct {
		People []struct {
			Name      string   `json:"name"`
			Calendars []string `json:"calendars"`
			Weeks     []struct {
				Seconds       map[string]int64 `json:"seconds"`
				EventsCounted int              `json:"events_counted"`
			} `json:"weeks"`
		} `json:"people"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("report is not JSON: %v\n%s", err, out)
	}
	if len(rep.People) != 1 || rep.People[0].Name != "me" || len(rep.People[0].Calendars) != 1 || rep.People[0].Calendars[0] != "work" || len(rep.People[0].Weeks) != 1 {
		t.Fatalf("got %+v, want me with calendar work and one week", rep)
	}
	w := rep.People[0].Weeks[0]
	if w.EventsCounted != 2 || w.Seconds["design"] != 7200 || w.Seconds["review"] != 1800 {
		t.Errorf("week = %+v, want 2 events counted, 7200 s design, 1800 s review", w)
	}
}

func TestGoogleSyncErrors(t *testing.T) {
	tests := []struct {
		name    string
		prepare func(f *fakegoogle.Server, cfg string)
		wantErr string
	}{
		{"not connected", func(*fakegoogle.Server, string) {}, `weekmap sync: google source work: not connected yet: run "weekmap connect --source work"`},
		{"revoked", func(f *fakegoogle.Server, cfg string) {
			if err, _, errOut := runConnectCLI(t, true, "--config", cfg, "--no-browser"); err != nil {
				t.Fatalf("connect: %v\n%s", err, errOut)
			}
			f.RevokeRefreshTokens()
		}, `weekmap sync: google source work: access was revoked or expired: run "weekmap connect --source work"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := fakegoogle.New()
			defer f.Close()
			cfg := googleConfig(t, f, "", "work")
			tt.prepare(f, cfg)
			code, _, errOut := runCLI(t, googleNow, "--config", cfg, "sync")
			if code == 0 || !strings.Contains(errOut, tt.wantErr) {
				t.Errorf("exit %d, stderr %q; want non-zero and %q", code, errOut, tt.wantErr)
			}
		})
	}
}

// TestGoogleSyncKilled kills `weekmap sync` after it has committed a page
// and checks that the next sync ends with exactly the calendar: nothing
// lost, nothing doubled.
func TestGoogleSyncKilled(t *testing.T) {
	bin := weekmapBinary(t)
	f, cfg := connectedCalendar(t, 10, 2)
	f.SetPageDelay(300 * time.Millisecond)
	cmd := exec.Command(bin, "--config", cfg, "sync")
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The third call means two pages are committed.
	deadline := time.Now().Add(20 * time.Second)
	for len(f.Requests()) < 3 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cmd.Process.Kill()
	cmd.Wait()
	f.SetPageDelay(0)

	storePath := filepath.Join(filepath.Dir(cfg), "weekmap.db")
	partial := storedIDs(t, storePath)
	if len(partial) == 0 || len(partial) == 10 {
		t.Fatalf("after the kill the store holds %d events, want some but not all (the kill came too early or too late)", len(partial))
	}
	st, err := store.Open(context.Background(), storePath)
	if err != nil {
		t.Fatal(err)
	}
	state, err := st.State(context.Background(), "work")
	st.Close()
	if err != nil || state.SyncToken != "" {
		t.Errorf("after the kill the sync token is %q (%v), want none: it belongs with the last page", state.SyncToken, err)
	}

	if code, _, errOut := runCLI(t, googleNow, "--config", cfg, "sync"); code != 0 {
		t.Fatalf("sync after the kill: %s", errOut)
	}
	if got, want := storedIDs(t, storePath), calendarIDs(f); !slices.Equal(got, want) {
		t.Errorf("store after rerun = %v, want %v", got, want)
	}
}

func storedIDs(t *testing.T, path string) []string {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		return nil
	}
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	events, err := st.Events(context.Background(), "work", time.Time{}, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range events {
		out = append(out, e.ID+" "+e.Title)
	}
	slices.Sort(out)
	return out
}
