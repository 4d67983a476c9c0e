package ingest

import (
	"sync"
	"time"
)

// zones caches time.LoadLocation, which reads and parses the zone file on
// every call: a sync maps two zone names per event, and at 100,000 events
// the loads took longer than the SQLite writes (see docs/PERFORMANCE.md).
// A *time.Location is immutable, so sharing one is safe.
var zones sync.Map // name → *time.Location

// LoadLocation is time.LoadLocation with a cache. Failures are not cached
// (they are rare, and their errors are worth seeing each time).
func LoadLocation(name string) (*time.Location, error) {
	if loc, ok := zones.Load(name); ok {
		return loc.(*time.Location), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, err
	}
	zones.Store(name, loc)
	return loc, nil
}
