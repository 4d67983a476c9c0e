// Package textsafe makes text from calendars safe to show. Titles, ids and
// calendar names come from anyone who can invite you or share a calendar;
// on a terminal, escape sequences in them could retitle the window, clear
// the screen or write to the clipboard, and bidi overrides could make a
// line read differently from what it says.
package textsafe

import (
	"strings"
	"unicode"
)

// Terminal replaces every control character (C0 and C1, so ESC and CSI),
// line and paragraph separators and bidi controls with U+FFFD, so that s
// prints as one inert line.
func Terminal(s string) string {
	if !needsCleaning(s) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unsafe(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

// Lines is Terminal for text of several lines: newlines are kept, every
// other unsafe character replaced.
func Lines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = Terminal(l)
	}
	return strings.Join(lines, "\n")
}

func needsCleaning(s string) bool {
	for _, r := range s {
		if unsafe(r) {
			return true
		}
	}
	return false
}

func unsafe(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r)
}
