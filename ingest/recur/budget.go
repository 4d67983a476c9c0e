package recur

import "errors"

// ErrBudget is returned (wrapped) when a file's recurrences need more work
// than its Budget allows. The caller refuses the whole file: skipping the
// series where the budget ran out would make what the file means depend
// on the order of its events.
var ErrBudget = errors.New("its recurring events take more work to expand than weekmap spends on one file")

// Budget bounds the work of expanding one file's recurrences, so that no
// file, however small, holds a sync for long. It counts what rrule-go will
// do, not only what it yields: the days of the periods it steps through
// (from DTSTART to the end of the window, and on to its next candidate),
// its steps for sub-daily rules, the occurrences it produces, and the days
// the engine itself scans to predict all that. Each expansion is paid
// before rrule-go walks, so the bound holds before the work is done.
//
// The caller creates one Budget per file and passes it to every Expand of
// that file. A Budget is not safe for concurrent use.
type Budget struct {
	left, spent int64
}

// FileBudget is the work one file may cost, in units of about a
// nanosecond of expanding on the 2-vCPU machine the costs below were
// measured on (shared, load 2-4). BenchmarkBudget puts each rule shape at
// 0.1-1.0 ns a unit (median of three runs; dense MINUTELY rules, far
// sub-daily ones and monthly ordinals are the dearest), so a hostile file
// is refused after 2-3 s at most: 2,000 copies of such shapes in one ICS
// file were refused after 1.3-2.4 s. Real calendars spend a fraction (TestRealCalendarsFitBudget):
// 300 birthdays since 1950 5%, 500 weekly series over five years with
// eight attendees each 20% (mostly for the 14,600 instances kept and
// their 117,000 attendee entries), twenty Outlook time zones from 1601 6%,
// a daily standup since 2015 0.3%. A daily master with 20,000 attendees
// (3.9 million attendee entries in the window, a 96 MB store) syncs in
// 2 s; with 50,000 it is refused at once.
const FileBudget int64 = 2_500_000_000

// The costs of the work a Budget counts, in its units (nanoseconds on the
// machine they were measured on). rrule-go's: by `go test -run '^$' -bench
// Budget ./ingest/recur/`; storing an event: the store's upsert benchmark
// (80,000-90,000 events/s).
const (
	// costRule is reading one rule and setting rrule-go up for it (8-15
	// µs), and costRuleByte each byte of its text.
	costRule     = 20_000
	costRuleByte = 20
	// costMask is the engine's mask of one kind of year (at most 28 a
	// rule): a year of days tested against the rule's date filters, about
	// 4 µs.
	costMask = 4_000
	// costScan is one period or day the engine's own simulation reads
	// (6-20 ns); costSparse one step of a sub-daily rule whose steps are
	// days apart (25-30 ns: its date is found anew).
	costScan   = 20
	costSparse = 40
	// costPeriod is rrule-go's overhead for one period it visits (35 ns
	// for a day, about 100 for a week).
	costPeriod = 120
	// costDay is rrule-go testing one day of a period against the rule's
	// date filters, or one step of a sub-daily rule against its time
	// filters (4-7 ns); costListItems is what two more BY-list values add to
	// each (about 1 ns: a SECONDLY rule with 24 hours and 60 minutes listed
	// costs 46 ns a step).
	costDay       = 8
	costListItems = 1
	// costTime is one of the times a sub-daily rule's step holds (its
	// BYMINUTE and BYSECOND values), which rrule-go makes and sorts anew
	// at each step: about 30 ns.
	costTime = 40
	// costTimeTest is the engine testing one time of day against a
	// sub-daily rule's filters (3-5 ns).
	costTimeTest = 5
	// costRebuild is rrule-go rebuilding its week-number or ordinal
	// weekday masks, once a year (or a month): 3-4 µs.
	costRebuild = 4000
	// costSetPos is one BYSETPOS value, for each period: rrule-go lists
	// the period's matching days for each, and makes its candidate apart.
	costSetPos = 300
	// costCandidate is one occurrence rrule-go makes (200-600 ns), or one
	// RDATE or EXDATE the engine reads.
	costCandidate = 500
	// costOccurrence is one occurrence Expand returns: sorted, and looked
	// at by the caller.
	costOccurrence = 1000
	// costKeep is one event the caller keeps: made, and stored (about
	// 12 µs at the store's 85,000 events/s); costKeepAttendee each of its
	// attendees, encoded and written with every instance (0.42 µs: a
	// daily master with 4,000 attendees, 784,000 attendee entries in the
	// window, syncs in 0.33 s). The instances share the master's list in
	// memory; the store holds it with each.
	costKeep         = 15_000
	costKeepAttendee = 450
)

// NewBudget returns the budget of one file: FileBudget units.
func NewBudget() *Budget { return NewBudgetOf(FileBudget) }

// NewBudgetOf returns a budget of the given units. Files use NewBudget;
// tests use small budgets to reach the limit quickly.
func NewBudgetOf(units int64) *Budget { return &Budget{left: units} }

// Keep pays for n events that the caller keeps from an expansion (those in
// the window), holding attendees attendee entries in all: storing an event
// costs more than finding it, a few small masters can have a million
// instances in a year, and a master's attendee list is stored with each
// of its instances.
func (b *Budget) Keep(n, attendees int) error {
	return b.pay(int64(n)*costKeep + int64(attendees)*costKeepAttendee)
}

// Spent is the work paid so far, in units.
func (b *Budget) Spent() int64 { return b.spent }

// pay takes units from the budget, or fails with ErrBudget when it holds
// fewer. A nil Budget is unlimited.
func (b *Budget) pay(units int64) error {
	if b == nil || units <= 0 {
		return nil
	}
	b.spent += units
	if units > b.left {
		b.left = 0
		return ErrBudget
	}
	b.left -= units
	return nil
}
