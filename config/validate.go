package config

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/weekmap/weekmap/cal"
)

// validate checks what decoding cannot: values against each other and
// against the categories. Errors carry the key path.
func (c *Config) validate() error {
	if strings.TrimSpace(c.Store) == "" {
		return errorAt("store", "must name a file")
	}
	if err := c.validatePeople(); err != nil {
		return err
	}
	seen := map[string]int{}
	for i := range c.Sources {
		s := &c.Sources[i]
		if err := prefix(index("sources", i), s.validate()); err != nil {
			return err
		}
		if j, dup := seen[s.Name]; dup {
			return errorAt(index("sources", i)+".name", "%q is already the name of sources[%d]", s.Name, j)
		}
		seen[s.Name] = i
		if _, ok := c.Person(s.Person); !ok {
			return errorAt(index("sources", i)+".person", "%q is not in people: (people: %s); add it there, or set person: to one of them", s.Person, c.personList())
		}
		if len(s.Owners) > 0 {
			c.Warnings = append(c.Warnings, fmt.Sprintf("sources[%d].owners is deprecated: list the addresses under people: as emails of person %q", i, s.Person))
		}
	}
	if err := c.addWorkspaceSources(); err != nil {
		return err
	}
	if err := c.Rules.validate(); err != nil {
		return err
	}
	if err := c.Week.validate(c.Rules.WorkCategories()); err != nil {
		return err
	}
	if err := c.Teams.validate(); err != nil {
		return err
	}
	return c.Server.validate()
}

func (c *Config) validatePeople() error {
	seen := map[string]int{}
	for i, p := range c.People {
		path := index("people", i)
		if p.Name == "" {
			return errorAt(path+".name", "is required")
		}
		if !nameRE.MatchString(p.Name) {
			return errorAt(path+".name", "%q must be letters, digits, '.', '_' or '-' (it becomes a metric label)", p.Name)
		}
		if j, dup := seen[p.Name]; dup {
			return errorAt(path+".name", "%q is already the name of people[%d]", p.Name, j)
		}
		seen[p.Name] = i
		if p.Team != "" && !nameRE.MatchString(p.Team) {
			return errorAt(path+".team", "%q must be letters, digits, '.', '_' or '-' (it becomes a metric label)", p.Team)
		}
		for k, e := range p.Emails {
			if at := strings.LastIndexByte(e, '@'); at <= 0 || at == len(e)-1 || strings.ContainsAny(e, " <>") {
				return errorAt(index(path+".emails", k), "%q is not an e-mail address", e)
			}
		}
	}
	return nil
}

// Person returns the person called name: one of people:, or, when the file
// lists none, DefaultPerson with no e-mails.
func (c *Config) Person(name string) (Person, bool) {
	if len(c.People) == 0 {
		return Person{Name: DefaultPerson}, name == DefaultPerson
	}
	for _, p := range c.People {
		if p.Name == name {
			return p, true
		}
	}
	return Person{}, false
}

// Persons returns everyone whose weeks are reported, in the order of the
// file (DefaultPerson when it lists nobody).
func (c *Config) Persons() []Person {
	if len(c.People) == 0 {
		return []Person{{Name: DefaultPerson}}
	}
	return c.People
}

// SourcesOf returns the sources that belong to person name, in file order.
func (c *Config) SourcesOf(name string) []Source {
	var out []Source
	for _, s := range c.Sources {
		if s.Person == name {
			out = append(out, s)
		}
	}
	return out
}

// Emails returns the addresses that mark the owner of source s in exports:
// its person's, and the deprecated owners of the source.
func (c *Config) Emails(s Source) []string {
	p, _ := c.Person(s.Person)
	out := slices.Clone(p.Emails)
	for _, o := range s.Owners {
		if !slices.ContainsFunc(out, func(e string) bool { return strings.EqualFold(e, o) }) {
			out = append(out, o)
		}
	}
	return out
}

func (c *Config) personList() string {
	var names []string
	for _, p := range c.Persons() {
		names = append(names, p.Name)
	}
	return strings.Join(names, ", ")
}

// prefix puts a key path in front of err's (a keyError's) path.
func prefix(p string, err error) error {
	if err == nil {
		return nil
	}
	ke, ok := err.(*keyError)
	if !ok {
		return &keyError{path: p, err: err}
	}
	if strings.HasPrefix(ke.path, "[") {
		return &keyError{path: p + ke.path, err: ke.err}
	}
	return &keyError{path: p + "." + ke.path, err: ke.err}
}

// categoryRE keeps custom categories usable as metric label values, JSON
// keys and CSV headers without quoting.
var categoryRE = regexp.MustCompile(`^[a-z][a-z0-9_]{0,31}$`)

// domainRE accepts host names with at least one dot; an e-mail address or
// a URL written by mistake fails it.
var domainRE = regexp.MustCompile(`(?i)^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$`)

func (r *Rules) validate() error {
	for i, d := range r.Domains {
		path := index("domains", i)
		switch {
		case strings.HasPrefix(d, "@"):
			return errorAt(path, "%q must be a domain without the @, like %q", d, strings.TrimPrefix(d, "@"))
		case !domainRE.MatchString(d):
			return errorAt(path, "%q is not a domain name like example.com", d)
		}
		for j := range i {
			if strings.EqualFold(r.Domains[j], d) {
				return errorAt(path, "%q is already listed as domains[%d]", d, j)
			}
		}
	}
	for i, name := range r.Categories {
		path := index("categories", i)
		switch {
		case cal.NotWork(name) || slices.Contains(cal.BuiltinWork(), name):
			return errorAt(path, "%q is a built-in category; list only extra ones here", name)
		case name == UnscheduledNone:
			return errorAt(path, "%q is reserved", name)
		case !categoryRE.MatchString(name):
			return errorAt(path, "%q must be a lower-case identifier (a-z, 0-9, _; starting with a letter; at most 32 characters)", name)
		}
		if j := slices.Index(r.Categories[:i], name); j >= 0 {
			return errorAt(path, "%q is already listed as categories[%d]", name, j)
		}
	}
	if r.FallbackCategory == "" {
		return errorAt("fallback_category", "is required")
	}
	if !r.Known(r.FallbackCategory) {
		return errorAt("fallback_category", "unknown category %q (want one of %s)", r.FallbackCategory, r.KnownList())
	}
	return nil
}

// Known reports whether name is a category rules may assign.
func (r *Rules) Known(name string) bool {
	return cal.NotWork(name) || slices.Contains(r.WorkCategories(), name)
}

// KnownList lists the categories rules may assign, for messages.
func (r *Rules) KnownList() string {
	return strings.Join(append(r.WorkCategories(), cal.Ignore, cal.Off), ", ")
}

// weekdays as written in working_hours.days, Monday first like ISO weeks.
var weekdays = [7]string{"mon", "tue", "wed", "thu", "fri", "sat", "sun"}

func (w *Week) validate(categories []string) error {
	if err := prefix("working_hours", w.WorkingHours.validate()); err != nil {
		return err
	}
	if err := prefix("target", w.Target.validate(categories)); err != nil {
		return err
	}
	return prefix("accounting", w.Accounting.validate(categories))
}

func (h *WorkingHours) validate() error {
	if h.Start >= 24*60 {
		return errorAt("start", "%q is not a time of day like \"09:00\"", h.Start)
	}
	if h.Start >= h.End {
		return errorAt("end", "%s must be after start %s", h.End, h.Start)
	}
	seen := map[string]int{}
	for i := range h.Days {
		d := &h.Days[i]
		path := index("days", i)
		if !slices.Contains(weekdays[:], d.Day) {
			if d.Own {
				path += ".day"
			}
			return errorAt(path, "%q is not a weekday: use mon, tue, wed, thu, fri, sat or sun", d.Day)
		}
		if j, dup := seen[d.Day]; dup {
			return errorAt(path, "%q is already listed as days[%d]", d.Day, j)
		}
		seen[d.Day] = i
		if !d.Own {
			continue
		}
		if d.Start == unsetClock {
			d.Start = h.Start
		}
		if d.End == unsetClock {
			d.End = h.End
		}
		if d.Start >= 24*60 {
			return errorAt(path+".start", "%q is not a time of day like \"09:00\"", d.Start)
		}
		if d.Start >= d.End {
			return errorAt(path+".end", "%s must be after start %s", d.End, d.Start)
		}
	}
	return nil
}

func (t *Target) validate(categories []string) error {
	if len(t.Categories) == 0 {
		return errorAt("categories", "must list at least one category, like design")
	}
	seen := map[string]int{}
	for i, c := range t.Categories {
		if err := knownWork(c, categories); err != nil {
			return prefix(index("categories", i), err)
		}
		if j, dup := seen[c]; dup {
			return errorAt(index("categories", i), "%q is already listed as categories[%d]", c, j)
		}
		seen[c] = i
	}
	// The negated form also rejects NaN.
	if !(t.MinShare >= 0 && t.MinShare <= 1) {
		return errorAt("min_share", "%v must be between 0 and 1 (0.2 means 20%%)", t.MinShare)
	}
	return nil
}

func (a *Accounting) validate(categories []string) error {
	if a.Unscheduled != UnscheduledNone {
		if err := knownWork(a.Unscheduled, categories); err != nil {
			return errorAt("unscheduled", "%v, or \"none\" to leave working time without events uncounted", err)
		}
	}
	seen := map[string]int{}
	for i, c := range a.Precedence {
		if cal.NotWork(c) {
			return errorAt(index("precedence", i), "%q cannot be ranked: it is not work (ignored time never outranks work, time off always does)", c)
		}
		if err := knownWork(c, categories); err != nil {
			return prefix(index("precedence", i), err)
		}
		if j, dup := seen[c]; dup {
			return errorAt(index("precedence", i), "%q is already listed as precedence[%d]", c, j)
		}
		seen[c] = i
	}
	return nil
}

func knownWork(c string, categories []string) error {
	if slices.Contains(categories, c) {
		return nil
	}
	if cal.NotWork(c) {
		return fmt.Errorf("%q is not a work category", c)
	}
	return fmt.Errorf("%q is not a category: use one of %s", c, strings.Join(categories, ", "))
}

func (s *Server) validate() error {
	if s.Addr == "" {
		return errorAt("server.addr", "must be host:port, like 127.0.0.1:9464")
	}
	if s.SyncInterval < time.Minute {
		return errorAt("server.sync_interval", "%v is too short: use 1m or more (Google's quota is per minute)", s.SyncInterval)
	}
	if s.Weeks < 1 || s.Weeks > 260 {
		return errorAt("server.weeks", "%d must be between 1 and 260", s.Weeks)
	}
	if s.SyncConcurrency < 1 {
		return errorAt("server.sync_concurrency", "%d must be 1 or more (how many sources sync at once)", s.SyncConcurrency)
	}
	return nil
}
