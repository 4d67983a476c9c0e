package report

import (
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/weekmap/weekmap/internal/confpath"
)

func TestValidate(t *testing.T) {
	custom := append(append([]string{}, workCategories()...), "oncall")
	tests := []struct {
		name     string
		edit     func(*Config)
		wantPath string // "" = valid
		wantMsg  string
	}{
		{name: "defaults", edit: func(*Config) {}},
		{name: "custom category everywhere", edit: func(c *Config) {
			c.Target.Categories = []string{"design", "oncall"}
			c.Accounting.Unscheduled = "oncall"
			c.Accounting.Precedence = []string{"oncall", "incident"}
		}},
		{name: "unscheduled none", edit: func(c *Config) { c.Accounting.Unscheduled = "none" }},
		{name: "no working days", edit: func(c *Config) { c.WorkingHours.Days = nil }},
		{name: "day ends at midnight", edit: func(c *Config) { c.WorkingHours.End = "24:00" }},
		{name: "min share bounds", edit: func(c *Config) { c.Target.MinShare = 1 }},
		{name: "empty precedence", edit: func(c *Config) { c.Accounting.Precedence = nil }},
		{name: "half-hour zone", edit: func(c *Config) { c.Timezone = "Asia/Kolkata" }},

		{"unknown zone", func(c *Config) { c.Timezone = "Europe/Atlantis" }, "timezone", "not an IANA time zone"},
		{"empty zone", func(c *Config) { c.Timezone = "" }, "timezone", "not an IANA time zone"},
		{"local zone", func(c *Config) { c.Timezone = "Local" }, "timezone", "not an IANA time zone"},
		{"bad day", func(c *Config) { c.WorkingHours.Days = []string{"mon", "Tuesday"} }, "working_hours.days[1]", `"Tuesday" is not a weekday`},
		{"duplicate day", func(c *Config) { c.WorkingHours.Days = []string{"mon", "tue", "mon"} }, "working_hours.days[2]", "already listed as days[0]"},
		{"start not a time", func(c *Config) { c.WorkingHours.Start = "9am" }, "working_hours.start", "not a time of day"},
		{"start one digit", func(c *Config) { c.WorkingHours.Start = "9:00" }, "working_hours.start", "not a time of day"},
		{"start 24:00", func(c *Config) { c.WorkingHours.Start = "24:00" }, "working_hours.start", "not a time of day"},
		{"end minutes", func(c *Config) { c.WorkingHours.End = "17:60" }, "working_hours.end", "not a time of day"},
		{"end signed", func(c *Config) { c.WorkingHours.End = "-1:00" }, "working_hours.end", "not a time of day"},
		{"start after end", func(c *Config) { c.WorkingHours.Start, c.WorkingHours.End = "18:00", "09:00" }, "working_hours.end", "must be after start 18:00"},
		{"start equals end", func(c *Config) { c.WorkingHours.Start, c.WorkingHours.End = "09:00", "09:00" }, "working_hours.end", "must be after start"},
		{"no target", func(c *Config) { c.Target.Categories = nil }, "target.categories", "at least one"},
		{"unknown target", func(c *Config) { c.Target.Categories = []string{"design", "desing"} }, "target.categories[1]", `"desing" is not a category: use one of design, review`},
		{"ignore as target", func(c *Config) { c.Target.Categories = []string{"ignore"} }, "target.categories[0]", "not a work category"},
		{"duplicate target", func(c *Config) { c.Target.Categories = []string{"design", "design"} }, "target.categories[1]", "already listed"},
		{"share negative", func(c *Config) { c.Target.MinShare = -0.1 }, "target.min_share", "between 0 and 1"},
		{"share percent", func(c *Config) { c.Target.MinShare = 20 }, "target.min_share", "between 0 and 1"},
		{"share NaN", func(c *Config) { c.Target.MinShare = math.NaN() }, "target.min_share", "between 0 and 1"},
		{"unknown unscheduled", func(c *Config) { c.Accounting.Unscheduled = "coding" }, "accounting.unscheduled", `"coding" is not a category`},
		{"empty unscheduled", func(c *Config) { c.Accounting.Unscheduled = "" }, "accounting.unscheduled", `or "none"`},
		{"unknown precedence", func(c *Config) { c.Accounting.Precedence = []string{"design", "meetings"} }, "accounting.precedence[1]", `"meetings" is not a category`},
		{"ignore precedence", func(c *Config) { c.Accounting.Precedence = []string{"ignore"} }, "accounting.precedence[0]", "never outranks"},
		{"duplicate precedence", func(c *Config) { c.Accounting.Precedence = []string{"review", "design", "review"} }, "accounting.precedence[2]", "already listed as precedence[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tt.edit(&cfg)
			err := cfg.Validate(custom)
			if tt.wantPath == "" {
				if err != nil {
					t.Fatalf("got error %v, want none", err)
				}
				return
			}
			var pe *confpath.Error
			if !errors.As(err, &pe) {
				t.Fatalf("got error %v, want a *confpath.Error", err)
			}
			if pe.Path != tt.wantPath {
				t.Errorf("got path %q, want %q", pe.Path, tt.wantPath)
			}
			if !strings.Contains(pe.Err.Error(), tt.wantMsg) {
				t.Errorf("got message %q, want it to contain %q", pe.Err.Error(), tt.wantMsg)
			}
		})
	}
}
