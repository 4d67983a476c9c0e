package report

import (
	"bytes"
	"strings"
	"testing"

	"github.com/weekmap/weekmap/config"
)

// TestMarkdownHostileTitles checks that a title cannot add links, images,
// HTML, headings or table cells to the note, and that --redact leaves no
// title at all.
func TestMarkdownHostileTitles(t *testing.T) {
	r := sampleReport(t, func(*config.Week) {})
	hostile := []string{
		"[click](https://evil.example/x) ![img](https://evil.example/p.png)",
		"<img src=x onerror=alert(1)>",
		"a | b | c",
		"line one\n# Heading\r\n",
		"www.evil.example and https://evil.example",
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
	for _, bad := range []string{"](", " <img", "\n# Heading", "a | b", "https://", "www.evil"} {
		if strings.Contains(out, bad) {
			t.Errorf("markdown contains %q, want hostile titles escaped:\n%s", bad, out)
		}
	}
	if !strings.Contains(out, `\<img src=x onerror=alert\(1\)\>`) {
		t.Errorf("markdown lost the title's text; want it escaped, not dropped:\n%s", out)
	}
	for _, line := range strings.Split(out, "\n") {
		if strings.HasPrefix(line, "| ") && strings.Count(strings.ReplaceAll(line, `\|`, ""), "|") != 5 && strings.Contains(line, "alignment") {
			t.Errorf("table row %q has the wrong number of cells", line)
		}
	}

	b.Reset()
	if err := WriteMarkdown(&b, r, MarkdownOptions{Redact: true}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(b.String(), "evil") || strings.Contains(b.String(), "img") {
		t.Errorf("redacted markdown still has titles:\n%s", b.String())
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
