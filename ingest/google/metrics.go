package google

import (
	"errors"

	"github.com/weekmap/weekmap/ingest"
)

// errorReason is the weekmap_sync_errors_total reason for a failed sync.
func errorReason(err error) string {
	switch {
	case errors.Is(err, ErrRevoked):
		return ingest.ReasonRevoked
	case errors.Is(err, ErrNotConnected):
		return ingest.ReasonNotConnected
	case errors.Is(err, ErrClientRejected), errors.Is(err, ErrNotDelegated), errors.Is(err, ErrKeyRejected):
		return ingest.ReasonUnauthorized
	}
	if r := retryReason(err); r != "" {
		return r
	}
	if statusOf(err) == 401 {
		return ingest.ReasonUnauthorized
	}
	return ingest.ReasonOther
}
