package classify

import (
	"regexp"
	"regexp/syntax"
	"strings"
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
	// decided says the literal is one of the strings a decided pattern
	// matches (see decidedLiterals); start and end say where it needs a
	// word boundary.
	decided, start, end bool
}

// prefilter narrows the regexps worth running for an event: each pattern
// can only match if one of its required literals (pulled out of the
// regexp's syntax tree) occurs in the field it looks at. One Aho-Corasick
// pass over the normalized title and description finds every literal at
// once, so most events never run most regexps. For a decided pattern the
// pass also settles whether it matches, so its regexp never runs at all
// unless the text holds a rune that normalize shortens.
type prefilter struct {
	auto *automaton
	// refs[refLo[i]:refLo[i+1]] lists the patterns that literal lits[i]
	// stands for: one array, so that a hit reads memory next to the last.
	lits  []string
	refs  []patternRef
	refLo []int32
	// always has a bit for each pattern with no required literal: it is
	// always worth running.
	always []uint64
	// decided has a bit for each decided pattern.
	decided []uint64
	// n is the number of patterns.
	n int
}

// prefilterBuilder numbers patterns as compile meets them and collects
// their literals.
type prefilterBuilder struct {
	lits    map[string]int
	refs    [][]patternRef
	always  []int32
	decided []int32
	n       int
}

// add registers re, looked for in f, and returns its pattern id.
func (b *prefilterBuilder) add(re *regexp.Regexp, f field) int32 {
	id := int32(b.n)
	b.n++
	// regexp.Compile parses with syntax.Perl; the same flags give the same
	// tree.
	tree, err := syntax.Parse(re.String(), syntax.Perl)
	if err != nil {
		b.always = append(b.always, id)
		return id
	}
	tree = tree.Simplify()
	if lits, ok := decidedLiterals(tree); ok {
		b.decided = append(b.decided, id)
		for _, l := range lits {
			b.addRef(l.lit, patternRef{id: id, field: f, decided: true, start: l.start, end: l.end})
		}
		return id
	}
	lits, ok := requiredOf(tree)
	if !ok {
		b.always = append(b.always, id)
		return id
	}
	for _, l := range lits {
		b.addRef(l, patternRef{id: id, field: f})
	}
	return id
}

func (b *prefilterBuilder) addRef(lit string, ref patternRef) {
	if b.lits == nil {
		b.lits = map[string]int{}
	}
	i, seen := b.lits[lit]
	if !seen {
		i = len(b.refs)
		b.lits[lit] = i
		b.refs = append(b.refs, nil)
	}
	b.refs[i] = append(b.refs[i], ref)
}

func (b *prefilterBuilder) build() prefilter {
	words := (b.n + 63) / 64
	p := prefilter{n: b.n, always: make([]uint64, words), decided: make([]uint64, words)}
	p.refLo = make([]int32, 1, len(b.refs)+1)
	for _, refs := range b.refs {
		p.refs = append(p.refs, refs...)
		p.refLo = append(p.refLo, int32(len(p.refs)))
	}
	for _, id := range b.always {
		p.always[id/64] |= 1 << (id % 64)
	}
	for _, id := range b.decided {
		p.decided[id/64] |= 1 << (id % 64)
	}
	p.lits = make([]string, len(b.refs))
	for l, i := range b.lits {
		p.lits[i] = l
	}
	var ok bool
	if p.auto, ok = newAutomaton(p.lits); !ok {
		// Too many literals to narrow anything: every pattern runs.
		for i := range p.always {
			p.always[i] = ^uint64(0)
			p.decided[i] = 0
		}
		p.refs = nil
	}
	return p
}

// scan sets in possible the bit of every pattern that may match an event
// with the given title and description (joined by "\n" for the text
// condition), upper-case ASCII or not. With exact, a decided pattern's bit
// is set only where it matches; without, the text is normalize's copy,
// whose offsets do not match the original's.
func scan[T string | []byte](p *prefilter, title, desc T, exact bool, possible []uint64) {
	copy(possible, p.always)
	if len(p.refs) == 0 {
		return
	}
	t := text[T]{title: title, desc: desc}
	state := walk(p, t, title, 0, 0, exact, possible)
	state = walk(p, t, "\n", len(title), state, exact, possible)
	walk(p, t, desc, len(title)+1, state, exact, possible)
}

// anyPossible reports whether any of a condition's patterns may match.
// compile numbers a condition's patterns consecutively, so ids is a range
// and a look at a word or two of bits rules out a condition of many
// patterns, which is what most conditions are for most events.
func (in *input) anyPossible(ids []int32) bool {
	if in.plain {
		return true
	}
	if !in.scanned {
		in.scan()
	}
	lo, hi := uint32(ids[0]), uint32(ids[len(ids)-1])
	bits := in.s.possible
	first, last := lo/64, hi/64
	if first == last {
		return bits[first]>>(lo%64)<<(63-hi%64+lo%64) != 0
	}
	if bits[first]>>(lo%64) != 0 || bits[last]<<(63-hi%64) != 0 {
		return true
	}
	for _, w := range bits[first+1 : last] {
		if w != 0 {
			return true
		}
	}
	return false
}

// text is an event's title and description, seen as one string joined by
// "\n" without copying them.
type text[T string | []byte] struct{ title, desc T }

func (t text[T]) at(i int) byte {
	switch n := len(t.title); {
	case i < n:
		return t.title[i]
	case i == n:
		return '\n'
	}
	return t.desc[i-len(t.title)-1]
}

func (t text[T]) len() int { return len(t.title) + 1 + len(t.desc) }

// wordBoundary reports whether \b holds at offset i of t. The "\n" at
// len(t.title) is not a word character, like the end of the title and the
// start of the description.
func (t text[T]) wordBoundary(i int) bool {
	before := i > 0 && isWordByte(t.at(i-1))
	after := i < t.len() && isWordByte(t.at(i))
	return before != after
}

// walk runs the automaton from state over seg, which starts at offset base
// of t, and returns the state it ends in.
func walk[T string | []byte, S string | []byte](p *prefilter, t text[T], seg S, base, state int, exact bool, possible []uint64) int {
	a := p.auto
	for i := 0; i < len(seg); i++ {
		next := a.next[state*a.nclass+int(a.class[seg[i]])]
		state = int(next &^ hasOut)
		if next&hasOut != 0 {
			hits(p, t, base+i+1, state, exact, possible)
		}
	}
	return state
}

// hits sets the bits of the patterns whose literals end at offset end of t
// in state.
func hits[T string | []byte](p *prefilter, t text[T], end, state int, exact bool, possible []uint64) {
	a := p.auto
	titleLen := len(t.title)
	inTitle := end <= titleLen
	for _, lit := range a.outs[a.outLo[state]:a.outHi[state]] {
		start := end - int(a.lens[lit])
		inDesc := start > titleLen
		for _, r := range p.refs[p.refLo[lit]:p.refLo[lit+1]] {
			if !(r.field == fieldText || (r.field == fieldTitle && inTitle) || (r.field == fieldDescription && inDesc)) {
				continue
			}
			if exact && r.decided && (r.start && !t.wordBoundary(start) || r.end && !t.wordBoundary(end)) {
				continue
			}
			possible[r.id/64] |= 1 << (r.id % 64)
		}
	}
}

// isWordByte reports whether c is an ASCII word character, [0-9A-Za-z_],
// as regexp's \b sees it; other bytes belong to non-word runes.
func isWordByte(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_'
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

// hasFoldedRune reports whether s holds a rune that normalize maps to an
// ASCII letter.
func hasFoldedRune(s string) bool {
	return strings.Contains(s, string(kelvin)) || strings.Contains(s, string(longS))
}

// literals returns the prefilter's literals, numbered as in the automaton.
func (p *prefilter) literals() []string { return p.lits }
