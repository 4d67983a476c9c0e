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
	}
	if err := c.Rules.validate(); err != nil {
		return err
	}
	if err := c.Week.validate(c.Rules.WorkCategories()); err != nil {
		return err
	}
	return c.Server.validate()
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
		case name == cal.Ignore || slices.Contains(cal.BuiltinWork(), name):
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
	return name == cal.Ignore || slices.Contains(r.WorkCategories(), name)
}

// KnownList lists the categories rules may assign, for messages.
func (r *Rules) KnownList() string {
	return strings.Join(append(r.WorkCategories(), cal.Ignore), ", ")
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
	seen := map[string]int{}
	for i, d := range h.Days {
		if !slices.Contains(weekdays[:], d) {
			return errorAt(index("days", i), "%q is not a weekday: use mon, tue, wed, thu, fri, sat or sun", d)
		}
		if j, dup := seen[d]; dup {
			return errorAt(index("days", i), "%q is already listed as days[%d]", d, j)
		}
		seen[d] = i
	}
	if h.Start >= 24*60 {
		return errorAt("start", "%q is not a time of day like \"09:00\"", h.Start)
	}
	if h.Start >= h.End {
		return errorAt("end", "%s must be after start %s", h.End, h.Start)
	}
	return nil
}

// Works reports whether working hours include weekday d.
func (h *WorkingHours) Works(d time.Weekday) bool {
	return slices.Contains(h.Days, weekdays[(int(d)+6)%7])
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
		if c == cal.Ignore {
			return errorAt(index("precedence", i), "%q cannot be ranked: ignored time never outranks work", c)
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
	if c == cal.Ignore {
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
	return nil
}
