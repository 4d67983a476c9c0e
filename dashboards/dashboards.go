// Package dashboards holds weekmap's Grafana dashboard and Prometheus
// alerting rules, embedded so that tests (and tools) read the very queries
// users import.
package dashboards

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"strings"
)

// Dashboard is weekmap.json, the Grafana dashboard.
//
//go:embed weekmap.json
var Dashboard []byte

// Query is one PromQL expression of a dashboard panel or variable.
type Query struct {
	Panel string // panel title, or "variable NAME"
	Expr  string
}

// Queries returns every PromQL expression in the dashboard: each panel
// target's expr and each query variable's query.
func Queries() ([]Query, error) {
	var d struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				Expr string `json:"expr"`
			} `json:"targets"`
		} `json:"panels"`
		Templating struct {
			List []struct {
				Name  string          `json:"name"`
				Type  string          `json:"type"`
				Query json.RawMessage `json:"query"`
			} `json:"list"`
		} `json:"templating"`
	}
	if err := json.Unmarshal(Dashboard, &d); err != nil {
		return nil, fmt.Errorf("weekmap.json: %w", err)
	}
	var out []Query
	for _, v := range d.Templating.List {
		if v.Type != "query" {
			continue
		}
		var q struct {
			Query string `json:"query"`
		}
		if err := json.Unmarshal(v.Query, &q); err != nil {
			return nil, fmt.Errorf("weekmap.json: variable %s: %w", v.Name, err)
		}
		out = append(out, Query{Panel: "variable " + v.Name, Expr: q.Query})
	}
	for _, p := range d.Panels {
		for _, t := range p.Targets {
			if strings.TrimSpace(t.Expr) != "" {
				out = append(out, Query{Panel: p.Title, Expr: t.Expr})
			}
		}
	}
	return out, nil
}

// Expand fills in the dashboard's variables as Grafana would for the person
// and source chosen, so that a test can run each query against Prometheus.
func Expand(expr, person, source string) string {
	return strings.NewReplacer(
		"$__rate_interval", "1m",
		"$__interval", "1m",
		"${person}", person,
		"$person", person,
		"${source}", source,
		"$source", source,
	).Replace(expr)
}
