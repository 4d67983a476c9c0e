// Package browsertest starts headless Chromium for weekmap's browser tests
// and collects what the page reports (exceptions, console errors).
package browsertest

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	cdppage "github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// Path returns the Chromium to drive, or skips the test when there is none
// (or with -short). With WEEKMAP_E2E=1, as in .ci/run, a missing browser
// fails the test instead.
func Path(t testing.TB) string {
	t.Helper()
	path := os.Getenv("WEEKMAP_CHROMIUM")
	if path == "" {
		path = "/usr/bin/chromium"
	}
	e2e := os.Getenv("WEEKMAP_E2E") == "1"
	if testing.Short() && !e2e {
		t.Skip("browser test skipped with -short")
	}
	if _, err := os.Stat(path); err != nil {
		if e2e {
			t.Fatalf("WEEKMAP_E2E=1 but no browser at %s: %v", path, err)
		}
		t.Skipf("no Chromium at %s (set WEEKMAP_CHROMIUM): skipping the browser test", path)
	}
	return path
}

// Browser is one headless Chromium tab.
type Browser struct {
	Ctx context.Context

	mu       sync.Mutex
	problems []string
}

// New starts Chromium with the flags it needs as root on a machine without
// outside network, in a fresh profile, with a window of width x height.
// Alerts are replaced by a recorder (window.__alerted) so that they cannot
// block the page.
func New(t testing.TB, width, height int) *Browser {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(Path(t)),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(width, height),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })

	b := &Browser{Ctx: ctx}
	err := chromedp.Listen(ctx, func(ev any) {
		b.mu.Lock()
		defer b.mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventExceptionThrown:
			msg := e.ExceptionDetails.Text
			if e.ExceptionDetails.Exception != nil {
				msg += " " + e.ExceptionDetails.Exception.Description
			}
			b.problems = append(b.problems, "exception: "+msg)
		case *runtime.EventConsoleAPICalled:
			if e.Type == runtime.ConsoleAPICalledTypeError {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				b.problems = append(b.problems, "console error: "+strings.Join(args, " "))
			}
		}
	})
	if err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	if _, err := chromedp.Call(ctx, cdppage.AddScriptToEvaluateOnNewDocument, cdppage.AddScriptToEvaluateOnNewDocumentParams{
		Source: `window.alert = function (m) { window.__alerted = String(m); };`,
	}); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return b
}

// Problems returns the exceptions and console errors seen so far.
func (b *Browser) Problems() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.problems...)
}
