package config

import (
	"cmp"
	"errors"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"
	"time"
)

// Source types.
const (
	TypeGoogle = "google"
	TypeICS    = "ics"
	TypeJSON   = "json"
)

// Source configures one calendar. Its Name is the "calendar" in reports
// and the "source" in sync metrics.
type Source struct {
	Name string `yaml:"name"`
	// Person is whose calendar this is (DefaultPerson if unset).
	Person string `yaml:"person"`
	Type   string `yaml:"type"`
	// CalendarID defaults to primary for a google source.
	CalendarID   string `yaml:"calendar_id"`
	ClientSecret string `yaml:"client_secret"`
	// Token defaults to ./NAME.token.json next to the config file.
	Token    string `yaml:"token"`
	Endpoint string `yaml:"endpoint"`
	Path     string `yaml:"path"`
	// URL is an ics feed, always https (webcal:// and webcals:// are read
	// as https://) except on a loopback address.
	URL        string `yaml:"url"`
	SyncWindow Window `yaml:"sync_window"`
	// Owners are the calendar owner's e-mail addresses, for ics sources.
	// Deprecated: give the person emails under people:, which also work for
	// json sources; owners are added to the person's emails for this source.
	Owners []string `yaml:"owners"`
	// Holidays makes every event of the source time off for its person (a
	// public-holidays calendar).
	Holidays bool `yaml:"holidays"`

	// ServiceAccountKey is set, with Subject, on the google sources that
	// google_workspace makes, never by the file: such a source reads the
	// calendar of Subject (an e-mail address) by impersonation through the
	// service account key, instead of with a client_secret and token.
	ServiceAccountKey string `yaml:"-"`
	Subject           string `yaml:"-"`
}

func (s *Source) setDefaults() {
	s.SyncWindow = DefaultWindow()
	s.Person = DefaultPerson
}

// DefaultWindow is a source's sync_window when the file sets none: 26 weeks
// back and 2 ahead.
func DefaultWindow() Window {
	return Window{Past: Span(26 * 7 * 24 * time.Hour), Future: Span(2 * 7 * 24 * time.Hour)}
}

// Window bounds what a full sync fetches and how far recurrences are
// expanded, relative to now.
type Window struct {
	Past   Span `yaml:"past"`
	Future Span `yaml:"future"`
}

// Bounds returns [now-Past, now+Future).
func (w Window) Bounds(now time.Time) (from, to time.Time) {
	return now.Add(-time.Duration(w.Past)), now.Add(time.Duration(w.Future))
}

var nameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$`)

func (s *Source) validate() error {
	if s.Name == "" {
		return errorAt("name", "is required")
	}
	if !nameRE.MatchString(s.Name) {
		return errorAt("name", "%q must be letters, digits, '.', '_' or '-' (it becomes a metric label)", s.Name)
	}
	if !nameRE.MatchString(s.Person) {
		return errorAt("person", "%q must be letters, digits, '.', '_' or '-' (it becomes a metric label)", s.Person)
	}
	if s.SyncWindow.Past == 0 && s.SyncWindow.Future == 0 {
		return errorAt("sync_window", "is empty: past and future cannot both be 0 (the default is {past: 26w, future: 2w})")
	}
	unused := func(key, val string) error {
		if val != "" {
			return errorAt(key, "is not used by %s sources", s.Type)
		}
		return nil
	}
	switch s.Type {
	case TypeGoogle:
		if s.ClientSecret == "" && s.ServiceAccountKey == "" {
			return errorAt("client_secret", "is required for a google source (the OAuth client JSON from Google Cloud Console)")
		}
		if len(s.Owners) > 0 {
			return errorAt("owners", "is for ics sources; Google marks your own attendee entry itself")
		}
		return cmp.Or(unused("path", s.Path), unused("url", s.URL))
	case TypeICS:
		for i, o := range s.Owners {
			if !strings.Contains(o, "@") {
				return errorAt(index("owners", i), "%q is not an e-mail address", o)
			}
		}
		if (s.Path == "") == (s.URL == "") {
			return errorAt("path", "an ics source needs exactly one of path or url")
		}
		if s.URL != "" {
			u, err := feedURL(s.URL)
			if err != nil {
				return errorAt("url", "%v", err)
			}
			s.URL = u
		}
		return cmp.Or(unused("calendar_id", s.CalendarID), unused("client_secret", s.ClientSecret), unused("token", s.Token), unused("endpoint", s.Endpoint))
	case TypeJSON:
		if len(s.Owners) > 0 {
			return errorAt("owners", "is for ics sources; give the person's emails under people: instead")
		}
		if s.Path == "" {
			return errorAt("path", "is required for a json source")
		}
		return cmp.Or(unused("calendar_id", s.CalendarID), unused("client_secret", s.ClientSecret), unused("token", s.Token), unused("endpoint", s.Endpoint), unused("url", s.URL))
	case "":
		return errorAt("type", "is required: google, ics or json")
	default:
		return errorAt("type", "%q is not a source type: use google, ics or json", s.Type)
	}
}

// feedURL checks a subscription URL and returns it as weekmap fetches it:
// webcal:// and webcals:// (what Apple and Outlook hand out) mean https://.
// Plain http is refused except on a loopback address, since a feed's path
// is its secret: the host is compared exactly, so that
// http://localhost.evil.example/ or http://localhost@evil.example/ do not
// pass as local.
func feedURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" {
		return "", errors.New("is not a URL like https://calendar.example.com/feed.ics")
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "webcal", "webcals":
		u.Scheme = "https"
	case "http":
		if !loopback(u.Hostname()) || u.User != nil {
			return "", errors.New("must be an https:// (or webcal://) URL: a feed's address is its secret, and plain http would send it in clear text")
		}
	default:
		return "", fmt.Errorf("must be an https:// (or webcal://) URL, not %s://", u.Scheme)
	}
	return u.String(), nil
}

// loopback reports whether host is a loopback IP literal or exactly
// "localhost".
func loopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
