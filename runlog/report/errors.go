package report

import "errors"

// ErrSkippedRows is returned, wrapped, by Tally along with the counts of
// the rows it could read, when some decide rows' reason codes could not be
// read. Test for it with errors.Is; the error also wraps the first row's
// own error (reason.ErrMalformedMetrics).
var ErrSkippedRows = errors.New("report: rows skipped")
