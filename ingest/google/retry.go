package google

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"strconv"
	"syscall"
	"time"

	"google.golang.org/api/googleapi"

	"github.com/weekmap/weekmap/ingest"
)

// Backoff bounds the retries of one API call. The Google client library
// does not retry, so the source does, with exponential backoff and full
// jitter: each wait is uniform in [0, min(Max, Base·2^attempt)).
type Backoff struct {
	// Attempts is the most calls made, the first included.
	Attempts int
	Base     time.Duration
	Max      time.Duration
	// Sleep waits d or until ctx is done; nil means a real timer. Tests
	// pass one that records the delays and returns at once.
	Sleep func(ctx context.Context, d time.Duration) error
}

// DefaultBackoff makes up to 6 calls over about a minute at most.
var DefaultBackoff = Backoff{Attempts: 6, Base: time.Second, Max: 32 * time.Second}

func (b Backoff) delay(attempt int, err error) time.Duration {
	ceiling := min(b.Max, b.Base<<attempt)
	d := time.Duration(rand.Int64N(int64(ceiling) + 1))
	// Honour Retry-After when Google sends it, within Max.
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		if s, perr := strconv.Atoi(ge.Header.Get("Retry-After")); perr == nil && s > 0 {
			d = min(b.Max, time.Duration(s)*time.Second)
		}
	}
	return d
}

func (b Backoff) sleep(ctx context.Context, d time.Duration) error {
	if b.Sleep != nil {
		return b.Sleep(ctx, d)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// do calls fn until it succeeds, fails in a way retrying cannot fix, or
// the attempts are used up. onRetry is told the reason of each retry.
func (b Backoff) do(ctx context.Context, onRetry func(reason string, wait time.Duration, err error), fn func() error) error {
	attempts := max(b.Attempts, 1)
	for attempt := 0; ; attempt++ {
		err := fn()
		if err == nil {
			return nil
		}
		reason := retryReason(err)
		if reason == "" || ctx.Err() != nil || attempt+1 >= attempts {
			return err
		}
		wait := b.delay(attempt, err)
		onRetry(reason, wait, err)
		if serr := b.sleep(ctx, wait); serr != nil {
			return err
		}
	}
}

// retryReason classifies an error worth retrying (rate limits, server
// errors, broken connections and bodies) and returns "" for the others.
func retryReason(err error) string {
	if errors.Is(err, ErrRevoked) || errors.Is(err, ErrNotConnected) || errors.Is(err, ErrClientRejected) ||
		errors.Is(err, ErrNotDelegated) || errors.Is(err, ErrKeyRejected) ||
		errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return ""
	}
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		switch {
		case ge.Code == http.StatusTooManyRequests:
			return ingest.ReasonRateLimited
		case ge.Code == http.StatusForbidden:
			for _, e := range ge.Errors {
				if e.Reason == "rateLimitExceeded" || e.Reason == "userRateLimitExceeded" {
					return ingest.ReasonRateLimited
				}
			}
			return ""
		case ge.Code >= 500:
			return ingest.ReasonServerError
		}
		return ""
	}
	var syntax *json.SyntaxError
	var netErr net.Error
	switch {
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF), errors.As(err, &syntax),
		errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.EPIPE),
		errors.As(err, &netErr):
		return ingest.ReasonNetwork
	}
	return ""
}

// statusOf is the HTTP status of an API error, or 0.
func statusOf(err error) int {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return ge.Code
	}
	return 0
}
