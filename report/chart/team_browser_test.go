package chart

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestTeamPageInBrowser opens a team's page, on a desktop and on a phone:
// its three charts draw with whole labels, the page stays within the
// window, the suppressed week's row spans the table, and nothing is
// reported; a screenshot is kept for people to look at.
func TestTeamPageInBrowser(t *testing.T) {
	var page bytes.Buffer
	if err := Render(&page, withTeam(sampleReport()), Options{Inline: true, Team: "payments"}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "team.html")
	if err := os.WriteFile(file, page.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, width := range []int{desktop, phone} {
		t.Run(strconv.Itoa(width), func(t *testing.T) {
			b := openPage(t, file, width, true)
			checkDrawn(t, b, width, 3)
			gap := eval[string](t, b, `document.querySelector('table[data-numbers] tr[data-week="2026-W46"]').textContent`)
			if want := "2026-W469 – 15 Nov 2026fewer than 5 people with data< 5"; gap != want {
				t.Errorf("got the suppressed week's row %q, want %q", gap, want)
			}
			for _, p := range b.Problems() {
				t.Errorf("browser reported %s", p)
			}
			shot, err := chromedp.Run(b.Ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatal(err)
			}
			keep(t, "team-"+strconv.Itoa(width)+".png", shot)
		})
	}
}
