package classify

import (
	"cmp"
	"fmt"
	"io"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// SuggestOptions bound what Suggest proposes. Zero fields take the
// defaults of DefaultSuggestOptions.
type SuggestOptions struct {
	// MinPrecision is the share of the labeled events a rule matches that
	// must be labeled with its category.
	MinPrecision float64
	// MinSupport is how many events labeled with its category a rule must
	// match: a keyword seen once is an anecdote.
	MinSupport int
	// Max is the most rules proposed.
	Max int
	// MaxWords is the longest phrase, in words.
	MaxWords int
}

// DefaultSuggestOptions are what `weekmap rules suggest` uses unless told
// otherwise.
var DefaultSuggestOptions = SuggestOptions{MinPrecision: 0.8, MinSupport: 2, Max: 20, MaxWords: 3}

// Suggestion is a proposed rule: a title keyword and the category of most
// of the labeled events whose titles have it.
type Suggestion struct {
	Rule Rule
	// Phrase is the keyword: lower-case words, joined by spaces.
	Phrase string
	// Matched is how many labeled events the rule matches, Correct how many
	// of them are labeled with its category, Labeled how many events are.
	Matched, Correct, Labeled int
	Precision, Recall         float64
	// Fixes and Breaks count the events the rule gets right that the
	// rules got wrong, and the reverse, where it is tried: after the
	// user's rules and before the built-in ones.
	Fixes, Breaks int
}

// Suggestions are proposed rules with the evaluation of the labeled events
// without and with them.
type Suggestions struct {
	Rules         []Suggestion
	Before, After Evaluation
	// OwnMisses counts the events the user's own rules get wrong: no rule
	// tried after them can change those.
	OwnMisses int
}

// suggestFile is the file name of suggested rules in messages.
const suggestFile = "suggested rules"

// Suggest proposes title-keyword rules from labeled events: words and
// short phrases of their titles that mostly go with one category. Rules
// are chosen greedily, each the one that most raises the number of events
// c gets right when tried after the user's rules (and after the earlier
// suggestions) and before the built-in ones, so that pasted at the end of
// a rules_file they raise the accuracy of `weekmap rules eval` on items.
// Events that c's labels or the user's own rules decide are left to them.
func Suggest(c *Classifier, items []Labeled, opts SuggestOptions) (Suggestions, error) {
	def := DefaultSuggestOptions
	opts.MinPrecision = cmp.Or(opts.MinPrecision, def.MinPrecision)
	opts.MinSupport = cmp.Or(opts.MinSupport, def.MinSupport)
	opts.Max = cmp.Or(opts.Max, def.Max)
	opts.MaxWords = cmp.Or(opts.MaxWords, def.MaxWords)

	s := newSuggester(c, items, opts)
	out := Suggestions{Before: Evaluate(c, items), OwnMisses: s.ownMisses}
	var rules []Rule
	for len(out.Rules) < opts.Max {
		sg, ok := s.next()
		if !ok {
			break
		}
		out.Rules = append(out.Rules, sg)
		rules = append(rules, sg.Rule)
	}
	after, err := c.WithRules(rules)
	if err != nil {
		// The rules are built from letters and digits: a build defect.
		return Suggestions{}, err
	}
	out.After = Evaluate(after, items)
	return out, nil
}

type suggester struct {
	opts  SuggestOptions
	items []Labeled
	// pred is each item's category as things stand; taken marks those that
	// a label, a user rule or an accepted suggestion decides.
	pred  []string
	taken []bool
	// phrases maps each candidate phrase to the items whose titles have it.
	phrases map[string][]int
	labeled map[string]int
	dead    map[candidate]bool
	names   map[string]bool
	// ownMisses counts the items a user rule decides wrong.
	ownMisses int
}

type candidate struct{ phrase, category string }

func newSuggester(c *Classifier, items []Labeled, opts SuggestOptions) *suggester {
	s := &suggester{
		opts: opts, items: items,
		pred: make([]string, len(items)), taken: make([]bool, len(items)),
		phrases: map[string][]int{}, labeled: map[string]int{},
		dead: map[candidate]bool{}, names: map[string]bool{},
	}
	own := c.ownRules()
	for _, r := range c.source {
		s.names[r.Name] = true
	}
	for i := range items {
		e := &items[i].Event
		s.labeled[items[i].Want]++
		s.pred[i] = c.Classify(e).Category
		if _, ok := c.labels.Lookup(e); ok {
			s.taken[i] = true
		} else if d := c.decide(e); d >= 0 && d < own {
			s.taken[i] = true
			if s.pred[i] != items[i].Want {
				s.ownMisses++
			}
		}
		for _, p := range phrases(words(e.Title), opts.MaxWords) {
			if l := s.phrases[p]; len(l) == 0 || l[len(l)-1] != i {
				s.phrases[p] = append(l, i)
			}
		}
	}
	return s
}

// next returns the best rule still to propose, if one raises the number of
// events classified right.
func (s *suggester) next() (Suggestion, bool) {
	for {
		best, gain := s.best()
		if gain <= 0 {
			return Suggestion{}, false
		}
		// The counts so far are by words; the regexp decides. They agree
		// but for titles whose case folding differs from lower-casing.
		sg := s.measure(best)
		if sg.Fixes-sg.Breaks <= 0 || sg.Precision < s.opts.MinPrecision || sg.Correct < s.opts.MinSupport {
			s.dead[best] = true
			continue
		}
		for _, i := range s.match(sg.Rule.Title[0]) {
			if !s.taken[i] {
				s.taken[i], s.pred[i] = true, best.category
			}
		}
		sg.Rule.Name = s.name(best)
		return sg, true
	}
}

// scored is a candidate with what it would do: gain is how many more
// events it gets right, prec and n its precision and the number of events
// it matches labeled with its category.
type scored struct {
	candidate
	gain int
	prec float64
	n    int
}

// beats orders candidates: the larger gain, then the more precise, the
// more supported, the shorter, then the first alphabetically.
func (a scored) beats(b scored) bool {
	switch {
	case a.gain != b.gain:
		return a.gain > b.gain
	case a.prec != b.prec:
		return a.prec > b.prec
	case a.n != b.n:
		return a.n > b.n
	}
	if aw, bw := strings.Count(a.phrase, " "), strings.Count(b.phrase, " "); aw != bw {
		return aw < bw
	}
	if a.phrase != b.phrase {
		return a.phrase < b.phrase
	}
	return a.category < b.category
}

// best returns the candidate that most raises the number of events
// classified right, and by how much.
func (s *suggester) best() (candidate, int) {
	var best scored
	for phrase, ids := range s.phrases {
		// A rule of category cat makes every item it reaches cat: it gets
		// right those labeled cat and loses those the rules got right.
		count := map[string]int{}
		reach := map[string]int{}
		right := 0
		for _, i := range ids {
			want := s.items[i].Want
			count[want]++
			if !s.taken[i] {
				reach[want]++
				if s.pred[i] == want {
					right++
				}
			}
		}
		for cat, n := range count {
			c := scored{candidate: candidate{phrase, cat}, gain: reach[cat] - right, prec: float64(n) / float64(len(ids)), n: n}
			if c.gain <= 0 || n < s.opts.MinSupport || c.prec < s.opts.MinPrecision || s.dead[c.candidate] {
				continue
			}
			if best.gain == 0 || c.beats(best) {
				best = c
			}
		}
	}
	return best.candidate, best.gain
}

// measure builds c's rule and counts what its regexp matches.
func (s *suggester) measure(c candidate) Suggestion {
	re := regexp.MustCompile(phraseRegexp(strings.Fields(c.phrase)))
	sg := Suggestion{
		Rule:    Rule{Category: c.category, Title: []*regexp.Regexp{re}, File: suggestFile},
		Phrase:  c.phrase,
		Labeled: s.labeled[c.category],
	}
	for _, i := range s.match(re) {
		want := s.items[i].Want
		sg.Matched++
		if want == c.category {
			sg.Correct++
		}
		if s.taken[i] {
			continue
		}
		switch {
		case want == c.category && s.pred[i] != want:
			sg.Fixes++
		case want != c.category && s.pred[i] == want:
			sg.Breaks++
		}
	}
	sg.Precision = ratio(sg.Correct, sg.Matched)
	sg.Recall = ratio(sg.Correct, sg.Labeled)
	return sg
}

func (s *suggester) match(re *regexp.Regexp) []int {
	var out []int
	for i := range s.items {
		if re.MatchString(s.items[i].Event.Title) {
			out = append(out, i)
		}
	}
	return out
}

// name makes a rule name from the category and the phrase, unique among
// the rules and the suggestions.
func (s *suggester) name(c candidate) string {
	base := "suggested-" + c.category + "-" + strings.ReplaceAll(c.phrase, " ", "-")
	name := base
	for n := 2; s.names[name]; n++ {
		name = fmt.Sprintf("%s-%d", base, n)
	}
	s.names[name] = true
	return name
}

// words splits a title into lower-case words: runs of letters and digits.
func words(title string) []string {
	return strings.FieldsFunc(strings.ToLower(title), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r)
	})
}

// phrases returns the runs of 1 to max words of ws worth a rule: those
// with a word of three or more characters that is not a number.
func phrases(ws []string, max int) []string {
	var out []string
	for i := range ws {
		meaningful := false
		for n := 1; n <= max && i+n <= len(ws); n++ {
			w := ws[i+n-1]
			if utf8.RuneCountInString(w) >= 3 && strings.IndexFunc(w, unicode.IsLetter) >= 0 {
				meaningful = true
			}
			if meaningful {
				out = append(out, strings.Join(ws[i:i+n], " "))
			}
		}
	}
	return out
}

// phraseRegexp matches the words ws in a title, in order, each whole, with
// anything but letters and digits between them. Words of ASCII letters and
// digits use \b and \W, as rules are usually written; others spell out
// Unicode letters and digits, since RE2's \b knows only ASCII.
func phraseRegexp(ws []string) string {
	ascii := true
	for _, w := range ws {
		for _, r := range w {
			if r >= utf8.RuneSelf {
				ascii = false
			}
		}
	}
	quoted := make([]string, len(ws))
	for i, w := range ws {
		quoted[i] = regexp.QuoteMeta(w)
	}
	if ascii {
		return `(?i)\b` + strings.Join(quoted, `\W+`) + `\b`
	}
	return `(?i)(?:^|[^\pL\pN])` + strings.Join(quoted, `[^\pL\pN]+`) + `(?:[^\pL\pN]|$)`
}

// WriteYAML writes the suggestions as a rules file, each rule commented
// with its precision, recall and support.
func (s Suggestions) WriteYAML(w io.Writer) error {
	var b strings.Builder
	n := s.Before.Total
	own := ""
	if s.OwnMisses > 0 {
		own = fmt.Sprintf("# Your own rules get %d of these events wrong, and decide them before any rule\n"+
			"# pasted after them: change those rules, or keep labeling the events.\n", s.OwnMisses)
	}
	if len(s.Rules) == 0 {
		fmt.Fprintf(&b, "# weekmap rules suggest: no title keyword improves on the rules for these %d labeled events\n", n)
		fmt.Fprintf(&b, "# (accuracy %.3f, macro-F1 %.3f). Label more events, or lower --min-precision or --min-support.\n", s.Before.Accuracy, s.Before.MacroF1)
		b.WriteString(own)
		b.WriteString("rules: []\n")
		_, err := io.WriteString(w, b.String())
		return err
	}
	rules := "rules"
	if len(s.Rules) == 1 {
		rules = "rule"
	}
	fmt.Fprintf(&b, "# weekmap rules suggest: %d %s from the titles of %d labeled events.\n", len(s.Rules), rules, n)
	b.WriteString("# Tried after your own rules and before the built-in ones, they take these events\n")
	fmt.Fprintf(&b, "# from accuracy %.3f to %.3f and macro-F1 %.3f to %.3f.\n", s.Before.Accuracy, s.After.Accuracy, s.Before.MacroF1, s.After.MacroF1)
	b.WriteString("# Paste the items at the end of your rules_file's rules: list (or save this as\n")
	b.WriteString("# your rules_file if you have none), then run weekmap rules check and rules eval.\n")
	b.WriteString(own)
	b.WriteString("rules:\n")
	for _, sg := range s.Rules {
		fmt.Fprintf(&b, "  # precision %.2f (%d of the %d labeled events it matches are %s), recall %.2f (%d of %d), support %d; fixes %d, breaks %d\n",
			sg.Precision, sg.Correct, sg.Matched, sg.Rule.Category, sg.Recall, sg.Correct, sg.Labeled, sg.Matched, sg.Fixes, sg.Breaks)
		fmt.Fprintf(&b, "  - name: %s\n", sg.Rule.Name)
		fmt.Fprintf(&b, "    category: %s\n", sg.Rule.Category)
		fmt.Fprintf(&b, "    title: [%s]\n", yamlQuote(sg.Rule.Title[0].String()))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// yamlQuote single-quotes s for YAML, where only the quote itself needs
// escaping (by doubling), so that a regexp reads as written.
func yamlQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}
