package report

import (
	"strings"
	"testing"
	"time"
)

func TestWeekOf(t *testing.T) {
	tests := []struct {
		zone      string
		at        string // RFC 3339
		wantWeek  string
		wantStart string
		wantHours float64
	}{
		{"Europe/Berlin", "2026-11-18T12:00:00+01:00", "2026-W47", "2026-11-16T00:00:00+01:00", 168},
		// Monday 00:00 belongs to its own week, Sunday 23:59 to the one before.
		{"Europe/Berlin", "2026-11-16T00:00:00+01:00", "2026-W47", "2026-11-16T00:00:00+01:00", 168},
		{"Europe/Berlin", "2026-11-15T23:59:59+01:00", "2026-W46", "2026-11-09T00:00:00+01:00", 168},
		// UTC Sunday evening is already Monday in Berlin.
		{"Europe/Berlin", "2026-11-15T23:30:00Z", "2026-W47", "2026-11-16T00:00:00+01:00", 168},
		{"Europe/Berlin", "2026-03-29T12:00:00+02:00", "2026-W13", "2026-03-23T00:00:00+01:00", 167},
		{"Europe/Berlin", "2026-10-25T12:00:00+01:00", "2026-W43", "2026-10-19T00:00:00+02:00", 169},
		{"America/New_York", "2026-03-08T12:00:00-04:00", "2026-W10", "2026-03-02T00:00:00-05:00", 167},
		{"America/New_York", "2026-11-01T12:00:00-05:00", "2026-W44", "2026-10-26T00:00:00-04:00", 169},
		{"Asia/Kolkata", "2026-11-15T18:30:00Z", "2026-W47", "2026-11-16T00:00:00+05:30", 168},
		{"Asia/Kolkata", "2026-11-15T18:29:59Z", "2026-W46", "2026-11-09T00:00:00+05:30", 168},
		// ISO years: 1 January 2026 is a Thursday, 1 January 2027 a Friday.
		{"UTC", "2026-01-01T00:00:00Z", "2026-W01", "2025-12-29T00:00:00Z", 168},
		{"UTC", "2027-01-01T00:00:00Z", "2026-W53", "2026-12-28T00:00:00Z", 168},
	}
	for _, tt := range tests {
		t.Run(tt.zone+" "+tt.at, func(t *testing.T) {
			at, err := time.Parse(time.RFC3339, tt.at)
			if err != nil {
				t.Fatal(err)
			}
			w := WeekOf(at, mustLoad(t, tt.zone))
			if got := w.String(); got != tt.wantWeek {
				t.Errorf("got week %s, want %s", got, tt.wantWeek)
			}
			if got := w.Start.Format(time.RFC3339); got != tt.wantStart {
				t.Errorf("got start %s, want %s", got, tt.wantStart)
			}
			if got := w.End.Sub(w.Start).Hours(); got != tt.wantHours {
				t.Errorf("got %v hours, want %v", got, tt.wantHours)
			}
			if !w.Contains(at) {
				t.Errorf("week %s [%s, %s) does not contain %s", w, w.Start, w.End, at)
			}
		})
	}
}

func TestParseWeek(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	tests := []struct {
		in        string
		wantStart string
		wantErr   string
	}{
		{in: "2026-W47", wantStart: "2026-11-16T00:00:00+01:00"},
		{in: "2026-w01", wantStart: "2025-12-29T00:00:00+01:00"},
		{in: "2026-W53", wantStart: "2026-12-28T00:00:00+01:00"},
		{in: "2020-W53", wantStart: "2020-12-28T00:00:00+01:00"},
		{in: "2026-W13", wantStart: "2026-03-23T00:00:00+01:00"},
		{in: "2025-W53", wantErr: "2025 has no week 53"},
		{in: "2026-W00", wantErr: "not an ISO week"},
		{in: "2026-W54", wantErr: "not an ISO week"},
		{in: "2026-W7", wantErr: "not an ISO week"},
		{in: "2026W47", wantErr: "not an ISO week"},
		{in: "26-W47", wantErr: "not an ISO week"},
		{in: "2026-W+7", wantErr: "not an ISO week"},
		{in: "", wantErr: "not an ISO week"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			w, err := ParseWeek(tt.in, berlin)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("got error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("got error %v, want none", err)
			}
			if got := w.Start.Format(time.RFC3339); got != tt.wantStart {
				t.Errorf("got start %s, want %s", got, tt.wantStart)
			}
			if got, want := w.String(), strings.ToUpper(tt.in); got != want {
				t.Errorf("got %s, want %s", got, want)
			}
			if got := WeekOf(w.Start, berlin); got != w {
				t.Errorf("WeekOf(start) = %v, want %v", got, w)
			}
		})
	}
}

func TestLastWeeks(t *testing.T) {
	berlin := mustLoad(t, "Europe/Berlin")
	now := time.Date(2026, time.April, 1, 10, 0, 0, 0, berlin) // Wednesday of W14
	weeks := LastWeeks(now, 4, berlin)
	var got []string
	for i, w := range weeks {
		got = append(got, w.String())
		if i > 0 && !w.Start.Equal(weeks[i-1].End) {
			t.Errorf("week %s starts at %s, want the end of %s, %s", w, w.Start, weeks[i-1], weeks[i-1].End)
		}
	}
	if want := "2026-W11 2026-W12 2026-W13 2026-W14"; strings.Join(got, " ") != want {
		t.Errorf("got %v, want %s", got, want)
	}
	if !weeks[len(weeks)-1].Contains(now) {
		t.Errorf("last week %s does not contain now", weeks[len(weeks)-1])
	}
	if got := LastWeeks(now, 0, berlin); got != nil {
		t.Errorf("got %v for 0 weeks, want nil", got)
	}
	// Across a year boundary with a 53-week year.
	jan := LastWeeks(time.Date(2027, time.January, 5, 0, 0, 0, 0, time.UTC), 2, time.UTC)
	if got := jan[0].String() + " " + jan[1].String(); got != "2026-W53 2027-W01" {
		t.Errorf("got %s, want 2026-W53 2027-W01", got)
	}
}
