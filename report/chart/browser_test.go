package chart

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/chromedp"

	"github.com/weekmap/weekmap/internal/browsertest"
	"github.com/weekmap/weekmap/report"
)

// TestHostileTitlesInBrowser opens the self-contained page from disk, as a
// user of `report --format html` would, with titles built to break out of
// the page, and checks that no injected code runs and every chart draws.
func TestHostileTitlesInBrowser(t *testing.T) {
	r := sampleReport()
	r.People[0].Name = `<img src=x onerror="window.__pwned='calendar'">`
	r.People[0].TopMeetings = nil
	hostile := []string{
		`</script><script>window.__pwned='script'</script>`,
		`<img src=x onerror="window.__pwned='img'">`,
		"line\u2028window.__pwned='u2028'\u2029",
		`__f__(window.__pwned='goecharts')__f__`,
	}
	last := &r.People[0].Weeks[len(r.People[0].Weeks)-1]
	for i, title := range hostile {
		r.People[0].TopMeetings = append(r.People[0].TopMeetings, report.Meeting{Title: title, Category: "review", Seconds: 3600, Count: 1})
		last.Events = append(last.Events, report.WeekEvent{Title: title, Start: last.Start.Add(time.Duration(9+i) * time.Hour),
			End: last.Start.Add(time.Duration(10+i) * time.Hour), Category: "review", Rule: "review", Seconds: 3600, Counted: true, Series: i + 1})
	}
	r.People[0].Collaborators = []report.Collaborator{{Key: `"><img src=x onerror="window.__pwned='address'">@evil.example`, Seconds: 3600, Meetings: 1}}
	file := filepath.Join(t.TempDir(), "report.html")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	// The selectors are not in the file `report --format html` writes, but
	// they are in the same page as served; the long name checks that they
	// wrap on a phone rather than widen the page.
	long := "team-platform-engineering-shared-oncall-calendar@group.calendar.google.com"
	opt := Options{
		Inline:      true,
		Person:      r.People[0].Name,
		People:      []string{r.People[0].Name, "oncall", long, `a"><script>window.__pwned='nav'</script>`},
		WeekChoices: []int{4, 8, 12, 26},
		Weeks:       4,
		Link:        rawLink,
	}
	if err := Render(f, r, opt); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	b := openPage(t, file, phone, true)
	ctx := b.Ctx
	// Each meeting's tooltip shows its title as text.
	var tips []string
	for i := range hostile {
		tips = append(tips, hoverBar(t, b, "chart-meetings", i))
	}
	// A click on the second meeting's bar lists its series' events.
	clickBar(t, b, "chart-meetings", 1)
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
	layout, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[
		document.documentElement.scrollWidth, window.innerWidth,
		document.querySelectorAll("nav.selector a").length,
		document.querySelectorAll("nav.selector a[aria-current]").length]`))
	if err != nil {
		t.Fatal(err)
	}
	navText, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`Array.from(document.querySelectorAll("nav.selector a")).map(function (a) { return a.textContent; }).join("|")`))
	if err != nil {
		t.Fatal(err)
	}
	// The titles as the events table shows them, after the click.
	eventTitles, err := chromedp.Run(ctx, chromedp.Evaluate[string](
		`Array.from(document.querySelectorAll("[data-events] tbody tr:not([hidden]) td.title")).map(function (td) { return td.textContent; }).join("|")`))
	if err != nil {
		t.Fatal(err)
	}
	// ECharts' own record of the colour each point was drawn in.
	shareColours, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(function () {
		var data = echarts.getInstanceByDom(document.getElementById("chart-share")).getModel().getSeriesByIndex(0).getData();
		var out = [];
		for (var i = 0; i < data.count(); i++) { out.push(String(data.getItemVisual(i, "style").fill)); }
		return out;
	})()`))
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
	for _, p := range eval[[]string](t, b, labelProblems) {
		t.Error(p)
	}
	if layout[0] > phone || layout[1] != phone {
		t.Errorf("got a page %d px wide in a %d px window, want it within the phone's %d px", layout[0], layout[1], phone)
	}
	if layout[2] != len(opt.People)+len(opt.WeekChoices) || layout[3] != 2 {
		t.Errorf("got %d selector links, %d current, want %d and 2", layout[2], layout[3], len(opt.People)+len(opt.WeekChoices))
	}
	for _, name := range opt.People {
		if !strings.Contains(navText, name) {
			t.Errorf("got selector labels %q, want them to contain %q unchanged", navText, name)
		}
	}
	// Weeks 45 and 48 meet the target or miss it as sampleReport has them;
	// 46 has no work time and draws no point.
	for i, want := range map[int]string{0: shareColour, 2: belowColour, 3: belowColour} {
		if i >= len(shareColours) || !strings.EqualFold(shareColours[i], want) {
			t.Errorf("got share point colours %q, want %s at %d", shareColours, want, i)
		}
	}
	for _, m := range r.People[0].TopMeetings {
		if !strings.Contains(meetingLabels, m.Title) {
			t.Errorf("got meeting labels %q, want them to contain %q unchanged", meetingLabels, m.Title)
		}
	}
	// The events table shows each title as text (line separators as
	// spaces, which displayText makes of them).
	if got := strings.Count(eventTitles, "|") + 1; eventTitles == "" || got != 1 {
		t.Errorf("after a click on the second meeting's bar: got titles %q, want its one event", eventTitles)
	}
	if want := displayText(hostile[1]); eventTitles != want {
		t.Errorf("got event title %q, want %q as text", eventTitles, want)
	}
	for i, tip := range tips {
		if title := strings.NewReplacer("\u2028", "", "\u2029", "").Replace(hostile[i]); !strings.Contains(strings.NewReplacer("\n", "", "\u2028", "", "\u2029", "").Replace(tip), title[:20]) {
			t.Errorf("got tooltip %q over meeting %d, want its title %q as text", tip, i, hostile[i])
		}
	}
}

// clickBar clicks, with the mouse, the bar of the i-th data item of a
// chart's first series.
func clickBar(t *testing.T, b *browsertest.Browser, id string, i int) {
	t.Helper()
	at := barCentre(t, b, id, i)
	if err := chromedp.Do(b.Ctx, chromedp.MouseClickXY(at[0], at[1]), chromedp.Sleep(100*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
}

// hoverBar moves the mouse over the bar of the i-th data item of a chart's
// first series and returns the text of the tooltip it brings up.
func hoverBar(t *testing.T, b *browsertest.Browser, id string, i int) string {
	t.Helper()
	at := barCentre(t, b, id, i)
	if err := chromedp.Do(b.Ctx, chromedp.MouseEvent(input.DispatchMouseEventTypeMouseMoved, at[0], at[1]), chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	return eval[string](t, b, `(function () {
		var tip = document.getElementById(`+strconv.Quote(id)+`).lastElementChild;
		return tip ? tip.innerText : "";
	})()`)
}

// barCentre is where on the screen the i-th bar of a chart is, scrolled
// into view.
func barCentre(t *testing.T, b *browsertest.Browser, id string, i int) []float64 {
	t.Helper()
	at := eval[[]float64](t, b, `(function () {
		var el = document.getElementById(`+strconv.Quote(id)+`);
		el.scrollIntoView({block: "center"});
		var g = echarts.getInstanceByDom(el).getModel().getSeriesByIndex(0).getData().getItemGraphicEl(`+strconv.Itoa(i)+`);
		var r = g.getBoundingRect().clone();
		if (g.transform) { r.applyTransform(g.transform); }
		var box = el.getBoundingClientRect();
		var x = box.left + r.x + r.width / 2, y = box.top + r.y + r.height / 2;
		return [x, y];
	})()`)
	return at
}

// TestAllCalendarsInBrowser opens the file `report --format html` writes
// for several calendars, one with a hostile name, at phone width: every
// calendar's charts draw, nothing injected runs, and the in-page calendar
// links jump to their calendar.
func TestAllCalendarsInBrowser(t *testing.T) {
	r := hostileCalendars()
	file := filepath.Join(t.TempDir(), "report.html")
	var page strings.Builder
	if err := Render(&page, r, Options{Inline: true, AllPeople: true}); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(page.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	want := len(options(t, page.String()))

	b := openPage(t, file, phone, true)
	ctx := b.Ctx
	got, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`[
		document.querySelectorAll("[_echarts_instance_]").length,
		document.documentElement.scrollWidth, window.innerWidth]`))
	if err != nil {
		t.Fatal(err)
	}
	last := len(r.People)
	jump, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(function () {
		document.querySelector('#person-1 nav.selector a[href="#person-`+strconv.Itoa(last)+`"]').click();
		var top = document.getElementById("person-`+strconv.Itoa(last)+`").getBoundingClientRect().top;
		return [location.hash, String(Math.round(top)), String(window.__pwned || "")];
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if problems := b.Problems(); len(problems) > 0 {
		t.Errorf("got %q, want no exceptions or console errors", problems)
	}
	if got[0] != want {
		t.Errorf("got %d charts drawn, want all %d of %d calendars", got[0], want, last)
	}
	if got[1] > phone || got[2] != phone {
		t.Errorf("got a page %d px wide in a %d px window, want it within the phone's %d px", got[1], got[2], phone)
	}
	if jump[0] != "#person-"+strconv.Itoa(last) || jump[1] != "0" {
		t.Errorf("after clicking the last calendar's link: hash %q, its top at %s px; want it scrolled to the top", jump[0], jump[1])
	}
	if jump[2] != "" {
		t.Errorf("got injected code run (%s), want the calendar name kept as text", jump[2])
	}
}
