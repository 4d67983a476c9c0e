package report

import (
	"bytes"
	"path/filepath"
	"strings"
	"testing"

	"github.com/weekmap/weekmap/config"
)

// withTeams adds teams to r as Load does, from its people: each team's
// members by name, in order, with a minimum group size of minGroup.
func withTeams(r Report, minGroup int, teams map[string][]string, order ...string) Report {
	r.MinGroupSize = minGroup
	for _, name := range order {
		var b *teamBuilder
		for _, p := range r.People {
			if b == nil {
				weeks := make([]Week, len(p.Weeks))
				for i, w := range p.Weeks {
					weeks[i], _ = ParseWeek(w.Week, w.Start.Location())
				}
				b = newTeamBuilder(name, weeks, p.Weeks[0].Start.Location(), r.Categories)
			}
		}
		for _, member := range teams[name] {
			for i, p := range r.People {
				if p.Name == member {
					r.People[i].Team = name
					b.add(p)
				}
			}
		}
		r.Teams = append(r.Teams, b.finish(config.Target{Categories: r.Target.Categories, MinShare: r.Target.MinShare}, minGroup, false))
	}
	r.Summarize(PeriodWeek)
	return r
}

// teamReport is sampleReport's two people in one team that needs two
// members with data, so its first week (before any of me's data) is
// suppressed; and a team of ann alone, never shown.
func teamReport(t *testing.T) Report {
	return withTeams(sampleReport(t, func(*config.Week) {}), 2,
		map[string][]string{"platform": {"me", "ann"}, "solo": {"ann"}}, "platform", "solo")
}

// TestTeamGolden holds a team's report in every text format.
func TestTeamGolden(t *testing.T) {
	writers := map[string]func(*bytes.Buffer, Report) error{
		"json": func(b *bytes.Buffer, r Report) error { return WriteJSON(b, r) },
		"txt":  func(b *bytes.Buffer, r Report) error { return WriteText(b, r) },
		"csv":  func(b *bytes.Buffer, r Report) error { return WriteCSV(b, r) },
		"md":   func(b *bytes.Buffer, r Report) error { return WriteMarkdown(b, r, MarkdownOptions{}) },
	}
	for ext, write := range writers {
		t.Run(ext, func(t *testing.T) {
			r := teamReport(t)
			r.People = nil // as with person reports off, or --team
			var b bytes.Buffer
			if err := write(&b, r); err != nil {
				t.Fatal(err)
			}
			golden(t, filepath.Join("testdata", "team."+ext), b.Bytes())
		})
	}
}

// TestSuppressedSaysNothing: a suppressed week prints the gap sentence and
// "< 2" in every format, and not one of the figures a member's week had.
func TestSuppressedSaysNothing(t *testing.T) {
	r := teamReport(t)
	ann := r.People[1]
	r.People = nil
	solo := r.Teams[1]
	for _, w := range solo.Weeks {
		if !w.Suppressed() {
			t.Fatalf("solo %s is shown with one member at a minimum of 2", w.Week)
		}
	}
	r.Teams = r.Teams[1:]
	for name, write := range map[string]func(*bytes.Buffer, Report) error{
		"json": func(b *bytes.Buffer, r Report) error { return WriteJSON(b, r) },
		"text": func(b *bytes.Buffer, r Report) error { return WriteText(b, r) },
		"csv":  func(b *bytes.Buffer, r Report) error { return WriteCSV(b, r) },
		"markdown": func(b *bytes.Buffer, r Report) error {
			return WriteMarkdown(b, r, MarkdownOptions{})
		},
	} {
		var b bytes.Buffer
		if err := write(&b, r); err != nil {
			t.Fatal(err)
		}
		out := b.String()
		if name != "json" && !strings.Contains(out, "fewer than 2 people with data") {
			t.Errorf("%s: no %q in\n%s", name, "fewer than 2 people with data", out)
		}
		// ann's design sprint is 8 hours, 28800 seconds.
		for _, figure := range []string{"28800", "8.0", "members\": 1", ",1\n"} {
			if strings.Contains(out, figure) {
				t.Errorf("%s: a suppressed team shows %q, a figure of its one member's week:\n%s", name, figure, out)
			}
		}
	}
	if ann.Weeks[2].Seconds["design"] != 28800 {
		t.Fatalf("ann's week %s has %d s of design, want the 28800 this test looks for", ann.Weeks[2].Week, ann.Weeks[2].Seconds["design"])
	}
}
