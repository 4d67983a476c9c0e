package classify

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/internal/textsafe"
)

// Labeled is an event with the category a person gave it.
type Labeled struct {
	Event cal.Event
	Want  string
}

// Evaluation measures rules against labeled events.
type Evaluation struct {
	// Categories are those that occur in the labels or the results, in
	// report order (work categories, then ignore, then any others).
	Categories []string
	Scores     []Score
	// Confusion[want][got] counts events labeled want and classified got.
	Confusion map[string]map[string]int
	// MacroF1 is the mean F1 over Categories.
	MacroF1  float64
	Accuracy float64
	Total    int
	Misses   []Miss
}

// Score is one category's precision, recall and F1. Support is how many
// events are labeled with it.
type Score struct {
	Category                    string
	Precision, Recall, F1       float64
	TruePos, FalsePos, FalseNeg int
	Support                     int
}

// Miss is a misclassified event.
type Miss struct {
	ID, Title, Want, Got, Rule string
}

// Evaluate classifies every labeled event with c and scores the result.
func Evaluate(c *Classifier, items []Labeled) Evaluation {
	ev := Evaluation{Confusion: map[string]map[string]int{}, Total: len(items)}
	seen := map[string]bool{}
	correct := 0
	for i := range items {
		it := &items[i]
		res := c.Classify(&it.Event)
		if ev.Confusion[it.Want] == nil {
			ev.Confusion[it.Want] = map[string]int{}
		}
		ev.Confusion[it.Want][res.Category]++
		seen[it.Want], seen[res.Category] = true, true
		if res.Category == it.Want {
			correct++
			continue
		}
		ev.Misses = append(ev.Misses, Miss{ID: it.Event.ID, Title: it.Event.Title, Want: it.Want, Got: res.Category, Rule: res.Rule})
	}
	order := append(c.Categories(), cal.Ignore, cal.Off)
	for cat := range seen {
		if !slices.Contains(order, cat) {
			order = append(order, cat)
		}
	}
	for _, cat := range order {
		if seen[cat] {
			ev.Categories = append(ev.Categories, cat)
		}
	}
	for _, cat := range ev.Categories {
		s := Score{Category: cat}
		for want, row := range ev.Confusion {
			for got, n := range row {
				switch {
				case want == cat && got == cat:
					s.TruePos += n
				case got == cat:
					s.FalsePos += n
				case want == cat:
					s.FalseNeg += n
				}
			}
		}
		s.Support = s.TruePos + s.FalseNeg
		s.Precision = ratio(s.TruePos, s.TruePos+s.FalsePos)
		s.Recall = ratio(s.TruePos, s.Support)
		if s.Precision+s.Recall > 0 {
			s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
		}
		ev.Scores = append(ev.Scores, s)
		ev.MacroF1 += s.F1
	}
	if n := len(ev.Scores); n > 0 {
		ev.MacroF1 /= float64(n)
	}
	ev.Accuracy = ratio(correct, len(items))
	slices.SortStableFunc(ev.Misses, func(a, b Miss) int {
		if c := strings.Compare(a.Want, b.Want); c != 0 {
			return c
		}
		return strings.Compare(a.Got, b.Got)
	})
	return ev
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// WriteText prints the evaluation for a person: scores per category, the
// confusion matrix, and every misclassified event with the rule that took
// it, so the next rule to write is obvious.
func (e Evaluation) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "category\tprecision\trecall\tF1\tlabeled\t")
	for _, s := range e.Scores {
		fmt.Fprintf(tw, "%s\t%.3f\t%.3f\t%.3f\t%d\t\n", s.Category, s.Precision, s.Recall, s.F1, s.Support)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	correct := e.Total - len(e.Misses)
	fmt.Fprintf(w, "\nmacro-F1 %.3f, accuracy %.3f (%d of %d events)\n", e.MacroF1, e.Accuracy, correct, e.Total)

	fmt.Fprintln(w, "\nconfusion matrix (rows: labeled, columns: classified)")
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprint(tw, "\t")
	for _, c := range e.Categories {
		fmt.Fprintf(tw, "%s\t", c)
	}
	fmt.Fprintln(tw)
	for _, want := range e.Categories {
		fmt.Fprintf(tw, "%s\t", want)
		for _, got := range e.Categories {
			fmt.Fprintf(tw, "%d\t", e.Confusion[want][got])
		}
		fmt.Fprintln(tw)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(e.Misses) == 0 {
		_, err := fmt.Fprintln(w, "\nno misclassified events")
		return err
	}
	fmt.Fprintf(w, "\nmisclassified (%d): labeled -> classified, by rule\n", len(e.Misses))
	for _, m := range e.Misses {
		// Ids come from whoever sent the invitation: no escape sequence
		// of theirs reaches the terminal.
		fmt.Fprintf(w, "  %-10s %s -> %s (rule %s): %q\n", textsafe.Terminal(m.ID), m.Want, m.Got, textsafe.Terminal(m.Rule), m.Title)
	}
	return nil
}

// ReadLabels parses a labels file: one JSON object a line with "id" and
// "category" (other keys, like the "rule" of `weekmap classify` output,
// are ignored, so that output can be corrected by hand into labels). A
// category must be one of categories (the work categories) or ignore or
// off: a typo would otherwise score as a category of its own.
func ReadLabels(path string, data []byte, categories []string) (map[string]string, error) {
	labels := map[string]string{}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		var l struct {
			ID       string `json:"id"`
			Category string `json:"category"`
		}
		if err := json.Unmarshal([]byte(line), &l); err != nil {
			return nil, fmt.Errorf("labels file %s, line %d: %w", path, i+1, err)
		}
		if l.ID == "" || l.Category == "" {
			return nil, fmt.Errorf("labels file %s, line %d: needs an \"id\" and a \"category\"", path, i+1)
		}
		if !slices.Contains(categories, l.Category) && !cal.NotWork(l.Category) {
			return nil, fmt.Errorf("labels file %s, line %d: unknown category %q (want one of %s)", path, i+1, l.Category,
				strings.Join(append(slices.Clone(categories), cal.Ignore, cal.Off), ", "))
		}
		if _, dup := labels[l.ID]; dup {
			return nil, fmt.Errorf("labels file %s, line %d: id %q is labeled twice", path, i+1, l.ID)
		}
		labels[l.ID] = l.Category
	}
	return labels, nil
}
