package main

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/classify"
	"github.com/weekmap/weekmap/report"
)

type labelOptions struct {
	person string
	weeks  int
}

func newLabelCmd(a *app) *cobra.Command {
	var o labelOptions
	cmd := &cobra.Command{
		Use:   "label [--weeks N] [--person NAME]",
		Short: "Correct the categories the rules get wrong, one key per meeting, into your labels_file",
		Long: `label walks the events that matter most in the last weeks: first the guesses
(events the fallback decided, or a rule that looked only at the number of
attendees, the duration, the organizer or whether it recurs), then the rest,
each by hours. For each recurring series (or single event) it shows the title,
when, the hours, the category and the rule, and one key sets the category: for
the whole series, one event at a time (e), or every event with that title (t).
s skips, q quits. Every choice is written to the labels_file at once, keeping
what it held; the next report uses it.

Without a terminal, label prints the same list, one label a line, to edit and
paste under labels: in the labels_file.`,
		Example: `  weekmap label
  weekmap label --weeks 8 --person ann
  weekmap label > to-label.yaml`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runLabel(cmd.Context(), a, o, os.Stdin)
		},
	}
	cmd.Flags().IntVar(&o.weeks, "weeks", 4, "the last `N` ISO weeks, ending with the current one")
	cmd.Flags().StringVar(&o.person, "person", "", "only the events of person `NAME` (default: everyone)")
	return cmd
}

// labelItem is what one choice labels: a recurring series (all its
// events in the weeks) or one event.
type labelItem struct {
	// kind is classify.LabelSeries or classify.LabelEvent.
	kind string
	// key is the series id or the event id; calendar the event's.
	key, calendar string
	events        []report.Classified
	hours         float64
	// vague says the rules guessed (classify.Classifier.Vague) for one of
	// the events.
	vague bool
}

// latest is the item's last event: its title, time and category are shown.
func (it *labelItem) latest() *report.Classified { return &it.events[len(it.events)-1] }

// differ counts the events whose category is not the latest's.
func (it *labelItem) differ() int {
	n := 0
	for i := range it.events {
		if it.events[i].Category != it.latest().Category {
			n++
		}
	}
	return n
}

func runLabel(ctx context.Context, a *app, o labelOptions, stdin *os.File) error {
	if o.weeks < 1 || o.weeks > 520 {
		return usagef("--weeks %d: use a number from 1 to 520", o.weeks)
	}
	p, err := a.openPipeline(ctx)
	if err != nil {
		return err
	}
	defer p.store.Close()
	people, err := selectPeople(p.cfg, o.person, "")
	if err != nil {
		return err
	}
	if p.cfg.LabelsFile == "" {
		return fmt.Errorf("%s sets no labels_file: add one, like labels_file: ./labels.yaml", p.cfg.File)
	}
	labels, err := classify.ReadLabelFile(p.cfg.LabelsFile)
	if err != nil {
		return err
	}
	names, err := calendarNames(p.cfg.Sources, "")
	if err != nil {
		return err
	}
	if err := p.warnUnsynced(ctx, a, "label", names); err != nil {
		return err
	}
	weeks := report.LastWeeks(a.now(), o.weeks, p.loc)
	from, to := weeks[0].Start, weeks[len(weeks)-1].End
	items, err := p.labelItems(ctx, people, from, to)
	if err != nil {
		return err
	}
	span := weeks[0].String()
	if len(weeks) > 1 {
		span += " to " + weeks[len(weeks)-1].String()
	}
	out, ok := a.stdout.(*os.File)
	if ok && term.IsTerminal(int(out.Fd())) && term.IsTerminal(int(stdin.Fd())) {
		s := &labelSession{file: labels, categories: append(p.cfg.WorkCategories(), cal.Ignore, cal.Off), loc: p.loc, items: items, span: span}
		return s.runTerminal(stdin, out)
	}
	return writeLabelList(a.stdout, items, p.loc, span, p.cfg.LabelsFile)
}

// labelItems returns the events of people in [from, to) worth labeling,
// grouped by series, guesses first, then by hours. Worth labeling are the
// timed events that count as work, or that a rule took out as ignore or
// off; the events a label or a holidays calendar decides are not.
func (p *pipeline) labelItems(ctx context.Context, people []string, from, to time.Time) ([]*labelItem, error) {
	bySeries := map[string]*labelItem{}
	var items []*labelItem
	for _, person := range people {
		pe, err := report.LoadPerson(ctx, p.store, p.cfg, p.classify, person, from, to)
		if err != nil {
			return nil, err
		}
		verdicts := report.Verdicts(p.cfg.Week, pe.Calendars, pe.Events)
		for i, e := range pe.Events {
			v := verdicts[i]
			switch {
			case e.Rule == classify.LabelRule || e.Rule == report.HolidaysRule || e.AllDay:
				continue
			case !cal.Overlaps(e.Start, e.End, from, to):
				continue
			case v.Counted, v.Reason == report.ReasonIgnored,
				v.Reason == report.ReasonTimeOff && e.Category == cal.Off && e.EventType != cal.TypeOutOfOffice:
			default:
				continue
			}
			it := bySeries[e.RecurringEventID]
			if it == nil {
				it = &labelItem{kind: classify.LabelSeries, key: e.RecurringEventID}
				if e.RecurringEventID == "" {
					it.kind, it.key, it.calendar = classify.LabelEvent, e.ID, e.Calendar
				} else {
					bySeries[e.RecurringEventID] = it
				}
				items = append(items, it)
			}
			it.events = append(it.events, e)
			it.hours += e.Duration().Hours()
			it.vague = it.vague || p.cls.Vague(&e.Event)
		}
	}
	for _, it := range items {
		slices.SortFunc(it.events, func(a, b report.Classified) int { return a.Start.Compare(b.Start) })
	}
	slices.SortStableFunc(items, func(a, b *labelItem) int {
		if a.vague != b.vague {
			if a.vague {
				return -1
			}
			return 1
		}
		return cmp.Or(cmp.Compare(b.hours, a.hours), b.latest().Start.Compare(a.latest().Start),
			strings.Compare(a.kind+a.calendar+"\x00"+a.key, b.kind+b.calendar+"\x00"+b.key))
	})
	return items, nil
}

// describe says how much of the weeks the item took and when, in one line
// without the title: "series of 4 events, 4.0 h; latest Tue 2026-11-17
// 10:00-11:00 (work)".
func (it *labelItem) describe(loc *time.Location) string {
	e := it.latest()
	when := e.Start.In(loc).Format("Mon 2006-01-02 15:04") + "-" + e.End.In(loc).Format("15:04")
	// Calendar names are the config's own, letters, digits and .-_.
	if it.kind == classify.LabelSeries {
		n := "1 event"
		if len(it.events) > 1 {
			n = strconv.Itoa(len(it.events)) + " events"
		}
		return fmt.Sprintf("series of %s, %.1f h; latest %s (%s)", n, it.hours, when, e.Calendar)
	}
	return fmt.Sprintf("one event, %.1f h; %s (%s)", it.hours, when, e.Calendar)
}

// now says what the rules make of the item: "implementation by fallback
// (a guess)".
func (it *labelItem) now() string {
	e := it.latest()
	s := e.Category + " by " + e.Rule
	if it.vague {
		s += " (a guess)"
	}
	if n := it.differ(); n > 0 {
		s += fmt.Sprintf("; %d of its %d events are something else", n, len(it.events))
	}
	return s
}

// writeLabelList prints the items as labels to edit, one a line, for when
// there is no terminal to ask on.
func writeLabelList(w io.Writer, items []*labelItem, loc *time.Location, span, path string) error {
	var b strings.Builder
	if len(items) == 0 {
		fmt.Fprintf(&b, "# weekmap label: nothing to label in %s\n", span)
		_, err := io.WriteString(w, b.String())
		return err
	}
	fmt.Fprintf(&b, "# weekmap label: %d to check in %s, guesses first, then by hours.\n", len(items), span)
	fmt.Fprintf(&b, "# Not a terminal, so here they are to edit: set the categories, and paste the\n")
	fmt.Fprintf(&b, "# lines you want under labels: in %s.\n", path)
	for _, it := range items {
		e := it.latest()
		target := "series: " + strconv.Quote(it.key)
		if it.kind == classify.LabelEvent {
			target = "event: " + strconv.Quote(it.key) + ", calendar: " + strconv.Quote(it.calendar)
		}
		// strconv.Quote escapes every control and bidi character, in
		// escapes that mean the same in YAML's double quotes.
		fmt.Fprintf(&b, "  - {%s, category: %s, note: %s}  # %s; now %s\n",
			target, e.Category, strconv.Quote(e.Title), it.describe(loc), it.now())
	}
	_, err := io.WriteString(w, b.String())
	return err
}
