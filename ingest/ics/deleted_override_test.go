package ics

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// TestDeletedOverride: an instance moved by an override and later deleted
// by the series (a newer SEQUENCE with an EXDATE for it) does not happen.
func TestDeletedOverride(t *testing.T) {
	f, err := os.Open(filepath.Join("testdata", "deleted-override.ics"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	berlin, _ := time.LoadLocation("Europe/Berlin")
	events, problems, err := Parse("deleted-override.ics", f, Options{Calendar: "work", Location: berlin,
		From: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil || len(problems) > 0 {
		t.Fatalf("Parse: %v %v", err, problems)
	}
	var got []string
	for _, e := range events {
		got = append(got, e.Start.In(berlin).Format("2006-01-02 15:04")+" "+e.Title)
	}
	want := []string{"2026-11-02 09:30 Standup", "2026-11-16 09:30 Standup"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q (the moved 9 November instance was deleted afterwards)", got, want)
	}
}
