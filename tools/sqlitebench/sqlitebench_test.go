package sqlitebench

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"
	"time"
)

// end anchors the generated events so every run stores the same rows.
var end = time.Date(2026, 11, 20, 0, 0, 0, 0, time.UTC)

const (
	nEvents = 10_000
	batch   = 2_500
)

func openMigrated(b testing.TB, d Driver) *sql.DB {
	b.Helper()
	db, err := Open(d, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if err := Migrate(context.Background(), db); err != nil {
		b.Fatal(err)
	}
	return db
}

// TestDriversAgree guards the benchmarks: both drivers must store and find
// the same rows, or the numbers compare different work.
func TestDriversAgree(t *testing.T) {
	rows := Events(1_000, end)
	week := end.AddDate(0, 0, -14)
	var counts []int
	for _, d := range Drivers() {
		db := openMigrated(t, d)
		ctx := context.Background()
		// Twice: the second pass must update, not duplicate.
		for gen := int64(1); gen <= 2; gen++ {
			if err := Upsert(ctx, db, rows, 300, gen); err != nil {
				t.Fatalf("%s: %v", d.Name, err)
			}
		}
		var total int
		if err := db.QueryRow(`SELECT count(*) FROM events WHERE gen = 2`).Scan(&total); err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		if total != len(rows) {
			t.Errorf("%s: got %d rows, want %d", d.Name, total, len(rows))
		}
		var mode string
		if err := db.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		if mode != "wal" {
			t.Errorf("%s: got journal_mode %q, want wal", d.Name, mode)
		}
		n, err := Week(ctx, db, week)
		if err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		nb, err := WeekBounded(ctx, db, week, time.Hour)
		if err != nil {
			t.Fatalf("%s: %v", d.Name, err)
		}
		if nb != n {
			t.Errorf("%s: got %d events with the bounded query, want %d as with the store's", d.Name, nb, n)
		}
		counts = append(counts, n)
	}
	// Eight meetings on each of five weekdays.
	for i, n := range counts {
		if n != 40 {
			t.Errorf("%s: got %d events in the week, want 40", Drivers()[i].Name, n)
		}
	}
}

func TestEventBlobSize(t *testing.T) {
	var sum int
	rows := Events(100, end)
	for _, r := range rows {
		sum += len(r.Data)
	}
	if avg := sum / len(rows); avg < 550 || avg > 650 {
		t.Errorf("got average blob of %d bytes, want about 600", avg)
	}
}

func BenchmarkOpenMigrate(b *testing.B) {
	for _, d := range Drivers() {
		b.Run(d.Name, func(b *testing.B) {
			dir := b.TempDir()
			ctx := context.Background()
			i := 0
			for b.Loop() {
				i++
				db, err := Open(d, filepath.Join(dir, fmt.Sprintf("open%d.db", i)))
				if err != nil {
					b.Fatal(err)
				}
				if err := Migrate(ctx, db); err != nil {
					b.Fatal(err)
				}
				if err := db.Close(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkUpsert10k(b *testing.B) {
	rows := Events(nEvents, end)
	for _, d := range Drivers() {
		b.Run(d.Name, func(b *testing.B) {
			db := openMigrated(b, d)
			ctx := context.Background()
			gen := int64(0)
			// Every pass after the first updates all 10,000 rows in place,
			// which is what a full resync of an unchanged calendar does.
			for b.Loop() {
				gen++
				if err := Upsert(ctx, db, rows, batch, gen); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(nEvents*b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

func BenchmarkWeekQuery(b *testing.B) {
	rows := Events(nEvents, end)
	for _, d := range Drivers() {
		b.Run(d.Name, func(b *testing.B) {
			db := openMigrated(b, d)
			ctx := context.Background()
			if err := Upsert(ctx, db, rows, batch, 1); err != nil {
				b.Fatal(err)
			}
			// 1,000 queries an op, walking back one week at a time over the
			// year of stored events, as a report over many weeks does.
			for b.Loop() {
				for q := range 1000 {
					from := end.AddDate(0, 0, -7*(q%52+1))
					if n, err := Week(ctx, db, from); err != nil || n == 0 {
						b.Fatalf("week %s: got %d events, err %v", from.Format(time.DateOnly), n, err)
					}
				}
			}
		})
	}
}

func BenchmarkWeekQueryBounded(b *testing.B) {
	rows := Events(nEvents, end)
	for _, d := range Drivers() {
		b.Run(d.Name, func(b *testing.B) {
			db := openMigrated(b, d)
			ctx := context.Background()
			if err := Upsert(ctx, db, rows, batch, 1); err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				for q := range 1000 {
					from := end.AddDate(0, 0, -7*(q%52+1))
					if n, err := WeekBounded(ctx, db, from, time.Hour); err != nil || n == 0 {
						b.Fatalf("week %s: got %d events, err %v", from.Format(time.DateOnly), n, err)
					}
				}
			}
		})
	}
}
