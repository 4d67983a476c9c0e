package ingest

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/weekmap/weekmap/internal/confpath"
)

// Config is the ingest part of the configuration file: where the store is
// and which sources feed it.
type Config struct {
	Store   string         `yaml:"store"`
	Sources []SourceConfig `yaml:"sources"`
}

// Source types.
const (
	TypeGoogle = "google"
	TypeICS    = "ics"
	TypeJSON   = "json"
)

// SourceConfig configures one calendar. Its Name is the "calendar" in
// reports and metrics.
type SourceConfig struct {
	Name         string `yaml:"name"`
	Type         string `yaml:"type"`
	CalendarID   string `yaml:"calendar_id"`
	ClientSecret string `yaml:"client_secret"`
	Token        string `yaml:"token"`
	Endpoint     string `yaml:"endpoint"`
	Path         string `yaml:"path"`
	URL          string `yaml:"url"`
	SyncWindow   Window `yaml:"sync_window"`
	// Owners are the calendar owner's e-mail addresses, for ics sources:
	// ICS files do not say which attendee is "me", and without that a
	// declined meeting would still count.
	Owners []string `yaml:"owners"`
}

// Window bounds what a full sync fetches, relative to now.
type Window struct {
	Past   Span `yaml:"past"`
	Future Span `yaml:"future"`
}

// DefaultWindow is 26 weeks back and 2 weeks ahead.
var DefaultWindow = Window{Past: Span(26 * 7 * 24 * time.Hour), Future: Span(2 * 7 * 24 * time.Hour)}

// Bounds returns [now-Past, now+Future).
func (w Window) Bounds(now time.Time) (from, to time.Time) {
	return now.Add(-time.Duration(w.Past)), now.Add(time.Duration(w.Future))
}

// Span is a length of time written in days or weeks: "14d", "26w".
type Span time.Duration

var spanRE = regexp.MustCompile(`^([0-9]+)([dw])$`)

// ParseSpan parses "14d" or "26w".
func ParseSpan(s string) (Span, error) {
	m := spanRE.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, fmt.Errorf("%q is not a span: use a whole number of days or weeks, like 14d or 26w", s)
	}
	n, err := strconv.Atoi(m[1])
	if err != nil || n > 520*7 {
		return 0, fmt.Errorf("%q is longer than ten years", s)
	}
	day := 24 * time.Hour
	if m[2] == "w" {
		day *= 7
	}
	return Span(time.Duration(n) * day), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Span) UnmarshalText(b []byte) error {
	v, err := ParseSpan(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// UnmarshalYAML decodes a span and reports a bad one with its line, the way
// the YAML decoder reports its own type errors.
func (s *Span) UnmarshalYAML(n *yaml.Node) error {
	if err := s.UnmarshalText([]byte(n.Value)); err != nil {
		return &yaml.TypeError{Errors: []string{fmt.Sprintf("line %d: %v", n.Line, err)}}
	}
	return nil
}

// MarshalText implements encoding.TextMarshaler.
func (s Span) MarshalText() ([]byte, error) {
	d := time.Duration(s)
	week := 7 * 24 * time.Hour
	if d%week == 0 {
		return []byte(strconv.FormatInt(int64(d/week), 10) + "w"), nil
	}
	return []byte(strconv.FormatInt(int64(d/(24*time.Hour)), 10) + "d"), nil
}

// DefaultConfig returns the ingest defaults.
func DefaultConfig() Config { return Config{Store: "./weekmap.db"} }

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$`)

// Validate checks the section and fills per-source defaults. Errors carry the
// key path (see confpath).
func (c *Config) Validate() error {
	if strings.TrimSpace(c.Store) == "" {
		return confpath.Errorf("store", "must name a file")
	}
	seen := map[string]int{}
	for i := range c.Sources {
		s := &c.Sources[i]
		if err := confpath.Wrap(confpath.Index("sources", i), s.validate()); err != nil {
			return err
		}
		if j, dup := seen[s.Name]; dup {
			return confpath.Errorf(confpath.Index("sources", i)+".name", "%q is already the name of sources[%d]", s.Name, j)
		}
		seen[s.Name] = i
	}
	return nil
}

func (s *SourceConfig) validate() error {
	if s.Name == "" {
		return confpath.Errorf("name", "is required")
	}
	if !nameRE.MatchString(s.Name) {
		return confpath.Errorf("name", "%q must be letters, digits, '.', '_' or '-' (it becomes a metric label)", s.Name)
	}
	if s.SyncWindow.Past == 0 && s.SyncWindow.Future == 0 {
		s.SyncWindow = DefaultWindow
	}
	unused := func(key, val string) error {
		if val != "" {
			return confpath.Errorf(key, "is not used by a %s source", s.Type)
		}
		return nil
	}
	switch s.Type {
	case TypeGoogle:
		if s.CalendarID == "" {
			s.CalendarID = "primary"
		}
		if s.ClientSecret == "" {
			return confpath.Errorf("client_secret", "is required for a google source (the OAuth client JSON from Google Cloud Console)")
		}
		if s.Token == "" {
			s.Token = "./" + s.Name + ".token.json"
		}
		if len(s.Owners) > 0 {
			return confpath.Errorf("owners", "is for ics sources; Google marks your own attendee entry itself")
		}
		return errors.Join(unused("path", s.Path), unused("url", s.URL))
	case TypeICS:
		for i, o := range s.Owners {
			if !strings.Contains(o, "@") {
				return confpath.Errorf(confpath.Index("owners", i), "%q is not an e-mail address", o)
			}
		}
		if (s.Path == "") == (s.URL == "") {
			return confpath.Errorf("path", "an ics source needs exactly one of path or url")
		}
		if s.URL != "" && !strings.HasPrefix(s.URL, "https://") && !strings.HasPrefix(s.URL, "http://127.0.0.1") && !strings.HasPrefix(s.URL, "http://localhost") {
			return confpath.Errorf("url", "must be an https:// URL")
		}
		return errors.Join(unused("calendar_id", s.CalendarID), unused("client_secret", s.ClientSecret), unused("token", s.Token), unused("endpoint", s.Endpoint))
	case TypeJSON:
		if len(s.Owners) > 0 {
			return confpath.Errorf("owners", "is for ics sources; a json file marks your attendee entry with \"self\": true")
		}
		if s.Path == "" {
			return confpath.Errorf("path", "is required for a json source")
		}
		return errors.Join(unused("calendar_id", s.CalendarID), unused("client_secret", s.ClientSecret), unused("token", s.Token), unused("endpoint", s.Endpoint), unused("url", s.URL))
	case "":
		return confpath.Errorf("type", "is required: google, ics or json")
	default:
		return confpath.Errorf("type", "%q is not a source type: use google, ics or json", s.Type)
	}
}

// ResolvePaths makes relative file paths relative to dir (the config file's
// folder), so that a config works from any working directory.
func (c *Config) ResolvePaths(dir string) {
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) || p == ":memory:" {
			return p
		}
		return filepath.Join(dir, p)
	}
	c.Store = abs(c.Store)
	for i := range c.Sources {
		s := &c.Sources[i]
		s.ClientSecret, s.Token, s.Path = abs(s.ClientSecret), abs(s.Token), abs(s.Path)
	}
}
