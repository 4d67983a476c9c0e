package ics

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest"
)

// fetchTimeout bounds one download when the caller's client has none.
const fetchTimeout = 2 * time.Minute

// Source reads one ics source, a file (path) or an https URL (url). What it
// remembers between syncs is in the store's sync state.
type Source struct {
	cfg    config.Source
	loc    *time.Location
	owners []string
	client *http.Client
	log    *slog.Logger
}

var _ ingest.Source = (*Source)(nil)

// New returns the source for cfg, a source of type ics. loc reads floating
// times (weekmap's configured timezone; nil means UTC). owners are the
// calendar owner's e-mail addresses, which mark their own attendee entry
// (exports do not say which attendee is "me"). A nil client means one with
// a two-minute timeout that follows redirects only to https.
func New(cfg config.Source, loc *time.Location, owners []string, client *http.Client) *Source {
	if loc == nil {
		loc = time.UTC
	}
	if client == nil {
		client = &http.Client{Timeout: fetchTimeout, CheckRedirect: httpsOnly}
	}
	return &Source{cfg: cfg, loc: loc, owners: owners, client: client, log: slog.Default()}
}

// WithLogger returns s logging to l (problems in the file at warn,
// malformed lines at debug).
func (s *Source) WithLogger(l *slog.Logger) *Source {
	c := *s
	c.log = l
	return &c
}

// Name is the configured source name.
func (s *Source) Name() string { return s.cfg.Name }

// Sync reads the file or downloads the feed and, in one store transaction,
// stores its events (expanded within the sync window around opts.Now),
// deletes the source's events it no longer holds and saves the sync state.
//
// An unchanged file (same modification time and size) or feed (HTTP 304
// to If-None-Match / If-Modified-Since) that was already expanded the same
// UTC day costs nothing and writes nothing; the day matters because the
// window moves even when the calendar does not. A file that cannot be read
// or parsed leaves the store untouched. Components that cannot be read, and
// property lines over a limit, are skipped and logged at warn with file,
// line and UID, never a title; malformed property lines are dropped and
// logged at debug. When events have attendees and the source has no owners,
// one warning says that the user's declined meetings will count.
func (s *Source) Sync(ctx context.Context, st *ingest.Store, opts ingest.SyncOptions) (ingest.SyncResult, error) {
	now := opts.Time()
	prev, err := st.State(ctx, s.cfg.Name)
	if err != nil {
		return ingest.SyncResult{}, s.wrap(err)
	}
	// Validators are only worth sending if what they stand for was
	// expanded today.
	fresh := !opts.Full && !prev.LastFull.IsZero() && prev.LastFull.UTC().Format(time.DateOnly) == now.UTC().Format(time.DateOnly)
	var data []byte
	var etag, lastMod string
	if s.cfg.URL != "" {
		var unchanged bool
		data, etag, lastMod, unchanged, err = s.fetch(ctx, prev, fresh)
		if err != nil {
			return ingest.SyncResult{}, s.wrap(err)
		}
		if unchanged {
			return ingest.SyncResult{Unchanged: true}, nil
		}
	} else {
		// Stat first: an unchanged file is not read at all.
		info, err := os.Stat(s.cfg.Path)
		if err != nil {
			return ingest.SyncResult{}, s.wrap(err)
		}
		if fresh && prev.LastModified == fileVersion(info) {
			return ingest.SyncResult{Unchanged: true}, nil
		}
		// ReadFile refuses what is not a regular file (a device never
		// ends, a FIFO blocks) and reads at most MaxFileSize.
		if data, info, err = ingest.ReadFile(s.cfg.Path, ingest.MaxFileSize); err != nil {
			return ingest.SyncResult{}, s.wrap(err)
		}
		lastMod = fileVersion(info)
	}

	from, to := s.cfg.SyncWindow.Bounds(now)
	parsed, err := Read(s.label(), bytes.NewReader(data), Options{
		Calendar: s.cfg.Name, Location: s.loc, From: from, To: to, Owners: s.owners, Logger: s.log,
	})
	if err != nil {
		return ingest.SyncResult{}, s.wrap(err)
	}
	events := parsed.Events
	s.report(ctx, parsed.Problems)
	if parsed.Attendees && len(s.owners) == 0 {
		// Without owners no attendee is the user, so nothing marks the
		// meetings they declined.
		s.log.WarnContext(ctx, "ics: events have attendees but the source has no owners, so your declined meetings will count: set owners: [you@example.com] on source "+s.cfg.Name,
			"source", s.cfg.Name)
	}

	res, err := st.Replace(ctx, s.cfg.Name, events, now, func(state *ingest.SyncState) {
		state.ETag, state.LastModified = etag, lastMod
	})
	if err != nil {
		return ingest.SyncResult{}, s.wrap(err)
	}
	if opts.Progress != nil {
		opts.Progress(ingest.Progress{Pages: 1, Events: len(events)})
	}
	return res, nil
}

// fileVersion is what tells one version of a file from another.
func fileVersion(info os.FileInfo) string {
	return "mtime=" + strconv.FormatInt(info.ModTime().UnixNano(), 10) + " size=" + strconv.FormatInt(info.Size(), 10)
}

// maxLogged bounds the problems logged one by one; the rest are counted.
const maxLogged = 5

func (s *Source) report(ctx context.Context, problems []error) {
	for i, err := range problems {
		if i == maxLogged {
			s.log.WarnContext(ctx, "ics: more problems in the file", "source", s.cfg.Name, "count", len(problems)-maxLogged)
			break
		}
		var p *Problem
		switch {
		case errors.As(err, &p) && p.Property != "":
			s.log.WarnContext(ctx, "ics: property dropped", "source", s.cfg.Name, "file", p.File, "line", p.Line,
				"component", p.Component, "uid", p.UID, "property", p.Property, "err", p.Err)
		case p != nil:
			s.log.WarnContext(ctx, "ics: component skipped", "source", s.cfg.Name, "file", p.File, "line", p.Line,
				"component", p.Component, "uid", p.UID, "err", p.Err)
		default:
			s.log.WarnContext(ctx, "ics: component skipped", "source", s.cfg.Name, "err", err)
		}
	}
}

// fetch downloads the feed. With fresh set it sends the stored validators,
// and a 304 reports unchanged.
func (s *Source) fetch(ctx context.Context, prev ingest.SyncState, fresh bool) (data []byte, etag, lastMod string, unchanged bool, err error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.cfg.URL, nil)
	if err != nil {
		return nil, "", "", false, fmt.Errorf("%s: bad URL", s.label())
	}
	req.Header.Set("Accept", "text/calendar, */*;q=0.5")
	req.Header.Set("User-Agent", "weekmap")
	if fresh && prev.ETag != "" {
		req.Header.Set("If-None-Match", prev.ETag)
	}
	if fresh && prev.LastModified != "" {
		req.Header.Set("If-Modified-Since", prev.LastModified)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return nil, "", "", false, fmt.Errorf("GET %s: %w", s.label(), redact(err))
	}
	defer resp.Body.Close()
	switch {
	case resp.StatusCode == http.StatusNotModified && fresh:
		return nil, "", "", true, nil
	case resp.StatusCode != http.StatusOK:
		return nil, "", "", false, fmt.Errorf("GET %s: HTTP %s", s.label(), resp.Status)
	}
	data, err = io.ReadAll(io.LimitReader(resp.Body, ingest.MaxFileSize+1))
	if err != nil {
		return nil, "", "", false, fmt.Errorf("GET %s: %w", s.label(), redact(err))
	}
	if len(data) > ingest.MaxFileSize {
		return nil, "", "", false, fmt.Errorf("GET %s: the calendar is larger than %d MiB", s.label(), ingest.MaxFileSize>>20)
	}
	return data, resp.Header.Get("ETag"), resp.Header.Get("Last-Modified"), false, nil
}

// label names the file, or the feed without its path and query: a
// subscription URL's path is its secret.
func (s *Source) label() string {
	if s.cfg.URL == "" {
		return s.cfg.Path
	}
	u, err := url.Parse(s.cfg.URL)
	if err != nil {
		return "the calendar URL"
	}
	return u.Scheme + "://" + u.Host + "/…"
}

func (s *Source) wrap(err error) error {
	return fmt.Errorf("ics source %s: %w", s.cfg.Name, err)
}

// redact drops the URL from a client error, keeping what went wrong.
func redact(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// httpsOnly refuses a redirect that would send the feed's request, and
// the secret in its URL, over plain HTTP.
func httpsOnly(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	if req.URL.Scheme != "https" {
		return errors.New("refused a redirect to a non-https URL")
	}
	return nil
}
