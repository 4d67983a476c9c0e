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
	// leave the company or go to people who should not see titles.
	Redact bool
}

// WriteMarkdown writes a summary an engineer can paste into a note to
// their manager: per person, the weeks with hours per category and the
// share against the target, a one-line verdict, and the recurring meetings
// that took the most time.
func WriteMarkdown(w io.Writer, r Report, opt MarkdownOptions) error {
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
		b.WriteString("| Week |")
		for _, cat := range order {
			b.WriteString(" " + capitalize(cat) + " |")
		}
		b.WriteString(" Total | Time off | Share |\n|---|")
		for range order {
			b.WriteString("---:|")
		}
		b.WriteString("---:|---:|---:|\n")
		for _, wk := range p.Weeks {
			fmt.Fprintf(&b, "| %s |", wk.Week)
			if wk.NoData {
				b.WriteString(strings.Repeat(" |", len(order)+2) + " no data |\n")
				continue
			}
			for _, cat := range order {
				fmt.Fprintf(&b, " %s h |", hours(wk.Seconds[cat]))
			}
			share := "–"
			if wk.DesignShare != nil {
				share = percent(*wk.DesignShare, 0)
				if wk.BelowTarget {
					share = "**" + share + "** ▼"
				}
			}
			fmt.Fprintf(&b, " %s h | %s h | %s |\n", hours(wk.TotalSeconds), hours(wk.TimeOffSeconds), share)
		}
		if s := p.Summary; s != nil && s.DesignShare != nil {
			verdict := "at or above"
			if s.BelowTarget {
				verdict = "below"
			}
			fmt.Fprintf(&b, "\nOver these %d weeks %s of work time went to %s: %s the %s target; %d of %d weeks with data were below it.\n",
				s.Weeks, percent(*s.DesignShare, 0), targetCats, verdict, target, s.WeeksBelow, s.WeeksWithData)
		}
		if len(p.TopMeetings) > 0 {
			b.WriteString("\n### Recurring meetings that took the most time\n\n| Meeting | Category | Hours | Times |\n|---|---|---:|---:|\n")
			for i, m := range p.TopMeetings {
				title := mdText(m.Title)
				if opt.Redact {
					title = fmt.Sprintf("%s meeting %d", capitalize(m.Category), i+1)
				} else if title == "" {
					title = "(no title)"
				}
				fmt.Fprintf(&b, "| %s | %s | %s | %d |\n", title, m.Category, hours(m.Seconds), m.Count)
			}
		}
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write markdown report: %w", err)
	}
	return nil
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}

// mdText makes attacker-controlled text (a title, a calendar name) inert in
// Markdown: control characters and line breaks become spaces, and every
// character with a meaning in Markdown or HTML is backslash-escaped, so a
// title cannot add links, images, HTML or table cells to the note.
func mdText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsControl(r) || r == '\u2028' || r == '\u2029':
			b.WriteByte(' ')
		case strings.ContainsRune("\\`*_{}[]()<>#.!|~&:", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}
