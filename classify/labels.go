package classify

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
)

// LabelRule is the rule reported for an event whose category a label
// pinned (README, "Rules"): labels outrank every rule.
const LabelRule = "label"

// The kinds of label, from the most specific: a label of one event beats
// its series' label, which beats a label of its title.
const (
	LabelEvent  = "event"
	LabelSeries = "series"
	LabelTitle  = "title"
)

// Label pins a category to one event, a recurring series or an exact
// title.
type Label struct {
	// Kind is LabelEvent, LabelSeries or LabelTitle.
	Kind string
	// Key is the event id, the series id (Google's recurringEventId, an ICS
	// UID: the RecurringEventID of the series' events) or the title as
	// written; titles match case-insensitively, trimmed.
	Key string
	// Calendar is the source name of a LabelEvent's event: ids are unique
	// only within a calendar.
	Calendar string
	Category string
	// Note is free text for the person editing the file (weekmap label
	// writes the title there); classification ignores it.
	Note string
	// File and Line locate the label; 0 for one added by Set.
	File string
	Line int

	categoryLine int
}

// Describe names the label for Explain: `series "7kq3"` or
// `title "sync w/ bob"`, quoted since ids come from calendars.
func (l Label) Describe() string {
	s := fmt.Sprintf("%s %q", l.Kind, l.Key)
	if l.Kind == LabelEvent {
		s += fmt.Sprintf(" in calendar %q", l.Calendar)
	}
	if l.Line > 0 {
		s += fmt.Sprintf(" (%s:%d)", l.File, l.Line)
	}
	return s
}

// LabelFile is a parsed labels file. It keeps the file's YAML, comments
// included, so that Marshal writes back what the person wrote with the
// labels Set added or changed. It is not safe for concurrent Set; a
// Classifier only reads it.
type LabelFile struct {
	name   string
	doc    *yaml.Node
	list   *yaml.Node
	labels []Label
	// nodes[i] is labels[i]'s mapping in doc.
	nodes  []*yaml.Node
	events map[eventKey]int
	series map[string]int
	titles map[string]int
}

type eventKey struct{ calendar, id string }

// labelKeys is every key a label may have.
var labelKeys = []string{"event", "calendar", "series", "title", "category", "note"}

// ReadLabelFile reads and parses the labels file at path. A file that does
// not exist yet has no labels: weekmap label creates it.
func ReadLabelFile(path string) (*LabelFile, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return ParseLabelFile(path, nil)
	}
	if err != nil {
		return nil, fmt.Errorf("read labels: %w", err)
	}
	return ParseLabelFile(path, data)
}

// ParseLabelFile parses and checks a labels file strictly: unknown keys, a
// label with no or two targets, empty values and two labels of the same
// event, series or title are errors naming the file and the line.
// Categories are checked by New, which knows the custom ones. An empty file
// has no labels. Every problem found is returned, joined.
func ParseLabelFile(name string, data []byte) (*LabelFile, error) {
	f := &LabelFile{name: name, events: map[eventKey]int{}, series: map[string]int{}, titles: map[string]int{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(name, err)
	}
	fail := func(n *yaml.Node, format string, args ...any) error {
		return &Error{File: name, Line: n.Line, Index: -1, Err: fmt.Errorf(format, args...)}
	}
	if len(doc.Content) == 0 || isNull(doc.Content[0]) {
		return f, nil // empty, or only comments
	}
	f.doc = &doc
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, fail(root, `must be a mapping with a "labels:" list`)
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch {
		case k.Value != "labels":
			return nil, fail(k, "unknown key %q (want labels)", k.Value)
		case f.list != nil:
			return nil, fail(k, `"labels" appears twice`)
		case v.Kind != yaml.SequenceNode && !isNull(v):
			return nil, fail(v, "labels must be a list")
		}
		f.list = v
	}
	var errs []error
	if f.list != nil {
		for i, n := range f.list.Content {
			l, err := parseLabel(name, i, n)
			if err == nil {
				err = f.add(l, n)
			}
			if err != nil {
				errs = append(errs, err)
			}
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return f, nil
}

func parseLabel(file string, index int, n *yaml.Node) (Label, error) {
	l := Label{File: file, Line: n.Line}
	fail := func(at *yaml.Node, format string, args ...any) error {
		return &Error{File: file, Line: at.Line, Index: -1,
			Err: fmt.Errorf("labels[%d]: %s", index, fmt.Sprintf(format, args...))}
	}
	if n.Kind != yaml.MappingNode {
		return l, fail(n, "must be a mapping like {series: ID, category: design}")
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !slices.Contains(labelKeys, k.Value) {
			return l, fail(k, "unknown key %q (want one of %s)", k.Value, strings.Join(labelKeys, ", "))
		}
		if seen[k.Value] {
			return l, fail(k, "%s: appears twice", k.Value)
		}
		seen[k.Value] = true
		s, err := scalarString(v)
		if err == nil && strings.TrimSpace(s) == "" && k.Value != "note" {
			err = errors.New("must not be empty")
		}
		if err != nil {
			return l, fail(v, "%s: %v", k.Value, err)
		}
		switch k.Value {
		case "event", "series", "title":
			if l.Kind != "" {
				return l, fail(k, "%s: a label is of one event, one series or one title, and this one already has %s", k.Value, l.Kind)
			}
			l.Kind, l.Key = k.Value, s
		case "calendar":
			l.Calendar = s
		case "category":
			l.Category, l.categoryLine = s, v.Line
		case "note":
			l.Note = s
		}
	}
	switch {
	case l.Kind == "":
		return l, fail(n, "needs one of event, series or title")
	case l.Category == "":
		return l, fail(n, "category is required")
	case l.Kind == LabelEvent && l.Calendar == "":
		return l, fail(n, "an event label needs calendar: the source name the event is in (event ids are unique only within a calendar)")
	case l.Kind != LabelEvent && l.Calendar != "":
		return l, fail(n, "calendar: only an event label has one; a %s label applies in every calendar", l.Kind)
	}
	return l, nil
}

// add indexes l, whose YAML is n, refusing a second label of the same
// target.
func (f *LabelFile) add(l Label, n *yaml.Node) error {
	if j, dup := f.find(l); dup {
		what := fmt.Sprintf("%s %q", l.Kind, l.Key)
		if l.Kind == LabelTitle {
			what = fmt.Sprintf("title %q (titles match whatever their case)", l.Key)
		}
		return &Error{File: f.name, Line: l.Line, Index: -1,
			Err: fmt.Errorf("%s is already labeled on line %d", what, f.labels[j].Line)}
	}
	i := len(f.labels)
	f.labels = append(f.labels, l)
	f.nodes = append(f.nodes, n)
	switch l.Kind {
	case LabelEvent:
		f.events[eventKey{l.Calendar, l.Key}] = i
	case LabelSeries:
		f.series[l.Key] = i
	case LabelTitle:
		f.titles[titleKey(l.Key)] = i
	}
	return nil
}

// find returns the index of the label with l's target, if any.
func (f *LabelFile) find(l Label) (int, bool) {
	var i int
	var ok bool
	switch l.Kind {
	case LabelEvent:
		i, ok = f.events[eventKey{l.Calendar, l.Key}]
	case LabelSeries:
		i, ok = f.series[l.Key]
	case LabelTitle:
		i, ok = f.titles[titleKey(l.Key)]
	}
	return i, ok
}

// titleKey is how titles compare: trimmed and case-insensitively.
func titleKey(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// Name returns the file's name.
func (f *LabelFile) Name() string { return f.name }

// Labels returns the labels in file order, those Set added last.
func (f *LabelFile) Labels() []Label {
	if f == nil {
		return nil
	}
	return slices.Clone(f.labels)
}

// Lookup returns the label that decides e, the most specific first: e's
// own, its series', its title's.
func (f *LabelFile) Lookup(e *cal.Event) (Label, bool) {
	if f == nil || len(f.labels) == 0 {
		return Label{}, false
	}
	if i, ok := f.events[eventKey{e.Calendar, e.ID}]; ok {
		return f.labels[i], true
	}
	if e.RecurringEventID != "" {
		if i, ok := f.series[e.RecurringEventID]; ok {
			return f.labels[i], true
		}
	}
	if len(f.titles) > 0 {
		if i, ok := f.titles[titleKey(e.Title)]; ok {
			return f.labels[i], true
		}
	}
	return Label{}, false
}

// Set adds l, or changes the category and note of the label with l's
// target. Call Marshal to get the file with the change.
func (f *LabelFile) Set(l Label) error {
	switch {
	case l.Kind != LabelEvent && l.Kind != LabelSeries && l.Kind != LabelTitle:
		return fmt.Errorf("label kind %q: want event, series or title", l.Kind)
	case strings.TrimSpace(l.Key) == "" || l.Category == "":
		return errors.New("a label needs a key and a category")
	case (l.Kind == LabelEvent) != (l.Calendar != ""):
		return errors.New("an event label, and only one, needs a calendar")
	}
	if i, ok := f.find(l); ok {
		old := &f.labels[i]
		old.Category, old.Note = l.Category, l.Note
		n := f.nodes[i]
		setValue(n, "category", l.Category)
		if l.Note != "" || value(n, "note") != nil {
			setValue(n, "note", l.Note)
		}
		return nil
	}
	if f.doc == nil {
		f.doc = &yaml.Node{Kind: yaml.DocumentNode, Content: []*yaml.Node{{Kind: yaml.MappingNode}}}
	}
	if f.list == nil {
		f.list = &yaml.Node{Kind: yaml.SequenceNode}
		root := f.doc.Content[0]
		root.Content = append(root.Content, str("labels"), f.list)
	}
	if f.list.Kind != yaml.SequenceNode {
		// "labels:" with nothing after it.
		*f.list = yaml.Node{Kind: yaml.SequenceNode, Line: f.list.Line}
	}
	n := &yaml.Node{Kind: yaml.MappingNode}
	n.Content = append(n.Content, str(l.Kind), str(l.Key))
	if l.Kind == LabelEvent {
		n.Content = append(n.Content, str("calendar"), str(l.Calendar))
	}
	n.Content = append(n.Content, str("category"), str(l.Category))
	if l.Note != "" {
		n.Content = append(n.Content, str("note"), str(l.Note))
	}
	f.list.Style = 0 // a flow list "labels: []" becomes a block list
	f.list.Content = append(f.list.Content, n)
	l.File, l.Line = f.name, 0
	return f.add(l, n)
}

// Marshal returns the file as YAML: what it held, comments included, with
// the labels Set added at the end of the list.
func (f *LabelFile) Marshal() ([]byte, error) {
	var b bytes.Buffer
	if f.doc == nil {
		return []byte("labels: []\n"), nil
	}
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(f.doc); err != nil {
		return nil, fmt.Errorf("encode labels: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("encode labels: %w", err)
	}
	return b.Bytes(), nil
}

// str is a string scalar: tagged, so that the encoder quotes "123" or
// "yes" rather than writing a number or a boolean.
func str(s string) *yaml.Node {
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

// value returns the value of key in mapping n, or nil.
func value(n *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

func setValue(n *yaml.Node, key, s string) {
	if v := value(n, key); v != nil {
		v.Kind, v.Tag, v.Value, v.Style, v.Content = yaml.ScalarNode, "!!str", s, 0, nil
		return
	}
	n.Content = append(n.Content, str(key), str(s))
}

// check refuses labels whose category rules could not give.
func (f *LabelFile) check(cfg config.Rules) error {
	if f == nil {
		return nil
	}
	var errs []error
	for i, l := range f.labels {
		if !cfg.Known(l.Category) {
			errs = append(errs, &Error{File: l.File, Line: l.categoryLine, Index: -1,
				Err: fmt.Errorf("labels[%d]: category: unknown category %q (want one of %s)", i, l.Category, cfg.KnownList())})
		}
	}
	return errors.Join(errs...)
}

// Labels returns the labels that outrank the rules, in file order.
func (c *Classifier) Labels() []Label { return c.labels.Labels() }
