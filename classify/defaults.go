package classify

import _ "embed"

// defaultRulesName names the embedded file in error messages.
const defaultRulesName = "default_rules.yaml"

// defaultRules is a string, not a []byte, so that nothing can modify it.
//
//go:embed default_rules.yaml
var defaultRules string

// DefaultRules returns the built-in rule set as YAML, in the format of a
// user's rules file, so that it can be printed and copied.
func DefaultRules() []byte { return []byte(defaultRules) }
