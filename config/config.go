// Package config is weekmap's configuration file: its keys, their
// defaults (each in one place: Default and the setDefaults methods), and
// strict decoding into typed values — a *time.Location, clock minutes,
// durations — with errors that name the file, the line and the key. Every
// other package takes the typed values and never parses or defaults a key
// itself.
package config

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/weekmap/weekmap/cal"
)

// Config is the whole configuration file.
type Config struct {
	// Store is the SQLite file holding events and sync state.
	Store   string   `yaml:"store"`
	Sources []Source `yaml:"sources"`
	// People are whose weeks are reported; without any, every source
	// belongs to one person, DefaultPerson.
	People []Person `yaml:"people"`
	Week   `yaml:",inline"`
	Rules  `yaml:",inline"`
	Server Server `yaml:"server"`
	// GoogleWorkspace, with a service account key, reads every person's
	// calendar through one grant (see workspace.go).
	GoogleWorkspace GoogleWorkspace `yaml:"google_workspace"`
	Teams           Teams           `yaml:"teams"`
	Privacy         Privacy         `yaml:"privacy"`

	// File is the file the config came from ("" for Default).
	File string `yaml:"-"`
	// Warnings are things the file says that still work but should change
	// (deprecated keys), one sentence each, for the caller to show.
	Warnings []string `yaml:"-"`
}

// DefaultPerson owns every source that names no person.
const DefaultPerson = "me"

// Person is someone whose calendars are accounted together.
type Person struct {
	Name string `yaml:"name"`
	// Emails say which attendee is this person in ICS and JSON exports,
	// which do not mark it themselves.
	Emails []string `yaml:"emails"`
	// Team is the team whose weeks this person's count towards; "" for
	// none.
	Team string `yaml:"team"`
}

// Week says how a week is counted: the zone, working hours, the target
// and the accounting switches.
type Week struct {
	// Timezone is the zone weeks and working hours are counted in.
	Timezone     *time.Location `yaml:"timezone"`
	WorkingHours WorkingHours   `yaml:"working_hours"`
	Target       Target         `yaml:"target"`
	Accounting   Accounting     `yaml:"accounting"`
}

// WorkingHours are the working days, each from Start to End unless it
// has hours of its own.
type WorkingHours struct {
	Days  []Workday `yaml:"days"`
	Start Clock     `yaml:"start"`
	End   Clock     `yaml:"end"`
}

// Target is the "ownership" share a week is judged against.
type Target struct {
	Categories []string `yaml:"categories"`
	MinShare   float64  `yaml:"min_share"`
}

// Accounting holds the switches of how events count.
type Accounting struct {
	// Unscheduled is the category working time with no event goes to, or
	// UnscheduledNone.
	Unscheduled     string   `yaml:"unscheduled"`
	CountTentative  bool     `yaml:"count_tentative"`
	CountUnanswered bool     `yaml:"count_unanswered"`
	CountFree       bool     `yaml:"count_free"`
	Precedence      []string `yaml:"precedence"`
}

// UnscheduledNone as accounting.unscheduled leaves working time without
// events out of the report.
const UnscheduledNone = "none"

// Rules says how events get their category.
type Rules struct {
	// Domains are the organisation's e-mail domains; an attendee outside
	// them is external.
	Domains []string `yaml:"domains"`
	// Categories are extra work categories beyond the built-in ones.
	Categories []string `yaml:"categories"`
	// RulesFile is an optional YAML file of rules, tried before the
	// built-in ones.
	RulesFile string `yaml:"rules_file"`
	// LabelsFile is an optional YAML file of labels: categories pinned to
	// one event, a recurring series or an exact title, which outrank every
	// rule. `weekmap label` writes it.
	LabelsFile      string `yaml:"labels_file"`
	UseDefaultRules bool   `yaml:"use_default_rules"`
	// FallbackCategory is used when no rule matches.
	FallbackCategory string `yaml:"fallback_category"`
}

// WorkCategories returns the categories time is reported in: the built-in
// work categories, then the custom ones in the order written. Ignore is
// not among them.
func (r *Rules) WorkCategories() []string {
	return append(cal.BuiltinWork(), r.Categories...)
}

// Server configures `weekmap serve`.
type Server struct {
	Addr          string        `yaml:"addr"`
	SyncInterval  time.Duration `yaml:"sync_interval"`
	Weeks         int           `yaml:"weeks"`
	AuthTokenFile string        `yaml:"auth_token_file"`
	// WebConfigFile is an exporter-toolkit web configuration (TLS, basic
	// auth), the file node_exporter reads with --web.config.file.
	WebConfigFile string `yaml:"web_config_file"`
	// SyncConcurrency is how many sources sync at once.
	SyncConcurrency int `yaml:"sync_concurrency"`
}

// StaleAfter is how long after a source's last successful sync its data
// counts as stale: three sync intervals, so one failed or slow round is
// not yet stale.
func (s Server) StaleAfter() time.Duration { return 3 * s.SyncInterval }

// Default returns the configuration of a file that sets nothing.
func Default() *Config {
	return &Config{
		Store: "./weekmap.db",
		Week: Week{
			Timezone:     mustZone("Europe/Berlin"),
			WorkingHours: WorkingHours{Days: []Workday{{Day: "mon"}, {Day: "tue"}, {Day: "wed"}, {Day: "thu"}, {Day: "fri"}}, Start: 9 * 60, End: 17 * 60},
			Target:       Target{Categories: []string{cal.Design, cal.Review, cal.Alignment}, MinShare: 0.20},
			Accounting: Accounting{
				Unscheduled:     cal.Implementation,
				CountTentative:  true,
				CountUnanswered: true,
				CountFree:       false,
				Precedence:      []string{cal.Incident, cal.Design, cal.Review, cal.Alignment, cal.Implementation},
			},
		},
		Rules:   Rules{UseDefaultRules: true, FallbackCategory: cal.Implementation},
		Server:  Server{Addr: "127.0.0.1:9464", SyncInterval: 15 * time.Minute, Weeks: 12, SyncConcurrency: 8},
		Teams:   Teams{MinGroupSize: 5},
		Privacy: Privacy{PersonMetrics: true},
	}
}

func mustZone(name string) *time.Location {
	loc, err := loadZone(name)
	if err != nil {
		panic(err) // the tz database is embedded by the tests' build too
	}
	return loc
}

// ErrNotExist is returned by Load for a config file that does not exist.
var ErrNotExist = errors.New("does not exist")

// Load reads, decodes and checks the config file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("config file %s %w", path, ErrNotExist)
	}
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return Parse(path, data)
}

// Parse decodes and checks data, the contents of the config file path.
// Relative paths in it are made relative to path's folder.
func Parse(path string, data []byte) (*Config, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("%s: not valid YAML: %w", path, err)
	}
	if len(root.Content) == 0 || len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: the file is empty: it needs at least a sources: list", path)
	}
	top := root.Content[0]
	if top.Kind != yaml.MappingNode {
		return nil, &Error{File: path, Line: top.Line,
			Err: fmt.Errorf("the top level must be keys and values (like sources:), not a %s", kindName(top.Kind))}
	}
	cfg := Default()
	d := &decoder{file: path, lines: map[string]int{}}
	if err := d.decode(top, reflect.ValueOf(cfg).Elem(), ""); err != nil {
		return nil, err
	}
	if err := cfg.validate(); err != nil {
		return nil, d.place(err)
	}
	cfg.File = path
	cfg.finish(filepath.Dir(path))
	return cfg, nil
}

// finish fills the defaults that depend on other keys and makes relative
// paths relative to dir, the config file's folder, so that a config works
// from any working directory.
func (c *Config) finish(dir string) {
	abs := func(p string) string {
		if p == "" || filepath.IsAbs(p) || p == ":memory:" {
			return p
		}
		return filepath.Join(dir, p)
	}
	c.Store = abs(c.Store)
	c.RulesFile = abs(c.RulesFile)
	c.LabelsFile = abs(c.LabelsFile)
	c.Server.AuthTokenFile = abs(c.Server.AuthTokenFile)
	c.Server.WebConfigFile = abs(c.Server.WebConfigFile)
	c.GoogleWorkspace.ServiceAccountKey = abs(c.GoogleWorkspace.ServiceAccountKey)
	for i := range c.Sources {
		s := &c.Sources[i]
		s.ServiceAccountKey = abs(s.ServiceAccountKey)
		if s.Type == TypeGoogle && s.ServiceAccountKey == "" {
			s.CalendarID = cmp.Or(s.CalendarID, "primary")
			s.Token = cmp.Or(s.Token, "./"+s.Name+".token.json")
		}
		s.ClientSecret, s.Token, s.Path = abs(s.ClientSecret), abs(s.Token), abs(s.Path)
	}
}

// Source returns the configured source called name.
func (c *Config) Source(name string) (Source, bool) {
	for _, s := range c.Sources {
		if s.Name == name {
			return s, true
		}
	}
	return Source{}, false
}

// ErrNoFile means no config file was named and none was found where
// Find looks.
var ErrNoFile = errors.New("no config file: pass --config FILE, or create ./weekmap.yaml (config.example.yaml documents every key)")

// Find returns the config file to load: explicit if not empty, else
// ./weekmap.yaml, else $XDG_CONFIG_HOME/weekmap/config.yaml (by default
// ~/.config/weekmap/config.yaml), whichever exists first.
func Find(explicit string) (string, error) {
	if explicit != "" {
		return explicit, nil
	}
	paths := []string{"weekmap.yaml"}
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" {
		if home, err := os.UserHomeDir(); err == nil {
			dir = filepath.Join(home, ".config")
		}
	}
	if dir != "" {
		paths = append(paths, filepath.Join(dir, "weekmap", "config.yaml"))
	}
	for _, p := range paths {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", ErrNoFile
}

// Fingerprint describes what in the config shapes source s's stored events:
// its type, where it reads from, its sync window, and its person and their
// e-mails (which mark the person's own attendee entries in exports). It is
// "key=value" pairs joined with ";", so that a change can be named. The
// sync engine stores it with each full listing and lists a source fully
// again when it changes.
func (c *Config) Fingerprint(s Source) string {
	parts := []string{"type=" + s.Type}
	switch s.Type {
	case TypeGoogle:
		parts = append(parts, "calendar_id="+s.CalendarID, "endpoint="+s.Endpoint)
		if s.ServiceAccountKey != "" {
			// Whose calendar "primary" is depends on whom the service
			// account acts as.
			parts = append(parts, "subject="+strings.ToLower(s.Subject))
		}
	case TypeICS:
		// Times without a zone in the file are read in the timezone.
		parts = append(parts, "path="+s.Path, "url="+s.URL, "timezone="+c.Timezone.String())
	case TypeJSON:
		parts = append(parts, "path="+s.Path)
	}
	parts = append(parts, "sync_window="+s.SyncWindow.Past.String()+"/"+s.SyncWindow.Future.String(), "person="+s.Person)
	if s.Type != TypeGoogle {
		emails := slices.Clone(c.Emails(s))
		for i := range emails {
			emails[i] = strings.ToLower(emails[i])
		}
		slices.Sort(emails)
		parts = append(parts, "emails="+strings.Join(emails, ","))
	}
	return strings.Join(parts, ";")
}
