package chart

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/weekmap/weekmap/report"
)

func TestHeadline(t *testing.T) {
	start := time.Date(2026, 11, 16, 0, 0, 0, 0, berlin)
	wk := func(name string, weeksBefore int, ds *float64) report.WeekReport {
		return weekStarting(name, start.AddDate(0, 0, -7*weeksBefore), nil, ds)
	}
	target := report.TargetSummary{Categories: []string{"design", "review"}, MinShare: 0.2}
	tests := []struct {
		name  string
		now   time.Time
		weeks []report.WeekReport
		shown int
		want  []string
	}{
		{
			name:  "current week only",
			now:   start.Add(50 * time.Hour),
			weeks: []report.WeekReport{wk("2026-W47", 0, share(0.25))},
			want:  []string{"This week (as planned): 25% design/review — above your 20% target."},
		},
		{
			name:  "report of a past week",
			now:   start.AddDate(0, 0, 30),
			weeks: []report.WeekReport{wk("2026-W46", 1, share(0.3)), wk("2026-W47", 0, share(0.05))},
			want: []string{
				"Week 2026-W47: 5% design/review — below your 20% target.",
				"Below target in 1 of the last 2 complete weeks with work time.",
			},
		},
		{
			name:  "the week just ended",
			now:   start.AddDate(0, 0, 8),
			weeks: []report.WeekReport{wk("2026-W47", 0, share(0.2))},
			want:  []string{"Last week: 20% design/review — meets your 20% target."},
		},
		{
			name:  "rounding does not hide a miss",
			now:   start.AddDate(0, 0, 8),
			weeks: []report.WeekReport{wk("2026-W47", 0, share(0.1996))},
			want:  []string{"Last week: 19.9% design/review — below your 20% target."},
		},
		{
			name:  "no work time",
			now:   start.Add(time.Hour),
			weeks: []report.WeekReport{wk("2026-W46", 1, nil), wk("2026-W47", 0, nil)},
			want:  []string{"This week (as planned): no work time recorded.", "Last week: no work time recorded."},
		},
		{
			name: "third week below in a row",
			now:  start.AddDate(0, 0, 8),
			weeks: []report.WeekReport{
				wk("2026-W43", 4, share(0.3)),
				wk("2026-W44", 3, share(0.25)),
				wk("2026-W45", 2, share(0.1)),
				wk("2026-W46", 1, share(0.15)),
				wk("2026-W47", 0, share(0.12)),
			},
			want: []string{
				"Last week: 12% design/review — below your 20% target for the 3rd week running.",
				"Below target in 3 of the last 5 complete weeks with work time.",
			},
		},
		{
			name: "streak counted past the weeks shown, tally only over them",
			now:  start.Add(time.Hour),
			weeks: []report.WeekReport{
				wk("2026-W44", 3, share(0.1)),
				wk("2026-W45", 2, share(0.1)),
				wk("2026-W46", 1, share(0.1)),
				wk("2026-W47", 0, share(0.5)),
			},
			shown: 2,
			want: []string{
				"This week (as planned): 50% design/review — above your 20% target.",
				"Last week: 10% design/review — below your 20% target for the 3rd week running.",
			},
		},
		{
			name: "above the target for the second week",
			now:  start.AddDate(0, 0, 8),
			weeks: []report.WeekReport{
				wk("2026-W45", 2, share(0.1)),
				wk("2026-W46", 1, share(0.21)),
				wk("2026-W47", 0, share(0.4)),
			},
			want: []string{
				"Last week: 40% design/review — above your 20% target for the 2nd week running.",
				"Below target in 1 of the last 3 complete weeks with work time.",
			},
		},
		{
			name: "a week without work time ends the streak",
			now:  start.AddDate(0, 0, 8),
			weeks: []report.WeekReport{
				wk("2026-W45", 2, share(0.1)),
				wk("2026-W46", 1, nil),
				wk("2026-W47", 0, share(0.1)),
			},
			want: []string{
				"Last week: 10% design/review — below your 20% target.",
				"Below target in 2 of the last 2 complete weeks with work time.",
			},
		},
		{
			name: "eleventh week below",
			now:  start.AddDate(0, 0, 8),
			weeks: func() []report.WeekReport {
				var ws []report.WeekReport
				for i := 10; i >= 0; i-- {
					ws = append(ws, wk(fmt.Sprintf("2026-W%d", 47-i), i, share(0.05)))
				}
				return ws
			}(),
			shown: 4,
			want: []string{
				"Last week: 5% design/review — below your 20% target for the 11th week running.",
				"Below target in 4 of the last 4 complete weeks with work time.",
			},
		},
		{
			name: "no weeks",
			now:  start,
			want: []string{"No weeks to show yet: run a sync, or check the name in the address."},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := report.Report{GeneratedAt: tt.now, Target: target}
			got := headline(r, tt.weeks, tt.shown)
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestOrdinal(t *testing.T) {
	tests := []struct {
		n    int
		want string
	}{
		{1, "1st"}, {2, "2nd"}, {3, "3rd"}, {4, "4th"}, {10, "10th"},
		{11, "11th"}, {12, "12th"}, {13, "13th"}, {14, "14th"},
		{21, "21st"}, {22, "22nd"}, {23, "23rd"}, {101, "101st"}, {111, "111th"}, {112, "112th"},
	}
	for _, tt := range tests {
		if got := ordinal(tt.n); got != tt.want {
			t.Errorf("ordinal(%d): got %q, want %q", tt.n, got, tt.want)
		}
	}
}

// TestShareBelowTargetHighlighted checks that every week below target is
// plotted under the visual map's boundary, so it is drawn in the warning
// colour, and every other week on or above it.
func TestShareBelowTargetHighlighted(t *testing.T) {
	r := sampleReport()
	r.People[0].Weeks[1].DesignShare = share(0.1996) // rounds to the target
	r.People[0].Weeks[2].DesignShare = share(0.2)
	got := options(t, render(t, r, Options{}))["chart-share"]

	vm := got["visualMap"].([]any)[0].(map[string]any)
	pieces := vm["pieces"].([]any)
	lowPiece, highPiece := pieces[0].(map[string]any), pieces[1].(map[string]any)
	if lowPiece["gt"] != -1.0 || lowPiece["lt"] != 20.0 || lowPiece["color"] != belowColour {
		t.Errorf("got low piece %v, want (-1, 20) in %s", lowPiece, belowColour)
	}
	if highPiece["gte"] != 20.0 || highPiece["lte"] != 100.0 || highPiece["color"] != shareColour {
		t.Errorf("got high piece %v, want [20, 100] in %s", highPiece, shareColour)
	}
	data := got["series"].([]any)[0].(map[string]any)["data"].([]any)
	for i, w := range r.People[0].Weeks {
		v, ok := data[i].(map[string]any)["value"].(float64)
		if !ok {
			t.Fatalf("week %s: got value %v, want a number", w.Week, data[i])
		}
		if below := *w.DesignShare < r.Target.MinShare; (v < 20) != below {
			t.Errorf("week %s: got point %v against target 20, want below: %v", w.Week, v, below)
		}
	}
	markLine := got["series"].([]any)[0].(map[string]any)["markLine"].(map[string]any)
	if y := markLine["data"].([]any)[0].(map[string]any)["yAxis"]; y != 20.0 {
		t.Errorf("got target mark line at %v, want 20", y)
	}
}

func TestShareWithoutTarget(t *testing.T) {
	r := sampleReport()
	r.Target.MinShare = 0
	got := options(t, render(t, r, Options{}))["chart-share"]
	if vm, ok := got["visualMap"]; ok {
		t.Errorf("got visual map %v with a target of 0, want none: no week can be below it", vm)
	}
}
