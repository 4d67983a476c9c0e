package config

import (
	"strings"
	"testing"
)

func TestWorkspaceSources(t *testing.T) {
	cfg, err := Parse("/etc/weekmap/c.yaml", []byte(`
google_workspace:
  service_account_key: ./sa.json
  endpoint: http://127.0.0.1:8080/calendar/v3/
people:
  - {name: ann, emails: [Ann@corp.example, ann@old.example], team: payments}
  - {name: ben, emails: [ben@corp.example]}
sources:
  - {name: ann-feed, person: ann, type: ics, path: ann.ics}
`))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range cfg.Sources {
		names = append(names, s.Name)
	}
	if got, want := strings.Join(names, ","), "ann-feed,ann,ben"; got != want {
		t.Fatalf("sources = %s, want %s (the listed ones, then one per person)", got, want)
	}
	ann := cfg.Sources[1]
	want := Source{
		Name: "ann", Person: "ann", Type: TypeGoogle, CalendarID: "primary",
		Endpoint: "http://127.0.0.1:8080/calendar/v3/", SyncWindow: DefaultWindow(),
		ServiceAccountKey: "/etc/weekmap/sa.json", Subject: "Ann@corp.example",
	}
	if ann.Name != want.Name || ann.Person != want.Person || ann.Type != want.Type || ann.CalendarID != want.CalendarID ||
		ann.Endpoint != want.Endpoint || ann.SyncWindow != want.SyncWindow || ann.ServiceAccountKey != want.ServiceAccountKey ||
		ann.Subject != want.Subject || ann.Token != "" || ann.ClientSecret != "" {
		t.Errorf("ann's source = %+v, want %+v (no token or client secret)", ann, want)
	}
	var of []string
	for _, s := range cfg.SourcesOf("ann") {
		of = append(of, s.Name)
	}
	if got := strings.Join(of, ","); got != "ann-feed,ann" {
		t.Errorf("SourcesOf(ann) = %s, want ann-feed,ann", got)
	}
	if p, _ := cfg.Person("ann"); p.Team != "payments" {
		t.Errorf("ann's team = %q, want payments", p.Team)
	}
	if got := cfg.Fingerprint(ann); !strings.Contains(got, "subject=ann@corp.example") {
		t.Errorf("Fingerprint(ann) = %q, want the subject in it, so that a new first e-mail syncs fully", got)
	}
}

func TestFingerprintOfOAuthSourceHasNoSubject(t *testing.T) {
	// A change here would make every existing google source sync fully once.
	cfg, err := Parse("c.yaml", []byte("sources:\n  - {name: work, type: google, client_secret: cs.json}\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := cfg.Fingerprint(cfg.Sources[0])
	if want := "type=google;calendar_id=primary;endpoint=;sync_window=26w/2w;person=me"; got != want {
		t.Errorf("Fingerprint = %q, want %q", got, want)
	}
}

func TestTeamKeys(t *testing.T) {
	tests := []struct {
		name                 string
		yaml                 string
		minGroup, concurrent int
		personMetrics        bool
		partialSums          bool
	}{
		{"defaults", "", 5, 8, true, false},
		{"set", "teams: {min_group_size: 3, export_partial_sums: true}\nprivacy: {person_metrics: false}\nserver: {sync_concurrency: 1}\n", 3, 1, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg, err := Parse("c.yaml", []byte("sources:\n  - {name: w, type: json, path: w.json}\n"+tt.yaml))
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Teams.MinGroupSize != tt.minGroup || cfg.Server.SyncConcurrency != tt.concurrent || cfg.Privacy.PersonMetrics != tt.personMetrics ||
				cfg.Teams.ExportPartialSums != tt.partialSums {
				t.Errorf("got min_group_size %d, sync_concurrency %d, person_metrics %v, export_partial_sums %v; want %d, %d, %v, %v",
					cfg.Teams.MinGroupSize, cfg.Server.SyncConcurrency, cfg.Privacy.PersonMetrics, cfg.Teams.ExportPartialSums,
					tt.minGroup, tt.concurrent, tt.personMetrics, tt.partialSums)
			}
		})
	}
}
