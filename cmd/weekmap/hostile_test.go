//go:build linux

package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/ingest/store"
)

// Bounds every hostile input must keep `weekmap sync` within, and the
// points past them where the test stops a run rather than let it take the
// machine.
const (
	maxWall   = 10 * time.Second
	maxRSSKiB = 512 << 10
	killAfter = 15 * time.Second
	killRSS   = 1 << 30 // bytes
)

// outcome is what a hostile input must come to.
type outcome int

const (
	refused outcome = iota // exit 1, one line naming the file, the store as it was
	synced                 // exit 0, with the ordinary events in the file stored
	bounded                // either, as long as it is within the bounds
)

// hostileCase is one input of issue 13. input writes it over the source's
// file at path (where a good file was synced first) and returns the path to
// configure: path itself, or a device.
type hostileCase struct {
	name  string
	typ   string // source type
	input func(t *testing.T, path string) string
	want  outcome
}

// TestHostileInputs syncs a good file, swaps in a hostile one and runs
// `weekmap sync` on it: every input must finish within maxWall and maxRSSKiB,
// and a refused one must leave the store as it was and say why in one line
// that names the file.
func TestHostileInputs(t *testing.T) {
	bin := weekmapBinary(t) // skipped with -short
	// Inputs are dated from today, as `weekmap sync` reads the clock: they
	// fall in the default sync window, 26 weeks back and 2 ahead.
	day := time.Now().UTC().Truncate(24 * time.Hour)
	cases := []hostileCase{
		{"JSON array of 400,000 small events", "json", func(t *testing.T, path string) string {
			writeWith(t, path, func(w *bufio.Writer) {
				w.WriteString("[\n")
				for i := range 400_000 {
					at := day.Add(-time.Duration(i%4000) * time.Hour)
					if i > 0 {
						w.WriteString(",\n")
					}
					fmt.Fprintf(w, `{"id":"e%06d","start":{"dateTime":"%s"},"end":{"dateTime":"%s"}}`, i, stamp(at), stamp(at.Add(30*time.Minute)))
				}
				w.WriteString("\n]\n")
			})
			if info, err := os.Stat(path); err != nil || info.Size() >= ingest.MaxFileSize {
				t.Fatalf("got %v, %v; want a file under the %d-byte cap", info, err, ingest.MaxFileSize)
			}
			return path
		}, refused},
		// The most a file may hold is synced within the same bounds.
		{"JSON array of 100,000 events", "json", func(t *testing.T, path string) string {
			return writeWith(t, path, func(w *bufio.Writer) {
				w.WriteString("[\n")
				for i := range 100_000 - 2 {
					at := day.Add(-time.Duration(i%4000) * time.Hour)
					fmt.Fprintf(w, `{"id":"e%06d","start":{"dateTime":"%s"},"end":{"dateTime":"%s"}},`+"\n", i, stamp(at), stamp(at.Add(30*time.Minute)))
				}
				w.WriteString(strings.ReplaceAll(strings.TrimSpace(string(ordinaryJSON(day))), "\n", ",\n"))
				w.WriteString("\n]\n")
			})
		}, synced},
		{"0-byte JSON file", "json", func(t *testing.T, path string) string {
			return write(t, path, nil)
		}, refused},
		{"JSON at /dev/zero", "json", func(t *testing.T, path string) string {
			return "/dev/zero"
		}, refused},
		{"JSON at a FIFO", "json", func(t *testing.T, path string) string {
			if err := os.Remove(path); err != nil {
				t.Fatal(err)
			}
			if err := syscall.Mkfifo(path, 0o600); err != nil {
				t.Fatal(err)
			}
			return path
		}, refused},
		{"146 MB JSON file", "json", func(t *testing.T, path string) string {
			ev := fmt.Sprintf(`{"id":"big%%07d","description":"%s","start":{"date":"%s"}}`, strings.Repeat("agenda ", 140), day.Format(time.DateOnly))
			return writeWith(t, path, func(w *bufio.Writer) {
				w.WriteString("[")
				for i, n := 0, 0; n < 146e6; i++ {
					k, _ := fmt.Fprintf(w, ev+",\n", i)
					n += k
				}
				fmt.Fprintf(w, ev+"]\n", 0)
			})
		}, refused},
		{"JSON: 10 masters that expand to 905,000 events", "json", func(t *testing.T, path string) string {
			var b bytes.Buffer
			start := day.AddDate(0, 0, -70)
			for i := range 10 {
				fmt.Fprintf(&b, `{"id":"flood%d","start":{"dateTime":"%s"},"end":{"dateTime":"%s"},"recurrence":["RRULE:FREQ=MINUTELY;COUNT=90500"]}`+"\n",
					i, stamp(start), stamp(start.Add(time.Minute)))
			}
			return write(t, path, append(b.Bytes(), ordinaryJSON(day)...))
		}, bounded},
		{"JSON: a daily master with 50,000 attendees", "json", func(t *testing.T, path string) string {
			var b bytes.Buffer
			start := day.AddDate(0, 0, -70)
			fmt.Fprintf(&b, `{"id":"crowd","start":{"dateTime":"%s"},"end":{"dateTime":"%s"},"recurrence":["RRULE:FREQ=DAILY"],"attendees":[`, stamp(start), stamp(start.Add(time.Hour)))
			for i := range 50_000 {
				if i > 0 {
					b.WriteByte(',')
				}
				fmt.Fprintf(&b, `{"email":"a%d@example.com"}`, i)
			}
			b.WriteString("]}\n")
			return write(t, path, append(b.Bytes(), ordinaryJSON(day)...))
		}, bounded},
		{"JSON: a master that never yields", "json", func(t *testing.T, path string) string {
			at := day.AddDate(0, 0, -7).Add(10 * time.Hour) // an even hour
			never := fmt.Sprintf(`{"id":"never","start":{"dateTime":"%s"},"end":{"dateTime":"%s"},"recurrence":["RRULE:FREQ=HOURLY;INTERVAL=2;BYHOUR=1"]}`+"\n",
				stamp(at), stamp(at.Add(time.Hour)))
			return write(t, path, append([]byte(never), ordinaryJSON(day)...))
		}, synced},
		{"ICS: a line with 100,000 parameters", "ics", func(t *testing.T, path string) string {
			var b strings.Builder
			b.WriteString("SUMMARY")
			for i := range 100_000 {
				fmt.Fprintf(&b, ";X-P%d=v", i)
			}
			b.WriteString(":t")
			return write(t, path, calendarICS(day, "", vevent("params", day.Add(-30*time.Hour), b.String())))
		}, synced},
		{"ICS: 500 events with a rule no date matches", "ics", func(t *testing.T, path string) string {
			var events []string
			for i := range 500 {
				events = append(events, vevent(fmt.Sprintf("never%03d", i), day.Add(-time.Duration(i)*time.Hour), "RRULE:FREQ=MINUTELY;BYMONTH=4;BYMONTHDAY=31"))
			}
			return write(t, path, calendarICS(day, "", events...))
		}, synced},
		{"ICS: a VTIMEZONE with 1,500 parts", "ics", func(t *testing.T, path string) string {
			var b strings.Builder
			b.WriteString("BEGIN:VTIMEZONE\r\nTZID:Hostile\r\n")
			for i := range 1500 {
				part, from, to := "STANDARD", "+0100", "+0000"
				if i%2 == 1 {
					part, from, to = "DAYLIGHT", "+0000", "+0100"
				}
				fmt.Fprintf(&b, "BEGIN:%s\r\nDTSTART:19000101T%02d%02d00\r\nTZOFFSETFROM:%s\r\nTZOFFSETTO:%s\r\nRRULE:FREQ=DAILY;COUNT=9999\r\nEND:%s\r\n",
					part, i/60%24, i%60, from, to, part)
			}
			b.WriteString("END:VTIMEZONE\r\n")
			local := day.Add(-50 * time.Hour).Format("20060102T150405")
			ev := "BEGIN:VEVENT\r\nUID:zoned\r\nDTSTART;TZID=Hostile:" + local + "\r\nDURATION:PT1H\r\nSUMMARY:zoned\r\nEND:VEVENT\r\n"
			return write(t, path, calendarICS(day, b.String(), ev))
		}, bounded},
		{"ICS: 40,000 overrides of this and future instances", "ics", func(t *testing.T, path string) string {
			var b strings.Builder
			master := day.AddDate(-10, 0, 0)
			fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:tf\r\nDTSTART:%s\r\nDURATION:PT30M\r\nRRULE:FREQ=HOURLY\r\nEND:VEVENT\r\n", master.Format("20060102T150405Z"))
			for n := range 40_000 {
				at := master.AddDate(-30, 0, 0).Add(time.Duration(n) * time.Minute).Format("20060102T150405Z")
				fmt.Fprintf(&b, "BEGIN:VEVENT\r\nUID:tf\r\nRECURRENCE-ID;RANGE=THISANDFUTURE:%s\r\nDTSTART:%s\r\nEND:VEVENT\r\n", at, at)
			}
			return write(t, path, calendarICS(day, "", b.String()))
		}, synced},
		{"ICS at /dev/zero", "ics", func(t *testing.T, path string) string {
			return "/dev/zero"
		}, refused},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "calendar."+c.typ)
			storePath := filepath.Join(dir, "weekmap.db")
			good := ordinaryJSON(day)
			if c.typ == "ics" {
				good = calendarICS(day, "")
			}
			write(t, path, good)
			cfg := writeSourceConfig(t, dir, c.typ, path)
			if r := runMeasured(t, bin, "--config", cfg, "sync"); r.code != 0 {
				t.Fatalf("sync of the good file: exit %d, stderr %q", r.code, r.stderr)
			}
			before := storedEvents(t, storePath, time.Time{}, time.Time{})
			if len(before) != 2 {
				t.Fatalf("got %d events from the good file, want 2", len(before))
			}

			hostile := c.input(t, path)
			writeSourceConfig(t, dir, c.typ, hostile)
			r := runMeasured(t, bin, "--config", cfg, "sync")
			t.Logf("exit %d in %v, peak RSS %d MiB (this test's own: %d MiB)", r.code, r.wall.Round(time.Millisecond), r.maxRSSKiB>>10, ownPeakKiB()>>10)
			if len(r.stderr) > 400 {
				t.Logf("stderr: %q…", r.stderr[:400])
			} else {
				t.Logf("stderr: %q", r.stderr)
			}
			if r.killed != "" {
				t.Fatalf("stopped the sync: %s", r.killed)
			}
			if r.wall > maxWall {
				t.Errorf("sync took %v, want under %v", r.wall, maxWall)
			}
			if r.maxRSSKiB > maxRSSKiB {
				t.Errorf("sync peaked at %d MiB of memory, want under %d MiB", r.maxRSSKiB>>10, maxRSSKiB>>10)
			}

			switch {
			case r.code != 0 && c.want == synced:
				t.Errorf("got exit %d, stderr %q; want the rest of the file synced", r.code, r.stderr)
			case r.code == 0 && c.want == refused:
				t.Errorf("got exit 0, stdout %q; want the file refused", r.stdout)
			case r.code != 0:
				if strings.Count(r.stderr, "\n") != 1 || !strings.HasSuffix(r.stderr, "\n") || !strings.Contains(r.stderr, hostile) {
					t.Errorf("got stderr %q, want one line naming %s", r.stderr, hostile)
				}
				if n := storedCount(t, storePath); n != len(before) {
					t.Errorf("a refused file changed the store: %d events, want %d", n, len(before))
				} else if after := storedEvents(t, storePath, time.Time{}, time.Time{}); strings.Join(after, "\n") != strings.Join(before, "\n") {
					t.Errorf("a refused file changed the store:\ngot  %q\nwant %q", after, before)
				}
			default:
				// Only the days of the ordinary events: the store may hold
				// many more.
				around := storedEvents(t, storePath, day.AddDate(0, 0, -3), day)
				for _, id := range []string{"ord1", "ord2"} {
					if !strings.Contains(strings.Join(around, "\n"), `"id":"`+id+`"`) {
						t.Errorf("the ordinary event %s in the file is not stored", id)
					}
				}
			}
		})
	}
}

func stamp(t time.Time) string { return t.Format(time.RFC3339) }

func write(t *testing.T, path string, data []byte) string {
	t.Helper()
	return writeWith(t, path, func(w *bufio.Writer) { w.Write(data) })
}

// writeWith writes the file at path with fill, aside and then renamed, as
// an exporter does, so that the swap is one step. Big inputs are written
// as they are made, never held: see runMeasured on why this process must
// stay small.
func writeWith(t *testing.T, path string, fill func(w *bufio.Writer)) string {
	t.Helper()
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(f)
	fill(w)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		t.Fatal(err)
	}
	return path
}

// ordinaryJSON is two ordinary events, one a line.
func ordinaryJSON(day time.Time) []byte {
	var b bytes.Buffer
	for i, id := range []string{"ord1", "ord2"} {
		at := day.Add(-time.Duration(24+i*24) * time.Hour).Add(9 * time.Hour)
		fmt.Fprintf(&b, `{"id":%q,"summary":"Design review","start":{"dateTime":"%s"},"end":{"dateTime":"%s"}}`+"\n", id, stamp(at), stamp(at.Add(time.Hour)))
	}
	return b.Bytes()
}

// vevent is an event an hour long at start, with extra property lines.
func vevent(uid string, start time.Time, lines ...string) string {
	return "BEGIN:VEVENT\r\nUID:" + uid + "\r\nDTSTART:" + start.Format("20060102T150405Z") + "\r\nDURATION:PT1H\r\n" +
		strings.Join(append(lines, ""), "\r\n") + "END:VEVENT\r\n"
}

// calendarICS is a calendar with the zones and events given and the two
// ordinary events ordinaryJSON has.
func calendarICS(day time.Time, zones string, events ...string) []byte {
	var b strings.Builder
	b.WriteString("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//weekmap//hostile test//EN\r\n" + zones)
	for _, e := range events {
		b.WriteString(e)
	}
	for i, id := range []string{"ord1", "ord2"} {
		b.WriteString(vevent(id, day.Add(-time.Duration(24+i*24)*time.Hour).Add(9*time.Hour), "SUMMARY:Design review"))
	}
	b.WriteString("END:VCALENDAR\r\n")
	return []byte(b.String())
}

// writeSourceConfig writes dir/weekmap.yaml with one source, work, of type
// typ at path; the store is next to it.
func writeSourceConfig(t *testing.T, dir, typ, path string) string {
	t.Helper()
	return writeFile(t, dir, "weekmap.yaml", fmt.Sprintf("store: ./weekmap.db\ntimezone: UTC\nsources:\n  - {name: work, type: %s, path: %q}\n", typ, path))
}

// storedEvents returns the source work's stored events in [from, to) (zero
// times: all), each as JSON.
func storedEvents(t *testing.T, path string, from, to time.Time) []string {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	events, err := st.Events(context.Background(), "work", from, to)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]string, 0, len(events))
	for _, e := range events {
		b, err := json.Marshal(e)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, string(b))
	}
	return out
}

func storedCount(t *testing.T, path string) int {
	t.Helper()
	st, err := store.Open(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n, err := st.Count(context.Background(), "work")
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// measured is one run of the binary.
type measured struct {
	code           int
	stdout, stderr string
	wall           time.Duration
	maxRSSKiB      int64  // what `/usr/bin/time -v` reports
	killed         string // why the watchdog stopped it, if it did
}

// runMeasured runs the binary, stopping it if it passes killAfter or
// killRSS, and reports its wall time and peak resident memory.
//
// The peak is the child's ru_maxrss, as `/usr/bin/time -v` reports it. Go
// starts a child with vfork, sharing this process's memory until exec, and
// Linux carries that memory's peak into the child's ru_maxrss, which is
// then the larger of the two peaks. That cannot hide a child over the
// bound, and cannot fail a child under it while this process stays well
// under it: runMeasured refuses to measure otherwise, and big inputs are
// written as they are made, never held.
func runMeasured(t *testing.T, bin string, args ...string) measured {
	t.Helper()
	if own := ownPeakKiB(); own > maxRSSKiB/2 {
		t.Fatalf("this test process peaked at %d MiB, too close to the %d MiB bound to measure a child", own>>10, maxRSSKiB>>10)
	}
	cmd := exec.Command(bin, args...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var (
		wg     sync.WaitGroup
		killed string
	)
	wg.Go(func() {
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
			}
			if took := time.Since(start); took > killAfter {
				killed = fmt.Sprintf("still running after %v", took.Round(time.Second))
			} else if rss := residentBytes(cmd.Process.Pid); rss > killRSS {
				killed = fmt.Sprintf("resident memory reached %d MiB", rss>>20)
			} else {
				continue
			}
			cmd.Process.Kill()
			return
		}
	})
	err := cmd.Wait()
	wall := time.Since(start)
	close(done)
	wg.Wait()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatal(err)
	}
	return measured{
		code:      cmd.ProcessState.ExitCode(),
		stdout:    stdout.String(),
		stderr:    stderr.String(),
		wall:      wall,
		maxRSSKiB: cmd.ProcessState.SysUsage().(*syscall.Rusage).Maxrss,
		killed:    killed,
	}
}

// ownPeakKiB is this process's peak resident memory.
func ownPeakKiB() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Maxrss
}

// residentBytes reads a process's resident memory from /proc, 0 if gone.
func residentBytes(pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmRSS:"); ok {
			kib, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kib << 10
		}
	}
	return 0
}
