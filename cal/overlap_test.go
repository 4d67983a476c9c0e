package cal

import (
	"testing"
	"time"
)

func TestOverlaps(t *testing.T) {
	at := func(h int) time.Time { return time.Date(2026, 11, 16, h, 0, 0, 0, time.UTC) }
	tests := []struct {
		name                 string
		start, end, from, to time.Time
		want                 bool
	}{
		{"inside", at(10), at(11), at(9), at(12), true},
		{"ends at the window's start", at(8), at(9), at(9), at(12), false},
		{"starts at the window's end", at(12), at(13), at(9), at(12), false},
		{"straddles the start", at(8), at(10), at(9), at(12), true},
		{"point at the start", at(9), at(9), at(9), at(12), true},
		{"point at the end", at(12), at(12), at(9), at(12), false},
		{"open past", at(1), at(2), time.Time{}, at(12), true},
	}
	for _, tt := range tests {
		if got := Overlaps(tt.start, tt.end, tt.from, tt.to); got != tt.want {
			t.Errorf("%s: got %v, want %v", tt.name, got, tt.want)
		}
	}
}
