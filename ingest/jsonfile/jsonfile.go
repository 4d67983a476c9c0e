// Package jsonfile is the json source: a file of Google Calendar v3 Event
// resources, saved by a script, the API explorer or a data pipeline in any
// of the shapes a Decoder reads (an events.list response, a JSON array,
// one event a line, a single event). Every sync that reads the file
// replaces the source's events with what the file holds. The Decoder also
// reads the events classify and rules eval are given.
package jsonfile

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest"
	"github.com/weekmap/weekmap/ingest/googleevent"
	"github.com/weekmap/weekmap/ingest/recur"
)

// Source reads one json source.
type Source struct {
	cfg    config.Source
	emails []string
	log    *slog.Logger
}

var _ ingest.Source = (*Source)(nil)

// New returns the source for cfg, a source of type json. emails are the
// addresses of the calendar's person: an attendee or organizer with one of
// them is marked as the person (a file saved from Google marks it itself,
// one written by another tool may not).
func New(cfg config.Source, emails []string) *Source {
	return &Source{cfg: cfg, emails: emails, log: slog.New(slog.DiscardHandler)}
}

// WithLogger returns s logging to l: a recurring event skipped because its
// rule never yields or yields too much is a warning.
func (s *Source) WithLogger(l *slog.Logger) *Source {
	c := *s
	c.log = l
	return &c
}

// Fetch reads the file and yields every event it holds as one page.
// Recurring masters are expanded within the sync window around req.Now;
// instances in the file override the expanded instance they replace, and
// cancelled ones remove it.
//
// Unless req.Full, a file with the modification time and size the cursor
// records yields nothing. A file with recurring masters has a cursor that
// expires at the next UTC midnight, because the window moves with time even
// when the file does not. A file that cannot be read or parsed, or is
// empty, is an error and changes nothing.
func (s *Source) Fetch(ctx context.Context, req ingest.Request, yield func(ingest.Page) error) error {
	// A stat tells an unchanged file without reading it.
	info, err := ingest.StatFile(s.cfg.Path)
	if err != nil {
		return fmt.Errorf("json source %s: %w", s.cfg.Name, err)
	}
	if !req.Full && req.Cursor.LastModified == fileVersion(info) {
		return nil
	}
	items, info, err := s.read()
	if err != nil {
		return fmt.Errorf("json source %s: %w", s.cfg.Name, err)
	}
	// Reading is bounded by the file size and expanding by the recurrence
	// budget, a second or two each at most; shutdown is seen in between.
	if err := ctx.Err(); err != nil {
		return err
	}
	from, to := s.cfg.SyncWindow.Bounds(req.Now)
	events, hasSeries, err := resolve(s.log, s.cfg.Name, s.cfg.Path, items, from, to)
	if err != nil {
		return fmt.Errorf("json source %s: %w", s.cfg.Name, ingest.WithReason(ingest.ReasonInvalidData, err))
	}
	for i := range events {
		markSelf(&events[i], s.emails)
	}
	// Keep the stamp of the file that was opened, taken before it was read:
	// if it changes meanwhile, the next sync sees a new stamp and reads it
	// again.
	cursor := ingest.Cursor{LastModified: fileVersion(info)}
	if hasSeries {
		cursor.Expires = ingest.NextUTCMidnight(req.Now)
	}
	return yield(ingest.Page{Events: events, Full: true, Last: true, Cursor: cursor})
}

// markSelf marks the attendee entries and organizer whose address is one of
// emails as the calendar's owner.
func markSelf(e *cal.Event, emails []string) {
	if len(emails) == 0 {
		return
	}
	mine := func(addr string) bool {
		return addr != "" && slices.ContainsFunc(emails, func(m string) bool { return strings.EqualFold(m, addr) })
	}
	if mine(e.Organizer.Email) {
		e.Organizer.Self = true
	}
	for i := range e.Attendees {
		if mine(e.Attendees[i].Email) {
			e.Attendees[i].Self = true
		}
	}
}

// read reads and decodes the file: a regular file only (a device would never
// end, a FIFO would block the sync), at most ingest.MaxFileSize bytes, and
// not empty. An empty file is refused rather than read as no events,
// because that is what an export caught in the middle of being rewritten
// looks like, and syncing it would delete every event; a calendar that is
// empty is written "[]".
func (s *Source) read() ([]item, os.FileInfo, error) {
	data, info, err := ingest.ReadFile(s.cfg.Path, ingest.MaxFileSize)
	if err != nil {
		return nil, nil, err
	}
	if len(bytes.TrimSpace(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")))) == 0 {
		return nil, nil, ingest.WithReason(ingest.ReasonInvalidData, fmt.Errorf("events file %s is empty; if an export is being written, sync again when it is done; an empty calendar is written as []", s.cfg.Path))
	}
	items, err := decodeFile(s.cfg.Path, data)
	if err != nil {
		return nil, nil, ingest.WithReason(ingest.ReasonInvalidData, err)
	}
	return items, info, nil
}

// fileVersion is what tells one version of a file from another.
func fileVersion(info os.FileInfo) string {
	return "mtime=" + strconv.FormatInt(info.ModTime().UnixNano(), 10) + " size=" + strconv.FormatInt(info.Size(), 10)
}

// resolve maps the file's items to the events to store: masters expanded
// within [from, to), then single events and instances in file order, each
// replacing the expanded instance it overrides; cancelled items only
// remove. hasSeries reports whether the file had a recurring master.
func resolve(log *slog.Logger, calendarName, path string, items []item, from, to time.Time) (events []cal.Event, hasSeries bool, err error) {
	byID := map[string]cal.Event{}
	at := func(it item, err error) error {
		return fmt.Errorf("events file %s, line %d: %w", path, it.line, err)
	}
	budget := recur.NewBudget()
	for _, it := range items {
		if len(it.ev.Recurrence) == 0 {
			continue
		}
		hasSeries = true
		if it.ev.Status == cal.StatusCancelled {
			continue
		}
		instances, err := googleevent.Expand(calendarName, it.ev, from, to, budget)
		if recur.SkipsSeries(err) {
			log.Warn("recurring event skipped", "source", calendarName, "err", at(it, err))
			continue
		}
		if err != nil {
			return nil, false, at(it, err)
		}
		for _, e := range instances {
			byID[e.ID] = e
		}
	}
	for _, it := range items {
		ev := it.ev
		if len(ev.Recurrence) > 0 {
			continue
		}
		if ev.RecurringEventId != "" && ev.OriginalStartTime != nil {
			id, err := googleevent.InstanceID(ev.RecurringEventId, ev.OriginalStartTime)
			if err != nil {
				return nil, false, at(it, err)
			}
			delete(byID, id)
		}
		if ev.Status == cal.StatusCancelled {
			delete(byID, ev.Id)
			continue
		}
		e, err := googleevent.Map(calendarName, ev)
		if err != nil {
			return nil, false, at(it, err)
		}
		byID[e.ID] = e
	}
	events = make([]cal.Event, 0, len(byID))
	for _, e := range byID {
		events = append(events, e)
	}
	slices.SortFunc(events, func(a, b cal.Event) int {
		return cmp.Or(a.Start.Compare(b.Start), cmp.Compare(a.ID, b.ID))
	})
	return events, hasSeries, nil
}
