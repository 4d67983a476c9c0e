package google

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"google.golang.org/api/calendar/v3"
)

// TestProgressLine checks the live line `weekmap sync` shows on a terminal:
// rewritten in place after each page, and cleared at the end.
func TestProgressLine(t *testing.T) {
	e := newEnv(t)
	day := time.Now().UTC().Truncate(24 * time.Hour)
	for i := range 5 {
		start := day.Add(time.Duration(i) * time.Hour)
		e.fake.Put("primary", &calendar.Event{Id: fmt.Sprintf("p%d", i), Summary: "Secret title",
			Start: &calendar.EventDateTime{DateTime: start.Format(time.RFC3339)},
			End:   &calendar.EventDateTime{DateTime: start.Add(30 * time.Minute).Format(time.RFC3339)}})
	}
	e.fake.SetPageSize(2)
	var line bytes.Buffer
	e.src.opts.Progress = &line
	if _, err := e.sync(t, true); err != nil {
		t.Fatal(err)
	}
	out := line.String()
	for _, want := range []string{"\r\x1b[Kwork: page 1, 2 events", "\r\x1b[Kwork: page 3, 5 events"} {
		if !strings.Contains(out, want) {
			t.Errorf("progress output %q lacks %q", out, want)
		}
	}
	if !strings.HasSuffix(out, "\r\x1b[K") {
		t.Errorf("progress output %q does not clear the line at the end", out)
	}
	if strings.Contains(out, "Secret") {
		t.Errorf("progress output shows an event title")
	}
}
