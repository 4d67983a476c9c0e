package fakegoogle

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"google.golang.org/api/calendar/v3"
)

// cursor is what a nextPageToken stands for: where the listing is, and
// what it lists. Google's page tokens are opaque; so are these to clients.
type cursor struct {
	Since   int64  `json:"since"` // -1 for a full listing
	Snap    int64  `json:"snap"`  // the seq the listing is a snapshot of
	Off     int    `json:"off"`
	TimeMin string `json:"min,omitempty"`
	TimeMax string `json:"max,omitempty"`
	Deleted bool   `json:"deleted,omitempty"`
}

// page builds one events.list answer, or an error status with Google's
// reason and message.
func (s *Server) page(cal string, q url.Values) (body []byte, status int, reason, msg string) {
	if q.Get("singleEvents") != "true" {
		return nil, http.StatusBadRequest, "invalid", "this fake lists only with singleEvents=true"
	}
	syncToken := q.Get("syncToken")
	if syncToken != "" {
		// Google refuses these together with a sync token.
		for _, p := range []string{"timeMin", "timeMax", "orderBy", "q", "updatedMin", "iCalUID"} {
			if q.Has(p) {
				return nil, http.StatusBadRequest, "invalid", "Invalid combination of syncToken and " + p
			}
		}
	}
	max := 250
	if v := q.Get("maxResults"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 2500 {
			return nil, http.StatusBadRequest, "invalid", "Invalid value for maxResults"
		}
		max = n
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	var c cursor
	switch {
	case q.Get("pageToken") != "":
		raw, err := base64.RawURLEncoding.DecodeString(q.Get("pageToken"))
		if err != nil || json.Unmarshal(raw, &c) != nil {
			return nil, http.StatusBadRequest, "invalid", "Invalid page token"
		}
	case syncToken != "":
		n, err := strconv.ParseInt(strings.TrimPrefix(syncToken, "s"), 10, 64)
		if !strings.HasPrefix(syncToken, "s") || err != nil || n < s.minToken || n > s.seq {
			return nil, http.StatusGone, "fullSyncRequired", "Sync token is no longer valid, a full sync is required."
		}
		c = cursor{Since: n, Snap: s.seq}
	default:
		c = cursor{Since: -1, Snap: s.seq, TimeMin: q.Get("timeMin"), TimeMax: q.Get("timeMax"), Deleted: q.Get("showDeleted") == "true"}
	}
	if c.Since >= 0 && c.Since < s.minToken {
		return nil, http.StatusGone, "fullSyncRequired", "Sync token is no longer valid, a full sync is required."
	}

	var items []*calendar.Event
	for _, e := range s.events[cal] {
		if e.seq > c.Snap || !c.matches(e) {
			continue
		}
		items = append(items, e.ev)
	}
	slices.SortFunc(items, func(a, b *calendar.Event) int { return strings.Compare(a.Id, b.Id) })
	n := min(max, s.pageSize)
	end := min(c.Off+n, len(items))
	res := &calendar.Events{Kind: "calendar#events", Summary: cal, TimeZone: "UTC", Items: items[min(c.Off, end):end]}
	if end < len(items) {
		next := c
		next.Off = end
		raw, _ := json.Marshal(next)
		res.NextPageToken = base64.RawURLEncoding.EncodeToString(raw)
	} else {
		res.NextSyncToken = "s" + strconv.FormatInt(c.Snap, 10)
	}
	body, err := json.Marshal(res)
	if err != nil {
		return nil, http.StatusInternalServerError, "backendError", err.Error()
	}
	if f := q.Get("fields"); f != "" {
		if body, err = selectFields(body, f); err != nil {
			return nil, http.StatusBadRequest, "invalidParameter", "Invalid field selection " + f
		}
	}
	return body, http.StatusOK, "", ""
}

// matches reports whether e belongs in the listing c describes.
func (c cursor) matches(e *entry) bool {
	if c.Since >= 0 {
		// Incremental: every change since the token, deletions included.
		return e.seq > c.Since
	}
	if e.ev.Status == "cancelled" && !c.Deleted {
		return false
	}
	start, end := eventTime(e.ev.Start), eventTime(e.ev.End)
	// timeMin bounds the end and timeMax the start, both exclusive.
	if t, err := time.Parse(time.RFC3339, c.TimeMin); err == nil && !end.After(t) {
		return false
	}
	if t, err := time.Parse(time.RFC3339, c.TimeMax); err == nil && !start.Before(t) {
		return false
	}
	return true
}

func eventTime(d *calendar.EventDateTime) time.Time {
	if d == nil {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339, d.DateTime); err == nil {
		return t
	}
	t, _ := time.Parse(time.DateOnly, d.Date)
	return t
}

// selectFields applies a partial-response field selection such as
// "nextPageToken,items(id,start(dateTime))" to a JSON object, as Google
// does: what is not selected is not sent.
func selectFields(body []byte, fields string) ([]byte, error) {
	sel, rest, err := parseFields(fields)
	if err != nil || rest != "" {
		return nil, errBadFields
	}
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, err
	}
	return json.Marshal(project(v, sel))
}

type errString string

func (e errString) Error() string { return string(e) }

const errBadFields = errString("bad field selection")

// selection is a parsed field selection; a nil sub-selection means the
// whole value.
type selection map[string]selection

// parseFields parses a comma-separated selection up to an unmatched ')'.
func parseFields(s string) (selection, string, error) {
	out := selection{}
	for s != "" && s[0] != ')' {
		i := strings.IndexAny(s, ",()")
		if i < 0 {
			i = len(s)
		}
		name := s[:i]
		if name == "" {
			return nil, "", errBadFields
		}
		s = s[i:]
		var sub selection
		if strings.HasPrefix(s, "(") {
			var err error
			if sub, s, err = parseFields(s[1:]); err != nil || !strings.HasPrefix(s, ")") {
				return nil, "", errBadFields
			}
			s = s[1:]
		}
		out[name] = sub
		s = strings.TrimPrefix(s, ",")
	}
	return out, s, nil
}

func project(v any, sel selection) any {
	switch v := v.(type) {
	case []any:
		for i := range v {
			v[i] = project(v[i], sel)
		}
		return v
	case map[string]any:
		out := map[string]any{}
		for k, sub := range sel {
			x, ok := v[k]
			if !ok {
				continue
			}
			if sub == nil {
				out[k] = x
			} else {
				out[k] = project(x, sub)
			}
		}
		return out
	default:
		return v
	}
}
