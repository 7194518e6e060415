package redact

import (
	"slices"

	"github.com/opsync/integrationlogs/runlog"
)

// Entry returns e with the secrets of its stored text replaced by Marker:
// the error summary as text, the metrics and the error payload as JSON (as
// text where they are not valid JSON), and the stored text of its
// unreadable values; and how many values it replaced. e's own slices are
// not written to.
func (r *Redactor) Entry(e runlog.Entry) (runlog.Entry, int) {
	var n, k int
	e.ErrorSummary, n = r.String(e.ErrorSummary)
	if len(e.Metrics) > 0 {
		e.Metrics, k = r.JSON(e.Metrics)
		n += k
	}
	if len(e.ErrorPayload) > 0 {
		e.ErrorPayload, k = r.JSON(e.ErrorPayload)
		n += k
	}
	if len(e.Unreadable) > 0 {
		e.Unreadable = slices.Clone(e.Unreadable)
		for i := range e.Unreadable {
			e.Unreadable[i].Stored, k = r.String(e.Unreadable[i].Stored)
			n += k
		}
	}
	return e, n
}
