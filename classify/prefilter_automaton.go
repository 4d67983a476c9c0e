package classify

import "slices"

// automaton is an Aho-Corasick automaton compiled to a DFA over byte
// classes: every byte that occurs in some literal has a class of its own,
// every other byte shares class 0, and each state has one row of next
// states, so a scan is one table load per byte.
//
// It replaces github.com/BobuSumisu/aho-corasick, whose trie spends
// 2 KiB per state (a 256-entry int64 row): about 15 MB and 10 ms to build
// for the built-in rules. Here a row holds one uint16 per class (91 for
// the built-in literals), about 20 times smaller, and the
// output lists are precomputed so a scan calls nothing. The libraries
// that are more compact either allocate per overlapping match
// (petar-dambovaliev's iterator, coregx's FindAllOverlapping) or report
// only leftmost matches, and the prefilter needs every overlapping one.
type automaton struct {
	class  [256]uint8
	nclass int
	// next[s*nclass+class] is the state after s on a byte of that class,
	// or'ed with hasOut when that state ends a literal, so that the scan
	// loop touches nothing else for most bytes.
	next []uint16
	// outs[outLo[s]:outHi[s]] are the literals that end at state s, its
	// own and those of its suffixes.
	outLo, outHi []int32
	outs         []int32
	// lens[i] is the length of literal i.
	lens []int32
}

// maxStates keeps state numbers and the hasOut bit in a uint16. A rule
// set with more literal bytes than that gets no prefilter: every pattern
// then runs.
const (
	maxStates = 1 << 15
	hasOut    = 1 << 15
)

// newAutomaton compiles lits; false when they need more than maxStates
// states or 255 byte classes.
func newAutomaton(lits []string) (*automaton, bool) {
	a := &automaton{lens: make([]int32, len(lits))}
	for _, l := range lits {
		for i := 0; i < len(l); i++ {
			if a.class[l[i]] == 0 {
				if a.nclass == 255 {
					return nil, false
				}
				a.nclass++
				a.class[l[i]] = uint8(a.nclass)
			}
		}
	}
	a.nclass++ // class 0
	// Literals are lower-case, and an upper-case ASCII letter in the text
	// is the same letter to them: the scan needs no lower-cased copy.
	for c := byte('A'); c <= 'Z'; c++ {
		a.class[c] = a.class[c+'a'-'A']
	}
	n := trieSize(lits)
	if n > maxStates {
		return nil, false
	}
	// The trie first: 0 in next means no child, since no edge leads back
	// to the root.
	a.next = make([]uint16, n*a.nclass)
	terminal := make([]int32, 1, n)
	terminal[0] = -1
	for id, l := range lits {
		a.lens[id] = int32(len(l))
		s := 0
		for i := 0; i < len(l); i++ {
			c := int(a.class[l[i]])
			t := int(a.next[s*a.nclass+c])
			if t == 0 {
				t = len(terminal)
				terminal = append(terminal, -1)
				a.next[s*a.nclass+c] = uint16(t)
			}
			s = t
		}
		terminal[s] = int32(id)
	}
	// Breadth first, each state's failure state is shallower and already
	// has its complete row, so missing edges are copied from it.
	fail := make([]int32, n)
	a.outLo, a.outHi = make([]int32, n), make([]int32, n)
	queue := make([]int32, 0, n)
	for c := range a.nclass {
		if t := a.next[c]; t != 0 {
			queue = append(queue, int32(t))
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		f := fail[s]
		// A state's outputs are its own literal and its failure state's
		// outputs, which breadth-first order has already laid out.
		lo := int32(len(a.outs))
		if terminal[s] >= 0 {
			a.outs = append(a.outs, terminal[s])
		}
		a.outs = append(a.outs, a.outs[a.outLo[f]:a.outHi[f]]...)
		a.outLo[s], a.outHi[s] = lo, int32(len(a.outs))
		row, frow := int(s)*a.nclass, int(f)*a.nclass
		for c := range a.nclass {
			if t := a.next[row+c]; t != 0 {
				fail[t] = int32(a.next[frow+c])
				queue = append(queue, int32(t))
			} else {
				a.next[row+c] = a.next[frow+c]
			}
		}
	}
	// States past the root's are all reached through next, so the
	// output flag goes on the edges.
	for i, t := range a.next {
		if a.outLo[t] != a.outHi[t] {
			a.next[i] = t | hasOut
		}
	}
	return a, true
}

// trieSize returns the number of states of the trie of lits: the root and
// one per distinct non-empty prefix.
func trieSize(lits []string) int {
	sorted := slices.Sorted(slices.Values(lits))
	n, prev := 1, ""
	for _, l := range sorted {
		common := 0
		for common < len(l) && common < len(prev) && l[common] == prev[common] {
			common++
		}
		n += len(l) - common
		prev = l
	}
	return n
}
