package server

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/weekmap/weekmap/ingest"
)

// refreshHealth reads every source's sync state from the store: at
// start-up, so that the sync metrics and /readyz are right before the
// first sync ends (a restart must not make a failing source look fresh),
// and after each round of syncs.
func (s *Server) refreshHealth(ctx context.Context) error {
	states := make(map[string]ingest.SyncState, len(s.cfg.Sources))
	for _, src := range s.cfg.Sources {
		st, err := s.store.State(ctx, src.Name)
		if err != nil {
			return err
		}
		n, err := s.store.Count(ctx, src.Name)
		if err != nil {
			return err
		}
		s.metrics.Restore(src.Name, st, n)
		states[src.Name] = st
	}
	s.healthMu.Lock()
	s.health = states
	s.healthMu.Unlock()
	return nil
}

// SourceHealth is one source's sync health, as the page and /readyz show it.
type SourceHealth struct {
	Source      string
	LastSuccess time.Time // zero if it never synced
	// Failing is set when the last sync failed; Reason is its reason.
	Failing bool
	Reason  string
	// Stale is set when the last success is older than
	// config.Server.StaleAfter (or there was none).
	Stale bool
}

// OK reports whether the source's data is current.
func (h SourceHealth) OK() bool { return !h.Failing && !h.Stale }

func (h SourceHealth) String() string {
	last := "never synced"
	if !h.LastSuccess.IsZero() {
		last = "last synced " + h.LastSuccess.UTC().Format(time.RFC3339)
	}
	switch {
	case h.Failing:
		return fmt.Sprintf("%s: failing (%s), %s", h.Source, h.Reason, last)
	case h.Stale:
		return fmt.Sprintf("%s: stale, %s", h.Source, last)
	}
	return fmt.Sprintf("%s: ok, %s", h.Source, last)
}

// Health returns every source's sync health at now, in config order.
func (s *Server) Health() []SourceHealth {
	now := s.now()
	s.healthMu.Lock()
	defer s.healthMu.Unlock()
	out := make([]SourceHealth, 0, len(s.cfg.Sources))
	for _, src := range s.cfg.Sources {
		st := s.health[src.Name]
		h := SourceHealth{Source: src.Name, LastSuccess: st.LastSuccess, Failing: st.Failing(), Reason: st.LastErrorReason}
		h.Stale = st.LastSuccess.IsZero() || now.Sub(st.LastSuccess) > s.cfg.Server.StaleAfter()
		out = append(out, h)
	}
	return out
}

// groupHealth tells, for each group of sources (in the order of their
// first source), how many are current and how many failing or stale.
func groupHealth(health []SourceHealth, group func(source string) string) []string {
	type counts struct{ ok, failing, stale int }
	var order []string
	by := map[string]*counts{}
	for _, h := range health {
		g := group(h.Source)
		c, seen := by[g]
		if !seen {
			c = &counts{}
			by[g] = c
			order = append(order, g)
		}
		switch {
		case h.Failing:
			c.failing++
		case h.Stale:
			c.stale++
		default:
			c.ok++
		}
	}
	lines := make([]string, len(order))
	for i, g := range order {
		c := by[g]
		lines[i] = fmt.Sprintf("%s: %d ok, %d failing, %d stale", g, c.ok, c.failing, c.stale)
	}
	return lines
}

// readiness says whether serve is ready, and why not: a report must be
// published and at least one source's data current.
func (s *Server) readiness() (bool, string) {
	if !s.ready.Load() {
		return false, "not ready: the first sync has not finished"
	}
	var lines []string
	ok := false
	health := s.Health()
	for _, h := range health {
		ok = ok || h.OK()
		lines = append(lines, h.String())
	}
	if !s.cfg.Privacy.PersonMetrics {
		// In team mode sources are named after people: say how each
		// team's calendars are, not whose.
		lines = groupHealth(health, syncGroups(s.cfg))
	}
	if len(lines) == 0 {
		return true, "ready"
	}
	if !ok {
		return false, fmt.Sprintf("not ready: every source's last sync failed or its last success is older than %v\n%s", s.cfg.Server.StaleAfter(), strings.Join(lines, "\n"))
	}
	return true, "ready\n" + strings.Join(lines, "\n")
}
