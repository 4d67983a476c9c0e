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
// target's expr (rows' panels included) and each query variable's query.
func Queries() ([]Query, error) {
	var d struct {
		Panels     []panel `json:"panels"`
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
		expr, err := variableQuery(v.Query)
		if err != nil {
			return nil, fmt.Errorf("weekmap.json: variable %q: %w", v.Name, err)
		}
		out = append(out, Query{Panel: "variable " + v.Name, Expr: expr})
	}
	var walk func([]panel)
	walk = func(ps []panel) {
		for _, p := range ps {
			for _, t := range p.Targets {
				if strings.TrimSpace(t.Expr) != "" {
					out = append(out, Query{Panel: p.Title, Expr: t.Expr})
				}
			}
			walk(p.Panels) // a collapsed row holds its panels
		}
	}
	walk(d.Panels)
	return out, nil
}

type panel struct {
	Title   string `json:"title"`
	Targets []struct {
		Expr string `json:"expr"`
	} `json:"targets"`
	Panels []panel `json:"panels"`
}

// variableQuery reads a query variable's query, which Grafana writes either
// as the PromQL text or as an object holding it.
func variableQuery(raw json.RawMessage) (string, error) {
	var s string
	if err := json.Unmarshal(raw, &s); err == nil {
		return s, nil
	}
	var q struct {
		Query string `json:"query"`
	}
	if err := json.Unmarshal(raw, &q); err != nil {
		return "", err
	}
	return q.Query, nil
}

// Expand fills in the dashboard's variables as Grafana would for the person
// and source chosen and the dashboard's default time range, the last 6
// hours, so that a test can run each query against Prometheus. A test that
// wants another range replaces $__range first.
func Expand(expr, person, source string) string {
	return strings.NewReplacer(
		"$__rate_interval", "1m",
		"$__interval", "1m",
		"$__range", "6h",
		"${person}", person,
		"$person", person,
		"${source}", source,
		"$source", source,
	).Replace(expr)
}
