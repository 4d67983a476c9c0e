package report

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
