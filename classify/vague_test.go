package classify

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
)

func TestVague(t *testing.T) {
	rules := `rules:
  - {name: one-on-one, category: alignment, attendees: {min: 2, max: 2}, recurring: true}
  - {name: long, category: design, duration: {min: 2h}, organizer_self: true}
  - {name: standup, category: alignment, title: ['(?i)standup'], attendees: {min: 3}}
  - {name: focus, category: implementation, event_type: [focusTime]}
  - {name: red, category: incident, color: ["11"]}
  - {name: home, category: ignore, calendar: [home]}
`
	c := classifier(t, rules, false)
	cfg := config.Default().Rules
	cfg.UseDefaultRules = false
	cfg.RulesFile = filepath.Join(t.TempDir(), "rules.yaml")
	cfg.LabelsFile = filepath.Join(t.TempDir(), "labels.yaml")
	if err := os.WriteFile(cfg.RulesFile, []byte(rules), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg.LabelsFile, []byte("labels:\n  - {series: series1, category: review}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	labeled, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name  string
		c     *Classifier
		event string
		opts  []func(*cal.Event)
		rule  string
		want  bool
	}{
		{"fallback", c, "Write importer", nil, "fallback", true},
		{"attendee count and recurrence", c, "Ann / Ben", []func(*cal.Event){withPeople(2), recurring}, "one-on-one", true},
		{"duration and organizer", c, "Block", []func(*cal.Event){withDuration(3 * time.Hour)}, "long", true},
		{"calendar", c, "Dentist", []func(*cal.Event){withCalendar("home")}, "home", true},
		{"title", c, "Standup", []func(*cal.Event){withPeople(4)}, "standup", false},
		{"event type", c, "Focus", []func(*cal.Event){withType(cal.TypeFocusTime)}, "focus", false},
		{"color", c, "Pager", []func(*cal.Event){withColor("11")}, "red", false},
		{"label", labeled, "Ann / Ben", []func(*cal.Event){withPeople(2), recurring}, "label", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := event(tt.event, tt.opts...)
			if rule := tt.c.Classify(e).Rule; rule != tt.rule {
				t.Fatalf("decided by %s, want %s", rule, tt.rule)
			}
			if got := tt.c.Vague(e); got != tt.want {
				t.Errorf("Vague = %v, want %v", got, tt.want)
			}
		})
	}
}
