package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/weekmap/weekmap/classify"
	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/internal/confpath"
	"github.com/weekmap/weekmap/report"
)

// Config is the whole configuration file (SPEC section 2). Each package owns
// and validates its own section; this type only puts them side by side.
type Config struct {
	Ingest   ingest.Config   `yaml:",inline"`
	Report   report.Config   `yaml:",inline"`
	Classify classify.Config `yaml:",inline"`
	Server   ServerConfig    `yaml:"server"`

	// path is the file the config came from ("" for the built-in defaults).
	path string
}

// ServerConfig configures `weekmap serve`.
type ServerConfig struct {
	Addr          string        `yaml:"addr"`
	SyncInterval  time.Duration `yaml:"sync_interval"`
	Weeks         int           `yaml:"weeks"`
	AuthTokenFile string        `yaml:"auth_token_file"`
}

func defaultConfig() Config {
	return Config{
		Ingest:   ingest.DefaultConfig(),
		Report:   report.DefaultConfig(),
		Classify: classify.DefaultConfig(),
		Server:   ServerConfig{Addr: "127.0.0.1:9464", SyncInterval: 15 * time.Minute, Weeks: 12},
	}
}

func (s *ServerConfig) validate() error {
	if s.Addr == "" {
		return confpath.Errorf("server.addr", "must be host:port, like 127.0.0.1:9464")
	}
	if s.SyncInterval < time.Minute {
		return confpath.Errorf("server.sync_interval", "%v is too short: use 1m or more (Google's quota is per minute)", s.SyncInterval)
	}
	if s.Weeks < 1 || s.Weeks > 260 {
		return confpath.Errorf("server.weeks", "%d must be between 1 and 260", s.Weeks)
	}
	return nil
}

// defaultConfigPaths are tried in order when --config is not given.
func defaultConfigPaths() []string {
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
	return paths
}

// errNoConfig means no config file was given and none was found.
var errNoConfig = errors.New("no config file: pass --config FILE, or create ./weekmap.yaml (config.example.yaml documents every key)")

// findConfig returns the config file to load: explicit if given, else the
// first default path that exists.
func findConfig(explicit string) (string, error) {
	if explicit != "" {
		return explicit, nil
	}
	for _, p := range defaultConfigPaths() {
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
	}
	return "", errNoConfig
}

// loadConfig reads, strictly decodes and validates the config file at path.
// Every error names the file, and the line and key where it has them.
func loadConfig(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("config file %s does not exist", path)
	}
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	return parseConfig(path, data)
}

func parseConfig(path string, data []byte) (*Config, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		msg := strings.TrimPrefix(err.Error(), "yaml: ")
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			return nil, fmt.Errorf("%s:%s: %s", path, m[1], m[2])
		}
		return nil, fmt.Errorf("%s: %s", path, msg)
	}
	cfg := defaultConfig()
	cfg.path = path
	if len(root.Content) == 0 {
		return nil, fmt.Errorf("%s: the file is empty: it needs at least a sources: list", path)
	}
	if top := root.Content[0]; top.Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s:%d: the top level must be keys and values (like sources:), not a %s", path, top.Line, kindName(top.Kind))
	}
	if err := checkKeys(root.Content[0], reflect.TypeOf(cfg), ""); err != nil {
		return nil, fmt.Errorf("%s:%w", path, err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&cfg); err != nil {
		return nil, fmt.Errorf("%s", describeDecodeError(path, &root, err))
	}
	// Validate first: it fills defaults (a google source's token path)
	// that must be resolved like the paths the file gives.
	if err := cfg.validate(); err != nil {
		return nil, positioned(path, &root, err)
	}
	cfg.Ingest.ResolvePaths(filepath.Dir(path))
	for _, p := range []*string{&cfg.Classify.RulesFile, &cfg.Server.AuthTokenFile} {
		if *p != "" && !filepath.IsAbs(*p) {
			*p = filepath.Join(filepath.Dir(path), *p)
		}
	}
	return &cfg, nil
}

// validate runs each section's own validation.
func (c *Config) validate() error {
	if err := c.Ingest.Validate(); err != nil {
		return err
	}
	if err := c.Classify.Validate(); err != nil {
		return err
	}
	if err := c.Report.Validate(classify.WorkCategories(c.Classify)); err != nil {
		return err
	}
	return c.Server.validate()
}

// positioned adds file and line to a validation error.
func positioned(path string, root *yaml.Node, err error) error {
	var pe *confpath.Error
	if errors.As(err, &pe) {
		if line := confpath.Line(root, pe.Path); line > 0 {
			return fmt.Errorf("%s:%d: %s: %w", path, line, pe.Path, pe.Err)
		}
		return fmt.Errorf("%s: %s: %w", path, pe.Path, pe.Err)
	}
	return fmt.Errorf("%s: %w", path, err)
}

var yamlLineRE = regexp.MustCompile(`line (\d+): (.*)`)

// describeDecodeError rewrites the YAML decoder's "line N: cannot unmarshal
// !!str `x` into float64" as "file:N: key: ..." naming the key at that line.
func describeDecodeError(path string, root *yaml.Node, err error) string {
	var te *yaml.TypeError
	if !errors.As(err, &te) || len(te.Errors) == 0 {
		return fmt.Sprintf("%s: %s", path, strings.TrimPrefix(err.Error(), "yaml: "))
	}
	m := yamlLineRE.FindStringSubmatch(te.Errors[0])
	if m == nil {
		return fmt.Sprintf("%s: %s", path, te.Errors[0])
	}
	line, _ := strconv.Atoi(m[1])
	msg := m[2]
	if strings.HasPrefix(msg, "cannot unmarshal") {
		msg = "bad value: " + strings.TrimPrefix(msg, "cannot unmarshal ")
	}
	if key := keyAtLine(root, line, ""); key != "" {
		return fmt.Sprintf("%s:%d: %s: %s", path, line, key, msg)
	}
	return fmt.Sprintf("%s:%d: %s", path, line, msg)
}

// keyAtLine finds the path of the deepest key whose value starts on line.
func keyAtLine(n *yaml.Node, line int, prefix string) string {
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			return keyAtLine(n.Content[0], line, prefix)
		}
	case yaml.MappingNode:
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			p := joinKey(prefix, k.Value)
			if deeper := keyAtLine(v, line, p); deeper != "" {
				return deeper
			}
			if k.Line == line || v.Line == line {
				return p
			}
		}
	case yaml.SequenceNode:
		for i, v := range n.Content {
			p := confpath.Index(prefix, i)
			if deeper := keyAtLine(v, line, p); deeper != "" {
				return deeper
			}
			if v.Line == line && v.Kind == yaml.ScalarNode {
				return p
			}
		}
	}
	return ""
}

func joinKey(prefix, key string) string {
	if prefix == "" {
		return key
	}
	return prefix + "." + key
}

// checkKeys walks the YAML against the Go type it decodes into and reports
// the first unknown key with its line and the keys that are allowed there.
// The decoder's KnownFields also catches these, but names neither the file
// nor the full key path.
func checkKeys(n *yaml.Node, t reflect.Type, prefix string) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case n.Kind == yaml.MappingNode && t.Kind() == reflect.Struct:
		fields := yamlFields(t)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			ft, ok := fields[k.Value]
			if !ok {
				return fmt.Errorf("%d: unknown key %q (known keys here: %s)", k.Line, joinKey(prefix, k.Value), strings.Join(sortedKeys(fields), ", "))
			}
			if err := checkKeys(n.Content[i+1], ft, joinKey(prefix, k.Value)); err != nil {
				return err
			}
		}
	case n.Kind == yaml.SequenceNode && t.Kind() == reflect.Slice:
		for i, item := range n.Content {
			if err := checkKeys(item, t.Elem(), confpath.Index(prefix, i)); err != nil {
				return err
			}
		}
	}
	return nil
}

// yamlFields maps the YAML keys of struct t (inline structs flattened) to
// their types.
func yamlFields(t reflect.Type) map[string]reflect.Type {
	out := map[string]reflect.Type{}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("yaml")
		name, opts, _ := strings.Cut(tag, ",")
		if strings.Contains(opts, "inline") {
			for k, v := range yamlFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if !f.IsExported() || name == "-" {
			continue
		}
		if name == "" {
			name = strings.ToLower(f.Name)
		}
		out[name] = f.Type
	}
	return out
}

func sortedKeys(m map[string]reflect.Type) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.SequenceNode:
		return "list"
	case yaml.ScalarNode:
		return "single value"
	default:
		return "mapping"
	}
}
