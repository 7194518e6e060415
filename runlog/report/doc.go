// Package report answers the questions operators bring to the Logs tab and
// builds the reports teams make from run logs. It imports only the standard
// library and this module's packages.
//
// # Comparing two runs
//
// Compare sets the stage rows of two runs side by side, "my counts are
// different from last week": for each stage in pipeline order, every
// numeric metric of both runs with its difference, the keys only one run
// has, and the stages only one run recorded. A retried stage is compared by
// its last attempt. Members of nested objects are compared under dotted
// keys ("dropped.missing_serial"); arrays, strings, booleans and null are
// listed as not compared.
//
// Numbers keep the form they were written in: Before, After and Delta are
// json.Number, so "1.50" stays "1.50" and an integer beyond 2^53 stays
// exact. Deltas of integers are worked out with math/big, exactly, however
// large; deltas of decimals exactly in decimal ("0.3" − "0.1" is "0.2",
// never 0.19999999999999998). Comparison.String renders an aligned text
// table, and a Comparison encodes to JSON.
//
// # Run insights
//
// Insights is the latest-run view that sits beside the Logs tab: the run's
// status badge, one card per stage in pipeline order (with its status,
// attempts, duration, error and metrics; a stage the run has not recorded
// is shown as such), the create and update decision counts and the open
// problems from the run summary, and the top reason codes of the decide
// stage. The run summary keys it reads are listed with SummaryCreates; it
// reads them leniently, and notes what it could not read. A run whose rows
// were purged still shows its summary. RunInsights.String renders it as
// text, and a RunInsights encodes to JSON.
//
// # Reason-code tallies
//
// Tally sums the reason codes of the decide rows of one run or of many,
// read from an iterator one row at a time, and ranks them as reason.Top
// does. A decide row whose reason codes cannot be read is skipped and
// reported, with the counts of the others, in an error wrapping
// ErrSkippedRows.
//
// # Export
//
// WriteCSV and WriteJSONL export stage rows from an iterator, such as the
// store's, one row at a time: memory stays flat however many rows there
// are. The CSV has the Logs table's columns, then the raw ones, quoted as
// RFC 4180 has it and guarded against formula injection; each JSON Lines
// object has the row's fields under runlog.Entry's names, its stored JSON
// embedded. Both are UTF-8 whatever the stored bytes, and both redact each
// row with redact.Default first, as details.Card.CopyJSON does: an export
// leaves the host, and must not carry the credentials stored text can hold.
//
// # Bad input
//
// Nothing in this package panics or fails on what a row holds: metrics
// that are not valid JSON, not an object, nested too deep or holding
// numbers too long to subtract are noted where they were found, and every
// text rendering is valid UTF-8 with control characters shown as U+FFFD.
// JSON is read by encoding/json, so what counts as valid JSON is what it
// accepts.
package report
