// Package sqlitebench compares the two pure-Go SQLite drivers weekmap could
// embed, modernc.org/sqlite and github.com/ncruces/go-sqlite3, on weekmap's
// own workload: the schema of ingest/store.go, batched upserts of ~600-byte
// JSON event blobs, and week-sized range queries. The benchmarks are in
// sqlitebench_test.go; README.md holds the numbers and the choice.
package sqlitebench

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	_ "github.com/ncruces/go-sqlite3/driver" // registers "sqlite3"
	_ "modernc.org/sqlite"                   // registers "sqlite"
)

// Driver names one database/sql driver under test.
type Driver struct {
	// Name is how the benchmarks label it.
	Name string
	// SQLName is the name the driver registers with database/sql.
	SQLName string
}

// Drivers returns the candidates, in the order the benchmarks run them.
func Drivers() []Driver {
	return []Driver{
		{Name: "modernc", SQLName: "sqlite"},
		{Name: "ncruces", SQLName: "sqlite3"},
	}
}

// Open opens (creating) the database at path with the settings weekmap's
// store uses: WAL, NORMAL sync, a busy timeout and immediate write
// transactions. Both drivers read the same DSN parameters.
func Open(d Driver, path string) (*sql.DB, error) {
	q := url.Values{}
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	db, err := sql.Open(d.SQLName, "file:"+path+"?"+q.Encode())
	if err != nil {
		return nil, fmt.Errorf("open %s with %s: %w", path, d.Name, err)
	}
	return db, nil
}

// schema is migration 1 of ingest/store.go, copied so that this module does
// not depend on the main one.
const schema = `CREATE TABLE events (
		calendar   TEXT    NOT NULL,
		id         TEXT    NOT NULL,
		start_unix INTEGER NOT NULL,
		end_unix   INTEGER NOT NULL,
		gen        INTEGER NOT NULL DEFAULT 0,
		data       BLOB    NOT NULL,
		PRIMARY KEY (calendar, id)
	) WITHOUT ROWID;
	CREATE INDEX events_by_start ON events (calendar, start_unix);
	CREATE TABLE sync_state (
		calendar      TEXT PRIMARY KEY,
		sync_token    TEXT    NOT NULL DEFAULT '',
		etag          TEXT    NOT NULL DEFAULT '',
		last_modified TEXT    NOT NULL DEFAULT '',
		gen           INTEGER NOT NULL DEFAULT 0,
		last_success  INTEGER NOT NULL DEFAULT 0,
		last_full     INTEGER NOT NULL DEFAULT 0
	);`

// Migrate creates the schema the way ingest.Store does: in a write
// transaction that also bumps user_version.
func Migrate(ctx context.Context, db *sql.DB) error {
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	if version >= 1 {
		return nil
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin migration: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, schema); err != nil {
		return fmt.Errorf("create schema: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "PRAGMA user_version = 1"); err != nil {
		return fmt.Errorf("set schema version: %w", err)
	}
	return tx.Commit()
}

// Row is one stored event as the store writes it.
type Row struct {
	ID         string
	Start, End time.Time
	Data       []byte
}

// blob mirrors the JSON shape of ingest.Event closely enough that the
// payload size and byte mix match what weekmap stores.
type blob struct {
	Calendar     string     `json:"calendar"`
	ID           string     `json:"id"`
	Title        string     `json:"title,omitempty"`
	Description  string     `json:"description,omitempty"`
	Start        time.Time  `json:"start"`
	End          time.Time  `json:"end"`
	TimeZone     string     `json:"time_zone,omitempty"`
	Status       string     `json:"status,omitempty"`
	Transparency string     `json:"transparency,omitempty"`
	EventType    string     `json:"event_type,omitempty"`
	Organizer    person     `json:"organizer"`
	Attendees    []attendee `json:"attendees,omitempty"`
	Recurring    string     `json:"recurring_event_id,omitempty"`
	Updated      time.Time  `json:"updated"`
}

type person struct {
	Email string `json:"email,omitempty"`
	Self  bool   `json:"self,omitempty"`
}

type attendee struct {
	Email          string `json:"email,omitempty"`
	Self           bool   `json:"self,omitempty"`
	ResponseStatus string `json:"response_status,omitempty"`
}

var titles = [...]string{
	"Design review: sync token handling", "1:1 with Dana", "Sprint planning",
	"Incident postmortem SEV2", "Focus time", "Architecture sync", "Lunch",
	"Code review office hours", "Quarterly roadmap alignment",
}

// Events returns n deterministic events, eight working-hour meetings a
// weekday going back from end, each with a JSON blob of about 600 bytes.
func Events(n int, end time.Time) []Row {
	rows := make([]Row, 0, n)
	day := end.Truncate(24 * time.Hour)
	for i := 0; len(rows) < n; i++ {
		d := day.AddDate(0, 0, -i/8)
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		start := d.Add(time.Duration(8+i%8) * time.Hour)
		b := blob{
			Calendar:     "work",
			ID:           fmt.Sprintf("evt%08d_%s", i, start.UTC().Format("20060102T150405Z")),
			Title:        titles[i%len(titles)],
			Description:  strings.Repeat("Agenda: decisions, owners, follow-ups. ", 1),
			Start:        start,
			End:          start.Add(45 * time.Minute),
			TimeZone:     "Europe/Berlin",
			Status:       "confirmed",
			Transparency: "opaque",
			EventType:    "default",
			Organizer:    person{Email: "lead@example.com"},
			Attendees: []attendee{
				{Email: "me@example.com", Self: true, ResponseStatus: "accepted"},
				{Email: "lead@example.com", ResponseStatus: "accepted"},
				{Email: "peer@example.com", ResponseStatus: "tentative"},
			},
			Recurring: fmt.Sprintf("series%04d", i%200),
			Updated:   start.Add(-72 * time.Hour),
		}
		data, err := json.Marshal(b)
		if err != nil {
			panic(err) // a fixed struct of strings and times always marshals
		}
		rows = append(rows, Row{ID: b.ID, Start: b.Start, End: b.End, Data: data})
	}
	return rows
}

// Upsert writes rows in transactions of batch rows with the statement
// ingest.Tx.Upsert uses.
func Upsert(ctx context.Context, db *sql.DB, rows []Row, batch int, gen int64) error {
	for lo := 0; lo < len(rows); lo += batch {
		hi := min(lo+batch, len(rows))
		if err := upsertBatch(ctx, db, rows[lo:hi], gen); err != nil {
			return err
		}
	}
	return nil
}

func upsertBatch(ctx context.Context, db *sql.DB, rows []Row, gen int64) error {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin upsert: %w", err)
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO events (calendar, id, start_unix, end_unix, gen, data)
		VALUES (?, ?, ?, ?, ?, ?)
		ON CONFLICT (calendar, id) DO UPDATE SET
			start_unix = excluded.start_unix, end_unix = excluded.end_unix,
			gen = excluded.gen, data = excluded.data`)
	if err != nil {
		return fmt.Errorf("prepare upsert: %w", err)
	}
	defer stmt.Close()
	for _, r := range rows {
		if _, err := stmt.ExecContext(ctx, "work", r.ID, r.Start.Unix(), r.End.Unix(), gen, r.Data); err != nil {
			return fmt.Errorf("upsert %s: %w", r.ID, err)
		}
	}
	return tx.Commit()
}

// Query shapes for reading one week, from the store's to cheaper ones.
const (
	// StoreQuery is ingest.Store.Events: the optional calendar filter and
	// the open lower bound make SQLite scan the table and sort.
	StoreQuery = `SELECT data FROM events
		WHERE (? = '' OR calendar = ?) AND end_unix > ? AND start_unix < ?
		ORDER BY start_unix, calendar, id`
	// BoundedQuery names the calendar and bounds start from below by the
	// longest event the calendar holds, so the (calendar, start_unix) index
	// yields just the week and its order.
	BoundedQuery = `SELECT data FROM events
		WHERE calendar = ? AND start_unix > ? AND start_unix < ? AND end_unix > ?
		ORDER BY start_unix, id`
)

// Week reads the blobs of the events overlapping [from, from+7d) with
// StoreQuery and returns how many it read.
func Week(ctx context.Context, db *sql.DB, from time.Time) (int, error) {
	to := from.AddDate(0, 0, 7)
	return count(db.QueryContext(ctx, StoreQuery, "work", "work", from.Unix(), to.Unix()))
}

// WeekBounded is Week with BoundedQuery; longest is the longest event
// stored.
func WeekBounded(ctx context.Context, db *sql.DB, from time.Time, longest time.Duration) (int, error) {
	to := from.AddDate(0, 0, 7)
	return count(db.QueryContext(ctx, BoundedQuery, "work", from.Add(-longest).Unix(), to.Unix(), from.Unix()))
}

func count(rows *sql.Rows, err error) (int, error) {
	if err != nil {
		return 0, fmt.Errorf("query week: %w", err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var data []byte
		if err := rows.Scan(&data); err != nil {
			return n, fmt.Errorf("scan week: %w", err)
		}
		n++
	}
	return n, rows.Err()
}
