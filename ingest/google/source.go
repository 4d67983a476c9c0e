// Package google is the Google Calendar source: it pulls one calendar with
// the Calendar API v3 (events.list, full then incremental with sync
// tokens) into the store, and runs the OAuth flow of `weekmap connect`.
package google

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
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
// works: no metrics, no progress line, a discarded log, real backoff.
type Options struct {
	Logger  *slog.Logger
	Metrics *ingest.Metrics
	// Progress, if set, gets a live "pages, events" line, rewritten in
	// place; pass a terminal.
	Progress io.Writer
	// HTTPClient is the base client for the API and the token endpoint.
	HTTPClient *http.Client
	Backoff    Backoff
}

// Source syncs one Google calendar.
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
		opts.HTTPClient = http.DefaultClient
	}
	if opts.Backoff.Attempts == 0 {
		sleep := opts.Backoff.Sleep
		opts.Backoff = DefaultBackoff
		opts.Backoff.Sleep = sleep
	}
	return &Source{cfg: cfg, opts: opts}
}

// Name is the configured source name.
func (s *Source) Name() string { return s.cfg.Name }

// errFullSyncRequired is Google's 410: the sync token is no longer valid.
var errFullSyncRequired = errors.New("sync token expired")

// Sync brings the store up to date: a full listing within the sync window
// the first time (or with opts.Full, or after Google expires the token),
// otherwise the changes since the stored sync token. Each page is committed
// in its own transaction; the new sync token only with the last page, so
// an interrupted sync resumes from the old token and loses or doubles
// nothing.
func (s *Source) Sync(ctx context.Context, st *ingest.Store, opts ingest.SyncOptions) (res ingest.SyncResult, err error) {
	start := time.Now()
	defer func() {
		stored := 0
		if err == nil {
			var cerr error
			if stored, cerr = st.Count(ctx, s.cfg.Name); cerr != nil {
				err = cerr
			}
		} else {
			s.opts.Metrics.CountError(s.cfg.Name, errorReason(err))
		}
		s.opts.Metrics.Finished(s.cfg.Name, start, time.Now(), stored, err)
		if s.opts.Progress != nil {
			fmt.Fprint(s.opts.Progress, "\r\x1b[K")
		}
	}()

	svc, err := s.service(ctx)
	if err != nil {
		return res, s.wrap(err)
	}
	state, err := st.State(ctx, s.cfg.Name)
	if err != nil {
		return res, s.wrap(err)
	}
	full := opts.Full || state.SyncToken == ""
	res, err = s.list(ctx, svc, st, opts, full)
	if errors.Is(err, errFullSyncRequired) && !full {
		s.opts.Logger.Warn("google: sync token expired; syncing fully again", "source", s.cfg.Name)
		s.opts.Metrics.CountError(s.cfg.Name, ingest.ReasonFullSyncRequired)
		res, err = s.list(ctx, svc, st, opts, true)
	}
	if err != nil {
		return res, s.wrap(err)
	}
	return res, nil
}

// wrap puts the source's name and, where the user can fix it, what to do,
// on an error.
func (s *Source) wrap(err error) error {
	switch {
	case errors.Is(err, ErrRevoked):
		return fmt.Errorf("google source %s: %w: run \"weekmap connect --source %s\"", s.cfg.Name, ErrRevoked, s.cfg.Name)
	case errors.Is(err, ErrNotConnected):
		return fmt.Errorf("google source %s: %w: run \"weekmap connect --source %s\"", s.cfg.Name, ErrNotConnected, s.cfg.Name)
	case statusOf(err) == http.StatusUnauthorized:
		return fmt.Errorf("google source %s: Google rejected the access token even after a refresh: run \"weekmap connect --source %s\": %w", s.cfg.Name, s.cfg.Name, err)
	}
	return fmt.Errorf("google source %s: %w", s.cfg.Name, err)
}

// service builds the Calendar client with the saved token.
func (s *Source) service(ctx context.Context) (*calendar.Service, error) {
	conf, err := OAuthConfig(s.cfg.ClientSecret)
	if err != nil {
		return nil, err
	}
	tok, err := LoadToken(s.cfg.Token)
	if err != nil {
		return nil, err
	}
	return newService(ctx, s.cfg, conf, tok, s.opts.HTTPClient, s.opts.Metrics)
}

func newService(ctx context.Context, cfg config.Source, conf *oauth2.Config, tok *oauth2.Token, base *http.Client, m *ingest.Metrics) (*calendar.Service, error) {
	rt := base.Transport
	if rt == nil {
		rt = http.DefaultTransport
	}
	client := &http.Client{Transport: &authTransport{
		ts:      newTokenSource(conf, tok, cfg.Token, base),
		base:    rt,
		metrics: m,
		source:  cfg.Name,
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
func (s *Source) list(ctx context.Context, svc *calendar.Service, st *ingest.Store, opts ingest.SyncOptions, full bool) (ingest.SyncResult, error) {
	res := ingest.SyncResult{Full: full}
	now := opts.Time()
	state, err := st.State(ctx, s.cfg.Name)
	if err != nil {
		return res, err
	}
	gen := state.Gen
	if full {
		gen++
		// Claim the generation before any page is stored: rows stamped by a
		// full listing that fails half-way must not look current to the
		// next one, or events deleted in between would never go.
		state.Gen = gen
		if err := st.Update(ctx, func(tx *ingest.Tx) error { return tx.SetState(state) }); err != nil {
			return res, err
		}
	}
	events := 0
	// fetch gets one page, retrying what Google asks to retry.
	fetch := func(ctx context.Context, pageToken string, n int) (*calendar.Events, error) {
		call := svc.Events.List(s.cfg.CalendarID).SingleEvents(true).ShowDeleted(true).
			MaxResults(maxResults).Fields(eventFields).Context(ctx)
		if full {
			from, to := s.cfg.SyncWindow.Bounds(now)
			call = call.TimeMin(from.UTC().Format(time.RFC3339)).TimeMax(to.UTC().Format(time.RFC3339))
		} else {
			call = call.SyncToken(state.SyncToken)
		}
		if pageToken != "" {
			call = call.PageToken(pageToken)
		}
		var page *calendar.Events
		err := s.opts.Backoff.do(ctx, func(reason string, wait time.Duration, err error) {
			s.opts.Metrics.CountError(s.cfg.Name, reason)
			s.opts.Logger.Warn("google: retrying events.list", "source", s.cfg.Name, "reason", reason, "wait", wait, "page", n, "err", err)
		}, func() error {
			var err error
			page, err = call.Do()
			return err
		})
		if statusOf(err) == http.StatusGone {
			return nil, errFullSyncRequired
		}
		if err != nil {
			return nil, fmt.Errorf("list events (page %d): %w", n, err)
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
	// SQLite overlap; pages are still stored in order, and the sync token
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
	for {
		if err != nil {
			return res, err
		}
		last := page.NextPageToken == ""
		if !last {
			next = make(chan fetched, 1)
			go func(token string, n int) {
				p, err := fetch(fctx, token, n)
				next <- fetched{p, err}
			}(page.NextPageToken, res.Pages+2)
		}
		upserted, deleted, serr := s.storePage(ctx, st, page, full, gen, last, now)
		if serr != nil {
			return res, serr
		}
		res.Pages++
		res.Upserted += upserted
		res.Deleted += deleted
		events += len(page.Items)
		s.opts.Logger.Debug("google: page stored", "source", s.cfg.Name, "page", res.Pages, "items", len(page.Items), "full", full)
		if opts.Progress != nil {
			opts.Progress(ingest.Progress{Pages: res.Pages, Events: events})
		}
		if s.opts.Progress != nil {
			fmt.Fprintf(s.opts.Progress, "\r\x1b[K%s: page %d, %d events", s.cfg.Name, res.Pages, events)
		}
		if last {
			break
		}
		f := <-next
		next = nil
		page, err = f.page, f.err
	}
	res.Unchanged = !full && res.Upserted == 0 && res.Deleted == 0
	return res, nil
}

// storePage commits one page. The last page of a listing also saves the
// new sync token and, for a full listing, deletes what it did not return.
func (s *Source) storePage(ctx context.Context, st *ingest.Store, page *calendar.Events, full bool, gen int64, last bool, now time.Time) (upserted, deleted int, err error) {
	err = st.Update(ctx, func(tx *ingest.Tx) error {
		upserted, deleted = 0, 0
		for _, item := range page.Items {
			if item.Status == cal.StatusCancelled {
				if full {
					continue
				}
				ok, err := tx.Delete(s.cfg.Name, item.Id)
				if err != nil {
					return err
				}
				if ok {
					deleted++
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
			if err := tx.Upsert(&e, gen); err != nil {
				return err
			}
			upserted++
		}
		if !last {
			return nil
		}
		state, err := tx.State(s.cfg.Name)
		if err != nil {
			return err
		}
		if full {
			n, err := tx.DeleteStale(s.cfg.Name, gen)
			if err != nil {
				return err
			}
			deleted += n
			state.Gen, state.LastFull = gen, now
		}
		state.SyncToken, state.LastSuccess = page.NextSyncToken, now
		return tx.SetState(state)
	})
	return upserted, deleted, err
}
