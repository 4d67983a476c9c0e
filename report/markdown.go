package report

import (
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/weekmap/weekmap/cal"
)

// MarkdownOptions tune WriteMarkdown.
type MarkdownOptions struct {
	// Redact replaces meeting titles with their category, for notes that
	// leave the company or go to people who should not see titles. A
	// report from Report.Redact is written redacted either way.
	Redact bool
}

// WriteMarkdown writes a summary an engineer can paste into a note to
// their manager: per person, the weeks with hours per category and the
// share against the target, a one-line verdict, how the time went
// (meetings by size, time alone, unscheduled, recurring or not), the
// recurring meetings and the people that took the most of it; then each
// team (see writeTeamMarkdown). Hours add up to the totals printed next to
// them (see Rounded). Redacted, it holds
// no titles and no addresses.
func WriteMarkdown(w io.Writer, r Report, opt MarkdownOptions) error {
	if opt.Redact && !r.Redacted {
		r = r.Redact()
	}
	order := r.Categories
	if len(order) == 0 {
		order = cal.BuiltinWork()
	}
	var b strings.Builder
	target := percent(r.Target.MinShare, -1)
	targetCats := strings.Join(r.Target.Categories, ", ")
	fmt.Fprintf(&b, "# Where the time went\n\nTarget: at least %s of work time in %s (weeks in %s).\n", target, targetCats, r.Timezone)
	for _, p := range r.People {
		if len(p.Weeks) == 0 {
			continue
		}
		// Person names are configured names: no escaping needed.
		fmt.Fprintf(&b, "\n## %s, %s to %s\n\n", p.Name, p.Weeks[0].Week, p.Weeks[len(p.Weeks)-1].Week)
		writeMarkdownHeader(&b, order, "Total", "Time off", "Share")
		for _, wk := range p.Weeks {
			fmt.Fprintf(&b, "| %s |", wk.Week)
			if wk.NoData {
				b.WriteString(strings.Repeat(" |", len(order)+2) + " no data |\n")
				continue
			}
			h := r.RoundWeek(wk)
			for _, cat := range order {
				fmt.Fprintf(&b, " %s h |", FormatTenths(h.Categories[cat]))
			}
			share := "–"
			if wk.DesignShare != nil {
				share = percent(*wk.DesignShare, 0)
				if wk.BelowTarget {
					share = "**" + share + "** ▼"
				}
			}
			fmt.Fprintf(&b, " %s h | %s h | %s |\n", FormatTenths(h.Total), FormatTenths(h.TimeOff), share)
		}
		if s := p.Summary; s != nil && s.DesignShare != nil {
			verdict := "at or above"
			if s.BelowTarget {
				verdict = "below"
			}
			fmt.Fprintf(&b, "\nOver these %d weeks %s of work time went to %s: %s the %s target; %d of %d weeks with data were below it.\n",
				s.Weeks, percent(*s.DesignShare, 0), targetCats, verdict, target, s.WeeksBelow, s.WeeksWithData)
		}
		if s := p.Summary; s != nil && s.TotalSeconds > 0 {
			writeMarkdownSplits(&b, r, *s)
		}
		if len(p.TopMeetings) > 0 {
			b.WriteString("\n### Recurring meetings that took the most time\n\n| Meeting | Category | Hours | Times |\n|---|---|---:|---:|\n")
			for i, m := range p.TopMeetings {
				title := mdText(m.Title)
				if r.Redacted {
					title = fmt.Sprintf("%s meeting %d", capitalize(m.Category), i+1)
				} else if title == "" {
					title = "(no title)"
				}
				fmt.Fprintf(&b, "| %s | %s | %s | %d |\n", title, m.Category, hours(m.Seconds), m.Count)
			}
		}
		if len(p.Collaborators) > 0 {
			b.WriteString("\n### People met most, in meetings of 2 to 8\n\n| Person | Hours | Meetings |\n|---|---:|---:|\n")
			for _, c := range p.Collaborators {
				fmt.Fprintf(&b, "| %s | %s | %d |\n", mdText(c.Key), hours(c.Seconds), c.Meetings)
			}
		}
	}
	for _, t := range r.Teams {
		writeTeamMarkdown(&b, t, order, r)
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write markdown report: %w", err)
	}
	return nil
}

// writeMarkdownSplits writes how a summary's work time went, as a table
// whose rows add up to its total.
// writeMarkdownHeader writes the header of a table of weeks: the week, a
// column per category of order, then the columns after, all numbers.
func writeMarkdownHeader(b *strings.Builder, order []string, after ...string) {
	b.WriteString("| Week |")
	for _, cat := range order {
		b.WriteString(" " + capitalize(cat) + " |")
	}
	for _, col := range after {
		b.WriteString(" " + col + " |")
	}
	b.WriteString("\n|---|" + strings.Repeat("---:|", len(order)+len(after)) + "\n")
}

func writeMarkdownSplits(b *strings.Builder, r Report, s Summary) {
	h := r.RoundSummary(s)
	b.WriteString("\n### How the time went\n\n| | Hours |\n|---|---:|\n")
	for _, row := range []struct {
		label string
		v     int64
	}{
		{"1:1 meetings", h.OneOnOne},
		{"Meetings of 3 to 8", h.SmallGroup},
		{"Meetings of 9 or more", h.LargeGroup},
		{"Events alone (focus blocks, work booked)", h.Solo},
		{"Unscheduled working time", h.Unscheduled},
	} {
		fmt.Fprintf(b, "| %s | %s h |\n", row.label, FormatTenths(row.v))
	}
	fmt.Fprintf(b, "| **Total** | **%s h** |\n", FormatTenths(h.Total))
	fmt.Fprintf(b, "\nRecurring events took %s h and one-off events %s h. Of %s h of %s, %s h were booked and %s h unscheduled.\n",
		FormatTenths(h.Recurring), FormatTenths(h.OneOff), FormatTenths(h.Categories[r.FocusCategory]), r.FocusCategory,
		FormatTenths(h.FocusBooked), FormatTenths(h.Unscheduled))
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// mdText makes attacker-controlled text (a title, an address) safe in a
// Markdown table cell while keeping it readable where Markdown is not
// rendered (Slack, Teams, a Google Doc show the backslashes): it escapes
// only what would change the note's structure — table pipes, backticks,
// link and image brackets, a "<" that would open an HTML tag, and a
// leading "#", "-", "+" or ">" — and a backslash that would otherwise
// escape what follows. Line breaks become spaces; other control characters
// and bidi controls (which could make a title read differently from what
// it is) are dropped. A bare URL stays visible text: no brackets can hide
// where it goes.
func mdText(s string) string {
	var b strings.Builder
	runes := []rune(s)
	for i, r := range runes {
		next := rune(0)
		if i+1 < len(runes) {
			next = runes[i+1]
		}
		switch {
		case r == '\n' || r == '\r' || r == '\t' || r == '\u2028' || r == '\u2029' || r == '\u0085':
			b.WriteByte(' ')
		case unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r):
		case r == '|' || r == '`' || r == '[' || r == ']':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '<' && (next == '/' || next == '!' || next == '?' || isASCIILetter(next)):
			b.WriteString("\\<")
		case r == '\\' && isASCIIPunct(next):
			b.WriteString("\\\\")
		default:
			b.WriteRune(r)
		}
	}
	out := strings.TrimSpace(b.String())
	if out != "" && strings.ContainsRune("#-+>", rune(out[0])) {
		out = "\\" + out
	}
	return out
}

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

// isASCIIPunct reports whether a backslash before r escapes it in Markdown.
func isASCIIPunct(r rune) bool {
	return r < unicode.MaxASCII && (unicode.IsPunct(r) || unicode.IsSymbol(r))
}
