package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/ingest/google"
	"github.com/weekmap/weekmap/ingest/store"
)

// childEnv, when set in the environment, makes the test binary run one
// job of a child process instead of its tests: "sync" syncs the source
// described by childConfigEnv, "idle" only opens its store (the baseline).
const (
	childEnv       = "WEEKMAP_BENCH_CHILD"
	childConfigEnv = "WEEKMAP_BENCH_CHILD_CONFIG"
)

// childJob is what the parent hands the child.
type childJob struct {
	Source config.Source
	Store  string
}

func TestMain(m *testing.M) {
	if job := os.Getenv(childEnv); job != "" {
		if err := runChild(job); err != nil {
			fmt.Fprintln(os.Stderr, "bench child:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// runChild does in a process of its own what `weekmap sync` does for one
// google source, so that the parent can read the process's peak RSS.
func runChild(job string) error {
	var j childJob
	if err := json.Unmarshal([]byte(os.Getenv(childConfigEnv)), &j); err != nil {
		return fmt.Errorf("read job: %w", err)
	}
	ctx := context.Background()
	st, err := store.Open(ctx, j.Store)
	if err != nil {
		return err
	}
	defer st.Close()
	if job == "idle" {
		if _, err := st.Counts(ctx); err != nil {
			return err
		}
	} else if _, err := syncGoogle(ctx, st, google.New(j.Source, google.Options{}), ingest.Options{Now: now}); err != nil {
		return err
	}
	return printHighWater()
}

// printHighWater prints the process's peak RSS, VmHWM, as the last line.
// The parent cannot use its rusage of the child: Linux folds the
// high-water mark of the address space the child leaves at exec — the
// parent's, after a vfork — into it.
func printHighWater() error {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return fmt.Errorf("read peak RSS: %w", err)
	}
	for line := range strings.Lines(string(data)) {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			fmt.Println("VmHWM", strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			return nil
		}
	}
	return errors.New("read peak RSS: no VmHWM in /proc/self/status")
}

// childPeakRSS runs job in a child process and returns its peak resident
// set size in bytes.
func childPeakRSS(tb testing.TB, job string, src config.Source) int64 {
	tb.Helper()
	data, err := json.Marshal(childJob{Source: src, Store: filepath.Join(tb.TempDir(), "weekmap.db")})
	if err != nil {
		tb.Fatal(err)
	}
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), childEnv+"="+job, childConfigEnv+"="+string(data))
	out, err := cmd.CombinedOutput()
	if err != nil {
		tb.Fatalf("child %s: %v\n%s", job, err, out)
	}
	lines := strings.Fields(string(out))
	if len(lines) < 2 || lines[len(lines)-2] != "VmHWM" {
		tb.Fatalf("child %s printed no peak RSS:\n%s", job, out)
	}
	kib, err := strconv.ParseInt(lines[len(lines)-1], 10, 64)
	if err != nil {
		tb.Fatalf("child %s: %v", job, err)
	}
	return kib << 10
}
