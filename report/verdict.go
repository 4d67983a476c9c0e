package report

import (
	"github.com/weekmap/weekmap/cal"
	"github.com/weekmap/weekmap/config"
	"github.com/weekmap/weekmap/ingest"
)

// Reasons an event is not counted as work, as Verdict reports them.
const (
	ReasonCancelled       = "cancelled"
	ReasonDeclined        = "declined"
	ReasonWorkingLocation = "working location"
	ReasonBirthday        = "birthday"
	ReasonOutOfOffice     = "out of office"
	ReasonAllDay          = "all-day"
	ReasonFree            = "free"
	ReasonTentative       = "tentative"
	ReasonUnanswered      = "unanswered"
	ReasonIgnored         = "ignored"
)

// disposition is what accounting does with an event's time.
type disposition int

const (
	// asExcluded events leave no trace: their time is neither work nor
	// taken out of working hours.
	asExcluded disposition = iota
	// asWork events count in their category.
	asWork
	// asBlocking events (out of office, ignore) are not work and take their
	// time out of working hours, but never outrank a counted event.
	asBlocking
)

// Verdict reports whether e counts as work under cfg and, if not, why
// (one of the Reason constants). Out-of-office and ignored events are not
// counted, but they do take their time out of working hours.
func Verdict(cfg config.Week, e *Classified) (counted bool, reason string) {
	d, reason := dispose(cfg.Accounting, e)
	return d == asWork, reason
}

// dispose applies SPEC section 5 step 2. The order matters only for which
// reason is shown: an event that is both cancelled and free is "cancelled".
func dispose(a config.Accounting, e *Classified) (disposition, string) {
	switch {
	case e.Status == ingest.StatusCancelled:
		return asExcluded, ReasonCancelled
	case e.MyResponse() == ingest.ResponseDeclined:
		return asExcluded, ReasonDeclined
	case e.EventType == ingest.TypeWorkingLocation:
		return asExcluded, ReasonWorkingLocation
	case e.EventType == ingest.TypeBirthday:
		return asExcluded, ReasonBirthday
	case e.EventType == ingest.TypeOutOfOffice:
		// Before the all-day check: a day off is usually an all-day event,
		// and it is exactly what must take that day out of working hours.
		return asBlocking, ReasonOutOfOffice
	case e.AllDay:
		return asExcluded, ReasonAllDay
	case e.Transparency == ingest.TransparencyTransparent && !a.CountFree:
		return asExcluded, ReasonFree
	case tentative(e) && !a.CountTentative:
		return asExcluded, ReasonTentative
	case e.MyResponse() == ingest.ResponseNeedsAction && !a.CountUnanswered:
		return asExcluded, ReasonUnanswered
	case e.Category == cal.Ignore:
		return asBlocking, ReasonIgnored
	}
	return asWork, ""
}

// tentative covers both an organizer's tentative event and the owner's
// "maybe" answer to an invitation.
func tentative(e *Classified) bool {
	return e.Status == ingest.StatusTentative || e.MyResponse() == ingest.ResponseTentative
}
