package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/weekmap/weekmap/internal/confpath"
)

// Config is the report part of the configuration file: the zone weeks are
// counted in, working hours, the target and the accounting switches.
type Config struct {
	Timezone     string       `yaml:"timezone"`
	WorkingHours WorkingHours `yaml:"working_hours"`
	Target       Target       `yaml:"target"`
	Accounting   Accounting   `yaml:"accounting"`
}

// WorkingHours are the same on every listed weekday, in Config.Timezone.
type WorkingHours struct {
	Days  []string `yaml:"days"`  // mon … sun
	Start string   `yaml:"start"` // "09:00"
	End   string   `yaml:"end"`   // "17:00"
}

// Target is the "ownership" share a week is judged against.
type Target struct {
	Categories []string `yaml:"categories"`
	MinShare   float64  `yaml:"min_share"`
}

// Accounting holds the SPEC section 5 switches.
type Accounting struct {
	Unscheduled     string   `yaml:"unscheduled"` // a category, or "none"
	CountTentative  bool     `yaml:"count_tentative"`
	CountUnanswered bool     `yaml:"count_unanswered"`
	CountFree       bool     `yaml:"count_free"`
	Precedence      []string `yaml:"precedence"`
}

// DefaultConfig returns the defaults of SPEC section 2.
func DefaultConfig() Config {
	return Config{
		Timezone:     "Europe/Berlin",
		WorkingHours: WorkingHours{Days: []string{"mon", "tue", "wed", "thu", "fri"}, Start: "09:00", End: "17:00"},
		Target:       Target{Categories: []string{"design", "review", "alignment"}, MinShare: 0.20},
		Accounting: Accounting{
			Unscheduled:     "implementation",
			CountTentative:  true,
			CountUnanswered: true,
			CountFree:       false,
			Precedence:      []string{"incident", "design", "review", "alignment", "implementation"},
		},
	}
}

// Weekdays as written in working_hours.days, Monday first like ISO weeks.
var weekdayNames = [7]string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

// Location loads Timezone.
func (c *Config) Location() (*time.Location, error) {
	if c.Timezone == "" || c.Timezone == "Local" {
		return nil, fmt.Errorf("%q is not an IANA time zone like Europe/Berlin", c.Timezone)
	}
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		return nil, fmt.Errorf("%q is not an IANA time zone like Europe/Berlin: %w", c.Timezone, err)
	}
	return loc, nil
}

// Validate checks the section against categories, the work categories in
// display order (the built-in five, then custom ones; not "ignore"). Errors
// carry the key path (see confpath) so the loader can name the line.
func (c *Config) Validate(categories []string) error {
	if _, err := c.Location(); err != nil {
		return confpath.Errorf("timezone", "%w", err)
	}
	if err := c.WorkingHours.validate(); err != nil {
		return confpath.Wrap("working_hours", err)
	}
	if err := c.Target.validate(categories); err != nil {
		return confpath.Wrap("target", err)
	}
	return confpath.Wrap("accounting", c.Accounting.validate(categories))
}

func (h *WorkingHours) validate() error {
	seen := map[string]int{}
	for i, d := range h.Days {
		if !slices.Contains(weekdayNames[:], d) {
			return confpath.Errorf(confpath.Index("days", i), "%q is not a weekday: use mon, tue, wed, thu, fri, sat or sun", d)
		}
		if j, dup := seen[d]; dup {
			return confpath.Errorf(confpath.Index("days", i), "%q is already listed as days[%d]", d, j)
		}
		seen[d] = i
	}
	start, ok := clockMinutes(h.Start, false)
	if !ok {
		return confpath.Errorf("start", "%q is not a time of day like \"09:00\"", h.Start)
	}
	end, ok := clockMinutes(h.End, true)
	if !ok {
		return confpath.Errorf("end", "%q is not a time of day like \"17:00\" (\"24:00\" is midnight)", h.End)
	}
	if start >= end {
		return confpath.Errorf("end", "%s must be after start %s", h.End, h.Start)
	}
	return nil
}

func (t *Target) validate(categories []string) error {
	if len(t.Categories) == 0 {
		return confpath.Errorf("categories", "must list at least one category, like design")
	}
	seen := map[string]int{}
	for i, c := range t.Categories {
		if err := knownCategory(c, categories); err != nil {
			return confpath.Wrap(confpath.Index("categories", i), err)
		}
		if j, dup := seen[c]; dup {
			return confpath.Errorf(confpath.Index("categories", i), "%q is already listed as categories[%d]", c, j)
		}
		seen[c] = i
	}
	// The negated form also rejects NaN.
	if !(t.MinShare >= 0 && t.MinShare <= 1) {
		return confpath.Errorf("min_share", "%v must be between 0 and 1 (0.2 means 20%%)", t.MinShare)
	}
	return nil
}

func (a *Accounting) validate(categories []string) error {
	if a.Unscheduled != UnscheduledNone {
		if err := knownCategory(a.Unscheduled, categories); err != nil {
			return confpath.Errorf("unscheduled", "%w, or \"none\" to leave working time without events uncounted", err)
		}
	}
	seen := map[string]int{}
	for i, c := range a.Precedence {
		if c == ignoreCategory {
			return confpath.Errorf(confpath.Index("precedence", i), "%q cannot be ranked: ignored time never outranks work", c)
		}
		if err := knownCategory(c, categories); err != nil {
			return confpath.Wrap(confpath.Index("precedence", i), err)
		}
		if j, dup := seen[c]; dup {
			return confpath.Errorf(confpath.Index("precedence", i), "%q is already listed as precedence[%d]", c, j)
		}
		seen[c] = i
	}
	return nil
}

// UnscheduledNone as accounting.unscheduled leaves working time without
// events out of the report.
const UnscheduledNone = "none"

// ignoreCategory is classify's built-in category for time that is not work.
const ignoreCategory = "ignore"

func knownCategory(c string, categories []string) error {
	if slices.Contains(categories, c) {
		return nil
	}
	if c == ignoreCategory {
		return fmt.Errorf("%q is not a work category", c)
	}
	return fmt.Errorf("%q is not a category: use one of %s", c, strings.Join(categories, ", "))
}

// clockMinutes parses "HH:MM" into minutes after midnight. "24:00" is
// accepted only as an end, so that a working day can run to midnight.
func clockMinutes(s string, end bool) (int, bool) {
	if end && s == "24:00" {
		return 24 * 60, true
	}
	if len(s) != 5 || s[2] != ':' {
		return 0, false
	}
	for _, i := range []int{0, 1, 3, 4} {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	h, m := int(s[0]-'0')*10+int(s[1]-'0'), int(s[3]-'0')*10+int(s[4]-'0')
	if h > 23 || m > 59 {
		return 0, false
	}
	return h*60 + m, true
}
