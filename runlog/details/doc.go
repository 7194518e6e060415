// Package details renders what a stage row says about itself: the Details
// cell of a Logs table (Summarize), and the full card behind it (Expand).
// It imports only the standard library.
//
// # The Details cell
//
// Summarize gives a Summary: the first TextRunes (120) characters of the
// row's error summary, with runs of white space folded to one space and the
// ends trimmed, and the first CellMetrics (2) members of its metrics object
// in document order. Summary.String joins them on one line with " · ":
//
//	Connection refused by 10.0.0.7:5432 while reading dev… · rows_read: 1200 · batches: {"done":4}
//
// Text never splits a UTF-8 sequence. Each invalid byte becomes U+FFFD, and
// so does each control character (C0, NUL included; DEL; C1) and each
// bidirectional formatting character (U+061C, U+200E, U+200F, U+202A to
// U+202E, U+2066 to U+2069), so a cell is always valid UTF-8 and safe to
// print: nothing in it can move a terminal's cursor, clear a screen or
// reorder the text that follows. A string metric is shown without its
// quotes, a number exactly as written ("1e21" and "12345678901234567890"
// stay as they are), true, false and null as such, and an object or array
// as compact JSON; a key or value is cut at MetricRunes (60) characters,
// ending in "…", so a megabyte-long value cannot swamp the cell.
//
// The rows of a list page may be clipped (runlog.Entry.Clipped): the store
// read only the start of their summary and metrics. Summarize takes such a
// cut for what it is, not for malformed JSON: it shows the members it
// read, a value cut short ending in "…", and marks the text truncated when
// it fills the cell (see Summarize).
//
// Summarize is built for a table of many rows: it reads the error summary
// only as far as the cell shows, reads the metrics only up to the end of
// the last member it shows, with a small scanner of its own that validates
// as it goes and never recurses, and makes at most two allocations. Its
// cost is the same for a 10 MB summary or a 4,000-member object as for a
// short one; only white space, which the cell collapses, is read past
// (a list page's clipped rows hold at most sqlstore.ListSummaryChars of it).
//
// # The card
//
// Expand gives a Card: the whole error summary, every metric in document
// order (objects and arrays indented by two spaces, IndentDepth levels
// deep at most), the exception chain
// read from the error payload, and the row itself, whose ErrorPayload and
// Metrics hold the raw JSON as stored. Card.String renders it as plain
// text for a terminal; Card.CopyJSON as one JSON document for a ticket.
// Both say which stored values the store could not read
// (runlog.Entry.Unreadable), and how many values the writer redacted from
// the payload and the size it cut it from, when the payload says so.
//
// Summary and Card also encode to JSON for an API (Summary.MarshalJSON,
// Card.MarshalJSON), errors as their text; that never fails either.
//
// Expand reads each stored byte a small, fixed number of times, so its cost
// follows the size of what is stored, whatever its shape: a 10 MB payload
// whose exceptions nest 999 levels deep costs what the same 10 MB in one
// flat list does.
//
// # The error payload
//
// This library's recorder stores errors in the shape of Payload (build one
// with NewPayload): the thrown error's type, message and trace, the errors
// that caused it, nearest first, under "previous" (at most
// PreviousExceptions of them), and how many deeper ones were left out under
// "previous_omitted". NewPayload walks errors.Unwrap chains and the trees
// errors.Join makes, and with WithStack records a stack trace with each
// error, its own when it carries one (github.com/pkg/errors,
// github.com/cockroachdb/errors). The writer adds "redacted", how many
// secrets it replaced, and "original_size", the size it cut the payload
// from; the card shows both.
//
// Expand also reads the shapes PHP and Laravel systems write: the type may
// be under "type", "class" or "exception" (a string), the trace under
// "trace", "stack" or "stacktrace", as a string or a list of frames (shown
// one per line; PHP frame objects read "Class->function() at file:line"),
// and "previous" may be one nested exception object, itself with a
// "previous", to any depth up to MaxDepth, or a list of exceptions, nearest
// first (whose own "previous" fields are not followed). An exception object
// logged under an "exception" field is read in its wrapper's place. Field
// names are matched without regard to case; when a name appears twice the
// first wins. A bare JSON string, as a payload or a previous exception, is
// read as a message; a previous exception that is some other value, or an
// object without any of these fields, is shown as its JSON. The card keeps
// the thrown exception and PreviousExceptions (5) previous ones;
// Card.MoreExceptions counts the rest.
//
// # Bad input
//
// Summarize and Expand never fail and nothing in this package panics,
// whatever is stored. Metrics that are not a JSON object give no metrics,
// malformed JSON gives
// what was read before the problem, and JSON nested deeper than MaxDepth
// (1000) levels is not read; each case is reported in MetricsErr or
// PayloadErr (ErrNotObject, ErrMalformedJSON, ErrTooDeep, ErrNoException)
// and the stored text stays available in the card. Duplicate and empty
// keys are shown as they are. Every string the package returns is valid
// UTF-8.
package details
