// Package classify gives every event a category with transparent rules
// (SPEC section 4): rule files are parsed and checked once, compiled, and
// tried in order; the first rule whose every condition holds decides.
package classify

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sync"

	"github.com/weekmap/weekmap/ingest"
)

// fallbackRule is the rule name reported when no rule matched.
const fallbackRule = "fallback"

// Result is an event's category and the rule that decided it.
type Result struct {
	Category string
	Rule     string
}

// Trace is one rule tried by Explain.
type Trace struct {
	Rule     string
	Category string
	Matched  bool
	// Why names the condition that failed, or lists the conditions that
	// held, e.g. "attendees: 1 person, want at least 2". It never quotes
	// the event's title or description.
	Why string
}

// Classifier assigns categories. It is safe for concurrent use.
type Classifier struct {
	rules      []compiledRule
	source     []Rule
	domains    []string
	fallback   string
	categories []string
	// texts recycles the summary + "\n" + description buffers of the text
	// condition, so that Classify does not allocate.
	texts sync.Pool
}

// New checks cfg and compiles the rules once: those of cfg.RulesFile (a
// path already resolved by the caller) if set, then the built-in ones if
// cfg.UseDefaultRules.
func New(cfg Config) (*Classifier, error) {
	var user []Rule
	if cfg.RulesFile != "" {
		data, err := os.ReadFile(cfg.RulesFile)
		if err != nil {
			return nil, fmt.Errorf("read rules: %w", err)
		}
		if user, err = ParseRules(cfg.RulesFile, data); err != nil {
			return nil, err
		}
	}
	return newClassifier(cfg, user)
}

func newClassifier(cfg Config, user []Rule) (*Classifier, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	rules := user
	if cfg.UseDefaultRules {
		builtin, err := ParseRules(defaultRulesName, []byte(defaultRules))
		if err != nil {
			// Tests parse the embedded file, so this is a build defect.
			return nil, fmt.Errorf("built-in rules: %w", err)
		}
		rules = append(slices.Clip(rules), builtin...)
	}
	var errs []error
	for i := range rules {
		r := &rules[i]
		if !knownCategory(cfg, r.Category) {
			line := r.categoryLine
			if line == 0 {
				line = r.Line
			}
			errs = append(errs, &Error{File: r.File, Line: line, Rule: r.Name,
				Err: fmt.Errorf("category: unknown category %q (want one of %s)", r.Category, knownList(cfg))})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	c := &Classifier{
		source:     rules,
		domains:    slices.Clone(cfg.Domains),
		fallback:   cfg.FallbackCategory,
		categories: WorkCategories(cfg),
		texts:      sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }},
	}
	c.rules = make([]compiledRule, len(rules))
	for i, r := range rules {
		c.rules[i] = compile(r)
	}
	return c, nil
}

// Categories returns the work categories, in report order.
func (c *Classifier) Categories() []string { return slices.Clone(c.categories) }

// Rules returns the rules in the order they are tried.
func (c *Classifier) Rules() []Rule { return slices.Clone(c.source) }

// Classify returns e's category and the rule that decided it.
func (c *Classifier) Classify(e *ingest.Event) Result {
	in := input{e: e, c: c}
	defer in.release()
	// A prefilter (an Aho-Corasick pass over the literals of the title
	// patterns) would narrow this loop to the rules that can match; each
	// compiled rule keeps its index so that the order is preserved.
	for i := range c.rules {
		r := &c.rules[i]
		if r.matches(&in) {
			return Result{Category: r.category, Rule: r.name}
		}
	}
	return Result{Category: c.fallback, Rule: fallbackRule}
}

// Explain classifies e like Classify and also returns every rule tried, in
// order, with why it did or did not match; the last trace is the deciding
// one (the fallback when no rule matched).
func (c *Classifier) Explain(e *ingest.Event) (Result, []Trace) {
	in := input{e: e, c: c}
	defer in.release()
	var traces []Trace
	for i := range c.rules {
		r := &c.rules[i]
		ok, why := r.explain(&in)
		traces = append(traces, Trace{Rule: r.name, Category: r.category, Matched: ok, Why: why})
		if ok {
			return Result{Category: r.category, Rule: r.name}, traces
		}
	}
	traces = append(traces, Trace{Rule: fallbackRule, Category: c.fallback, Matched: true, Why: "no rule matched"})
	return Result{Category: c.fallback, Rule: fallbackRule}, traces
}

// input is one event being classified, with the text condition's haystack
// built on first use.
type input struct {
	e    *ingest.Event
	c    *Classifier
	text *[]byte
}

// joined returns summary + "\n" + description.
func (in *input) joined() []byte {
	if in.text == nil {
		in.text = in.c.texts.Get().(*[]byte)
		b := append((*in.text)[:0], in.e.Title...)
		b = append(b, '\n')
		*in.text = append(b, in.e.Description...)
	}
	return *in.text
}

func (in *input) release() {
	if in.text == nil {
		return
	}
	// Keep rare huge descriptions from pinning memory in the pool.
	if cap(*in.text) <= 64<<10 {
		in.c.texts.Put(in.text)
	}
	in.text = nil
}

// matchAny reports whether any pattern matches s.
func matchAny(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

func matchAnyBytes(res []*regexp.Regexp, b []byte) bool {
	for _, re := range res {
		if re.Match(b) {
			return true
		}
	}
	return false
}
