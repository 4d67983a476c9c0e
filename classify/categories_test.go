package classify

import (
	"reflect"
	"testing"

	"github.com/weekmap/weekmap/config"
)

func TestWorkCategories(t *testing.T) {
	tests := []struct {
		custom []string
		want   []string
	}{
		{nil, []string{"design", "review", "alignment", "incident", "implementation"}},
		{[]string{"support", "oncall"}, []string{"design", "review", "alignment", "incident", "implementation", "support", "oncall"}},
	}
	for _, tt := range tests {
		cfg := config.Default().Rules
		cfg.Categories = tt.custom
		c, err := New(cfg)
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		if got := c.Categories(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Categories() with %v: got %v, want %v", tt.custom, got, tt.want)
		}
	}
}

func TestNewMissingRulesFile(t *testing.T) {
	cfg := config.Default().Rules
	cfg.RulesFile = "testdata/does-not-exist.yaml"
	_, err := New(cfg)
	if want := "read rules: open testdata/does-not-exist.yaml: no such file or directory"; err == nil || err.Error() != want {
		t.Errorf("New with a missing rules file: got %v, want %q", err, want)
	}
}
