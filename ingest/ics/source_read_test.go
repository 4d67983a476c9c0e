package ics

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest"
)

// TestSyncEmptyFile: an empty or whitespace-only file is no calendar (an
// export that failed half-way); it is refused and the stored events stay.
func TestSyncEmptyFile(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	path := filepath.Join(t.TempDir(), "cal.ics")
	copyTo(t, "google.ics", path)
	src := New(config.Source{Name: "exported", Type: config.TypeICS, Path: path, SyncWindow: syncWindow}, berlin, ownerEmails, nil)
	if _, err := syncSource(ctx, st, src, ingest.Options{Now: syncNow}); err != nil {
		t.Fatal(err)
	}
	for _, content := range []string{"", " \r\n\t\n\n"} {
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := syncSource(ctx, st, src, ingest.Options{Now: syncNow, Full: true})
		if err == nil || !strings.Contains(err.Error(), "the file is empty; if an export is being written, sync again when it is done") {
			t.Errorf("%q: got %v, want the file refused", content, err)
		}
		if got := len(storedIDs(t, st)); got != 6 {
			t.Errorf("%q: got %d stored, want the 6 from before", content, got)
		}
	}
}

// TestSyncOwnersWarning: ICS does not say which attendee is the user.
// When events have attendees and the source has no owners, one warning
// line says so; with owners, or without attendees, there is none.
func TestSyncOwnersWarning(t *testing.T) {
	for _, tc := range []struct {
		file   string
		owners []string
		want   int
	}{
		{"confluence.ics", nil, 1},
		{"confluence.ics", ownerEmails, 0},
		{"broken.ics", nil, 0},
	} {
		path := filepath.Join(t.TempDir(), "cal.ics")
		copyTo(t, tc.file, path)
		var logs bytes.Buffer
		src := New(config.Source{Name: "team", Type: config.TypeICS, Path: path, SyncWindow: syncWindow}, berlin, tc.owners, nil).
			WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))
		if _, err := syncSource(context.Background(), openStore(t), src, ingest.Options{Now: syncNow}); err != nil {
			t.Fatal(err)
		}
		got := strings.Count(logs.String(), "has no emails, so their declined meetings will count: list their addresses under people:")
		if got != tc.want {
			t.Errorf("%s with owners %q: got %d warnings, want %d; log:\n%s", tc.file, tc.owners, got, tc.want, logs.String())
		}
	}
}

// TestSyncLogsDroppedLines: a property over a limit is logged at warn as
// dropped, with file, line and UID; a malformed one only at debug; neither
// with its value.
func TestSyncLogsDroppedLines(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cal.ics")
	data := eventWith("DESCRIPTION:"+strings.Repeat("secret ", 40<<10), `LOCATION;X="a"b:secret room`)
	if err := os.WriteFile(path, []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	src := New(config.Source{Name: "team", Type: config.TypeICS, Path: path, SyncWindow: syncWindow}, berlin, ownerEmails, nil).
		WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug})))
	res, err := syncSource(context.Background(), openStore(t), src, ingest.Options{Now: syncNow})
	if err != nil || res.Upserted != 1 {
		t.Fatalf("got %+v, %v, want the event stored", res, err)
	}
	var warn, debug string
	for line := range strings.Lines(logs.String()) {
		switch {
		case strings.Contains(line, "level=WARN"):
			warn += line
		case strings.Contains(line, "level=DEBUG"):
			debug += line
		}
	}
	for _, want := range []string{"property dropped", "line=6", "uid=e1", "property=DESCRIPTION", "over the limit of 256 KiB"} {
		if !strings.Contains(warn, want) {
			t.Errorf("got warnings %q, want %q in them", warn, want)
		}
	}
	for _, want := range []string{"malformed line dropped", "line=7", "property=LOCATION"} {
		if !strings.Contains(debug, want) {
			t.Errorf("got debug lines %q, want %q in them", debug, want)
		}
	}
	if strings.Contains(logs.String(), "secret") {
		t.Errorf("got log %q, want no value in it", logs.String())
	}
}
