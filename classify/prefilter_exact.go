package classify

import (
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// boundedLit is one string that a decided pattern matches, with the word
// boundaries (\b) it needs on either side.
type boundedLit struct {
	lit        string
	start, end bool
}

// wordMark stands for \b in the sequences that decidedLiterals expands a
// pattern into; patterns holding a NUL are not decided.
const wordMark = "\x00"

// maxDecided bounds the strings a decided pattern expands into, so that a
// pattern like (a|b)(c|d)(e|f)… does not blow up the automaton.
const maxDecided = 512

// decidedLiterals returns, for a simplified pattern whose every match is one of a few
// strings with optional word boundaries around them, like
// (?i)\b(stand-?ups?|retro)\b, those strings in normalized form. Such a
// pattern matches s, when normalize(s) keeps byte offsets (no Kelvin sign
// or long s in s), exactly when one of the strings occurs in normalize(s)
// with a word boundary wherever it asks for one: no regexp needs to run.
// Otherwise the strings are still a valid required-literal set.
//
// Go's \b is ASCII-only and normalize only lower-cases ASCII, so a byte
// at or above 0x80 is never a word character either way, and bytes and
// runes agree on where \b holds. Strings are refused when normalization
// would merge what the regexp tells apart: an ASCII letter that does not
// fold case, a non-ASCII rune that does, U+FFFD, and a class holding only
// one case of an ASCII letter.
func decidedLiterals(re *syntax.Regexp) ([]boundedLit, bool) {
	seqs, ok := boundedSeqs(re)
	if !ok || len(seqs) == 0 {
		return nil, false
	}
	lits := make([]boundedLit, 0, len(seqs))
	for _, s := range seqs {
		for strings.Contains(s, wordMark+wordMark) {
			s = strings.ReplaceAll(s, wordMark+wordMark, wordMark)
		}
		var l boundedLit
		l.lit, l.start = strings.CutPrefix(s, wordMark)
		l.lit, l.end = strings.CutSuffix(l.lit, wordMark)
		if l.lit == "" || strings.Contains(l.lit, wordMark) {
			return nil, false
		}
		lits = append(lits, l)
	}
	return dropImplied(lits), true
}

// dropImplied removes duplicates and every string whose match implies a
// match of another one, e.g. "sick leave" beside "sick" in \b(…)\b: fewer
// literals make a smaller automaton and fewer hits to check.
func dropImplied(lits []boundedLit) []boundedLit {
	slices.SortFunc(lits, func(a, b boundedLit) int {
		if c := strings.Compare(a.lit, b.lit); c != 0 {
			return c
		}
		return boolCompare(a.start, b.start)*2 + boolCompare(a.end, b.end)
	})
	lits = slices.Compact(lits)
	// Each literal looks only at the others that start with the bytes at
	// one of its offsets, found by their first two bytes (or their only
	// one): a set expanded from a pattern has hundreds of literals, and
	// trying every pair would be quadratic.
	byByte := map[byte][]int{}
	byPair := map[[2]byte][]int{}
	for i, l := range lits {
		if len(l.lit) == 1 {
			byByte[l.lit[0]] = append(byByte[l.lit[0]], i)
		} else {
			byPair[[2]byte{l.lit[0], l.lit[1]}] = append(byPair[[2]byte{l.lit[0], l.lit[1]}], i)
		}
	}
	implied := func(i int) bool {
		long := lits[i]
		s := long.lit
		for o := range len(s) {
			for _, j := range byByte[s[o]] {
				if j != i && impliesAt(long, lits[j], o) {
					return true
				}
			}
			if o+1 == len(s) {
				break
			}
			for _, j := range byPair[[2]byte{s[o], s[o+1]}] {
				if j != i && strings.HasPrefix(s[o:], lits[j].lit) && impliesAt(long, lits[j], o) {
					return true
				}
			}
		}
		return false
	}
	var out []boundedLit
	for i, l := range lits {
		if !implied(i) {
			out = append(out, l)
		}
	}
	return out
}

func boolCompare(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

// impliesAt reports whether every match of long contains a match of short,
// given that short occurs in long at offset o: each boundary short needs
// holds inside long there, or is one long needs at the same place.
func impliesAt(long, short boundedLit, o int) bool {
	s := long.lit
	end := o + len(short.lit)
	startOK := !short.start || (o == 0 && long.start) || (o > 0 && isWordByte(s[o-1]) != isWordByte(s[o]))
	endOK := !short.end || (end == len(s) && long.end) || (end < len(s) && isWordByte(s[end-1]) != isWordByte(s[end]))
	return startOK && endOK
}

// boundedSeqs expands re into every string it matches, normalized, with
// wordMark for \b; false when re matches too many strings, or has an
// operator or rune the fast path cannot decide.
func boundedSeqs(re *syntax.Regexp) ([]string, bool) {
	return finiteSeqs(re, maxDecided, boundedSeqsLeaf)
}

// boundedSeqsLeaf handles the leaves for boundedSeqs.
func boundedSeqsLeaf(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpEmptyMatch:
		return []string{""}, true
	case syntax.OpWordBoundary:
		return []string{wordMark}, true
	case syntax.OpLiteral:
		fold := re.Flags&syntax.FoldCase != 0
		var b []byte
		for _, r := range re.Rune {
			switch {
			case r == 0 || r == utf8.RuneError || r == kelvin || r == longS:
				return nil, false
			case r < utf8.RuneSelf && isASCIILetter(r):
				if !fold {
					return nil, false
				}
				b = append(b, byte(unicode.ToLower(r)))
			case r >= utf8.RuneSelf && fold && unicode.SimpleFold(r) != r:
				return nil, false
			default:
				b = utf8.AppendRune(b, r)
			}
		}
		return []string{string(b)}, true
	case syntax.OpCharClass:
		return classSeqs(re)
	}
	return nil, false
}

// classSeqs turns a small class into one-rune strings. An ASCII letter
// needs both cases in the class, since normalize lower-cases the text; the
// Kelvin sign and long s need their ASCII letter, which stands for them
// when normalize has mapped them, and never occur when it has not.
func classSeqs(re *syntax.Regexp) ([]string, bool) {
	in := func(r rune) bool {
		for i := 0; i+1 < len(re.Rune); i += 2 {
			if re.Rune[i] <= r && r <= re.Rune[i+1] {
				return true
			}
		}
		return false
	}
	var out []string
	for i := 0; i+1 < len(re.Rune); i += 2 {
		lo, hi := re.Rune[i], re.Rune[i+1]
		if int(hi-lo)+1+len(out) > maxClass {
			return nil, false
		}
		for r := lo; r <= hi; r++ {
			switch {
			case r == 0 || r == utf8.RuneError:
				return nil, false
			case r == kelvin || r == longS:
				if ascii := unicode.SimpleFold(r); !in(ascii) {
					return nil, false
				}
			case r < utf8.RuneSelf && isASCIILetter(r):
				if !in(r ^ 0x20) {
					return nil, false
				}
				if 'a' <= r {
					out = append(out, string(r))
				}
			default:
				out = append(out, string(r))
			}
		}
	}
	return out, true
}

func isASCIILetter(r rune) bool { return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' }
