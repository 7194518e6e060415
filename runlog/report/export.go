package report

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/redact"
)

// exportTime writes a time for the exports: RFC 3339 in UTC, with
// fractional seconds when there are any.
func exportTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// valid returns s with each invalid UTF-8 byte replaced by U+FFFD.
func valid(s string) string {
	if utf8.ValidString(s) { // much faster on ASCII than ToValidUTF8
		return s
	}
	return strings.ToValidUTF8(s, "\uFFFD")
}

// redacted returns e with the secrets in its stored text replaced by
// redact.Marker, by r: the error summary as text, the metrics and the error
// payload as JSON (as text where they are not valid JSON), and the stored
// text of its unreadable values. e's own slices are not written to.
func redacted(r *redact.Redactor, e runlog.Entry) runlog.Entry {
	e.ErrorSummary, _ = r.String(e.ErrorSummary)
	if len(e.Metrics) > 0 {
		e.Metrics, _ = r.JSON(e.Metrics)
	}
	if len(e.ErrorPayload) > 0 {
		e.ErrorPayload, _ = r.JSON(e.ErrorPayload)
	}
	if len(e.Unreadable) > 0 {
		e.Unreadable = slices.Clone(e.Unreadable)
		for i := range e.Unreadable {
			e.Unreadable[i].Stored, _ = r.String(e.Unreadable[i].Stored)
		}
	}
	return e
}
