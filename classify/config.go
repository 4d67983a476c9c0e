package classify

import (
	"regexp"
	"slices"
	"strings"

	"github.com/weekmap/weekmap/internal/confpath"
)

// The built-in categories. The first five are work; Ignore is time that is
// not work (lunch, personal, out of office).
const (
	Design         = "design"
	Review         = "review"
	Alignment      = "alignment"
	Incident       = "incident"
	Implementation = "implementation"
	Ignore         = "ignore"
)

// builtinWork is the display order of the built-in work categories.
var builtinWork = [...]string{Design, Review, Alignment, Incident, Implementation}

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
	return Config{UseDefaultRules: true, FallbackCategory: Implementation}
}

// WorkCategories returns the categories time is reported in: the five
// built-in ones, then cfg's custom ones in the order written. Ignore is not
// among them.
func WorkCategories(cfg Config) []string {
	out := make([]string, 0, len(builtinWork)+len(cfg.Categories))
	out = append(out, builtinWork[:]...)
	return append(out, cfg.Categories...)
}

// knownCategory reports whether name is a category rules may assign.
func knownCategory(cfg Config, name string) bool {
	return name == Ignore || slices.Contains(builtinWork[:], name) || slices.Contains(cfg.Categories, name)
}

// knownList is the list of categories for error messages.
func knownList(cfg Config) string {
	return strings.Join(append(WorkCategories(cfg), Ignore), ", ")
}

// categoryRE keeps custom categories usable as metric label values, JSON
// keys and CSV headers without quoting.
var categoryRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// domainRE accepts host names with at least one dot; an e-mail address or
// a URL written by mistake fails it.
var domainRE = regexp.MustCompile(`(?i)^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

// Validate checks the section. Errors carry the key path (see confpath) so
// the loader can name the line. The rules file itself is checked by New.
func (c *Config) Validate() error {
	for i, d := range c.Domains {
		path := confpath.Index("domains", i)
		switch {
		case strings.HasPrefix(d, "@"):
			return confpath.Errorf(path, "%q must be a domain without the @, like %q", d, strings.TrimPrefix(d, "@"))
		case !domainRE.MatchString(d):
			return confpath.Errorf(path, "%q is not a domain name like example.com", d)
		}
		for j := range i {
			if strings.EqualFold(c.Domains[j], d) {
				return confpath.Errorf(path, "%q is already listed as domains[%d]", d, j)
			}
		}
	}
	for i, name := range c.Categories {
		path := confpath.Index("categories", i)
		switch {
		case name == Ignore || slices.Contains(builtinWork[:], name):
			return confpath.Errorf(path, "%q is a built-in category; list only extra ones here", name)
		case name == "none":
			// report's accounting.unscheduled uses "none" to mean "no category".
			return confpath.Errorf(path, "%q is reserved", name)
		case !categoryRE.MatchString(name):
			return confpath.Errorf(path, "%q must be a lower-case identifier (a-z, 0-9, _; starting with a letter; at most 32 characters)", name)
		}
		if j := slices.Index(c.Categories[:i], name); j >= 0 {
			return confpath.Errorf(path, "%q is already listed as categories[%d]", name, j)
		}
	}
	if c.FallbackCategory == "" {
		return confpath.Errorf("fallback_category", "is required")
	}
	if !knownCategory(*c, c.FallbackCategory) {
		return confpath.Errorf("fallback_category", "unknown category %q (want one of %s)", c.FallbackCategory, knownList(*c))
	}
	return nil
}
