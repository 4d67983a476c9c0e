package textsafe

import "testing"

func TestTerminal(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Design review", "Design review"},
		{"Übersicht – Q3 ✓", "Übersicht – Q3 ✓"},
		{"\x1b]0;pwned\x07title", "\uFFFD]0;pwned\uFFFDtitle"},
		{"clear\x1b[2J", "clear\uFFFD[2J"},
		{"csi\u009b2J", "csi\uFFFD2J"},
		{"two\nlines\r", "two\uFFFDlines\uFFFD"},
		{"tab\there", "tab\uFFFDhere"},
		{"bidi \u202egnp.exe", "bidi \uFFFDgnp.exe"},
		{"sep\u2028arator", "sep\uFFFDarator"},
	}
	for _, tt := range tests {
		if got := Terminal(tt.in); got != tt.want {
			t.Errorf("Terminal(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if got, want := Lines("a\x1b[2J\nb"), "a\uFFFD[2J\nb"; got != want {
		t.Errorf("Lines: got %q, want %q", got, want)
	}
}
