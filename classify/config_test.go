package classify

import (
	"errors"
	"reflect"
	"testing"

	"github.com/weekmap/weekmap/internal/confpath"
)

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name     string
		edit     func(*Config)
		wantPath string
		wantErr  string
	}{
		{name: "defaults", edit: func(*Config) {}},
		{name: "custom fallback", edit: func(c *Config) { c.Categories = []string{"support"}; c.FallbackCategory = "support" }},
		{name: "ignore fallback", edit: func(c *Config) { c.FallbackCategory = Ignore }},
		{name: "domains", edit: func(c *Config) { c.Domains = []string{"example.com", "corp.example.co.uk", "Example.ORG"} }},
		{
			name:     "unknown fallback",
			edit:     func(c *Config) { c.FallbackCategory = "coding" },
			wantPath: "fallback_category",
			wantErr:  `fallback_category: unknown category "coding" (want one of design, review, alignment, incident, implementation, ignore)`,
		},
		{
			name:     "empty fallback",
			edit:     func(c *Config) { c.FallbackCategory = "" },
			wantPath: "fallback_category",
			wantErr:  "fallback_category: is required",
		},
		{
			name:     "built-in as custom",
			edit:     func(c *Config) { c.Categories = []string{"support", "review"} },
			wantPath: "categories[1]",
			wantErr:  `categories[1]: "review" is a built-in category; list only extra ones here`,
		},
		{
			name:     "ignore as custom",
			edit:     func(c *Config) { c.Categories = []string{"ignore"} },
			wantPath: "categories[0]",
			wantErr:  `categories[0]: "ignore" is a built-in category; list only extra ones here`,
		},
		{
			name:     "upper-case custom",
			edit:     func(c *Config) { c.Categories = []string{"Support"} },
			wantPath: "categories[0]",
			wantErr:  `categories[0]: "Support" must be a lower-case identifier (a-z, 0-9, _; starting with a letter; at most 32 characters)`,
		},
		{
			name:     "custom with a space",
			edit:     func(c *Config) { c.Categories = []string{"on call"} },
			wantPath: "categories[0]",
			wantErr:  `categories[0]: "on call" must be a lower-case identifier (a-z, 0-9, _; starting with a letter; at most 32 characters)`,
		},
		{
			name:     "reserved custom",
			edit:     func(c *Config) { c.Categories = []string{"none"} },
			wantPath: "categories[0]",
			wantErr:  `categories[0]: "none" is reserved`,
		},
		{
			name:     "duplicate custom",
			edit:     func(c *Config) { c.Categories = []string{"support", "oncall", "support"} },
			wantPath: "categories[2]",
			wantErr:  `categories[2]: "support" is already listed as categories[0]`,
		},
		{
			name:     "domain with @",
			edit:     func(c *Config) { c.Domains = []string{"@example.com"} },
			wantPath: "domains[0]",
			wantErr:  `domains[0]: "@example.com" must be a domain without the @, like "example.com"`,
		},
		{
			name:     "e-mail as domain",
			edit:     func(c *Config) { c.Domains = []string{"example.com", "me@example.org"} },
			wantPath: "domains[1]",
			wantErr:  `domains[1]: "me@example.org" is not a domain name like example.com`,
		},
		{
			name:     "url as domain",
			edit:     func(c *Config) { c.Domains = []string{"https://example.com"} },
			wantPath: "domains[0]",
			wantErr:  `domains[0]: "https://example.com" is not a domain name like example.com`,
		},
		{
			name:     "bare word as domain",
			edit:     func(c *Config) { c.Domains = []string{"example"} },
			wantPath: "domains[0]",
			wantErr:  `domains[0]: "example" is not a domain name like example.com`,
		},
		{
			name:     "duplicate domain",
			edit:     func(c *Config) { c.Domains = []string{"example.com", "EXAMPLE.com"} },
			wantPath: "domains[1]",
			wantErr:  `domains[1]: "EXAMPLE.com" is already listed as domains[0]`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := DefaultConfig()
			tt.edit(&cfg)
			err := cfg.Validate()
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("Validate: got %v, want no error", err)
				}
				return
			}
			if err == nil {
				t.Fatalf("Validate: got no error, want %q", tt.wantErr)
			}
			if got := err.Error(); got != tt.wantErr {
				t.Errorf("Validate: got %q, want %q", got, tt.wantErr)
			}
			var pe *confpath.Error
			if !errors.As(err, &pe) {
				t.Fatalf("Validate: got %T, want a *confpath.Error", err)
			}
			if pe.Path != tt.wantPath {
				t.Errorf("Validate: got path %q, want %q", pe.Path, tt.wantPath)
			}
		})
	}
}

func TestWorkCategories(t *testing.T) {
	tests := []struct {
		custom []string
		want   []string
	}{
		{nil, []string{"design", "review", "alignment", "incident", "implementation"}},
		{[]string{"support", "oncall"}, []string{"design", "review", "alignment", "incident", "implementation", "support", "oncall"}},
	}
	for _, tt := range tests {
		cfg := DefaultConfig()
		cfg.Categories = tt.custom
		if got := WorkCategories(cfg); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("WorkCategories(%v): got %v, want %v", tt.custom, got, tt.want)
		}
		c, err := New(cfg)
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		if got := c.Categories(); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Categories() with %v: got %v, want %v", tt.custom, got, tt.want)
		}
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	cfg := DefaultConfig()
	cfg.FallbackCategory = "nope"
	if _, err := New(cfg); err == nil {
		t.Error("New with an unknown fallback category: got no error, want one")
	}
	cfg = DefaultConfig()
	cfg.RulesFile = "testdata/does-not-exist.yaml"
	_, err := New(cfg)
	if want := "read rules: open testdata/does-not-exist.yaml: no such file or directory"; err == nil || err.Error() != want {
		t.Errorf("New with a missing rules file: got %v, want %q", err, want)
	}
}
