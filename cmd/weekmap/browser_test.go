package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/weekmap/weekmap/internal/browsertest"
)

// TestDemoInBrowser loads the demo page as served (script from /assets/) in
// a real browser and checks that every chart draws, the page logs no error,
// and keeps a screenshot for people to look at (in $WEEKMAP_ARTIFACTS if set).
func TestDemoInBrowser(t *testing.T) {
	b := browsertest.New(t, 1280, 1800)
	srv := newTestDemo(t)

	if err := chromedp.Do(b.Ctx,
		chromedp.Navigate(srv.URL+"/"),
		// A CSS selector: "canvas" alone also finds the word in the page's script.
		chromedp.WaitVisible("#chart-hours canvas"),
		chromedp.Sleep(500*time.Millisecond), // let the charts finish their first draw
	); err != nil {
		t.Fatalf("load the demo page: %v", err)
	}
	charts, err := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`document.querySelectorAll("[_echarts_instance_]").length`))
	if err != nil {
		t.Fatal(err)
	}
	canvases, err := chromedp.Run(b.Ctx, chromedp.Evaluate[int](`document.querySelectorAll("[_echarts_instance_] canvas").length`))
	if err != nil {
		t.Fatal(err)
	}
	text, err := chromedp.Run(b.Ctx, chromedp.Evaluate[string](`document.body.innerText`))
	if err != nil {
		t.Fatal(err)
	}
	shot, err := chromedp.Run(b.Ctx, chromedp.FullScreenshot(80))
	if err != nil {
		t.Fatal(err)
	}
	if charts != 4 {
		t.Errorf("got %d charts initialised, want 4", charts)
	}
	if canvases < charts {
		t.Errorf("got %d canvases for %d charts, want every chart drawn", canvases, charts)
	}
	if !strings.Contains(text, "target") {
		t.Errorf("page text has no headline about the target: %.200q", text)
	}
	for _, p := range b.Problems() {
		t.Errorf("browser reported %s", p)
	}
	dir := os.Getenv("WEEKMAP_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "demo-page.jpg")
	if err := os.WriteFile(out, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", out)
}
