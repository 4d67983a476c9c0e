package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"golang.org/x/term"

	"github.com/weekmap/weekmap/classify"
	"github.com/weekmap/weekmap/internal/atomicfile"
	"github.com/weekmap/weekmap/internal/textsafe"
)

// labelSession asks for a category for each item on a terminal, one key
// each, and saves every choice to the labels file as it is made.
type labelSession struct {
	file       *classify.LabelFile
	categories []string
	loc        *time.Location
	items      []*labelItem
	span       string
	saved      int
}

// Keys of the session. Categories take the digits, then the letters that
// are not one of these.
const (
	keyOneByOne = 'e'
	keyQuit     = 'q'
	keySkip     = 's'
	keyTitle    = 't'
	ctrlC       = 3
	ctrlD       = 4
)

const categoryKeys = "123456789abcdfghijklmnopruvwxyz"

// runTerminal puts the terminal in raw mode, so that one key is one
// answer, runs the session and restores the terminal.
func (s *labelSession) runTerminal(in, out *os.File) error {
	fd := int(in.Fd())
	state, err := term.MakeRaw(fd)
	if err != nil {
		return fmt.Errorf("terminal: %w", err)
	}
	defer term.Restore(fd, state)
	return s.run(bufio.NewReader(in), crlfWriter{out})
}

// run asks about every item, reading keys from r, until the items end or
// the person quits.
func (s *labelSession) run(r io.ByteReader, w io.Writer) error {
	if len(s.items) == 0 {
		fmt.Fprintf(w, "weekmap label: nothing to label in %s.\n", s.span)
		return nil
	}
	fmt.Fprintf(w, "weekmap label: %d to check in %s, guesses first, then by hours.\n", len(s.items), s.span)
	fmt.Fprintf(w, "Each choice is saved to %s at once.\n", textsafe.Terminal(s.file.Name()))
	var keys strings.Builder
	for i, c := range s.categories {
		if i < len(categoryKeys) {
			fmt.Fprintf(&keys, "  %c %s", categoryKeys[i], c)
		}
	}
	for i := 0; i < len(s.items); i++ {
		it := s.items[i]
		s.prune(it)
		if len(it.events) == 0 {
			continue
		}
		title := strings.TrimSpace(it.latest().Title)
		// A title label is the title itself, written into the file: not
		// for titles a terminal or an editor would show as something else.
		titleOK := title != "" && textsafe.Terminal(title) == title
		scope := it.kind
		fmt.Fprintf(w, "\n[%d/%d] \x1b[1m%s\x1b[0m\n  %s\n  now %s\n%s\n", i+1, len(s.items),
			textsafe.Terminal(it.latest().Title), it.describe(s.loc), it.now(), keys.String())
		s.options(w, it, scope, titleOK)
	ask:
		for {
			key, err := r.ReadByte()
			if errors.Is(err, io.EOF) {
				key = keyQuit
			} else if err != nil {
				return err
			}
			switch {
			case key == keyQuit || key == ctrlC || key == ctrlD:
				fmt.Fprintln(w, "  quit")
				return s.done(w)
			case key == keySkip:
				fmt.Fprintln(w, "  skipped")
				break ask
			case key == keyOneByOne && it.kind == classify.LabelSeries && len(it.events) > 1:
				fmt.Fprintln(w, "  one event at a time")
				s.items = append(s.items[:i], append(it.split(), s.items[i+1:]...)...)
				i-- // ask about the first of them
				break ask
			case key == keyTitle && titleOK:
				if scope == classify.LabelTitle {
					scope = it.kind
				} else {
					scope = classify.LabelTitle
				}
				s.options(w, it, scope, titleOK)
			default:
				k := strings.IndexByte(categoryKeys, key)
				if k < 0 || k >= len(s.categories) {
					continue // not a key of this question
				}
				if err := s.label(it, scope, title, s.categories[k]); err != nil {
					return err
				}
				fmt.Fprintf(w, "  -> %s, for %s\n", s.categories[k], scopeName(scope))
				break ask
			}
		}
	}
	return s.done(w)
}

// options prints the keys other than the categories for item it.
func (s *labelSession) options(w io.Writer, it *labelItem, scope string, titleOK bool) {
	parts := []string{"label " + scopeName(scope)}
	if scope == classify.LabelTitle {
		parts = append(parts, fmt.Sprintf("%c back to %s", keyTitle, scopeName(it.kind)))
	} else {
		if it.kind == classify.LabelSeries && len(it.events) > 1 {
			parts = append(parts, fmt.Sprintf("%c one event at a time", keyOneByOne))
		}
		if titleOK {
			parts = append(parts, fmt.Sprintf("%c every event titled this", keyTitle))
		}
	}
	parts = append(parts, fmt.Sprintf("%c skip", keySkip), fmt.Sprintf("%c quit", keyQuit))
	fmt.Fprintf(w, "  %s\n", strings.Join(parts, " | "))
}

func scopeName(scope string) string {
	switch scope {
	case classify.LabelSeries:
		return "the series"
	case classify.LabelTitle:
		return "every event titled this"
	}
	return "this event"
}

// label pins category to it in scope and saves the file.
func (s *labelSession) label(it *labelItem, scope, title, category string) error {
	l := classify.Label{Kind: scope, Key: it.key, Calendar: it.calendar, Category: category,
		Note: textsafe.Terminal(it.latest().Title)}
	switch scope {
	case classify.LabelTitle:
		l.Key, l.Calendar, l.Note = title, "", ""
	case classify.LabelEvent:
		l.Key, l.Calendar = it.latest().ID, it.latest().Calendar
	}
	if err := s.file.Set(l); err != nil {
		return err
	}
	data, err := s.file.Marshal()
	if err != nil {
		return err
	}
	// Labels hold titles: only their owner reads them.
	if err := atomicfile.Write(s.file.Name(), data, 0o600); err != nil {
		return err
	}
	s.saved++
	return nil
}

// prune drops the events of it that a label chosen since decides.
func (s *labelSession) prune(it *labelItem) {
	kept := it.events[:0]
	it.hours = 0
	for _, e := range it.events {
		if _, ok := s.file.Lookup(&e.Event); !ok {
			kept = append(kept, e)
			it.hours += e.Duration().Hours()
		}
	}
	it.events = kept
}

// split makes an item of each event of a series.
func (it *labelItem) split() []*labelItem {
	out := make([]*labelItem, len(it.events))
	for i, e := range it.events {
		out[i] = &labelItem{kind: classify.LabelEvent, key: e.ID, calendar: e.Calendar,
			events: it.events[i : i+1 : i+1], hours: e.Duration().Hours(), vague: it.vague}
	}
	return out
}

func (s *labelSession) done(w io.Writer) error {
	switch s.saved {
	case 0:
		fmt.Fprintln(w, "\nNo labels changed.")
	case 1:
		fmt.Fprintf(w, "\n1 label saved to %s; weekmap report uses it now.\n", textsafe.Terminal(s.file.Name()))
	default:
		fmt.Fprintf(w, "\n%d labels saved to %s; weekmap report uses them now.\n", s.saved, textsafe.Terminal(s.file.Name()))
	}
	return nil
}

// crlfWriter ends lines with CR LF, as a terminal in raw mode needs.
type crlfWriter struct{ w io.Writer }

func (c crlfWriter) Write(p []byte) (int, error) {
	if _, err := c.w.Write(bytes.ReplaceAll(p, []byte("\n"), []byte("\r\n"))); err != nil {
		return 0, err
	}
	return len(p), nil
}
