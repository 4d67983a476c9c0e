// Package sources builds the source a configured calendar needs: the one
// place that knows every source type.
package sources

import (
	"fmt"
	"log/slog"
	"net/http"
	"slices"

	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/ingest/google"
	"github.com/weekmap/weekmap/ingest/ics"
	"github.com/weekmap/weekmap/ingest/jsonfile"
)

// Builder builds sources with what they share: the log, and for google
// sources an HTTP client and the service account's access tokens, which
// `weekmap serve` keeps from one round of syncs to the next. The zero value
// works: a discarded log, a client per source, no tokens kept.
type Builder struct {
	Log *slog.Logger
	// HTTPClient is shared by the google sources, so that their requests
	// reuse connections; nil gives each its own.
	HTTPClient *http.Client
	// Tokens keeps the access tokens of service-account sources.
	Tokens *google.TokenCache
}

// New returns the source for s, one of cfg's sources. Floating ICS times
// are read in cfg's zone; the person's e-mails mark their own attendee
// entries in files.
func (b Builder) New(cfg *config.Config, s config.Source) (ingest.Source, error) {
	log := b.Log
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	switch s.Type {
	case config.TypeJSON:
		return jsonfile.New(s, cfg.Emails(s)).WithLogger(log), nil
	case config.TypeICS:
		return ics.New(s, cfg.Timezone, cfg.Emails(s), nil).WithLogger(log), nil
	case config.TypeGoogle:
		return google.New(s, google.Options{Logger: log, HTTPClient: b.HTTPClient, Tokens: b.Tokens}), nil
	}
	return nil, fmt.Errorf("source %s: unknown type %q", s.Name, s.Type)
}

// Jobs returns a sync job for each of cfg's sources that want lists (all if
// want is empty), in the order of the config.
func (b Builder) Jobs(cfg *config.Config, want []string, full bool) ([]ingest.Job, error) {
	var jobs []ingest.Job
	for _, s := range cfg.Sources {
		if len(want) > 0 && !slices.Contains(want, s.Name) {
			continue
		}
		src, err := b.New(cfg, s)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, ingest.Job{Name: s.Name, Source: src, Options: ingest.Options{Full: full, Fingerprint: cfg.Fingerprint(s)}})
	}
	return jobs, nil
}
