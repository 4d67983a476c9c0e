package config

import (
	"errors"
	"strings"
	"testing"
)

// TestValidation checks each key's values against the others, decoded
// from a small file: the key the error names and what it says.
func TestValidation(t *testing.T) {
	tests := []struct {
		name, yaml string
		wantKey    string // "" = valid
		wantMsg    string
	}{
		{name: "defaults", yaml: "store: ./w.db"},
		{name: "custom category everywhere", yaml: "categories: [oncall]\ntarget: {categories: [oncall]}\naccounting: {unscheduled: oncall, precedence: [oncall, design]}"},
		{name: "unscheduled none", yaml: "accounting: {unscheduled: none}"},
		{name: "no working days", yaml: "working_hours: {days: []}"},
		{name: "day ends at midnight", yaml: `working_hours: {end: "24:00"}`},
		{name: "min share bounds", yaml: "target: {min_share: 1}"},
		{name: "empty precedence", yaml: "accounting: {precedence: []}"},
		{name: "half-hour zone", yaml: "timezone: Asia/Kolkata"},
		{name: "custom fallback", yaml: "categories: [support]\nfallback_category: support"},
		{name: "ignore fallback", yaml: "fallback_category: ignore"},
		{name: "domains", yaml: "domains: [example.com, corp.example.co.uk, Example.ORG]"},
		{"unknown zone", "timezone: Europe/Atlantis", "timezone", "not an IANA time zone"},
		{"empty zone", `timezone: ""`, "timezone", "not an IANA time zone"},
		{"local zone", "timezone: Local", "timezone", "not an IANA time zone"},
		{"bad day", "working_hours: {days: [mon, Tuesday]}", "working_hours.days[1]", `"Tuesday" is not a weekday`},
		{"duplicate day", "working_hours: {days: [mon, tue, mon]}", "working_hours.days[2]", "already listed as days[0]"},
		{"start not a time", "working_hours: {start: 9am}", "working_hours.start", "not a time of day"},
		{"start one digit", `working_hours: {start: "9:00"}`, "working_hours.start", "not a time of day"},
		{"start 24:00", `working_hours: {start: "24:00"}`, "working_hours.start", "not a time of day"},
		{"end minutes", `working_hours: {end: "17:60"}`, "working_hours.end", "not a time of day"},
		{"end signed", `working_hours: {end: "-1:00"}`, "working_hours.end", "not a time of day"},
		{"start after end", `working_hours: {start: "18:00", end: "09:00"}`, "working_hours.end", "must be after start 18:00"},
		{"start equals end", `working_hours: {start: "09:00", end: "09:00"}`, "working_hours.end", "must be after start"},
		{"day without a name", `working_hours: {days: [{start: "10:00"}]}`, "working_hours.days[0]", "needs day:"},
		{"bad day with hours", `working_hours: {days: [{day: friday, end: "13:00"}]}`, "working_hours.days[0].day", `"friday" is not a weekday`},
		{"day ends before it starts", `working_hours: {days: [{day: fri, start: "13:00", end: "12:00"}]}`, "working_hours.days[0].end", "must be after start 13:00"},
		{"day ends before the week starts", `working_hours: {start: "10:00", days: [{day: fri, end: "09:00"}]}`, "working_hours.days[0].end", "must be after start 10:00"},
		{"unknown person", "sources: [{name: w, type: json, path: w.json, person: zoe}]", "sources[0].person", `"zoe" is not in people: (people: me)`},
		{"person not listed", "{people: [{name: ann}], sources: [{name: w, type: json, path: w.json}]}", "sources[0].person", `"me" is not in people: (people: ann)`},
		{"duplicate person", "people: [{name: ann}, {name: ann}]", "people[1].name", "already the name of people[0]"},
		{"person without name", "people: [{emails: [a@example.com]}]", "people[0].name", "is required"},
		{"bad email", "people: [{name: ann, emails: [ann]}]", "people[0].emails[0]", "not an e-mail address"},
		{"owners on json", "sources: [{name: w, type: json, path: w.json, owners: [a@example.com]}]", "sources[0].owners", "give the person's emails under people:"},
		{"no target", "target: {categories: []}", "target.categories", "at least one"},
		{"unknown target", "target: {categories: [design, desing]}", "target.categories[1]", `"desing" is not a category: use one of design, review`},
		{"ignore as target", "target: {categories: [ignore]}", "target.categories[0]", "not a work category"},
		{"duplicate target", "target: {categories: [design, design]}", "target.categories[1]", "already listed"},
		{"share negative", "target: {min_share: -0.1}", "target.min_share", "between 0 and 1"},
		{"share percent", "target: {min_share: 20}", "target.min_share", "between 0 and 1"},
		{"unknown unscheduled", "accounting: {unscheduled: coding}", "accounting.unscheduled", `"coding" is not a category`},
		{"empty unscheduled", `accounting: {unscheduled: ""}`, "accounting.unscheduled", `or "none"`},
		{"unknown precedence", "accounting: {precedence: [design, meetings]}", "accounting.precedence[1]", `"meetings" is not a category`},
		{"ignore precedence", "accounting: {precedence: [ignore]}", "accounting.precedence[0]", "never outranks"},
		{"duplicate precedence", "accounting: {precedence: [review, design, review]}", "accounting.precedence[2]", "already listed as precedence[0]"},
		{"domain with @", "domains: ['@example.com']", "domains[0]", "without the @"},
		{"domain a URL", "domains: ['https://example.com']", "domains[0]", "not a domain name"},
		{"duplicate domain", "domains: [example.com, EXAMPLE.com]", "domains[1]", "already listed"},
		{"built-in as custom", "categories: [design]", "categories[0]", "built-in category"},
		{"bad custom", "categories: [On-Call]", "categories[0]", "lower-case identifier"},
		{"reserved custom", "categories: [none]", "categories[0]", "reserved"},
		{"weeks zero", "server: {weeks: 0}", "server.weeks", "between 1 and 260"},
		{"no addr", `server: {addr: ""}`, "server.addr", "host:port"},
		{"owner not an address", "sources: [{name: f, type: ics, path: f.ics, owners: [me]}]", "sources[0].owners[0]", "not an e-mail address"},
		{"ics with both", "sources: [{name: f, type: ics, path: f.ics, url: 'https://x.example/f'}]", "sources[0].path", "exactly one of path or url"},
		{"ics with a token", "sources: [{name: f, type: ics, path: f.ics, token: t.json}]", "sources[0].token", "not used by ics sources"},
		{"json with a calendar id", "sources: [{name: f, type: json, path: f.json, calendar_id: primary}]", "sources[0].calendar_id", "not used by json sources"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("c.yaml", []byte(tt.yaml))
			if tt.wantKey == "" {
				if err != nil {
					t.Fatalf("got error %v, want none", err)
				}
				return
			}
			var ce *Error
			if !errors.As(err, &ce) {
				t.Fatalf("got error %v, want a *config.Error", err)
			}
			if ce.Key != tt.wantKey || ce.Line != 1 {
				t.Errorf("got key %q at line %d, want %q at line 1 (%v)", ce.Key, ce.Line, tt.wantKey, err)
			}
			if !strings.Contains(ce.Err.Error(), tt.wantMsg) {
				t.Errorf("got message %q, want it to contain %q", ce.Err.Error(), tt.wantMsg)
			}
		})
	}
}
