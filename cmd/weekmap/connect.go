package main

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"
	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest/google"
	"github.com/weekmap/weekmap/internal/textsafe"
)

func newConnectCmd(a *app) *cobra.Command {
	var o connectOptions
	cmd := &cobra.Command{
		Use:   "connect [--source NAME] [--no-browser] [--timeout 5m]",
		Short: "Sign in to Google (read-only) and save a google source's token",
		Long: `connect lets weekmap read a Google Calendar, read-only. It opens your browser
(or, with --no-browser, prints the address to open) on Google's sign-in page for
the OAuth client in the source's client_secret file; after you allow access,
Google sends the browser back to a one-time page on 127.0.0.1, and weekmap saves
the token to the source's token file (mode 0600). It then lists the calendars
the account can read, whose ids you can put in calendar_id. The people of team
mode (google_workspace.service_account_key) need no connect: the service account
reads their calendars.`,
		Example: "  weekmap connect\n  weekmap connect --source work --no-browser",
		Args:    noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runConnect(cmd.Context(), a, o)
		},
	}
	f := cmd.Flags()
	f.StringVar(&o.source, "source", "", "connect the google source `NAME` (needed when there are several)")
	f.BoolVar(&o.noBrowser, "no-browser", false, "only print the sign-in address; do not open a browser")
	f.DurationVar(&o.timeout, "timeout", 5*time.Minute, "how long to wait for the browser")
	return cmd
}

type connectOptions struct {
	source    string
	noBrowser bool
	timeout   time.Duration
}

func runConnect(ctx context.Context, a *app, o connectOptions) error {
	cfg, err := a.config()
	if err != nil {
		return err
	}
	if msg := connectNotNeeded(cfg, o.source); msg != "" {
		fmt.Fprintln(a.stderr, msg)
		return nil
	}
	sc, err := googleSource(cfg.Sources, o.source)
	if err != nil {
		return err
	}
	conf, err := google.OAuthConfig(sc.ClientSecret)
	if err != nil {
		return err
	}
	tok, err := google.Authorize(ctx, conf, google.AuthorizeOptions{Timeout: o.timeout, ShowURL: func(authURL string) {
		fmt.Fprintf(a.stderr, "To let weekmap read the calendar of source %q (read-only), open this address in a browser:\n\n  %s\n\n", sc.Name, authURL)
		if !o.noBrowser {
			if err := openBrowser(authURL); err != nil {
				fmt.Fprintf(a.stderr, "Could not open a browser (%v): open the address yourself.\n", err)
			}
		}
		fmt.Fprintf(a.stderr, "Waiting up to %v for Google to send you back…\n", o.timeout)
	}})
	if errors.Is(err, google.ErrAccessDenied) {
		return fmt.Errorf("%w: weekmap needs read-only access to the calendar; run \"weekmap connect --source %s\" again and allow it", err, sc.Name)
	}
	if err != nil {
		return err
	}
	if tok.RefreshToken == "" {
		return fmt.Errorf("Google sent no refresh token, so weekmap could not sync later: remove weekmap's access at https://myaccount.google.com/permissions and connect again")
	}
	if err := google.SaveToken(sc.Token, tok); err != nil {
		return err
	}
	fmt.Fprintf(a.stderr, "Connected. The token is saved in %s (only you can read it).\n\n", sc.Token)

	cals, err := google.ListCalendars(ctx, sc, conf, tok, google.Options{Logger: a.log})
	if err != nil {
		return err
	}
	tw := tabwriter.NewWriter(a.stdout, 2, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "CALENDAR_ID\tACCESS\tNAME")
	for _, c := range cals {
		name := textsafe.Terminal(c.Summary)
		if c.Primary {
			name += " (primary)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", textsafe.Terminal(c.ID), c.AccessRole, name)
	}
	tw.Flush()
	fmt.Fprintf(a.stderr, "\nSource %q syncs calendar_id %q. To sync another calendar, put its CALENDAR_ID in calendar_id, then run: weekmap sync --source %s\n", sc.Name, sc.CalendarID, sc.Name)
	return nil
}

// connectNotNeeded says why connect has nothing to do when the source to
// connect reads its calendar through google_workspace's service account:
// the named source does, or, with no name, every google source does.
func connectNotNeeded(cfg *config.Config, name string) string {
	key := cfg.GoogleWorkspace.ServiceAccountKey
	if key == "" {
		return ""
	}
	if s, ok := cfg.Source(name); ok && s.ServiceAccountKey != "" {
		return fmt.Sprintf("Source %q needs no weekmap connect: it reads the calendar of %s through the service account key %s (google_workspace.service_account_key). Run: weekmap sync --source %s",
			s.Name, s.Subject, key, s.Name)
	}
	if name == "" && !slices.ContainsFunc(cfg.Sources, func(s config.Source) bool { return s.Type == config.TypeGoogle && s.ServiceAccountKey == "" }) {
		return fmt.Sprintf("weekmap connect is not needed: every google source reads its person's calendar through the service account key %s (google_workspace.service_account_key). Run: weekmap sync", key)
	}
	return ""
}

// googleSource picks the source to connect: the named one, or the only
// google source that signs in with OAuth.
func googleSource(sources []config.Source, name string) (config.Source, error) {
	var google []config.Source
	for _, s := range sources {
		if name != "" && s.Name == name {
			if s.Type != config.TypeGoogle {
				return s, fmt.Errorf("source %q is of type %s: only google sources are connected", name, s.Type)
			}
			return s, nil
		}
		if s.Type == config.TypeGoogle && s.ServiceAccountKey == "" {
			google = append(google, s)
		}
	}
	names := make([]string, len(google))
	for i, s := range google {
		names[i] = s.Name
	}
	switch {
	case name != "":
		return config.Source{}, fmt.Errorf("no source named %q in the config (google sources: %s)", name, orNone(names))
	case len(google) == 0:
		return config.Source{}, errors.New("the config has no google source: add one under sources: with type: google (see config.example.yaml)")
	case len(google) > 1:
		return config.Source{}, fmt.Errorf("the config has several google sources: choose one with --source (%s)", strings.Join(names, ", "))
	}
	return google[0], nil
}

// openBrowser starts the desktop's browser on url without waiting for it.
func openBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	go cmd.Wait() // reap it
	return nil
}
