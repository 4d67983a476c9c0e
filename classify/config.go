package classify

// Config is the classify part of the configuration file (top-level keys).
type Config struct {
	// Domains are the organisation's e-mail domains; an attendee outside
	// them is external.
	Domains []string `yaml:"domains"`
	// Categories are extra categories beyond the built-in ones.
	Categories []string `yaml:"categories"`
	// RulesFile is an optional YAML file of rules, tried before the
	// built-in ones.
	RulesFile string `yaml:"rules_file"`
	// UseDefaultRules turns the built-in rule set on (the default) or off.
	UseDefaultRules bool `yaml:"use_default_rules"`
	// FallbackCategory is used when no rule matches.
	FallbackCategory string `yaml:"fallback_category"`
}

// DefaultConfig returns the defaults of SPEC section 2.
func DefaultConfig() Config {
	return Config{UseDefaultRules: true, FallbackCategory: "implementation"}
}
