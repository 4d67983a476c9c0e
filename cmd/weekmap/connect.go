package main

import (
	"context"
	"errors"
	"fmt"
	"os/exec"
	"runtime"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest/google"
)

func runConnect(ctx context.Context, a *app, args []string) error {
	fs := a.newFlags("connect")
	source := fs.String("source", "", "connect the google source `NAME` (needed when there are several)")
	noBrowser := fs.Bool("no-browser", false, "only print the sign-in address; do not open a browser")
	timeout := fs.Duration("timeout", 5*time.Minute, "how long to wait for the browser")
	if err := a.parse(fs, args); err != nil {
		return err
	}
	cfg, err := a.config()
	if err != nil {
		return err
	}
	sc, err := googleSource(cfg.Sources, *source)
	if err != nil {
		return err
	}
	conf, err := google.OAuthConfig(sc.ClientSecret)
	if err != nil {
		return err
	}
	tok, err := google.Authorize(ctx, conf, google.AuthorizeOptions{Timeout: *timeout, ShowURL: func(authURL string) {
		fmt.Fprintf(a.stderr, "To let weekmap read the calendar of source %q (read-only), open this address in a browser:\n\n  %s\n\n", sc.Name, authURL)
		if !*noBrowser {
			if err := openBrowser(authURL); err != nil {
				fmt.Fprintf(a.stderr, "Could not open a browser (%v): open the address yourself.\n", err)
			}
		}
		fmt.Fprintf(a.stderr, "Waiting up to %v for Google to send you back…\n", *timeout)
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
		name := printable(c.Summary)
		if c.Primary {
			name += " (primary)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", printable(c.ID), c.AccessRole, name)
	}
	tw.Flush()
	fmt.Fprintf(a.stderr, "\nSource %q syncs calendar_id %q. To sync another calendar, put its CALENDAR_ID in calendar_id, then run: weekmap sync --source %s\n", sc.Name, sc.CalendarID, sc.Name)
	return nil
}

// googleSource picks the source to connect: the named one, or the only
// google source.
func googleSource(sources []config.Source, name string) (config.Source, error) {
	var google []config.Source
	for _, s := range sources {
		if name != "" && s.Name == name {
			if s.Type != config.TypeGoogle {
				return s, fmt.Errorf("source %q is of type %s: only google sources are connected", name, s.Type)
			}
			return s, nil
		}
		if s.Type == config.TypeGoogle {
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

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, ", ")
}

// printable drops control characters: calendar names can be set by
// whoever shares a calendar, and must not drive the terminal.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return -1
		}
		return r
	}, s)
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
