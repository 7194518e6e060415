package details

import (
	"strconv"
	"strings"
	"time"

	"github.com/opsync/integrationlogs/runlog"
)

// String renders the card as plain text for a terminal or a log, for
// example:
//
//	Run       #42 · apply / failed
//	Stage     reconcile
//	Status    failed
//	Attempt   2 (retried)
//	Started   2026-11-20T09:00:00Z
//	Finished  2026-11-20T09:00:03Z (took 3s)
//
//	Summary
//	  reconcile: 3 records matched more than one local device
//
//	Metrics
//	  matched: 1187
//	  conflicts: {
//	    "ambiguous": 3
//	  }
//
//	Exceptions
//	  ReconcileError: reconcile: 3 records matched more than one local device
//	    reconcile.(*Matcher).Run
//	    	matcher.go:88
//	  caused by *pgconn.PgError: ERROR: deadlock detected (SQLSTATE 40P01)
//	  … and 2 more previous exceptions
//
// The header always appears; each other section only when it has
// something to show. Stored values that could not be read
// (runlog.Entry.Unreadable) get a section of their own, one line each: the
// field, the stored text quoted and the reason, such as
//
//	Unreadable
//	  started_at "0000-00-00 00:00:00": month out of range
//
// and a time among them shows as "unreadable" in the header. Multi-line values are indented under their section.
// Stored text is shown cleaned, like the card's fields, so the rendering is
// valid UTF-8 and safe to print: it holds no control characters other than
// tabs and line feeds, and no bidirectional formatting characters. When
// the metrics or the payload cannot be read, their section says why and
// shows the stored text as it is (cleaned); a payload that was read is
// shown only as its exception chain. Secrets are shown as stored: String
// is for the operator's terminal; CopyJSON, for pasting, redacts them.
func (c Card) String() string {
	var b strings.Builder
	e := c.Entry
	header := func(name, value string) {
		b.WriteString(name)
		if value != "" {
			b.WriteString(strings.Repeat(" ", 10-len(name)))
			b.WriteString(value)
		}
		b.WriteByte('\n')
	}
	header("Run", clean(e.RunLabel(), inline))
	header("Stage", clean(string(e.Stage), inline))
	header("Status", clean(string(e.Status), inline))
	attempt := strconv.Itoa(e.Attempt)
	if e.Retried() {
		attempt += " (retried)"
	}
	header("Attempt", attempt)
	started := timeText(e.StartedAt)
	if unreadable(e, "started_at") {
		started = "unreadable"
	}
	header("Started", started)
	finished := "not finished"
	if unreadable(e, "finished_at") {
		finished = "unreadable"
	} else if e.FinishedAt != nil {
		finished = timeText(*e.FinishedAt)
		if took := e.FinishedAt.Sub(e.StartedAt); !e.StartedAt.IsZero() && took >= 0 {
			finished += " (took " + took.String() + ")"
		}
	}
	header("Finished", finished)

	section := func(name string) {
		b.WriteString("\n")
		b.WriteString(name)
		b.WriteByte('\n')
	}
	if len(e.Unreadable) > 0 {
		section("Unreadable")
		for _, u := range e.Unreadable {
			indent(&b, "  ", unreadableText(u))
		}
	}
	if strings.TrimSpace(c.ErrorSummary) != "" {
		section("Summary")
		indent(&b, "  ", c.ErrorSummary)
	}
	if len(c.Metrics) > 0 || c.MetricsErr != nil {
		section("Metrics")
		for _, m := range c.Metrics {
			indent(&b, "  ", m.String())
		}
		if c.MetricsErr != nil {
			indent(&b, "  ", "(unreadable: "+c.MetricsErr.Error()+")")
			indent(&b, "  ", clean(string(e.Metrics), block))
		}
	}
	if len(c.Exceptions) > 0 || c.PayloadErr != nil {
		section("Exceptions")
		for i, ex := range c.Exceptions {
			line := ex.Type
			if ex.Message != "" {
				if line != "" {
					line += ": "
				}
				line += ex.Message
			}
			if line == "" {
				line = "(no type or message)"
			}
			if i > 0 {
				line = "caused by " + line
			}
			indent(&b, "  ", line)
			if ex.Trace != "" {
				indent(&b, "    ", ex.Trace)
			}
		}
		if c.MoreExceptions > 0 {
			indent(&b, "  ", "… and "+strconv.Itoa(c.MoreExceptions)+" more previous "+plural(c.MoreExceptions, "exception", "exceptions"))
		}
		if c.Redacted > 0 {
			indent(&b, "  ", strconv.Itoa(c.Redacted)+" "+plural(c.Redacted, "value", "values")+" redacted")
		}
		if c.OriginalSize > 0 {
			indent(&b, "  ", "payload cut from "+sizeText(c.OriginalSize))
		}
		if c.PayloadErr != nil {
			indent(&b, "  ", "(unreadable: "+c.PayloadErr.Error()+")")
			indent(&b, "  ", clean(string(e.ErrorPayload), block))
		}
	}
	return b.String()
}

// unreadable reports whether e lists field among its unreadable values.
func unreadable(e runlog.Entry, field string) bool {
	for _, u := range e.Unreadable {
		if u.Field == field {
			return true
		}
	}
	return false
}

// unreadableText returns one line saying what could not be read: the field,
// the stored text quoted in Go syntax (so every byte of it shows, safely)
// and the reason, such as
//
//	started_at "0000-00-00 00:00:00": month out of range
func unreadableText(u runlog.Unreadable) string {
	stored := "(no text)"
	if u.Stored != "" {
		stored = strconv.QuoteToGraphic(u.Stored)
	}
	line := clean(u.Field, inline) + " " + stored
	if reason := clean(u.Reason, inline); reason != "" {
		line += ": " + reason
	}
	return line
}

// indent writes each line of s to b after prefix.
func indent(b *strings.Builder, prefix, s string) {
	for line := range strings.Lines(s) {
		b.WriteString(prefix)
		b.WriteString(strings.TrimSuffix(line, "\n"))
		b.WriteByte('\n')
	}
}

// timeText returns t in RFC 3339, or "unknown" for the zero time.
func timeText(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.Format(time.RFC3339)
}

// sizeText returns a size in bytes for people to read, in SI units:
// "512 bytes", "1.2 MB".
func sizeText(n int) string {
	if n < 1000 {
		return strconv.Itoa(n) + " " + plural(n, "byte", "bytes")
	}
	v := float64(n) / 1000
	unit := 0
	units := []string{"kB", "MB", "GB", "TB", "PB", "EB"}
	for v >= 999.95 && unit < len(units)-1 {
		v /= 1000
		unit++
	}
	return strconv.FormatFloat(v, 'f', 1, 64) + " " + units[unit]
}

// plural returns one or many after n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
