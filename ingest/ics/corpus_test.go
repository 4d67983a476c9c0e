package ics

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// knownDifferences lists the corpus files where weekmap differs from the
// reference expander, with the reason. The test fails on any difference not
// listed here, and on a listed file that now agrees (so the list stays
// true). A difference stays only where the RFC makes weekmap right.
var knownDifferences = map[string]string{
	"issue_75_range_parameter": "UNTIL=20250920 (a DATE) on a timed series: RFC 5545 (3.3.10) says \"The UNTIL rule part defines a DATE or DATE-TIME value that bounds the recurrence rule in an inclusive manner\", " +
		"so weekmap keeps the whole of 2025-09-20 and its 12:00 occurrence, which the THISANDFUTURE override moves to 2025-09-21 14:22; the reference ends the series at that date's midnight",
}

// floating stands for "no zone" in the corpus run: times read in it are
// written without Z, as the reference writes floating times.
var floating = time.FixedZone("floating", 0)

func corpusDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("WEEKMAP_ICS_CORPUS")
	if dir == "" {
		dir = filepath.Join("..", "..", "..", "shared", "ics-corpus")
	}
	if _, err := os.Stat(filepath.Join(dir, "expected")); err != nil {
		if os.Getenv("WEEKMAP_E2E") == "1" {
			t.Fatalf("ICS corpus not found at %s (set WEEKMAP_ICS_CORPUS): %v", dir, err)
		}
		t.Skipf("ICS corpus not found at %s; set WEEKMAP_ICS_CORPUS or WEEKMAP_E2E=1", dir)
	}
	return dir
}

// TestCorpus expands every file of the outside conformance corpus over
// 2000-01-01..2031-01-01 and compares the instances with the reference
// expander's.
func TestCorpus(t *testing.T) {
	dir := corpusDir(t)
	files, err := filepath.Glob(filepath.Join(dir, "*.ics"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no .ics files in %s: %v", dir, err)
	}
	from := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	to := time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)
	var table strings.Builder
	fmt.Fprintf(&table, "%-50s %8s %8s %s\n", "file", "expected", "got", "agree")
	agree := 0
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".ics")
		want, err := readExpected(filepath.Join(dir, "expected", name+".json"))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		got, perr := expandFile(path, from, to)
		same := perr == nil && slices.Equal(got, want)
		if same {
			agree++
		}
		fmt.Fprintf(&table, "%-50s %8d %8d %v\n", name, len(want), len(got), yes(same))
		reason, known := knownDifferences[name]
		switch {
		case !same && !known:
			t.Errorf("%s: instances differ (err %v)\n%s", name, perr, diff(got, want))
		case same && known:
			t.Errorf("%s: agrees now; remove it from knownDifferences (%s)", name, reason)
		case !same:
			t.Logf("%s: known difference: %s", name, reason)
		}
	}
	fmt.Fprintf(&table, "agreement: %d of %d files\n", agree, len(files))
	t.Log("\n" + table.String())
}

func yes(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

func readExpected(path string) ([][3]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var out [][3]string
	if err := json.Unmarshal(data, &out); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return out, nil
}

func expandFile(path string, from, to time.Time) ([][3]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	events, _, err := Parse(path, f, Options{Calendar: "corpus", Location: floating, From: from, To: to})
	if err != nil {
		return nil, err
	}
	out := make([][3]string, 0, len(events))
	for _, e := range events {
		out = append(out, [3]string{corpusTime(e.Start, e.AllDay), corpusTime(e.End, e.AllDay), e.Title})
	}
	slices.SortFunc(out, func(a, b [3]string) int {
		return strings.Compare(strings.Join(a[:], "\x00"), strings.Join(b[:], "\x00"))
	})
	return out, nil
}

func corpusTime(t time.Time, allDay bool) string {
	switch {
	case allDay:
		return t.Format(time.DateOnly)
	case t.Location() == floating:
		return t.Format("2006-01-02T15:04:05")
	}
	return t.UTC().Format("2006-01-02T15:04:05Z")
}

// diff shows the instances only one side has, a few of each.
func diff(got, want [][3]string) string {
	var b strings.Builder
	show := func(label string, a, other [][3]string) {
		n := 0
		for _, x := range a {
			if !slices.Contains(other, x) {
				if n < 6 {
					fmt.Fprintf(&b, "  %s %v\n", label, x)
				}
				n++
			}
		}
		if n > 6 {
			fmt.Fprintf(&b, "  %s … %d more\n", label, n-6)
		}
	}
	show("only got: ", got, want)
	show("only want:", want, got)
	return b.String()
}
