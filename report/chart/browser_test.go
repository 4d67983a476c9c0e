package chart

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/weekmap/weekmap/internal/browsertest"
	"github.com/weekmap/weekmap/report"
)

// TestHostileTitlesInBrowser opens the self-contained page from disk, as a
// user of `report --format html` would, with titles built to break out of
// the page, and checks that no injected code runs and every chart draws.
func TestHostileTitlesInBrowser(t *testing.T) {
	r := sampleReport()
	r.Calendars[0].Name = `<img src=x onerror="window.__pwned='calendar'">`
	r.Calendars[0].TopMeetings = nil
	for _, title := range []string{
		`</script><script>window.__pwned='script'</script>`,
		`<img src=x onerror="window.__pwned='img'">`,
		"line\u2028window.__pwned='u2028'\u2029",
		`__f__(window.__pwned='goecharts')__f__`,
	} {
		r.Calendars[0].TopMeetings = append(r.Calendars[0].TopMeetings, report.Meeting{Title: title, Category: "review", Seconds: 3600, Count: 1})
	}
	file := filepath.Join(t.TempDir(), "report.html")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := Render(f, r, Options{Inline: true, Calendar: r.Calendars[0].Name}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	b := browsertest.New(t, 390, 1600) // a phone
	ctx := b.Ctx
	// The pause lets an injected <img onerror> fire if one was made.
	if err := chromedp.Do(ctx, chromedp.Navigate("file://"+file), chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	pwned, err := chromedp.Run(ctx, chromedp.Evaluate[string](`String(window.__pwned || "")`))
	if err != nil {
		t.Fatal(err)
	}
	charts, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("[_echarts_instance_]").length`))
	if err != nil {
		t.Fatal(err)
	}
	meetingLabels, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`echarts.getInstanceByDom(document.getElementById("chart-meetings")).getOption().yAxis[0].data.join("|")`))
	if err != nil {
		t.Fatal(err)
	}
	if alerted, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`String(window.__alerted || "")`)); alerted != "" {
		t.Errorf("got an alert from injected code (%s), want titles kept as text", alerted)
	}
	if pwned != "" {
		t.Errorf("got injected code run (%s), want titles kept as text", pwned)
	}
	if problems := b.Problems(); len(problems) > 0 {
		t.Errorf("got %q, want no exceptions or console errors", problems)
	}
	if charts != 4 {
		t.Errorf("got %d charts drawn, want 4", charts)
	}
	for _, m := range r.Calendars[0].TopMeetings {
		if !strings.Contains(meetingLabels, m.Title) {
			t.Errorf("got meeting labels %q, want them to contain %q unchanged", meetingLabels, m.Title)
		}
	}
}
