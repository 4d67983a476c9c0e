package classify

import (
	"maps"
	"math/rand/v2"
	"path/filepath"
	"regexp/syntax"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/weekmap/weekmap/cal"
)

func TestRequiredLiterals(t *testing.T) {
	tests := []struct {
		pattern string
		want    []string
		ok      bool
	}{
		{`(?i)\bstand-?up\b`, []string{"stand-up", "standup"}, true},
		{`(?i)\bd(nd|o not (book|disturb))\b`, []string{"dnd", "do not book", "do not disturb"}, true},
		{`(?i)\b(rfc|adr)[- ]?\d+`, []string{"adr", "rfc"}, true},
		{`(?i)\b(lunch|dinner)\b`, []string{"dinner", "lunch"}, true},
		{`Design`, []string{"design"}, true},
		{`(?i)out of (the )?office`, []string{"out of office", "out of the office"}, true},
		{`(?i)br[üu]ckentag`, []string{"bruckentag", "brÜckentag", "brückentag"}, true},
		{`(?i)Σ\w+ review`, []string{" review"}, true},
		{`(?i)(🍕|🥗)`, []string{"🍕", "🥗"}, true},
		{`(?i)Über`, []string{"ber"}, true},
		{`Über`, []string{"Über"}, true},
		{`(?i)straße`, []string{"stra"}, true},
		{`(a|b*)`, nil, false},
		{`(?i)^\W*$`, nil, false},
		{`x*`, nil, false},
		{`(?i)(sync)+`, []string{"sync"}, true},
		{`(sync){0,2}`, nil, false},
		{`[a-z0-9]+`, nil, false},
		{`(?i)[a-c]`, []string{"a", "b", "c"}, true},
		{`\x{FFFD}`, nil, false},
		{`[^\x00-\x{10FFFF}]`, []string{}, true},
	}
	for _, tt := range tests {
		got, ok := requiredLiterals(tt.pattern)
		if ok != tt.ok || !slices.Equal(got, tt.want) {
			t.Errorf("requiredLiterals(%q): got %q, %v, want %q, %v", tt.pattern, got, ok, tt.want, tt.ok)
		}
	}
}

func TestDecidedLiterals(t *testing.T) {
	tests := []struct {
		pattern string
		want    []boundedLit
		ok      bool
	}{
		{`(?i)\bstand-?ups?\b`, []boundedLit{{"stand-up", true, true}, {"stand-ups", true, true}, {"standup", true, true}, {"standups", true, true}}, true},
		// "sick leave" always holds a match of "sick"; "specs" does not
		// hold one of "spec".
		{`(?i)\b(sick( leave)?|specs?)\b`, []boundedLit{{"sick", true, true}, {"spec", true, true}, {"specs", true, true}}, true},
		{`(?i)\b(urlaub|br[üu]ckentag)`, []boundedLit{{"bruckentag", true, false}, {"brÜckentag", true, false}, {"brückentag", true, false}, {"urlaub", true, false}}, true},
		{`(?i)(🍕|☕ break)`, []boundedLit{{"☕ break", false, false}, {"🍕", false, false}}, true},
		{`(?i)\bk`, []boundedLit{{"k", true, false}}, true},
		{`(?i)\b[k\x{212A}]`, []boundedLit{{"k", true, false}}, true},
		{`\b[\x{212A}]`, nil, false},
		{`\bDesign\b`, nil, false},
		{`(?i)\bdesign doc\b|^x`, nil, false},
		{`(?i)\binc-?\d+`, nil, false},
		{`(?i)\bdesign\b review`, nil, false},
		// A folding non-ASCII literal: normalize keeps É and é apart.
		{`(?i)\b(é)\b`, nil, false},
		{`(?i)\b[eé]\b`, []boundedLit{{"e", true, true}, {"É", true, true}, {"é", true, true}}, true},
		{`(?i)\bÉcole`, nil, false},
		{`(?i)\b[a-z]+\b`, nil, false},
		{`\b\x{FFFD}`, nil, false},
	}
	for _, tt := range tests {
		re, err := syntax.Parse(tt.pattern, syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := decidedLiterals(re.Simplify())
		if ok != tt.ok || !slices.Equal(got, tt.want) {
			t.Errorf("decidedLiterals(%q): got %+v, %v, want %+v, %v", tt.pattern, got, ok, tt.want, tt.ok)
		}
	}
}

// TestNormalizeFolds checks the premise of normalize: every rune that
// case-folds to an ASCII letter becomes that letter's lower case, and no
// other rune changes.
func TestNormalizeFolds(t *testing.T) {
	var buf []byte
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		want := string(r)
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if f < utf8.RuneSelf && unicode.IsLetter(f) {
				want = string(unicode.ToLower(f))
			}
		}
		if r < utf8.RuneSelf {
			want = string(unicode.ToLower(r))
		}
		buf = normalize(buf[:0], string(r))
		if got := string(buf); got != want {
			t.Errorf("normalize(%U): got %q, want %q", r, got, want)
		}
	}
}

// checkAgrees fails unless the prefilter keeps, for e, every pattern that
// matches, and Classify answers as the plain loop does.
func checkAgrees(t *testing.T, c *Classifier, e *cal.Event) {
	t.Helper()
	in := input{e: e, c: c}
	defer in.release()
	for i := range c.rules {
		for _, cond := range c.rules[i].conds {
			if len(cond.ids) > 0 {
				// anyPossible reads a condition's ids as a range.
				for j, id := range cond.ids {
					if id != cond.ids[0]+int32(j) {
						t.Fatalf("rule %q: %s pattern ids %v are not consecutive", c.rules[i].name, condNames[cond.kind], cond.ids)
					}
				}
				if got, want := in.anyPossible(cond.ids), slices.ContainsFunc(cond.ids, in.possible); got != want {
					t.Errorf("title %q, description %q: rule %q: anyPossible(%s patterns) = %v, but possible says %v",
						e.Title, e.Description, c.rules[i].name, condNames[cond.kind], got, want)
				}
			}
			for j, re := range cond.res {
				var hit bool
				switch cond.kind {
				case condTitle:
					hit = re.MatchString(e.Title)
				case condDescription:
					hit = re.MatchString(e.Description)
				case condText:
					hit = re.Match(in.joined())
				}
				id := cond.ids[j]
				if hit && !in.possible(id) {
					t.Errorf("title %q, description %q: %s pattern %s matches, but the prefilter skipped it",
						e.Title, e.Description, condNames[cond.kind], re)
				}
				if !hit && in.possible(id) && in.decided(id) {
					t.Errorf("title %q, description %q: %s pattern %s does not match, but the prefilter decided it does",
						e.Title, e.Description, condNames[cond.kind], re)
				}
			}
		}
	}
	if got, want := c.classify(e, true), c.classify(e, false); got != want {
		t.Errorf("title %q, description %q: got %+v with the prefilter, want %+v", e.Title, e.Description, got, want)
	}
}

// agreeRules adds to the built-in rules patterns that stress the
// prefilter's edge cases: text spanning the title and description, case
// folding of k and s, anchors and non-ASCII literals.
const agreeRules = `
rules:
  - name: span
    category: design
    text: ['(?i)sync\ndesign', '(?i)\bkeys\b', '(?i)^\W*ſtop']
  - name: fold
    category: review
    title: ['(?i)straße|İSTANBUL|Σύνοψη', 'ÜBER', '(?i)\bok\b']
  - name: desc
    category: alignment
    description: ['(?i)kelvin [0-9]+', '^$']
  - name: decided
    category: incident
    title: ['(?i)\b(q&a|c\+\+|-x|go/no-?go|sick( leave)?|specs?)\b', '(?i)\b[kx]eys?', 'ops\b', '(?i)(🍕|dé[jJ]à)', '(?i)\bd[íi]a\b']
    text: ['(?i)\b(sync\ndesign|design)\b']
`

func TestPrefilterAgrees(t *testing.T) {
	for _, rules := range []string{"", agreeRules} {
		c := classifier(t, rules, true)
		for _, tt := range realistic() {
			checkAgrees(t, c, tt.event)
		}
		for _, e := range benchEvents() {
			checkAgrees(t, c, e)
		}
		items := readLabeled(t, filepath.Join("testdata", "dev", "events.jsonl"), filepath.Join("testdata", "dev", "labels.jsonl"))
		for i := range items {
			checkAgrees(t, c, &items[i].Event)
		}
		for _, e := range generatedEvents(c, 3000) {
			checkAgrees(t, c, e)
		}
	}
}

// generatedEvents mixes the prefilter's literals with noise, case changes
// and text from other scripts, so that literals land next to, inside and
// across words, in both fields.
func generatedEvents(c *Classifier, n int) []*cal.Event {
	lits := c.pre.literals()
	noise := []string{" ", "-", ":", "\n", "/", "1", "42", "x", "the", "ß", "ü", "İ", "ı", "Σ", "σ", "ς", "K", "ſ",
		"🍕", "👍🏽", "é", "\xff", "\u00a0", "(", ")", "[PAY-1234]", "Re: ", "FW: "}
	rng := rand.New(rand.NewPCG(3, 1))
	word := func() string {
		if rng.IntN(3) == 0 {
			return noise[rng.IntN(len(noise))]
		}
		w := lits[rng.IntN(len(lits))]
		switch rng.IntN(4) {
		case 0:
			w = strings.ToUpper(w)
		case 1:
			w = strings.ToTitle(w[:1]) + w[1:]
		case 2:
			w = strings.ReplaceAll(strings.ReplaceAll(w, "k", "\u212a"), "s", "ſ")
		}
		return w
	}
	phrase := func(max int) string {
		var b strings.Builder
		for range rng.IntN(max + 1) {
			b.WriteString(word())
		}
		return b.String()
	}
	events := make([]*cal.Event, n)
	for i := range events {
		events[i] = event(phrase(5), withDescription(phrase(3)), withPeople(1+i%4))
	}
	return events
}

func FuzzPrefilterAgrees(f *testing.F) {
	for _, s := range [][2]string{
		{"Design review", ""}, {"Sync", "see RFC-12"}, {"STAND-UP", ""}, {"ſtand-up", ""},
		{"1:1 \u212aim", ""}, {"Lunch 🍕", ""}, {"Urlaub", "Brückentag"}, {"İSTANBUL trip", "ΣΥΝΟΨΗ"},
		{"sync", "design"}, {"", "github.com/acme/x/pull/1"}, {"\xffout of office", "\xff"},
		{"Q&A: c++", "sync"}, {"x-x keys", ""}, {"go/nogo ops", "DÉJÀ vu"}, {"día\u212aeys", "ſick leave"},
	} {
		f.Add(s[0], s[1])
	}
	c := classifier(f, agreeRules, true)
	f.Fuzz(func(t *testing.T, title, description string) {
		checkAgrees(t, c, event(title, withDescription(description), withPeople(2)))
	})
}

// TestAutomatonFindsEveryLiteral compares the automaton with a plain
// search: every occurrence of every literal, overlapping or not, at the
// offset where it ends, in texts made of pieces of the literals, ASCII
// upper case and other scripts included; and an edge carries hasOut
// exactly when its target state ends some literal.
func TestAutomatonFindsEveryLiteral(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 16))
	pieces := []string{"a", "b", "ab", "ba", "aab", "é", "日", "本", " ", "-", "e"}
	upper := map[string]string{"a": "A", "b": "B", "ab": "Ab", "ba": "BA", "e": "E"}
	type hit struct{ lit, end int }
	for range 300 {
		set := map[string]bool{}
		for range 1 + rng.IntN(40) {
			var b strings.Builder
			for range 1 + rng.IntN(4) {
				b.WriteString(pieces[rng.IntN(len(pieces))])
			}
			set[b.String()] = true
		}
		lits := slices.Sorted(maps.Keys(set))
		rng.Shuffle(len(lits), func(i, j int) { lits[i], lits[j] = lits[j], lits[i] })
		a, ok := newAutomaton(lits)
		if !ok {
			t.Fatalf("newAutomaton(%q) failed", lits)
		}
		for range 30 {
			var b strings.Builder
			for range rng.IntN(14) {
				p := pieces[rng.IntN(len(pieces))]
				if u, ok := upper[p]; ok && rng.IntN(3) == 0 {
					p = u
				}
				b.WriteString(p)
			}
			text := b.String()
			var got []hit
			state := 0
			for i := 0; i < len(text); i++ {
				next := a.next[state*a.nclass+int(a.class[text[i]])]
				state = int(next &^ hasOut)
				outs := a.outs[a.outLo[state]:a.outHi[state]]
				if (next&hasOut != 0) != (len(outs) > 0) {
					t.Errorf("literals %q, text %q, offset %d: hasOut is %v, but the state has %d outputs", lits, text, i, next&hasOut != 0, len(outs))
				}
				for _, l := range outs {
					got = append(got, hit{int(l), i + 1})
				}
			}
			lower := string(normalize(nil, text))
			var want []hit
			for id, l := range lits {
				for o := 0; o+len(l) <= len(lower); o++ {
					if lower[o:o+len(l)] == l {
						want = append(want, hit{id, o + len(l)})
					}
				}
			}
			cmp := func(x, y hit) int { return x.end*1000 + x.lit - y.end*1000 - y.lit }
			slices.SortFunc(got, cmp)
			slices.SortFunc(want, cmp)
			if !slices.Equal(got, want) {
				t.Errorf("literals %q, text %q: got hits %v, want %v", lits, text, got, want)
			}
		}
	}
}
