package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/weekmap/weekmap/internal/fakegoogle"
)

var (
	buildOnce sync.Once
	binPath   string
	buildErr  error
)

// weekmapBinary builds cmd/weekmap once per test run.
func weekmapBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the weekmap binary")
	}
	buildOnce.Do(func() {
		dir, err := os.MkdirTemp("", "weekmap-bin-")
		if err != nil {
			buildErr = err
			return
		}
		binPath = filepath.Join(dir, "weekmap")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return binPath
}

func TestMain(m *testing.M) {
	code := m.Run()
	if binPath != "" {
		os.RemoveAll(filepath.Dir(binPath))
	}
	os.Exit(code)
}

// connectedCalendar starts a Google stand-in holding n timed events around
// googleNow, served pageSize to a page, writes a config for it and connects.
func connectedCalendar(t *testing.T, n, pageSize int) (*fakegoogle.Server, string) {
	t.Helper()
	f := fakegoogle.New()
	t.Cleanup(f.Close)
	f.SetPageSize(pageSize)
	for i := range n {
		putTimed(f, fmt.Sprintf("e%02d", i), fmt.Sprintf("Event %d", i), googleNow.Add(time.Duration(i-n/2)*24*time.Hour).Format(time.RFC3339), 30)
	}
	cfg := googleConfig(t, f, "", "work")
	if err, _, errOut := runConnectCLI(t, true, "--config", cfg, "--no-browser"); err != nil {
		t.Fatalf("connect: %v\n%s", err, errOut)
	}
	return f, cfg
}

// calendarIDs lists the stand-in's events as storedIDs lists the store's.
func calendarIDs(f *fakegoogle.Server) []string {
	var ids []string
	for _, ev := range f.Events("primary") {
		ids = append(ids, ev.Id+" "+ev.Summary)
	}
	slices.Sort(ids)
	return ids
}

// TestGoogleSyncKilledAtRandom SIGKILLs `weekmap sync` at seeded random
// moments — during a full sync, and during an incremental sync after the
// calendar changed — then reruns it, and checks that the store always ends
// with exactly the calendar: nothing lost, nothing doubled, nothing stale.
func TestGoogleSyncKilledAtRandom(t *testing.T) {
	bin := weekmapBinary(t)
	for seed := range uint64(6) {
		t.Run(fmt.Sprintf("seed %d", seed), func(t *testing.T) {
			r := rand.New(rand.NewPCG(seed, 7))
			f, cfg := connectedCalendar(t, 12, 3)
			storePath := filepath.Join(filepath.Dir(cfg), "weekmap.db")
			killAndRerun := func(phase string) {
				t.Helper()
				f.SetPageDelay(40 * time.Millisecond)
				cmd := exec.Command(bin, "--config", cfg, "sync")
				if err := cmd.Start(); err != nil {
					t.Fatal(err)
				}
				// Anywhere from start-up to the end of the last page.
				time.Sleep(time.Duration(r.IntN(400)) * time.Millisecond)
				cmd.Process.Kill()
				cmd.Wait()
				f.SetPageDelay(0)
				if code, _, errOut := runCLI(t, googleNow, "--config", cfg, "sync"); code != 0 {
					t.Fatalf("%s: sync after the kill: %s", phase, errOut)
				}
				if got, want := storedIDs(t, storePath), calendarIDs(f); !slices.Equal(got, want) {
					t.Errorf("%s: store after rerun = %v, want %v", phase, got, want)
				}
			}
			killAndRerun("full sync")

			// Change the calendar: one new, one retitled, one deleted.
			putTimed(f, "n1", "New event", googleNow.Add(2*time.Hour).Format(time.RFC3339), 30)
			putTimed(f, "e03", "Event 3 (moved)", googleNow.Add(-3*24*time.Hour).Format(time.RFC3339), 45)
			f.Delete("primary", "e07")
			killAndRerun("incremental sync")
		})
	}
}
