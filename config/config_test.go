package config

import (
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestInvalidConfigs(t *testing.T) {
	// Each file's exact error: it must name the file, the line and the key,
	// and say what to do.
	tests := map[string]string{
		"invalid-unknown-source-key.yaml": `testdata/invalid-unknown-source-key.yaml:5: unknown key "sources[0].colour" (known keys here: calendar_id, client_secret, endpoint, holidays, name, owners, path, person, sync_window, token, type, url)`,
		"invalid-unknown-top-key.yaml":    `testdata/invalid-unknown-top-key.yaml:2: unknown key "storage" (known keys here: accounting, categories, domains, fallback_category, google_workspace, labels_file, people, privacy, rules_file, server, sources, store, target, teams, timezone, use_default_rules, working_hours)`,
		"invalid-duplicate-source.yaml":   `testdata/invalid-duplicate-source.yaml:5: sources[1].name: "a" is already the name of sources[0]`,
		"invalid-source-type.yaml":        `testdata/invalid-source-type.yaml:3: sources[0].type: "outlook" is not a source type: use google, ics or json`,
		"invalid-span.yaml":               `testdata/invalid-span.yaml:5: sources[0].sync_window.past: "26x" is not a span: use a whole number of days or weeks, like 14d or 26w`,
		"invalid-missing-path.yaml":       `testdata/invalid-missing-path.yaml:2: sources[0].path: is required for a json source`,
		"invalid-share-type.yaml":         `testdata/invalid-share-type.yaml:2: target.min_share: "lots" is not a number`,
		"invalid-min-share-nan.yaml":      `testdata/invalid-min-share-nan.yaml:3: target.min_share: NaN must be between 0 and 1 (0.2 means 20%)`,
		"invalid-sync-interval.yaml":      `testdata/invalid-sync-interval.yaml:2: server.sync_interval: 10s is too short: use 1m or more (Google's quota is per minute)`,
		"invalid-duration.yaml":           `testdata/invalid-duration.yaml:3: server.sync_interval: "15 minutes" is not a duration like 15m or 1h30m`,
		"invalid-syntax.yaml":             `testdata/invalid-syntax.yaml: not valid YAML: yaml: line 1: did not find expected ',' or ']'`,
		"invalid-fallback.yaml":           `testdata/invalid-fallback.yaml:1: fallback_category: unknown category "meetings" (want one of design, review, alignment, incident, implementation, ignore, off)`,
		"invalid-precedence.yaml":         `testdata/invalid-precedence.yaml:2: accounting.precedence[2]: "incident" is already listed as precedence[0]`,
		"invalid-timezone.yaml":           `testdata/invalid-timezone.yaml:1: timezone: "Mars/Olympus" is not an IANA time zone like Europe/Berlin: unknown time zone Mars/Olympus`,
		"invalid-owners-json.yaml":        `testdata/invalid-owners-json.yaml:5: sources[0].owners: is for ics sources; give the person's emails under people: instead`,
		"invalid-workday.yaml":            `testdata/invalid-workday.yaml:2: working_hours.days[1]: "funday" is not a weekday: use mon, tue, wed, thu, fri, sat or sun`,
		"invalid-top-list.yaml":           `testdata/invalid-top-list.yaml:1: the top level must be keys and values (like sources:), not a list`,
		"invalid-source-name.yaml":        `testdata/invalid-source-name.yaml:2: sources[0].name: "my calendar!" must be letters, digits, '.', '_' or '-' (it becomes a metric label)`,
		"invalid-google-no-secret.yaml":   `testdata/invalid-google-no-secret.yaml:2: sources[0].client_secret: is required for a google source (the OAuth client JSON from Google Cloud Console)`,
		"invalid-empty-window.yaml":       `testdata/invalid-empty-window.yaml:5: sources[0].sync_window: is empty: past and future cannot both be 0 (the default is {past: 26w, future: 2w})`,
		"invalid-url-userinfo.yaml":       `testdata/invalid-url-userinfo.yaml:4: sources[0].url: must be an https:// (or webcal://) URL: a feed's address is its secret, and plain http would send it in clear text`,
		"invalid-url-subdomain.yaml":      `testdata/invalid-url-subdomain.yaml:4: sources[0].url: must be an https:// (or webcal://) URL: a feed's address is its secret, and plain http would send it in clear text`,
		"invalid-bool.yaml":               `testdata/invalid-bool.yaml:1: use_default_rules: "yes please" is not true or false`,
		"invalid-sources-map.yaml":        `testdata/invalid-sources-map.yaml:2: sources: want a list, not a mapping`,
		"invalid-workspace-no-email.yaml": `testdata/invalid-workspace-no-email.yaml:4: people[1].emails: person "ben" has no e-mail: google_workspace.service_account_key reads the calendar of each person's first e-mail, so list it under emails:`,
		"invalid-workspace-clash.yaml":    `testdata/invalid-workspace-clash.yaml:6: sources[0].name: "ann" is also the name of person people[0], whose calendar google_workspace.service_account_key reads as a source of that name: rename this source`,
		"invalid-workspace-nobody.yaml":   `testdata/invalid-workspace-nobody.yaml:4: google_workspace.service_account_key: reads the calendar of each person under people:, and there is none: list the people with their e-mails`,
		"invalid-workspace-endpoint.yaml": `testdata/invalid-workspace-endpoint.yaml:4: google_workspace.endpoint: is used only with google_workspace.service_account_key`,
		"invalid-team-name.yaml":          `testdata/invalid-team-name.yaml:2: people[0].team: "pay ments" must be letters, digits, '.', '_' or '-' (it becomes a metric label)`,
		"invalid-sync-concurrency.yaml":   `testdata/invalid-sync-concurrency.yaml:4: server.sync_concurrency: 0 must be 1 or more (how many sources sync at once)`,
		"invalid-min-group-size.yaml":     `testdata/invalid-min-group-size.yaml:3: teams.min_group_size: -1 must be 1 or more (the default, 5, keeps a team's week from standing for fewer than five people)`,
		"invalid-person-metrics.yaml":     `testdata/invalid-person-metrics.yaml:4: privacy.person_metrics: "maybe" is not true or false`,
	}
	files, err := filepath.Glob("testdata/invalid-*.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			want, ok := tests[name]
			if !ok {
				t.Fatalf("no expected error for %s: add it to the table", f)
			}
			_, err := Load(f)
			if err == nil {
				t.Fatalf("Load(%s) = nil error, want %q", f, want)
			}
			if got := err.Error(); got != want {
				t.Errorf("Load(%s) error\n got: %s\nwant: %s", f, got, want)
			}
		})
	}
	for name := range tests {
		if _, err := os.Stat(filepath.Join("testdata", name)); err != nil {
			t.Errorf("table names %s, which is missing: %v", name, err)
		}
	}
}

func TestDefaults(t *testing.T) {
	cfg, err := Parse("/etc/weekmap/min.yaml", []byte("sources:\n  - {name: saved, type: json, path: ev.json}\n"))
	if err != nil {
		t.Fatal(err)
	}
	want := Default()
	if !reflect.DeepEqual(cfg.Week, want.Week) {
		t.Errorf("week settings = %+v, want the defaults %+v", cfg.Week, want.Week)
	}
	if got := cfg.Timezone.String(); got != "Europe/Berlin" {
		t.Errorf("timezone = %s, want Europe/Berlin", got)
	}
	if got := cfg.Store; got != "/etc/weekmap/weekmap.db" {
		t.Errorf("store = %q, want it next to the config file", got)
	}
	src := cfg.Sources[0]
	if src.Path != "/etc/weekmap/ev.json" {
		t.Errorf("path = %q, want it relative to the config file", src.Path)
	}
	if got, want := time.Duration(src.SyncWindow.Past), 26*7*24*time.Hour; got != want {
		t.Errorf("sync_window.past = %v, want %v", got, want)
	}
	if cfg.Server != want.Server {
		t.Errorf("server = %+v, want the defaults %+v", cfg.Server, want.Server)
	}
	if !cfg.UseDefaultRules || cfg.FallbackCategory != "implementation" {
		t.Errorf("rules = %+v, want the defaults", cfg.Rules)
	}
}

func TestOverridesKeepOtherDefaults(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte("accounting:\n  count_free: true\nworking_hours:\n  end: \"18:30\"\nsources:\n  - name: s\n    type: json\n    path: e.json\n    sync_window: {future: 4w}\n"))
	if err != nil {
		t.Fatal(err)
	}
	a := cfg.Accounting
	if !a.CountFree || !a.CountTentative || !a.CountUnanswered || a.Unscheduled != "implementation" {
		t.Errorf("accounting = %+v, want count_free set and the other defaults kept", a)
	}
	wh := cfg.WorkingHours
	if wh.End != 18*60+30 || wh.Start != 9*60 || len(wh.Days) != 5 {
		t.Errorf("working_hours = %+v, want end overridden and the rest default", wh)
	}
	w := cfg.Sources[0].SyncWindow
	if w.Future.String() != "4w" || w.Past.String() != "26w" {
		t.Errorf("sync_window = %v/%v, want past 26w kept and future 4w", w.Past, w.Future)
	}
}

func TestPeople(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte(`
people:
  - {name: ann, emails: [ann@example.com]}
  - {name: ben, emails: [ben@example.com, b.en@example.org]}
sources:
  - {name: a-work, person: ann, type: json, path: a.json}
  - {name: a-feed, person: ann, type: ics, path: a.ics, owners: [ANN@example.com, old@example.com]}
  - {name: b-work, person: ben, type: json, path: b.json}
`))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range cfg.Persons() {
		names = append(names, p.Name)
	}
	if got := strings.Join(names, ","); got != "ann,ben" {
		t.Errorf("Persons() = %s, want ann,ben", got)
	}
	var ann []string
	for _, s := range cfg.SourcesOf("ann") {
		ann = append(ann, s.Name)
	}
	if got := strings.Join(ann, ","); got != "a-work,a-feed" {
		t.Errorf("SourcesOf(ann) = %s, want a-work,a-feed", got)
	}
	if got := strings.Join(cfg.Emails(cfg.Sources[1]), ","); got != "ann@example.com,old@example.com" {
		t.Errorf("Emails(a-feed) = %s, want the person's and the source's owners without duplicates", got)
	}
	if len(cfg.Warnings) != 1 || !strings.Contains(cfg.Warnings[0], "sources[1].owners is deprecated") {
		t.Errorf("Warnings = %q, want one about owners", cfg.Warnings)
	}

	// Without people:, every source is "me"'s.
	cfg, err = Parse("c.yaml", []byte("sources:\n  - {name: w, type: json, path: w.json}\n  - {name: h, type: ics, path: h.ics, holidays: true}\n"))
	if err != nil {
		t.Fatal(err)
	}
	if p := cfg.Persons(); len(p) != 1 || p[0].Name != "me" || len(cfg.SourcesOf("me")) != 2 || !cfg.Sources[1].Holidays {
		t.Errorf("Persons() = %v, sources of me %d, want one person me with both sources", p, len(cfg.SourcesOf("me")))
	}
}

func TestWorkdays(t *testing.T) {
	cfg, err := Parse("c.yaml", []byte(`
working_hours:
  start: "08:30"
  end: "16:30"
  days: [mon, tue, {day: wed, end: "12:00"}, {day: fri, start: "10:00", end: "14:00"}]
`))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		day        time.Weekday
		start, end string
		ok         bool
	}{
		{time.Monday, "08:30", "16:30", true},
		{time.Wednesday, "08:30", "12:00", true},
		{time.Thursday, "", "", false},
		{time.Friday, "10:00", "14:00", true},
		{time.Sunday, "", "", false},
	}
	for _, tt := range tests {
		start, end, ok := cfg.WorkingHours.Hours(tt.day)
		if ok != tt.ok || ok && (start.String() != tt.start || end.String() != tt.end) {
			t.Errorf("Hours(%v) = %v-%v %v, want %s-%s %v", tt.day, start, end, ok, tt.start, tt.end, tt.ok)
		}
	}
}

func TestGoogleDefaults(t *testing.T) {
	cfg, err := Parse("/etc/weekmap/c.yaml", []byte("sources:\n  - {name: work, type: google, client_secret: cs.json}\n"))
	if err != nil {
		t.Fatal(err)
	}
	s := cfg.Sources[0]
	if s.Token != "/etc/weekmap/work.token.json" || s.CalendarID != "primary" {
		t.Errorf("token, calendar_id = %q, %q, want the token next to the config file and primary", s.Token, s.CalendarID)
	}
}

func TestFeedURLs(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://cal.example.com/f.ics", "https://cal.example.com/f.ics"},
		{"webcal://p01-caldav.icloud.com/published/2/abc", "https://p01-caldav.icloud.com/published/2/abc"},
		{"webcals://outlook.office365.com/owa/calendar/x/reachcalendar.ics", "https://outlook.office365.com/owa/calendar/x/reachcalendar.ics"},
		{"http://127.0.0.1:8080/f.ics", "http://127.0.0.1:8080/f.ics"},
		{"http://[::1]:8080/f.ics", "http://[::1]:8080/f.ics"},
		{"http://localhost:8080/f.ics", "http://localhost:8080/f.ics"},
		{"http://localhost.evil.example/f.ics", ""},
		{"http://localhost@evil.example/f.ics", ""},
		{"http://127.0.0.1.nip.io/f.ics", ""},
		{"http://cal.example.com/f.ics", ""},
		{"ftp://cal.example.com/f.ics", ""},
		{"cal.example.com/f.ics", ""},
	}
	for _, tt := range tests {
		got, err := feedURL(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("feedURL(%q) = %q, want an error", tt.in, got)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("feedURL(%q) = %q, %v, want %q", tt.in, got, err, tt.want)
		}
	}
}

// TestExampleConfig checks that config.example.yaml loads and mentions
// every key the config accepts.
func TestExampleConfig(t *testing.T) {
	path := filepath.Join("..", "config.example.yaml")
	if _, err := Load(path); err != nil {
		t.Fatalf("config.example.yaml does not load: %v", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	var walk func(prefix string, typ reflect.Type)
	walk = func(prefix string, typ reflect.Type) {
		for typ.Kind() == reflect.Slice || typ.Kind() == reflect.Pointer {
			typ = typ.Elem()
		}
		if typ.Kind() != reflect.Struct || typ.PkgPath() != reflect.TypeFor[Config]().PkgPath() {
			return
		}
		for key, index := range structFields(typ) {
			if !regexp.MustCompile(`(?m)[\s{,-]` + regexp.QuoteMeta(key) + `:`).Match(data) {
				missing = append(missing, strings.TrimPrefix(prefix+"."+key, "."))
			}
			walk(prefix+"."+key, typ.FieldByIndex(index).Type)
		}
	}
	walk("", reflect.TypeFor[Config]())
	if len(missing) > 0 {
		t.Errorf("config.example.yaml does not document: %s", strings.Join(missing, ", "))
	}
}

// TestRuleFilePaths checks that rules_file and labels_file are read
// relative to the config file's folder, so that a config works from any
// working directory, and that absolute paths are kept.
func TestRuleFilePaths(t *testing.T) {
	tests := []struct {
		name, yaml            string
		wantRules, wantLabels string
	}{
		{"unset", "", "", ""},
		{"relative", "rules_file: rules.yaml\nlabels_file: ./my/labels.yaml\n", "/etc/weekmap/rules.yaml", "/etc/weekmap/my/labels.yaml"},
		{"absolute", "rules_file: /srv/r.yaml\nlabels_file: /srv/l.yaml\n", "/srv/r.yaml", "/srv/l.yaml"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("/etc/weekmap/weekmap.yaml", []byte(tt.yaml+"sources:\n  - {name: s, type: json, path: e.json}\n"))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.RulesFile != tt.wantRules || cfg.LabelsFile != tt.wantLabels {
				t.Errorf("got rules_file %q, labels_file %q; want %q, %q", cfg.RulesFile, cfg.LabelsFile, tt.wantRules, tt.wantLabels)
			}
		})
	}
}
