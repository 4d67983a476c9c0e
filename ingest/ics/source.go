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

// Source reads one ics source, a file (path) or an https URL (url).
type Source struct {
	cfg    config.Source
	loc    *time.Location
	emails []string
	client *http.Client
	log    *slog.Logger
}

var _ ingest.Source = (*Source)(nil)

// New returns the source for cfg, a source of type ics. loc reads floating
// times (weekmap's configured timezone; nil means UTC). emails are the
// addresses of the calendar's person, which mark their own attendee entry
// (exports do not say which attendee is "me"). A nil client means one with
// ingest.DefaultTimeouts that follows redirects only to https.
func New(cfg config.Source, loc *time.Location, emails []string, client *http.Client) *Source {
	if loc == nil {
		loc = time.UTC
	}
	if client == nil {
		client = ingest.HTTPClient(ingest.DefaultTimeouts)
		client.CheckRedirect = httpsOnly
	}
	return &Source{cfg: cfg, loc: loc, emails: emails, client: client, log: slog.Default()}
}

// WithLogger returns s logging to l (problems in the file at warn,
// malformed lines at debug).
func (s *Source) WithLogger(l *slog.Logger) *Source {
	c := *s
	c.log = l
	return &c
}

// Fetch reads the file or downloads the feed and yields all its events,
// expanded within the sync window around req.Now, as one page.
//
// Unless req.Full, an unchanged file (same modification time and size, as
// the cursor records) or feed (HTTP 304 to If-None-Match /
// If-Modified-Since) yields nothing. The cursor expires at the next UTC
// midnight: the window moves even when the calendar does not. Components
// that cannot be read, and property lines over a limit, are skipped and
// logged at warn with file, line and UID, never a title; malformed
// property lines are dropped and logged at debug. When events have
// attendees and the person has no e-mails, one warning says that their
// declined meetings will count.
func (s *Source) Fetch(ctx context.Context, req ingest.Request, yield func(ingest.Page) error) error {
	var data []byte
	var cursor ingest.Cursor
	if s.cfg.URL != "" {
		var unchanged bool
		var err error
		data, cursor, unchanged, err = s.fetch(ctx, req)
		if err != nil {
			return s.wrap(err)
		}
		if unchanged {
			return nil
		}
	} else {
		// Stat first: an unchanged file is not read at all.
		info, err := ingest.StatFile(s.cfg.Path)
		if err != nil {
			return s.wrap(err)
		}
		if !req.Full && req.Cursor.LastModified == fileVersion(info) {
			return nil
		}
		// ReadFile refuses what is not a regular file (a device never
		// ends, a FIFO blocks) and reads at most MaxFileSize.
		if data, info, err = ingest.ReadFile(s.cfg.Path, ingest.MaxFileSize); err != nil {
			return s.wrap(err)
		}
		cursor.LastModified = fileVersion(info)
	}

	from, to := s.cfg.SyncWindow.Bounds(req.Now)
	parsed, err := ReadContext(ctx, s.label(), bytes.NewReader(data), Options{
		Calendar: s.cfg.Name, Location: s.loc, From: from, To: to, Owners: s.emails, Logger: s.log,
	})
	if err != nil {
		return s.wrap(ingest.WithReason(ingest.ReasonInvalidData, err))
	}
	s.report(ctx, parsed.Problems)
	if parsed.Attendees && len(s.emails) == 0 {
		// Without e-mails no attendee is the user, so nothing marks the
		// meetings they declined.
		s.log.WarnContext(ctx, "ics: events have attendees but person "+s.cfg.Person+" has no emails, so their declined meetings will count: list their addresses under people:",
			"source", s.cfg.Name)
	}
	cursor.Expires = ingest.NextUTCMidnight(req.Now)
	return yield(ingest.Page{Events: parsed.Events, Full: true, Last: true, Cursor: cursor})
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

// fetch downloads the feed. Unless req.Full it sends the cursor's
// validators, and a 304 reports unchanged.
func (s *Source) fetch(ctx context.Context, req ingest.Request) (data []byte, cursor ingest.Cursor, unchanged bool, err error) {
	hreq, err := http.NewRequestWithContext(ctx, http.MethodGet, s.cfg.URL, nil)
	if err != nil {
		return nil, cursor, false, fmt.Errorf("%s: bad URL", s.label())
	}
	hreq.Header.Set("Accept", "text/calendar, */*;q=0.5")
	hreq.Header.Set("User-Agent", "weekmap")
	if !req.Full && req.Cursor.ETag != "" {
		hreq.Header.Set("If-None-Match", req.Cursor.ETag)
	}
	if !req.Full && req.Cursor.LastModified != "" {
		hreq.Header.Set("If-Modified-Since", req.Cursor.LastModified)
	}
	resp, err := s.client.Do(hreq)
	if err != nil {
		return nil, cursor, false, fmt.Errorf("GET %s: %w", s.label(), redact(err))
	}
	defer resp.Body.Close()
	req.Observe.Response(resp.StatusCode)
	switch {
	case resp.StatusCode == http.StatusNotModified && !req.Full:
		return nil, cursor, true, nil
	case resp.StatusCode != http.StatusOK:
		return nil, cursor, false, ingest.WithReason(statusReason(resp.StatusCode), fmt.Errorf("GET %s: HTTP %s", s.label(), resp.Status))
	}
	data, err = io.ReadAll(io.LimitReader(resp.Body, ingest.MaxFileSize+1))
	if err != nil {
		return nil, cursor, false, fmt.Errorf("GET %s: %w", s.label(), redact(err))
	}
	if len(data) > ingest.MaxFileSize {
		return nil, cursor, false, ingest.WithReason(ingest.ReasonInvalidData, fmt.Errorf("GET %s: the calendar is larger than %d MiB", s.label(), ingest.MaxFileSize>>20))
	}
	return data, ingest.Cursor{ETag: resp.Header.Get("ETag"), LastModified: resp.Header.Get("Last-Modified")}, false, nil
}

// statusReason is the weekmap_sync_errors_total reason of a feed's HTTP
// status other than 200 and 304.
func statusReason(code int) string {
	switch {
	case code == http.StatusTooManyRequests:
		return ingest.ReasonRateLimited
	case code >= 500:
		return ingest.ReasonServerError
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return ingest.ReasonUnauthorized
	}
	return ingest.ReasonOther
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
