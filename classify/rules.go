package classify

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// Rule is one parsed rule of a rule file. A nil or empty
// condition field is absent; a rule matches an event when every present
// condition holds.
type Rule struct {
	// Name is unique within its file and reported as the deciding "rule".
	Name     string
	Category string
	// File and Line locate the rule, for error messages.
	File string
	Line int
	// categoryLine is where the category is written, for New's check.
	categoryLine int

	// Title, Description and Text match the summary, the description and
	// summary + "\n" + description; a list matches if any item does.
	Title       []*regexp.Regexp
	Description []*regexp.Regexp
	Text        []*regexp.Regexp
	// EventType lists Google eventType values; an event without one is
	// "default".
	EventType []string
	// Attendees bounds the number of people, the owner included.
	Attendees     *Range[int]
	OrganizerSelf *bool
	Recurring     *bool
	// Color lists Google colorId values.
	Color    []string
	Duration *Range[time.Duration]
	// External asks whether some attendee is outside Config.Domains.
	External *bool
	// Calendar lists source names.
	Calendar []string
}

// Range is an inclusive bound; a nil end is open.
type Range[T int | time.Duration] struct {
	Min, Max *T
}

// Error is a problem in a rule file.
type Error struct {
	File string
	Line int
	// Rule is the rule's name, or "" when the problem is outside a rule or
	// the rule has no name yet; Index is then the rule's position (or -1).
	Rule  string
	Index int
	Err   error
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Line > 0 {
		b.WriteString(":" + strconv.Itoa(e.Line))
	}
	b.WriteString(": ")
	switch {
	case e.Rule != "":
		fmt.Fprintf(&b, "rule %q: ", e.Rule)
	case e.Index >= 0:
		fmt.Fprintf(&b, "rules[%d]: ", e.Index)
	}
	b.WriteString(e.Err.Error())
	return b.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ruleKeys is every key a rule may have, in the order the README lists them.
var ruleKeys = []string{"name", "category", "title", "description", "text", "event_type", "attendees",
	"organizer_self", "recurring", "color", "duration", "external", "calendar"}

// ParseRules parses and checks a rule file: strict keys, regexps, ranges,
// unique names. name is the file name used in error messages. Categories
// are checked by New, which knows the configured custom ones. Every problem
// found is returned, joined.
func ParseRules(name string, data []byte) ([]Rule, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(name, err)
	}
	fileErr := func(n *yaml.Node, format string, args ...any) error {
		return &Error{File: name, Line: n.Line, Index: -1, Err: fmt.Errorf(format, args...)}
	}
	if len(doc.Content) == 0 {
		return nil, &Error{File: name, Index: -1, Err: errors.New(`no rules: the file must have a "rules:" list`)}
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fileErr(root, `must be a mapping with a "rules:" list`)
	}
	var list *yaml.Node
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch {
		case k.Value != "rules":
			return nil, fileErr(k, "unknown key %q (want rules)", k.Value)
		case list != nil:
			return nil, fileErr(k, `"rules" appears twice`)
		case v.Kind != yaml.SequenceNode && !isNull(v):
			return nil, fileErr(v, "rules must be a list")
		}
		list = v
	}
	if list == nil {
		return nil, fileErr(root, `no rules: the file must have a "rules:" list`)
	}
	var (
		rules []Rule
		errs  []error
		seen  = map[string]int{}
	)
	for i, n := range list.Content {
		r, err := parseRule(name, i, n)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if line, dup := seen[r.Name]; dup {
			errs = append(errs, &Error{File: name, Line: r.Line, Rule: r.Name, Index: i,
				Err: fmt.Errorf("name is already used by the rule on line %d", line)})
			continue
		}
		seen[r.Name] = r.Line
		rules = append(rules, r)
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return rules, nil
}

// yamlLineRE picks the line out of yaml.v3's syntax errors, which read
// "yaml: line 3: found a tab character ...".
var yamlLineRE = regexp.MustCompile(`^yaml: line ([0-9]+): (.*)$`)

func yamlError(file string, err error) error {
	if m := yamlLineRE.FindStringSubmatch(err.Error()); m != nil {
		line, _ := strconv.Atoi(m[1])
		return &Error{File: file, Line: line, Index: -1, Err: errors.New(m[2])}
	}
	return &Error{File: file, Index: -1, Err: err}
}

func isNull(n *yaml.Node) bool { return n.Kind == yaml.ScalarNode && n.Tag == "!!null" }

// parseRule decodes one list item. The name is looked up first so that
// every later error can say which rule it is about.
func parseRule(file string, index int, n *yaml.Node) (Rule, error) {
	r := Rule{File: file, Line: n.Line}
	fail := func(at *yaml.Node, err error) error {
		return &Error{File: file, Line: at.Line, Rule: r.Name, Index: index, Err: err}
	}
	if n.Kind != yaml.MappingNode {
		return r, fail(n, errors.New("must be a mapping with name, category and conditions"))
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if seen[k.Value] {
			return r, fail(k, fmt.Errorf("%s: appears twice", k.Value))
		}
		seen[k.Value] = true
		if k.Value == "name" {
			s, err := scalarString(v)
			if err != nil {
				return r, fail(v, fmt.Errorf("name: %w", err))
			}
			r.Name = s
		}
	}
	switch {
	case r.Name == "":
		return r, fail(n, errors.New("name is required"))
	case r.Name == fallbackRule:
		return r, fail(n, fmt.Errorf("name %q is reserved for events no rule matches", fallbackRule))
	case r.Name == LabelRule:
		return r, fail(n, fmt.Errorf("name %q is reserved for events a label decides", LabelRule))
	}
	conditions := 0
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		key := k.Value
		var err error
		switch key {
		case "name":
			continue
		case "category":
			r.categoryLine = v.Line
			r.Category, err = scalarString(v)
			if err == nil && r.Category == "" {
				err = errors.New("must not be empty")
			}
		case "title":
			r.Title, err = regexps(v)
		case "description":
			r.Description, err = regexps(v)
		case "text":
			r.Text, err = regexps(v)
		case "event_type":
			r.EventType, err = stringList(v)
		case "color":
			r.Color, err = stringList(v)
		case "calendar":
			r.Calendar, err = stringList(v)
		case "attendees":
			r.Attendees, err = parseRange(v, func(s string) (int, error) {
				n, err := strconv.Atoi(s)
				if err != nil || n < 0 {
					return 0, fmt.Errorf("%q is not a whole number of people", s)
				}
				return n, nil
			})
		case "duration":
			r.Duration, err = parseRange(v, func(s string) (time.Duration, error) {
				d, err := time.ParseDuration(s)
				if err != nil || d < 0 {
					return 0, fmt.Errorf("%q is not a duration like 15m or 1h30m", s)
				}
				return d, nil
			})
		case "organizer_self":
			r.OrganizerSelf, err = boolean(v)
		case "recurring":
			r.Recurring, err = boolean(v)
		case "external":
			r.External, err = boolean(v)
		default:
			return r, fail(k, fmt.Errorf("unknown key %q (want one of %s)", key, strings.Join(ruleKeys, ", ")))
		}
		if err != nil {
			at := v
			var pe *pathError
			if errors.As(err, &pe) {
				key += pe.path
				at = pe.node
				err = pe.err
			}
			return r, fail(at, fmt.Errorf("%s: %w", key, err))
		}
		if key != "category" {
			conditions++
		}
	}
	if r.Category == "" {
		return r, fail(n, errors.New("category is required"))
	}
	if conditions == 0 {
		return r, fail(n, fmt.Errorf("has no conditions: it would match every event (add one of %s)", strings.Join(ruleKeys[2:], ", ")))
	}
	return r, nil
}

// pathError points below a rule key: title[2], duration.min.
type pathError struct {
	path string
	node *yaml.Node
	err  error
}

func (e *pathError) Error() string { return e.path + ": " + e.err.Error() }

func scalarString(n *yaml.Node) (string, error) {
	if n.Kind != yaml.ScalarNode || isNull(n) {
		return "", errors.New("must be a string")
	}
	return n.Value, nil
}

// list returns the items of a list condition. A lone scalar is a list of
// one, so `event_type: focusTime` reads as a user would mean it.
func listItems(n *yaml.Node) ([]*yaml.Node, error) {
	// An alias (`title: *leave-words`) names a list given once with an
	// anchor (`title: &leave-words [...]`), so two rules can share it.
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
	}
	switch {
	case n.Kind == yaml.SequenceNode && len(n.Content) > 0:
		return n.Content, nil
	case n.Kind == yaml.SequenceNode:
		return nil, errors.New("empty list: it could never match")
	case n.Kind == yaml.ScalarNode && !isNull(n):
		return []*yaml.Node{n}, nil
	}
	return nil, errors.New("must be a list of strings")
}

func stringList(n *yaml.Node) ([]string, error) {
	items, err := listItems(n)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(items))
	for i, it := range items {
		if out[i], err = scalarString(it); err != nil {
			return nil, &pathError{path: "[" + strconv.Itoa(i) + "]", node: it, err: err}
		}
	}
	return out, nil
}

func regexps(n *yaml.Node) ([]*regexp.Regexp, error) {
	items, err := listItems(n)
	if err != nil {
		return nil, err
	}
	out := make([]*regexp.Regexp, len(items))
	for i, it := range items {
		s, err := scalarString(it)
		if err == nil {
			out[i], err = regexp.Compile(s)
			if err != nil {
				err = fmt.Errorf("bad regexp %q: %w", s, err)
			}
		}
		if err != nil {
			return nil, &pathError{path: "[" + strconv.Itoa(i) + "]", node: it, err: err}
		}
	}
	return out, nil
}

func boolean(n *yaml.Node) (*bool, error) {
	var b bool
	if n.Kind != yaml.ScalarNode || n.Tag != "!!bool" || n.Decode(&b) != nil {
		return nil, fmt.Errorf("%q must be true or false", n.Value)
	}
	return &b, nil
}

func parseRange[T int | time.Duration](n *yaml.Node, parse func(string) (T, error)) (*Range[T], error) {
	if n.Kind != yaml.MappingNode {
		return nil, errors.New("must be a mapping with min, max or both")
	}
	var r Range[T]
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		var dst **T
		switch k.Value {
		case "min":
			dst = &r.Min
		case "max":
			dst = &r.Max
		default:
			return nil, &pathError{path: "", node: k, err: fmt.Errorf("unknown key %q (want min or max)", k.Value)}
		}
		if *dst != nil {
			return nil, &pathError{path: "." + k.Value, node: k, err: errors.New("appears twice")}
		}
		s, err := scalarString(v)
		var x T
		if err == nil {
			x, err = parse(s)
		}
		if err != nil {
			return nil, &pathError{path: "." + k.Value, node: v, err: err}
		}
		*dst = &x
	}
	switch {
	case r.Min == nil && r.Max == nil:
		return nil, errors.New("needs min, max or both")
	case r.Min != nil && r.Max != nil && *r.Min > *r.Max:
		return nil, fmt.Errorf("min %v is greater than max %v", *r.Min, *r.Max)
	}
	return &r, nil
}
