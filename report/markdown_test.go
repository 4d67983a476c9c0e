package report

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/weekmap/weekmap/config"
)

// TestMarkdownHostileTitles checks that a title cannot add links, images,
// HTML, headings or table cells to the note, and that --redact leaves no
// title at all. A bare URL stays as visible text: Markdown shows where it
// goes, as chat apps do with any pasted URL.
func TestMarkdownHostileTitles(t *testing.T) {
	r := sampleReport(t, func(*config.Week) {})
	hostile := []string{
		"[click](https://evil.example/x) ![img](https://evil.example/p.png)",
		"<img src=x onerror=alert(1)>",
		"a | b | c",
		"line one\n# Heading\r\n",
		"`code` and <!-- comment",
		"\\| escaped pipe",
	}
	r.People[0].TopMeetings = nil
	for _, h := range hostile {
		r.People[0].TopMeetings = append(r.People[0].TopMeetings, Meeting{Title: h, Category: "alignment", Seconds: 3600, Count: 1})
	}
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r, MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []*regexp.Regexp{
		regexp.MustCompile(`[^\\]\]\(`),      // a link or image
		regexp.MustCompile(`[^\\]<[a-z!/]`),  // an HTML tag or comment
		regexp.MustCompile("[^\\\\]`"),       // a code span
		regexp.MustCompile(`(?m)^# Heading`), // a heading
	} {
		if m := bad.FindString(out); m != "" {
			t.Errorf("markdown contains %q, want hostile titles escaped:\n%s", m, out)
		}
	}
	if !strings.Contains(out, `\<img src=x onerror=alert(1)>`) {
		t.Errorf("markdown lost the title's text; want it escaped, not dropped:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "| ") && strings.Contains(line, "| alignment |") {
			if cells := len(regexp.MustCompile(`(^|[^\\])(\\\\)*\|`).FindAllString(line, -1)); cells != 5 {
				t.Errorf("table row %q has %d unescaped pipes, want 5", line, cells)
			}
		}
	}

	b.Reset()
	if err := WriteMarkdown(&b, r, MarkdownOptions{Redact: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "evil") || strings.Contains(b.String(), "img") || strings.Contains(b.String(), "@example.com") {
		t.Errorf("redacted markdown still has titles or addresses:\n%s", b.String())
	}
}

// TestMarkdownPaste checks titles people really write against a golden
// note: what Markdown would read as structure is escaped, nothing else
// (no backslashes to show in Slack, Teams or a Google Doc, which paste the
// text as it is), and control and bidi characters are gone.
func TestMarkdownPaste(t *testing.T) {
	r := sampleReport(t, func(*config.Week) {})
	r.People = r.People[:1]
	r.People[0].TopMeetings = nil
	for _, title := range []string{
		"1:1 Sam <> me", "Q&A: roadmap 2027 (draft)", "PR #42 | infra", "[WIP] design review", "`kubectl` office hours",
		"-- offsite planning", "# planning", "> quoted", "+1 sync", "Team_sync_notes *urgent*", `C:\shared\notes`,
		"bidi \u202egnp.exe\u202c end", "tab\tand\nnewline", "<b>bold</b> & <3", "Café ☕ 🎉", "bell\a here", "a < b > c",
	} {
		r.People[0].TopMeetings = append(r.People[0].TopMeetings, Meeting{Title: title, Category: "alignment", Seconds: 1800, Count: 1})
	}
	var b bytes.Buffer
	if err := WriteMarkdown(&b, r, MarkdownOptions{}); err != nil {
		t.Fatal(err)
	}
	golden(t, filepath.Join("testdata", "paste.md"), b.Bytes())
}

func TestMDText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1:1 with Sam", "1:1 with Sam"},
		{"<> and <3 and a < b", "<> and <3 and a < b"},
		{"<img src=x>", `\<img src=x>`},
		{"</b> <!-- <?php", `\</b> \<!-- \<?php`},
		{"a|b", `a\|b`},
		{"[x](y)", `\[x\](y)`},
		{"`x`", "\\`x\\`"},
		{"# h", `\# h`},
		{"- item", `\- item`},
		{"> quote", `\> quote`},
		{"x - y # z > w", "x - y # z > w"},
		{`back\|slash`, `back\\\|slash`},
		{`C:\path`, `C:\path`},
		{"two\nlines\ttab", "two lines tab"},
		{"bidi\u202eevil\u2066x", "bidievilx"},
		{"  spaced  ", "spaced"},
		{"\u2028# after separator", `\# after separator`},
	}
	for _, tt := range tests {
		if got := mdText(tt.in); got != tt.want {
			t.Errorf("mdText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCSVFormulaInjection(t *testing.T) {
	r := sampleReport(t, func(*config.Week) {})
	r.People[0].Name = "=HYPERLINK(\"http://evil\")"
	var b bytes.Buffer
	if err := WriteCSV(&b, r); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(b.String(), "\n")[1:] {
		if strings.HasPrefix(line, "=") || strings.HasPrefix(line, `"=`) {
			t.Errorf("CSV row starts with a formula: %q", line)
		}
	}
}
