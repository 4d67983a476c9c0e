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
	var used [256]bool
	for _, l := range lits {
		for i := 0; i < len(l); i++ {
			used[l[i]] = true
		}
	}
	// Letters get the first classes, then the rest of ASCII, then the
	// bytes of other scripts: a scan of Latin text then reads the first
	// bytes of each row, a cache line or two, whatever other scripts the
	// literals hold.
	order := make([]byte, 0, 256)
	for c := byte('a'); c <= 'z'; c++ {
		order = append(order, c)
	}
	for c := range 256 {
		if c < 'a' || c > 'z' {
			order = append(order, byte(c))
		}
	}
	for _, c := range order {
		if used[c] {
			if a.nclass == 255 {
				return nil, false
			}
			a.nclass++
			a.class[c] = uint8(a.nclass)
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
	// to the root. States are numbered level by level, so that the
	// shallow states, which a scan visits on nearly every byte, share a
	// few cache lines instead of being spread over the whole table; and
	// so that a state's failure state, which is shallower, comes first.
	a.next = make([]uint16, n*a.nclass)
	terminal := make([]int32, 1, n)
	terminal[0] = -1
	// parent and edge record the trie's edges by child: parent[t] reaches
	// t on class edge[t].
	parent, edge := make([]int32, n), make([]uint8, n)
	// at[id] is the state reached by the first depth bytes of lits[id].
	at := make([]int32, len(lits))
	for id, l := range lits {
		a.lens[id] = int32(len(l))
	}
	for depth, more := 1, true; more; depth++ {
		more = false
		for id, l := range lits {
			if len(l) < depth {
				continue
			}
			more = true
			s, c := int(at[id]), a.class[l[depth-1]]
			t := int(a.next[s*a.nclass+int(c)])
			if t == 0 {
				t = len(terminal)
				terminal = append(terminal, -1)
				a.next[s*a.nclass+int(c)] = uint16(t)
				parent[t], edge[t] = int32(s), c
			}
			at[id] = int32(t)
			if len(l) == depth {
				terminal[t] = int32(id)
			}
		}
	}
	// children[childLo[s]:childLo[s+1]] are the states s has an edge to.
	childLo := make([]int32, n+1)
	for t := 1; t < n; t++ {
		childLo[parent[t]+1]++
	}
	for s := range n {
		childLo[s+1] += childLo[s]
	}
	children, fill := make([]int32, n), slices.Clone(childLo[:n])
	for t := 1; t < n; t++ {
		children[fill[parent[t]]] = int32(t)
		fill[parent[t]]++
	}
	// In state order, each state's failure state is shallower and already
	// has its complete row: the row starts as a copy of it, and the trie's
	// edges go back on top. An edge carries hasOut when its target ends a
	// literal or fails to a state that does, which is known as soon as the
	// target's failure state is.
	fail := make([]int32, n)
	emits := make([]bool, n)
	a.outLo, a.outHi = make([]int32, n), make([]int32, n)
	for s := range n {
		f := fail[s]
		// A state's outputs are its own literal and its failure state's
		// outputs, which state order has already laid out.
		lo := int32(len(a.outs))
		if terminal[s] >= 0 {
			a.outs = append(a.outs, terminal[s])
		}
		a.outs = append(a.outs, a.outs[a.outLo[f]:a.outHi[f]]...)
		a.outLo[s], a.outHi[s] = lo, int32(len(a.outs))
		row, frow := a.next[s*a.nclass:(s+1)*a.nclass], a.next[int(f)*a.nclass:(int(f)+1)*a.nclass]
		if s != 0 {
			copy(row, frow)
		}
		for _, t := range children[childLo[s]:childLo[s+1]] {
			c := edge[t]
			if s != 0 {
				fail[t] = int32(frow[c] &^ hasOut)
			}
			emits[t] = terminal[t] >= 0 || emits[fail[t]]
			row[c] = uint16(t)
			if emits[t] {
				row[c] |= hasOut
			}
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
