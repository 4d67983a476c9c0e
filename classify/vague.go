package classify

import (
	"slices"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
)

// Vague reports whether e's category is a guess: the fallback's, or that of
// a vague rule, one that looks at nothing the event says about what it is
// for (no title, description, text, event_type or color condition) but
// only at its shape: the number of attendees, the duration, whether it
// recurs, who organizes it, whether outsiders attend, its calendar. "Two
// people, recurring" is a 1:1 more often than not, but not always. A label
// is never vague.
func (c *Classifier) Vague(e *cal.Event) bool {
	if _, ok := c.labels.Lookup(e); ok {
		return false
	}
	i := c.decide(e)
	return i < 0 || c.rules[i].vague()
}

func (r *compiledRule) vague() bool {
	for _, c := range r.conds {
		switch c.kind {
		case condTitle, condDescription, condText, condEventType, condColor:
			return false
		}
	}
	return true
}

// decide returns the index of the rule that decides e, labels aside, or -1
// when the fallback does.
func (c *Classifier) decide(e *cal.Event) int {
	in := input{e: e, c: c}
	defer in.release()
	for i := range c.rules {
		if c.rules[i].matches(&in) {
			return i
		}
	}
	return -1
}

// ownRules counts the rules of the user's rules_file, which are tried
// before the built-in ones.
func (c *Classifier) ownRules() int {
	n := 0
	for _, r := range c.source {
		if r.File != defaultRulesName {
			n++
		}
	}
	return n
}

// WithRules returns a classifier with c's labels and rules and extra tried
// after the user's rules and before the built-in ones, which is where
// rules pasted at the end of a rules_file go.
func (c *Classifier) WithRules(extra []Rule) (*Classifier, error) {
	n := c.ownRules()
	rules := slices.Concat(c.source[:n], extra, c.source[n:])
	cfg := config.Rules{
		Domains:          c.domains,
		Categories:       c.categories[len(cal.BuiltinWork()):],
		FallbackCategory: c.fallback,
	}
	nc, err := newClassifier(cfg, rules)
	if err != nil {
		return nil, err
	}
	nc.labels = c.labels
	return nc, nil
}
