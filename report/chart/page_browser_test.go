package chart

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/weekmap/weekmap/internal/browsertest"
	"github.com/weekmap/weekmap/report"
)

// The widths the page is checked at: a desktop window and a phone.
const (
	desktop = 1280
	phone   = 390
)

// openPage opens file in headless Chromium at width CSS pixels; below 500
// it emulates a phone, as Chromium's window cannot be that narrow. With
// script false the page runs without JavaScript.
func openPage(t *testing.T, file string, width int, script bool) *browsertest.Browser {
	t.Helper()
	b := browsertest.New(t, max(width, 500), 1000)
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.EmulateViewport(int64(width), 900, chromedp.EmulatePortrait, func(p *emulation.SetDeviceMetricsOverrideParams, _ *emulation.SetTouchEmulationEnabledParams) {
			p.Mobile = width < 500
		}),
	}
	if !script {
		steps = append(steps, chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}))
	}
	// The pause lets the charts draw, and an injected <img onerror> fire
	// if one was made.
	steps = append(steps, chromedp.Navigate("file://"+file), chromedp.Sleep(400*time.Millisecond))
	if err := chromedp.Do(b.Ctx, steps...); err != nil {
		t.Fatal(err)
	}
	return b
}

// checkDrawn checks the page in b at width: charts drawn (each with a
// canvas), no label cut, and the page no wider than the window. A phone
// zooms out of a page wider than it, which makes the window wider too:
// both must stay at the width asked for.
func checkDrawn(t *testing.T, b *browsertest.Browser, width, charts int) {
	t.Helper()
	drawn := eval[[]int](t, b, `[document.querySelectorAll("[_echarts_instance_]").length,
		document.querySelectorAll("[_echarts_instance_] canvas").length,
		document.documentElement.scrollWidth, window.innerWidth]`)
	if drawn[0] != charts || drawn[1] < charts {
		t.Errorf("got %d charts and %d canvases, want %d charts drawn", drawn[0], drawn[1], charts)
	}
	if drawn[2] > width || drawn[3] != width {
		t.Errorf("got a page %d px wide in a %d px window, want it within %d px", drawn[2], drawn[3], width)
	}
	for _, p := range eval[[]string](t, b, labelProblems) {
		t.Error(p)
	}
}

// writePage renders r as `report --format html` does into a file.
func writePage(t *testing.T, r report.Report) string {
	t.Helper()
	var page bytes.Buffer
	if err := Render(&page, r, Options{Inline: true, AllPeople: true}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "report.html")
	if err := os.WriteFile(file, page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

func eval[T any](t *testing.T, b *browsertest.Browser, js string) T {
	t.Helper()
	v, err := chromedp.Run(b.Ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("%v in %.80q", err, js)
	}
	return v
}

// labelProblems asks ECharts what it drew: every chart's labels must be
// whole (all their text drawn, none cut to "..."), inside the canvas and
// clear of each other, and no legend may page ("1/2").
const labelProblems = `(function () {
	var problems = [];
	document.querySelectorAll("[_echarts_instance_]").forEach(function (el) {
		var chart = echarts.getInstanceByDom(el);
		var w = chart.getWidth(), h = chart.getHeight();
		(chart.getOption().legend || []).forEach(function (l) {
			if (l.show !== false && l.type === "scroll") {
				problems.push(el.id + ": a legend that pages");
			}
		});
		// Each label is a text element drawn as one span a line; what the
		// spans say must be all the label says, or ECharts cut it.
		var texts = [], lines = [];
		chart.getZr().storage.getDisplayList(true).forEach(function (d) {
			if (d.style && typeof d.style.text === "string" && d.style.text !== "" && d.parent) {
				var i = texts.indexOf(d.parent);
				if (i < 0) {
					texts.push(d.parent);
					lines.push("");
					i = texts.length - 1;
				}
				lines[i] += d.style.text;
			}
		});
		texts.forEach(function (t, i) {
			var whole = String(t.style.text).split(/\s+/).join(""), shown = lines[i].split(/\s+/).join("");
			if (shown !== whole) {
				problems.push(el.id + ": label " + JSON.stringify(t.style.text) + " cut to " + JSON.stringify(lines[i]));
			}
		});
		var rects = texts.map(function (t) {
			var r = t.getBoundingRect().clone();
			if (t.transform) {
				r.applyTransform(t.transform);
			}
			var text = t.style.text;
			if (r.x < -1 || r.y < -1 || r.x + r.width > w + 1 || r.y + r.height > h + 1) {
				problems.push(el.id + ": label " + JSON.stringify(text) + " beyond the chart's " + w + "×" + h + " px: " +
					[r.x, r.y, r.width, r.height].map(Math.round).join(","));
			}
			return { r: r, text: text };
		});
		for (var i = 0; i < rects.length; i++) {
			for (var j = i + 1; j < rects.length; j++) {
				var a = rects[i].r, b = rects[j].r;
				if (a.x + 1 < b.x + b.width && b.x + 1 < a.x + a.width && a.y + 1 < b.y + b.height && b.y + 1 < a.y + a.height) {
					problems.push(el.id + ": labels " + JSON.stringify(rects[i].text) + " and " + JSON.stringify(rects[j].text) + " overlap");
				}
			}
		}
	});
	return problems;
})()`

// TestPageInBrowser opens the page people get of twelve weeks of a real
// calendar, on a desktop and on a phone: every chart draws, no label is
// cut or paged, the table says what the JSON says, a click on a category
// or a figure lists the events behind it, and a screenshot is kept (in
// $WEEKMAP_ARTIFACTS if set) for people to look at.
func TestPageInBrowser(t *testing.T) {
	r := realisticReport(t)
	file := writePage(t, r)
	var js bytes.Buffer
	if err := report.WriteJSON(&js, r); err != nil {
		t.Fatal(err)
	}
	var fromJSON struct {
		People []struct {
			Weeks []struct {
				Week         string           `json:"week"`
				Seconds      map[string]int64 `json:"seconds"`
				TotalSeconds int64            `json:"total_seconds"`
				TimeOff      int64            `json:"time_off_seconds"`
				NoData       bool             `json:"no_data"`
				DesignShare  *float64         `json:"design_share"`
			} `json:"weeks"`
		} `json:"people"`
	}
	if err := json.Unmarshal(js.Bytes(), &fromJSON); err != nil {
		t.Fatal(err)
	}
	weeks := fromJSON.People[0].Weeks
	person := r.People[0]

	for _, width := range []int{desktop, phone} {
		t.Run(strconv.Itoa(width), func(t *testing.T) {
			b := openPage(t, file, width, true)
			checkDrawn(t, b, width, 4)
			// The legend wraps rather than pages: every category on screen.
			if off := eval[[]string](t, b, `Array.from(document.querySelectorAll(".legend a")).filter(function (a) {
				var r = a.getBoundingClientRect(); return r.right > window.innerWidth || r.left < 0 || r.width === 0;
			}).map(function (a) { return a.textContent; })`); len(off) > 0 {
				t.Errorf("got legend entries %q off screen, want every one shown", off)
			}
			for _, p := range b.Problems() {
				t.Errorf("browser reported %s", p)
			}

			// The table, cell by cell, against the JSON.
			rows := eval[[]map[string]string](t, b, `Array.from(document.querySelectorAll("table[data-numbers] tbody tr")).map(function (tr) {
				var row = {week: tr.dataset.week, nodata: String(tr.classList.contains("nodata"))};
				tr.querySelectorAll("td[data-category]").forEach(function (td) { row[td.dataset.category] = td.textContent; });
				["total", "off", "share"].forEach(function (k) { var td = tr.querySelector("td[data-" + k + "]"); if (td) { row[k] = td.textContent; } });
				return row;
			})`)
			if len(rows) != len(weeks) {
				t.Fatalf("got %d rows in the table, want the %d weeks of the JSON", len(rows), len(weeks))
			}
			for i, w := range weeks {
				checkRow(t, rows[i], w.Week, w.NoData, w.Seconds, w.TotalSeconds, w.TimeOff, w.DesignShare, r.Categories)
			}

			// A category of the legend lists its events, all weeks.
			got := clickAndList(t, b, `.legend a[data-category="design"]`)
			want := 0
			for _, w := range person.Weeks {
				for _, e := range w.Events {
					if e.Category == "design" {
						want++
					}
				}
			}
			if want == 0 || len(got) != want || !allIn(got, "design", "") {
				t.Errorf("after a click on design in the legend: got %d events %q, want the %d design events", len(got), got, want)
			}
			// A figure lists the events of its week and category, the
			// unscheduled time among them.
			last := person.Weeks[len(person.Weeks)-1]
			got = clickAndList(t, b, `table[data-numbers] a[data-week="`+last.Week+`"][data-category="implementation"]`)
			want = 1 // unscheduled time
			for _, e := range last.Events {
				if e.Category == "implementation" {
					want++
				}
			}
			if len(got) != want || !allIn(got, "implementation", last.Week) {
				t.Errorf("after a click on %s's implementation hours: got %q, want its %d implementation rows", last.Week, got, want)
			}
			status := eval[string](t, b, `document.querySelector("[data-status]").textContent`)
			if wantStatus := strconv.Itoa(want) + " events of implementation in " + last.Week + "."; status != wantStatus {
				t.Errorf("got status %q, want %q", status, wantStatus)
			}
			// A week lists all its events, and its unscheduled time.
			got = clickAndList(t, b, `table[data-numbers] th a[data-week="`+last.Week+`"]`)
			if len(got) != len(last.Events)+1 || !allIn(got, "", last.Week) {
				t.Errorf("after a click on %s: got %d rows %q, want its %d events and its unscheduled time", last.Week, len(got), got, len(last.Events))
			}
			// A category's part of a week's bar lists its events of that week.
			clickBar(t, b, "chart-hours", len(person.Weeks)-1)
			got = eval[[]string](t, b, `Array.from(document.querySelectorAll("[data-events] details:not([hidden]) tbody tr:not([hidden])")).map(function (tr) {
				return tr.dataset.category + " " + tr.closest("details").dataset.week;
			})`)
			want = 0
			for _, e := range last.Events {
				if e.Category == r.Categories[0] {
					want++
				}
			}
			if want == 0 || len(got) != want || !allIn(got, r.Categories[0], last.Week) {
				t.Errorf("after a click on %s's %s bar: got %q, want its %d events", last.Week, r.Categories[0], got, want)
			}

			eval[bool](t, b, `(window.scrollTo(0, 0), true)`)
			shot, err := chromedp.Run(b.Ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			keep(t, "report-"+strconv.Itoa(width)+".png", shot)
		})
	}
}

// checkRow compares a row of the page's table with the week's JSON: each
// figure the exact hours rounded down or up, the total rounded, the
// categories adding up to it, and the share to a tenth of a percent.
func checkRow(t *testing.T, row map[string]string, week string, noData bool, seconds map[string]int64, total, off int64, share *float64, categories []string) {
	t.Helper()
	if row["week"] != week || (row["nodata"] == "true") != noData {
		t.Fatalf("got row %v, want %s with no data %v", row, week, noData)
	}
	if noData {
		return
	}
	tenths := func(s string) int64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			t.Fatalf("%s: %q is not hours", week, s)
		}
		return int64(v*10 + 0.5)
	}
	var sum int64
	for _, c := range categories {
		got := tenths(row[c])
		if got != seconds[c]/360 && got != (seconds[c]+359)/360 {
			t.Errorf("%s %s: got %s h, want %d s to a tenth of an hour", week, c, row[c], seconds[c])
		}
		sum += got
	}
	if got := tenths(row["total"]); got != report.Tenths(total) || got != sum {
		t.Errorf("%s: got total %s, categories making %d tenths; want %d s rounded and the two equal", week, row["total"], sum, total)
	}
	if got := tenths(row["off"]); got != report.Tenths(off) {
		t.Errorf("%s: got time off %s, want %d s", week, row["off"], off)
	}
	if share != nil {
		v, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSuffix(row["share"], " ▼"), "%"), 64)
		if err != nil || v < *share*100-0.1 || v > *share*100+0.1 {
			t.Errorf("%s: got share %q, want %.2f%%", week, row["share"], *share*100)
		}
	}
}

// clickAndList clicks the element and returns the events then listed, as
// "category week" each.
func clickAndList(t *testing.T, b *browsertest.Browser, selector string) []string {
	t.Helper()
	return eval[[]string](t, b, `(function () {
		var el = document.querySelector(`+strconv.Quote(selector)+`);
		if (!el) { return ["no element"]; }
		el.click();
		return Array.from(document.querySelectorAll("[data-events] details:not([hidden]) tbody tr:not([hidden])")).map(function (tr) {
			return tr.dataset.category + " " + tr.closest("details").dataset.week;
		});
	})()`)
}

// allIn reports whether every row is of the category and week ("" for
// any).
func allIn(rows []string, category, week string) bool {
	for _, r := range rows {
		c, w, _ := strings.Cut(r, " ")
		if (category != "" && c != category) || (week != "" && w != week) {
			return false
		}
	}
	return true
}

// keep writes a screenshot or PDF to $WEEKMAP_ARTIFACTS, or to the test's
// temporary directory without it.
func keep(t *testing.T, name string, data []byte) {
	t.Helper()
	dir := os.Getenv("WEEKMAP_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, name)
	if err := os.WriteFile(out, data, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("kept %s", out)
}

// TestPageWithoutJavaScriptInBrowser opens the page with JavaScript off:
// no chart can draw, but the table has every week's figures and every
// week's events are there to open.
func TestPageWithoutJavaScriptInBrowser(t *testing.T) {
	r := realisticReport(t)
	b := openPage(t, writePage(t, r), phone, false)
	got := eval[[]string](t, b, `[
		String(document.querySelectorAll("[_echarts_instance_]").length),
		String(document.querySelectorAll("table[data-numbers] tbody tr").length),
		document.querySelector("table[data-numbers] tbody tr:last-child td[data-total]").textContent,
		String(document.querySelectorAll("[data-events] details").length),
		String(document.querySelector("noscript p") !== null || document.body.innerText.indexOf("The charts need JavaScript") >= 0)]`)
	last := r.People[0].Weeks[len(r.People[0].Weeks)-1]
	want := []string{"0", strconv.Itoa(len(r.People[0].Weeks)), report.FormatTenths(report.Tenths(last.TotalSeconds)), strconv.Itoa(len(r.People[0].Weeks)), "true"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("got charts, rows, the last week's total, weeks of events, a note: %q; want %q", got, want)
	}
	shot, err := chromedp.Run(b.Ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	keep(t, "report-390-no-javascript.png", shot)
}

// TestPagePrintsInBrowser prints the page on A4: with print media every
// chart is redrawn no wider than the page's text (so none is cut at the
// margin), and the PDF is kept for people to look at.
func TestPagePrintsInBrowser(t *testing.T) {
	b := openPage(t, writePage(t, realisticReport(t)), desktop, true)
	if _, err := chromedp.Call(b.Ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(b.Ctx, chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	// A4 is 210 mm wide; less 12 mm margins that leaves 703 CSS px.
	widths := eval[[]int](t, b, `Array.from(document.querySelectorAll("[_echarts_instance_]")).map(function (el) {
		return Math.max(echarts.getInstanceByDom(el).getWidth(), el.querySelector("canvas").getBoundingClientRect().width);
	})`)
	if len(widths) != 4 {
		t.Fatalf("got %d charts, want 4", len(widths))
	}
	for i, w := range widths {
		if w > 703 {
			t.Errorf("chart %d is %d px wide when printing, want it within A4's 703 px", i, w)
		}
	}
	for _, p := range eval[[]string](t, b, labelProblems) {
		t.Error(p)
	}
	yes, inch := true, 12/25.4
	pdf, err := chromedp.Call(b.Ctx, cdppage.PrintToPDF, cdppage.PrintToPDFParams{
		PaperWidth: 210 / 25.4, PaperHeight: 297 / 25.4, PreferCSSPageSize: &yes,
		MarginTop: &inch, MarginBottom: &inch, MarginLeft: &inch, MarginRight: &inch,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(pdf.Data, []byte("%PDF")) {
		t.Fatalf("got %.20q, want a PDF", pdf.Data)
	}
	keep(t, "report-a4.pdf", pdf.Data)
}
