// Package google is the Google Calendar source: it lists one calendar with
// the Calendar API v3 (events.list, everything within the sync window, then
// only the changes since a sync token) and runs the OAuth flow of `weekmap
// connect`. A source reads with the token that flow saved, or, in team mode,
// as a service account with domain-wide delegation acting as one person
// (serviceaccount.go). The sync engine stores what it fetches.
package google

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"golang.org/x/oauth2"
	"google.golang.org/api/calendar/v3"
	"google.golang.org/api/option"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/ingest/googleevent"
)

// eventFields is the partial-response selection for events.list: the page
// and sync tokens, and the event fields googleevent.Map reads. Anything
// else (descriptions aside, which rules match on) is left at Google.
const eventFields = "nextPageToken,nextSyncToken,items(id,iCalUID,status,summary,description,transparency,eventType," +
	"recurringEventId,colorId,updated,start,end,organizer(email,self)," +
	"attendees(email,self,responseStatus,resource,optional,organizer))"

// maxResults is the largest page events.list serves.
const maxResults = 2500

// Options are what a Source needs besides its config. The zero value
// works: a discarded log and real backoff.
type Options struct {
	Logger *slog.Logger
	// HTTPClient is the base client for the API and the token endpoint;
	// nil means one with ingest.DefaultTimeouts.
	HTTPClient *http.Client
	Backoff    Backoff
	// Tokens, if not nil, keeps the access tokens of service-account
	// sources from one sync to the next.
	Tokens *TokenCache
}

// Source lists one Google calendar.
type Source struct {
	cfg  config.Source
	opts Options
}

var _ ingest.Source = (*Source)(nil)

// New returns the source for cfg, a source of type google.
func New(cfg config.Source, opts Options) *Source {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.HTTPClient == nil {
		opts.HTTPClient = ingest.HTTPClient(ingest.DefaultTimeouts)
	}
	if opts.Backoff.Attempts == 0 {
		sleep := opts.Backoff.Sleep
		opts.Backoff = DefaultBackoff
		opts.Backoff.Sleep = sleep
	}
	return &Source{cfg: cfg, opts: opts}
}

// Fetch lists the calendar: with req.Full everything within the sync
// window around req.Now, otherwise the changes since req.Cursor's sync
// token, one page per events.list page. The next page is fetched while
// yield stores this one; the new sync token comes with the last page.
// Google's 410 for an expired sync token is ingest.ErrCursorExpired.
func (s *Source) Fetch(ctx context.Context, req ingest.Request, yield func(ingest.Page) error) error {
	svc, err := s.service(ctx, req.Observe)
	if err != nil {
		return s.wrap(err)
	}
	if err := s.list(ctx, svc, req, yield); err != nil {
		return s.wrap(err)
	}
	return nil
}

// wrap puts the source's name and, where the user can fix it, what to do,
// on an error, and says which weekmap_sync_errors_total reason it is.
func (s *Source) wrap(err error) error {
	if errors.Is(err, ingest.ErrCursorExpired) || errors.Is(err, context.Canceled) {
		return err
	}
	reason := errorReason(err)
	switch {
	case errors.Is(err, ErrRevoked):
		err = fmt.Errorf("%w: run \"weekmap connect --source %s\"", ErrRevoked, s.cfg.Name)
	case errors.Is(err, ErrNotConnected):
		err = fmt.Errorf("%w: run \"weekmap connect --source %s\"", ErrNotConnected, s.cfg.Name)
	case errors.Is(err, ErrClientRejected):
		err = fmt.Errorf("%w: check that %s is the Desktop-app OAuth client of the Google Cloud project where the Calendar API is enabled, then run \"weekmap connect --source %s\"",
			ErrClientRejected, s.cfg.ClientSecret, s.cfg.Name)
	case errors.Is(err, ErrNotDelegated), errors.Is(err, ErrKeyRejected):
		var r *refusal
		if errors.As(err, &r) {
			err = r // the sentence says it all; the request adds nothing
		}
	case statusOf(err) == http.StatusUnauthorized && s.cfg.ServiceAccountKey != "":
		err = fmt.Errorf("Google rejected the service account's access token for %s even after getting a new one: check its domain-wide delegation: %w", s.cfg.Subject, err)
	case statusOf(err) == http.StatusUnauthorized:
		err = fmt.Errorf("Google rejected the access token even after a refresh: run \"weekmap connect --source %s\": %w", s.cfg.Name, err)
	}
	return ingest.WithReason(reason, fmt.Errorf("google source %s: %w", s.cfg.Name, err))
}

// service builds the Calendar client: with the token `weekmap connect`
// saved, or, for a person of google_workspace, with the service account
// acting as them.
func (s *Source) service(ctx context.Context, obs ingest.Observer) (*calendar.Service, error) {
	if s.cfg.ServiceAccountKey != "" {
		d, err := loadDelegation(s.cfg.ServiceAccountKey, s.cfg.Subject, s.opts.HTTPClient)
		if err != nil {
			return nil, err
		}
		return newService(ctx, s.cfg, s.opts.Tokens.get(d), s.opts.HTTPClient, obs)
	}
	conf, err := OAuthConfig(s.cfg.ClientSecret)
	if err != nil {
		return nil, err
	}
	tok, err := LoadToken(s.cfg.Token)
	if err != nil {
		return nil, err
	}
	return newService(ctx, s.cfg, newTokenSource(conf, tok, s.cfg.Token, s.opts.HTTPClient), s.opts.HTTPClient, obs)
}

// accessTokens hands out the access tokens of API requests.
type accessTokens interface {
	// token returns a valid access token.
	token(ctx context.Context) (*oauth2.Token, error)
	// forceRefresh replaces the access token rejected, unless that has
	// happened already.
	forceRefresh(ctx context.Context, rejected string) (*oauth2.Token, error)
}

func newService(ctx context.Context, cfg config.Source, ts accessTokens, base *http.Client, obs ingest.Observer) (*calendar.Service, error) {
	rt := base.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	// The base client's overall timeout bounds each API request too; its
	// transport's bound the connection and the wait for headers.
	client := &http.Client{Timeout: base.Timeout, Transport: &authTransport{
		ts:      ts,
		base:    rt,
		observe: obs,
	}}
	opts := []option.ClientOption{option.WithHTTPClient(client)}
	if cfg.Endpoint != "" {
		opts = append(opts, option.WithEndpoint(cfg.Endpoint))
	}
	svc, err := calendar.NewService(ctx, opts...)
	if err != nil {
		return nil, fmt.Errorf("calendar client: %w", err)
	}
	return svc, nil
}

// list runs one listing, full or incremental, page by page.
func (s *Source) list(ctx context.Context, svc *calendar.Service, req ingest.Request, yield func(ingest.Page) error) error {
	// fetch gets one page, retrying what Google asks to retry.
	fetch := func(ctx context.Context, pageToken string, n int) (*calendar.Events, error) {
		call := svc.Events.List(s.cfg.CalendarID).SingleEvents(true).ShowDeleted(true).
			MaxResults(maxResults).Fields(eventFields).Context(ctx)
		if req.Full {
			from, to := s.cfg.SyncWindow.Bounds(req.Now)
			call = call.TimeMin(from.UTC().Format(time.RFC3339)).TimeMax(to.UTC().Format(time.RFC3339))
		} else {
			call = call.SyncToken(req.Cursor.SyncToken)
		}
		if pageToken != "" {
			call = call.PageToken(pageToken)
		}
		var page *calendar.Events
		err := s.opts.Backoff.do(ctx, func(reason string, wait time.Duration, err error) {
			req.Observe.Retry(reason)
			s.opts.Logger.Warn("google: retrying events.list", "source", s.cfg.Name, "reason", reason, "wait", wait, "page", n, "err", err)
		}, func() error {
			var err error
			page, err = call.Do()
			return err
		})
		if statusOf(err) == http.StatusGone {
			return nil, fmt.Errorf("google source %s: %w", s.cfg.Name, ingest.ErrCursorExpired)
		}
		if err != nil {
			return nil, fmt.Errorf("list events (page %d): %w", n, withoutURL(err))
		}
		if page.NextPageToken == "" && page.NextSyncToken == "" {
			return nil, errors.New("list events: the last page has no nextSyncToken")
		}
		return page, nil
	}
	type fetched struct {
		page *calendar.Events
		err  error
	}
	// The next page is fetched while this one is stored, so the network and
	// SQLite overlap; pages are still yielded in order, and the sync token
	// only with the last one. Nothing is left running when list returns.
	fctx, cancel := context.WithCancel(ctx)
	var next chan fetched
	defer func() {
		cancel()
		if next != nil {
			<-next
		}
	}()
	page, err := fetch(fctx, "", 1)
	for n := 1; ; n++ {
		if err != nil {
			return err
		}
		last := page.NextPageToken == ""
		if !last {
			next = make(chan fetched, 1)
			go func(token string, n int) {
				p, err := fetch(fctx, token, n)
				next <- fetched{p, err}
			}(page.NextPageToken, n+1)
		}
		p := s.toPage(page, req.Full)
		p.Full, p.Last = req.Full, last
		if last {
			p.Cursor = ingest.Cursor{SyncToken: page.NextSyncToken}
		}
		if err := yield(p); err != nil {
			return err
		}
		if last {
			return nil
		}
		f := <-next
		next = nil
		page, err = f.page, f.err
	}
}

// toPage maps one events.list page. Cancelled items delete their event in
// an incremental listing (a full one leaves them out, and the engine
// deletes what it did not see).
func (s *Source) toPage(page *calendar.Events, full bool) ingest.Page {
	var p ingest.Page
	for _, item := range page.Items {
		if item.Status == cal.StatusCancelled {
			if !full {
				p.Deleted = append(p.Deleted, item.Id)
			}
			continue
		}
		e, err := googleevent.Map(s.cfg.Name, item)
		if err != nil {
			// One malformed event must not block the calendar's sync
			// for good. The error names the id, never the title.
			s.opts.Logger.Warn("google: skipping an event that cannot be read", "source", s.cfg.Name, "err", err)
			continue
		}
		p.Events = append(p.Events, e)
	}
	return p
}

// withoutURL drops the request URL from a client error, keeping what went
// wrong: the URL holds the calendar id and, for an incremental listing, the
// sync token, and makes the message hundreds of characters long.
func withoutURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) && !errors.Is(err, ErrRevoked) && !errors.Is(err, ErrClientRejected) && !errors.Is(err, ErrNotConnected) {
		return ue.Err
	}
	return err
}
