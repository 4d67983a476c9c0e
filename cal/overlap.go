package cal

import "time"

// Overlaps reports whether an event [start, end) meets the window
// [from, to). A zero-length event is a point and meets the window when
// from <= start < to. A zero from leaves the window open to the past.
func Overlaps(start, end, from, to time.Time) bool {
	if !start.Before(to) {
		return false
	}
	if from.IsZero() {
		return true
	}
	if end.Equal(start) {
		return !start.Before(from)
	}
	return end.After(from)
}
