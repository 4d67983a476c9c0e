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

// FileBudget is the work one file may cost, in units of about 10 ns of
// expanding on the 2-vCPU machine the numbers below come from; a hostile
// file that exhausts it is refused after about 2-3 s.
//
// Measured with `go test ./ingest/recur/ -run '^$' -bench Budget`
// (BenchmarkBudget* report ns per unit): see the costs below.
const FileBudget int64 = 250_000_000

// The costs of the work a Budget counts, in its units.
const (
	// costScan is one period, day or step the engine's own scan reads.
	costScan = 1
	// costPeriod is rrule-go's overhead for one period it visits.
	costPeriod = 4
	// costDay is one day of a visited period's day set, or one step of a
	// sub-daily rule, before the lists rrule-go searches for it.
	costDay = 1
	// costListItem is one BY-list value rrule-go compares each day or
	// step with.
	costListItem = 0
	// costRebuild is rrule-go rebuilding its week-number or ordinal
	// masks, once a year (or a month).
	costRebuild = 100
	// costOccurrence is one occurrence: rrule-go making it, the engine
	// sorting it and the caller turning it into an event.
	costOccurrence = 500
)

// NewBudget returns the budget of one file: FileBudget units.
func NewBudget() *Budget { return NewBudgetOf(FileBudget) }

// NewBudgetOf returns a budget of the given units. Files use NewBudget;
// tests use small budgets to reach the limit quickly.
func NewBudgetOf(units int64) *Budget { return &Budget{left: units} }

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
