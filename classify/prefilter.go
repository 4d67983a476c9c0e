package classify

import (
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	// BobuSumisu/aho-corasick is the one candidate whose matcher reports
	// every overlapping match (through the trie's dictionary links) to a
	// callback without allocating: petar-dambovaliev's overlapping iterator
	// and coregx's FindAllOverlapping return heap-allocated matches, and
	// cloudflare's Match returns a fresh slice and is unmaintained. It is
	// small, MIT-licensed and tagged (v1.0.3); its states are 2 KiB each,
	// which is fine for the few thousand bytes of literals of a rule set.
	ahocorasick "github.com/BobuSumisu/aho-corasick"
)

// field is where a pattern looks: the title, the description, or both
// joined by "\n" (the text condition).
type field uint8

const (
	fieldTitle field = iota
	fieldDescription
	fieldText
)

// patternRef is one pattern that a literal of the prefilter stands for.
type patternRef struct {
	id    int32
	field field
}

// prefilter narrows the regexps worth running for an event: each pattern
// can only match if one of its required literals (pulled out of the
// regexp's syntax tree) occurs in the field it looks at. One Aho-Corasick
// pass over the normalized title and description finds every literal at
// once, so most events never run most regexps.
type prefilter struct {
	trie *ahocorasick.Trie
	// refs[i] lists the patterns that literal lits[i] stands for.
	lits []string
	refs [][]patternRef
	// always has a bit for each pattern with no required literal: it is
	// always worth running.
	always []uint64
	// n is the number of patterns.
	n int
}

// prefilterBuilder numbers patterns as compile meets them and collects
// their literals.
type prefilterBuilder struct {
	lits   map[string]int
	refs   [][]patternRef
	always []int32
	n      int
}

// add registers re, looked for in f, and returns its pattern id.
func (b *prefilterBuilder) add(re *regexp.Regexp, f field) int32 {
	id := int32(b.n)
	b.n++
	lits, ok := requiredLiterals(re.String())
	if !ok {
		b.always = append(b.always, id)
		return id
	}
	if b.lits == nil {
		b.lits = map[string]int{}
	}
	for _, l := range lits {
		i, seen := b.lits[l]
		if !seen {
			i = len(b.refs)
			b.lits[l] = i
			b.refs = append(b.refs, nil)
		}
		b.refs[i] = append(b.refs[i], patternRef{id: id, field: f})
	}
	return id
}

func (b *prefilterBuilder) build() prefilter {
	p := prefilter{refs: b.refs, n: b.n, always: make([]uint64, (b.n+63)/64)}
	for _, id := range b.always {
		p.always[id/64] |= 1 << (id % 64)
	}
	// Literal ids must match the trie's pattern numbers, which follow the
	// order patterns are added in.
	p.lits = make([]string, len(b.refs))
	for l, i := range b.lits {
		p.lits[i] = l
	}
	tb := ahocorasick.NewTrieBuilder()
	for _, l := range p.lits {
		tb.AddString(l)
	}
	p.trie = tb.Build()
	return p
}

// scan sets in possible the bit of every pattern that may match an event
// whose normalized title is norm[:titleLen] and normalized description is
// norm[titleLen+1:] (norm[titleLen] is the "\n" of the text condition).
func (p *prefilter) scan(norm []byte, titleLen int, possible []uint64) {
	copy(possible, p.always)
	if len(p.refs) == 0 {
		return
	}
	p.trie.Walk(norm, func(end, n, lit int64) bool {
		start := int(end - n + 1)
		inTitle := int(end) < titleLen
		inDesc := start > titleLen
		for _, r := range p.refs[lit] {
			if r.field == fieldText || (r.field == fieldTitle && inTitle) || (r.field == fieldDescription && inDesc) {
				possible[r.id/64] |= 1 << (r.id % 64)
			}
		}
		return true
	})
}

// normalize appends to dst a form of s in which every literal found by
// requiredLiterals occurs whenever the regexp could match s: ASCII letters
// lower-cased, and the two non-ASCII runes that case-fold to ASCII letters
// (U+212A KELVIN SIGN to k, U+017F LATIN SMALL LETTER LONG S to s), so
// that (?i)k and (?i)s still find them. Other bytes are kept, and literals
// hold no other rune that folds case. Neither sequence can start inside
// another rune's encoding, since E2 and C5 are lead bytes.
func normalize(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'A' <= c && c <= 'Z':
			c += 'a' - 'A'
		case c == 0xE2 && i+2 < len(s) && s[i+1] == 0x84 && s[i+2] == 0xAA:
			c = 'k'
			i += 2
		case c == 0xC5 && i+1 < len(s) && s[i+1] == 0xBF:
			c = 's'
			i++
		}
		dst = append(dst, c)
	}
	return dst
}

// requiredLiterals returns a set of normalized strings such that the
// regexp pattern cannot match a string s unless one of them occurs in
// normalize(s). ok is false when no such set is known, and the pattern
// must always run. An empty set with ok means the pattern never matches.
func requiredLiterals(pattern string) (lits []string, ok bool) {
	// regexp.Compile parses with syntax.Perl; the same flags give the same
	// tree.
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return nil, false
	}
	lits, ok = required(re.Simplify())
	if !ok {
		return nil, false
	}
	slices.Sort(lits)
	return slices.Compact(lits), true
}

// maxLiterals bounds a set, since a huge union (a class like [a-z]
// repeated) narrows nothing and costs trie states.
const maxLiterals = 256

func required(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpNoMatch:
		return []string{}, true
	case syntax.OpLiteral:
		l := longestRun(re.Rune, re.Flags&syntax.FoldCase != 0)
		if l == "" {
			return nil, false
		}
		return []string{l}, true
	case syntax.OpCharClass:
		return classLiterals(re)
	case syntax.OpCapture, syntax.OpPlus:
		return required(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return required(re.Sub[0])
		}
		return nil, false
	case syntax.OpConcat:
		return concatLiterals(re.Sub)
	case syntax.OpAlternate:
		var all []string
		for _, sub := range re.Sub {
			lits, ok := required(sub)
			if !ok {
				return nil, false
			}
			all = append(all, lits...)
		}
		if len(all) > maxLiterals {
			return nil, false
		}
		return all, true
	}
	// Empty-width assertions, any-char, star and quest require nothing.
	return nil, false
}

// concatLiterals picks the best required set of a concatenation. Runs of
// factors with a small exact set are multiplied out first, so that
// `d(nd|o not book)` needs "dnd" or "do not book", not just "d".
func concatLiterals(subs []*syntax.Regexp) ([]string, bool) {
	var best []string
	found := false
	consider := func(lits []string, ok bool) {
		if ok && !slices.Contains(lits, "") && (!found || better(lits, best)) {
			best, found = lits, true
		}
	}
	run := []string{""}
	for _, sub := range subs {
		if e, ok := exact(sub); ok && len(run)*len(e) <= maxLiterals {
			run = cross(run, e)
			continue
		}
		consider(prune(run), true)
		run = []string{""}
		if e, ok := exact(sub); ok {
			run = e
		}
		consider(required(sub))
	}
	consider(prune(run), true)
	return best, found
}

// exact returns every string that re can match, normalized, when they are
// few. Empty-width assertions count as the empty string, which can only
// make the set larger, never miss a match.
func exact(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpNoMatch:
		return []string{}, true
	case syntax.OpEmptyMatch, syntax.OpBeginLine, syntax.OpEndLine, syntax.OpBeginText,
		syntax.OpEndText, syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return []string{""}, true
	case syntax.OpLiteral:
		fold := re.Flags&syntax.FoldCase != 0
		var b []byte
		for _, r := range re.Rune {
			n, ok := keepRune(r, fold)
			if !ok {
				return nil, false
			}
			b = append(b, n...)
		}
		return []string{string(b)}, true
	case syntax.OpCharClass:
		return classLiterals(re)
	case syntax.OpCapture:
		return exact(re.Sub[0])
	case syntax.OpQuest:
		e, ok := exact(re.Sub[0])
		if !ok || len(e) >= maxLiterals {
			return nil, false
		}
		return append(e, ""), true
	case syntax.OpConcat:
		out := []string{""}
		for _, sub := range re.Sub {
			e, ok := exact(sub)
			if !ok || len(out)*len(e) > maxLiterals {
				return nil, false
			}
			out = cross(out, e)
		}
		return out, true
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			e, ok := exact(sub)
			if !ok || len(out)+len(e) > maxLiterals {
				return nil, false
			}
			out = append(out, e...)
		}
		return out, true
	}
	return nil, false
}

func cross(a, b []string) []string {
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}

// prune drops duplicates and every literal that contains another: when it
// occurs, so does the shorter one.
func prune(lits []string) []string {
	lits = slices.Compact(slices.Sorted(slices.Values(lits)))
	var out []string
	for _, l := range lits {
		if !slices.ContainsFunc(lits, func(o string) bool { return o != l && strings.Contains(l, o) }) {
			out = append(out, l)
		}
	}
	return out
}

// better reports whether the literal set a narrows more than b: a set that
// can never match beats all; otherwise the longer shortest literal wins
// (long literals are rare in titles), then the smaller set.
func better(a, b []string) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == 0 && len(b) != 0
	}
	ma, mb := shortest(a), shortest(b)
	if ma != mb {
		return ma > mb
	}
	return len(a) < len(b)
}

func shortest(lits []string) int {
	m := len(lits[0])
	for _, l := range lits[1:] {
		m = min(m, len(l))
	}
	return m
}

// normRune returns r as normalize leaves it. ok is false for U+FFFD,
// which the regexp engine also reads for every invalid byte.
func normRune(r rune) (string, bool) {
	switch {
	case r == utf8.RuneError:
		return "", false
	case r < utf8.RuneSelf:
		return string(unicode.ToLower(r)), true
	case r == kelvin:
		return "k", true
	case r == longS:
		return "s", true
	}
	return string(r), true
}

// keepRune returns r normalized, or false when normalize does not map
// everything r matches to one form: U+FFFD, and, in a literal that folds
// case, a non-ASCII rune with other case forms (ASCII letters are safe:
// normalize maps each of their case forms to the lower case).
func keepRune(r rune, fold bool) (string, bool) {
	if fold && r >= utf8.RuneSelf && unicode.SimpleFold(r) != r {
		return "", false
	}
	return normRune(r)
}

// The two non-ASCII runes that case-fold to ASCII letters.
const (
	kelvin = '\u212A'
	longS  = '\u017F'
)

// longestRun returns the longest run of a literal's runes, normalized,
// that the input must hold; a rune that keepRune refuses breaks runs.
func longestRun(runes []rune, fold bool) string {
	var best, cur []byte
	for _, r := range runes {
		n, ok := keepRune(r, fold)
		if !ok {
			cur = cur[:0]
			continue
		}
		cur = append(cur, n...)
		if len(cur) > len(best) {
			best = append(best[:0], cur...)
		}
	}
	return string(best)
}

// maxClass bounds the runes of a class turned into literals: a class like
// [a-z] narrows nothing.
const maxClass = 32

// classLiterals turns a small class, such as [üu] or the emoji of an
// alternation, into one-rune literals. The parser has already spelled out
// the case forms of a class that folds case.
func classLiterals(re *syntax.Regexp) ([]string, bool) {
	var lits []string
	for i := 0; i+1 < len(re.Rune); i += 2 {
		lo, hi := re.Rune[i], re.Rune[i+1]
		if int(hi-lo)+1+len(lits) > maxClass {
			return nil, false
		}
		for r := lo; r <= hi; r++ {
			n, ok := normRune(r)
			if !ok {
				return nil, false
			}
			lits = append(lits, n)
		}
	}
	// An empty class never matches, and neither does its regexp.
	return lits, true
}

// literals returns the prefilter's literals, in trie order.
func (p *prefilter) literals() []string { return p.lits }
