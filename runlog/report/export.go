package report

import (
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
// redact.Marker, by r (see redact.Redactor.Entry).
func redacted(r *redact.Redactor, e runlog.Entry) runlog.Entry {
	e, _ = r.Entry(e)
	return e
}
