package google

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest"
	"golang.org/x/oauth2"
	"google.golang.org/api/calendar/v3"
)

// ErrAccessDenied means the user declined in the browser.
var ErrAccessDenied = errors.New("access was denied in the browser")

// AuthorizeOptions tune Authorize.
type AuthorizeOptions struct {
	// ShowURL is given the authorization URL once the loopback listener is
	// ready; it prints it and, if it can, opens a browser.
	ShowURL func(authURL string)
	// Timeout is how long to wait for the browser; zero means 5 minutes.
	Timeout time.Duration
	// HTTPClient is used for the code exchange; nil means the default.
	HTTPClient *http.Client
}

// Authorize runs OAuth 2.0 for installed apps: it listens on 127.0.0.1 at
// a random port, shows the authorization URL (with a random state, a PKCE
// S256 challenge, offline access and a consent prompt so that a refresh
// token comes back), waits for Google's redirect, checks the state and
// exchanges the code with the PKCE verifier.
func Authorize(ctx context.Context, conf *oauth2.Config, opts AuthorizeOptions) (*oauth2.Token, error) {
	if opts.Timeout == 0 {
		opts.Timeout = 5 * time.Minute
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listen for the browser's redirect: %w", err)
	}
	c := *conf
	c.RedirectURL = "http://" + ln.Addr().String() + "/"
	state := rand.Text()
	verifier := oauth2.GenerateVerifier()
	authURL := c.AuthCodeURL(state, oauth2.AccessTypeOffline, oauth2.S256ChallengeOption(verifier),
		oauth2.SetAuthURLParam("prompt", "consent"))

	ctx, cancel := context.WithTimeout(ctx, opts.Timeout)
	defer cancel()
	if opts.HTTPClient != nil {
		ctx = context.WithValue(ctx, oauth2.HTTPClient, opts.HTTPClient)
	}
	type result struct {
		tok *oauth2.Token
		err error
	}
	done := make(chan result, 1)
	srv := &http.Server{ReadHeaderTimeout: 10 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := r.URL.Query()
		if r.URL.Path != "/" || (!q.Has("code") && !q.Has("error")) {
			http.NotFound(w, r)
			return
		}
		if q.Get("state") != state {
			// Not the answer to our request (a stale tab, or a forged
			// link): refuse it and keep waiting for the real one.
			writePage(w, http.StatusBadRequest, "This link is not the answer to the current weekmap connect. Run it again if it is still waiting.")
			return
		}
		var res result
		switch {
		case q.Get("error") == "access_denied":
			res.err = ErrAccessDenied
		case q.Get("error") != "":
			res.err = fmt.Errorf("the authorization server answered with error %q", q.Get("error"))
		default:
			res.tok, res.err = c.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(verifier))
			if res.err != nil {
				res.err = exchangeError(res.err)
			}
		}
		if res.err != nil {
			writePage(w, http.StatusOK, "weekmap was not connected: "+res.err.Error()+". You can close this tab.")
		} else {
			writePage(w, http.StatusOK, "weekmap is connected to your calendar. You can close this tab and go back to the terminal.")
		}
		select {
		case done <- res:
		default:
		}
	})}
	go srv.Serve(ln)
	defer func() {
		// The handler says it is done before its page has gone out:
		// Shutdown lets it finish sending (Close would cut it off).
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if srv.Shutdown(sctx) != nil {
			srv.Close()
		}
	}()

	if opts.ShowURL != nil {
		opts.ShowURL(authURL)
	}
	select {
	case res := <-done:
		return res.tok, res.err
	case <-ctx.Done():
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return nil, fmt.Errorf("no answer from the browser within %v: run the command again and finish signing in sooner", opts.Timeout)
		}
		return nil, ctx.Err()
	}
}

// exchangeError keeps the token endpoint's body (which may echo secrets)
// out of the message.
func exchangeError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		code := re.ErrorCode
		if code == "" && re.Response != nil {
			code = re.Response.Status
		}
		return fmt.Errorf("exchange the authorization code: token endpoint refused it (%s)", code)
	}
	return fmt.Errorf("exchange the authorization code: %w", err)
}

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>weekmap</title>
<style>body{font-family:system-ui,sans-serif;margin:4em auto;max-width:36em;color:#222}</style>
</head><body><h1>weekmap</h1><p>{{.}}</p></body></html>
`))

func writePage(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.WriteHeader(status)
	pageTmpl.Execute(w, msg)
}

// CalendarInfo is one calendar the account can read.
type CalendarInfo struct {
	ID         string
	Summary    string
	AccessRole string
	Primary    bool
}

// ListCalendars returns the calendars the token can read (calendarList.list,
// every page), the primary one first.
func ListCalendars(ctx context.Context, cfg config.Source, conf *oauth2.Config, tok *oauth2.Token, opts Options) ([]CalendarInfo, error) {
	if opts.HTTPClient == nil {
		opts.HTTPClient = ingest.HTTPClient(ingest.DefaultTimeouts)
	}
	svc, err := newService(ctx, cfg, newTokenSource(conf, tok, cfg.Token, opts.HTTPClient), opts.HTTPClient, nil)
	if err != nil {
		return nil, err
	}
	var out []CalendarInfo
	err = svc.CalendarList.List().MinAccessRole("reader").
		Fields("nextPageToken,items(id,summary,summaryOverride,accessRole,primary)").
		Pages(ctx, func(l *calendar.CalendarList) error {
			for _, c := range l.Items {
				name := c.Summary
				if c.SummaryOverride != "" {
					name = c.SummaryOverride
				}
				out = append(out, CalendarInfo{ID: c.Id, Summary: name, AccessRole: c.AccessRole, Primary: c.Primary})
			}
			return nil
		})
	if err != nil {
		if errors.Is(err, ErrRevoked) {
			return nil, err
		}
		return nil, fmt.Errorf("list calendars: %w", err)
	}
	slices.SortStableFunc(out, func(a, b CalendarInfo) int {
		if a.Primary != b.Primary {
			if a.Primary {
				return -1
			}
			return 1
		}
		return strings.Compare(strings.ToLower(a.Summary), strings.ToLower(b.Summary))
	})
	return out, nil
}
