package classify

import (
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

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
	return requiredOf(re.Simplify())
}

// requiredOf is requiredLiterals of a parsed, simplified pattern.
func requiredOf(re *syntax.Regexp) ([]string, bool) {
	lits, ok := required(re)
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
	return finiteSeqs(re, maxLiterals, exactLeaf)
}

// exactLeaf handles the leaves for exact.
func exactLeaf(re *syntax.Regexp) ([]string, bool) {
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

// finiteSeqs enumerates the strings re matches when they are finitely many
// (at most limit): captures, optional parts, sequences and alternations are
// handled here, and leaf decides the rest (literals, classes, assertions).
func finiteSeqs(re *syntax.Regexp, limit int, leaf func(*syntax.Regexp) ([]string, bool)) ([]string, bool) {
	switch re.Op {
	case syntax.OpCapture:
		return finiteSeqs(re.Sub[0], limit, leaf)
	case syntax.OpQuest:
		e, ok := finiteSeqs(re.Sub[0], limit, leaf)
		if !ok || len(e) >= limit {
			return nil, false
		}
		return append(e, ""), true
	case syntax.OpConcat:
		out := []string{""}
		for _, sub := range re.Sub {
			e, ok := finiteSeqs(sub, limit, leaf)
			if !ok || len(out)*len(e) > limit {
				return nil, false
			}
			out = cross(out, e)
		}
		return out, true
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			e, ok := finiteSeqs(sub, limit, leaf)
			if !ok || len(out)+len(e) > limit {
				return nil, false
			}
			out = append(out, e...)
		}
		return out, true
	}
	return leaf(re)
}
