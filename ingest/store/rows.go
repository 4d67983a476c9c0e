package store

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"runtime"
	"sync"

	"github.com/weekmap/weekmap/cal"
)

// decodeJSONRow reads a row written before the binary format (stores of
// schema version 2 and earlier), when events were stored as JSON.
func decodeJSONRow(data []byte, e *cal.Event) error {
	*e = cal.Event{}
	return json.Unmarshal(data, e)
}

// corruptRow is a row decodeRows could not decode; Store.Events finds
// whose it is and turns it into a CorruptError.
type corruptRow struct {
	data []byte
	err  error
}

func (c *corruptRow) Error() string { return "corrupt row: " + c.err.Error() }

// rowBatch is how many rows one decoding goroutine takes at a time.
const rowBatch = 256

// decodeRows reads the data column of every row and decodes the events, in
// row order, and closes rows. Decoding is most of the cost of reading a
// year of events, so batches of rows are decoded on every CPU while SQLite
// steps through the next ones.
func decodeRows(rows *sql.Rows) ([]cal.Event, error) {
	defer rows.Close()
	type batch struct {
		raw    [][]byte
		events []cal.Event
		err    error
	}
	jobs := make(chan *batch, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for b := range jobs {
				b.events = make([]cal.Event, len(b.raw))
				for i, data := range b.raw {
					if err := decodeRow(data, &b.events[i]); err != nil {
						b.err = &corruptRow{data: data, err: err}
						break
					}
				}
				b.raw = nil
			}
		})
	}
	var batches []*batch
	cur := &batch{}
	var scanErr error
	for rows.Next() {
		var data []byte // Scan copies the bytes
		if scanErr = rows.Scan(&data); scanErr != nil {
			break
		}
		cur.raw = append(cur.raw, data)
		if len(cur.raw) == rowBatch {
			batches = append(batches, cur)
			jobs <- cur
			cur = &batch{}
		}
	}
	if len(cur.raw) > 0 {
		batches = append(batches, cur)
		jobs <- cur
	}
	close(jobs)
	wg.Wait()
	if scanErr == nil {
		scanErr = rows.Err()
	}
	if scanErr != nil {
		return nil, fmt.Errorf("read events: %w", scanErr)
	}
	n := 0
	for _, b := range batches {
		if b.err != nil {
			return nil, b.err
		}
		n += len(b.events)
	}
	out := make([]cal.Event, 0, n)
	for _, b := range batches {
		out = append(out, b.events...)
	}
	return out, nil
}
