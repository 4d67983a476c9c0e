// Package classify gives every event a category with transparent rules
// (README, "Rules"): rule files are parsed and checked once, compiled, and
// tried in order; the first rule whose every condition holds decides. A
// person's labels (a category pinned to an event, a series or a title)
// outrank every rule.
package classify

import (
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"sync"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
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
	// labels decide before any rule; nil without a labels file.
	labels     *LabelFile
	rules      []compiledRule
	source     []Rule
	domains    []string
	fallback   string
	categories []string
	pre        prefilter
	// scratch recycles the per-event buffers (the text condition's joined
	// summary and description, the prefilter's normalized copy and bits),
	// so that Classify does not allocate.
	scratch sync.Pool
}

// New checks cfg and compiles the rules once: those of cfg.RulesFile (a
// path already resolved by the caller) if set, then the built-in ones if
// cfg.UseDefaultRules. The labels of cfg.LabelsFile, if set, outrank them.
func New(cfg config.Rules) (*Classifier, error) {
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
	var labels *LabelFile
	if cfg.LabelsFile != "" {
		var err error
		if labels, err = ReadLabelFile(cfg.LabelsFile); err != nil {
			return nil, err
		}
	}
	c, err := newClassifier(cfg, user)
	if err != nil {
		return nil, err
	}
	if err := labels.check(cfg); err != nil {
		return nil, err
	}
	c.labels = labels
	return c, nil
}

func newClassifier(cfg config.Rules, user []Rule) (*Classifier, error) {
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
		if !cfg.Known(r.Category) {
			line := r.categoryLine
			if line == 0 {
				line = r.Line
			}
			errs = append(errs, &Error{File: r.File, Line: line, Rule: r.Name,
				Err: fmt.Errorf("category: unknown category %q (want one of %s)", r.Category, cfg.KnownList())})
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	c := &Classifier{
		source:     rules,
		domains:    slices.Clone(cfg.Domains),
		fallback:   cfg.FallbackCategory,
		categories: cfg.WorkCategories(),
	}
	var pb prefilterBuilder
	c.rules = make([]compiledRule, len(rules))
	for i, r := range rules {
		c.rules[i] = compile(r, &pb)
	}
	c.pre = pb.build()
	words := (c.pre.n + 63) / 64
	c.scratch.New = func() any {
		return &scratch{
			text:     make([]byte, 0, 512),
			norm:     make([]byte, 0, 512),
			possible: make([]uint64, words),
		}
	}
	return c, nil
}

// Categories returns the work categories, in report order.
func (c *Classifier) Categories() []string { return slices.Clone(c.categories) }

// Rules returns the rules in the order they are tried.
func (c *Classifier) Rules() []Rule { return slices.Clone(c.source) }

// Classify returns e's category and the rule that decided it.
func (c *Classifier) Classify(e *cal.Event) Result {
	return c.classify(e, true)
}

// classify tries the rules in order. With prefilter, a pattern's regexp
// runs only when the prefilter found one of its literals; without, every
// regexp runs, which tests and benchmarks compare against.
func (c *Classifier) classify(e *cal.Event, prefilter bool) Result {
	if l, ok := c.labels.Lookup(e); ok {
		return Result{Category: l.Category, Rule: LabelRule}
	}
	in := input{e: e, c: c, plain: !prefilter}
	defer in.release()
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
// one (the fallback when no rule matched). A labeled event has one trace,
// its label's.
func (c *Classifier) Explain(e *cal.Event) (Result, []Trace) {
	if l, ok := c.labels.Lookup(e); ok {
		return Result{Category: l.Category, Rule: LabelRule},
			[]Trace{{Rule: LabelRule, Category: l.Category, Matched: true, Why: l.Describe()}}
	}
	// Explain runs every regexp: it is for people reading rules, not hot
	// loops, and its answer then does not depend on the prefilter.
	in := input{e: e, c: c, plain: true}
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
// and the prefilter's verdict computed on first use.
type input struct {
	e *cal.Event
	c *Classifier
	// plain turns the prefilter off.
	plain   bool
	scanned bool
	s       *scratch
}

// scratch holds the per-event buffers that the Classifier's pool recycles.
type scratch struct {
	text, norm []byte
	// textOK says text holds the current event's joined text.
	textOK bool
	// possible has a bit for each pattern that may match the event.
	possible []uint64
	// exact says the prefilter's bits of decided patterns are answers:
	// normalize kept every byte offset of the event's text.
	exact bool
}

func (in *input) scratch() *scratch {
	if in.s == nil {
		in.s = in.c.scratch.Get().(*scratch)
		in.s.textOK = false
	}
	return in.s
}

// joined returns summary + "\n" + description.
func (in *input) joined() []byte {
	s := in.scratch()
	if !s.textOK {
		b := append(s.text[:0], in.e.Title...)
		b = append(b, '\n')
		s.text = append(b, in.e.Description...)
		s.textOK = true
	}
	return s.text
}

// possible reports whether pattern id may match. It is kept small enough
// to inline, since the rules ask it for every pattern.
func (in *input) possible(id int32) bool {
	if in.plain {
		return true
	}
	if !in.scanned {
		in.scan()
	}
	return in.s.possible[id/64]&(1<<(id%64)) != 0
}

// decided reports whether a possible pattern id surely matches, with no
// need to run its regexp. Call it only after possible(id).
func (in *input) decided(id int32) bool {
	return !in.plain && in.s.exact && in.c.pre.decided[id/64]&(1<<(id%64)) != 0
}

// scan runs the prefilter over the event once.
func (in *input) scan() {
	s := in.scratch()
	e := in.e
	// Without the Kelvin sign or long s, the automaton can read the event
	// as it is (it folds ASCII case itself), and offsets are the text's.
	s.exact = !hasFoldedRune(e.Title) && !hasFoldedRune(e.Description)
	if s.exact {
		scan(&in.c.pre, e.Title, e.Description, true, s.possible)
	} else {
		s.norm = normalize(s.norm[:0], e.Title)
		titleLen := len(s.norm)
		s.norm = normalize(s.norm, e.Description)
		scan(&in.c.pre, s.norm[:titleLen], s.norm[titleLen:], false, s.possible)
	}
	in.scanned = true
}

func (in *input) release() {
	if in.s == nil {
		return
	}
	// Keep rare huge descriptions from pinning memory in the pool.
	if cap(in.s.text) <= 64<<10 && cap(in.s.norm) <= 64<<10 {
		in.c.scratch.Put(in.s)
	}
	in.s = nil
}

// matchAny reports whether any of the patterns res, numbered ids for the
// prefilter, matches s.
func matchAny(in *input, res []*regexp.Regexp, ids []int32, s string) bool {
	if len(ids) > 1 && !in.anyPossible(ids) {
		return false
	}
	for i, re := range res {
		if in.possible(ids[i]) && (in.decided(ids[i]) || re.MatchString(s)) {
			return true
		}
	}
	return false
}

func matchAnyBytes(in *input, res []*regexp.Regexp, ids []int32, b []byte) bool {
	if len(ids) > 1 && !in.anyPossible(ids) {
		return false
	}
	for i, re := range res {
		if in.possible(ids[i]) && (in.decided(ids[i]) || re.Match(b)) {
			return true
		}
	}
	return false
}
