package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/details"
	"github.com/opsync/integrationlogs/runlog/redact"
)

// csvHeader is the header line of WriteCSV.
var csvHeader = func() []string {
	var h []string
	for _, c := range runlog.Columns() {
		h = append(h, string(c))
	}
	return append(h, "id", "run_id", "error_summary", "metrics_json", "error_payload")
}()

// WriteCSV writes entries to w as CSV, one line per row after a header, and
// returns how many rows it wrote (the header not counted). It reads entries
// one at a time and holds none after writing it, so any number of rows can
// be exported from an iterator such as the store's.
//
// The columns are those of the Logs table, in order (runlog.Columns: Run,
// Stage, Status, Attempt, Started, Finished, Details), then the raw ones:
// id, run_id, error_summary, metrics_json and error_payload.
//
//   - Run is Entry.RunLabel ("#42 · apply / failed"), Details the Details
//     cell (details.Summarize(e).String()), Stage and Status the values
//     as stored.
//   - Started and Finished are RFC 3339 in UTC, with fractional seconds
//     when there are any; empty for a zero start time and for a stage that
//     has not finished.
//   - error_summary, metrics_json and error_payload are the stored text,
//     whether valid JSON or not, redacted (see below).
//
// The output is RFC 4180 CSV, written by encoding/csv: a field holding a
// comma, a quote or a line break is quoted, with quotes doubled. Lines end
// in CRLF, as RFC 4180 has them, and so do the line breaks inside fields:
// a lone LF or CR in stored text is written as CRLF. The text is UTF-8:
// each invalid byte is written as U+FFFD.
//
// A text field that starts with "=", "+", "-", "@", a tab, a carriage
// return or NUL is written with a "'" before it, so that a spreadsheet
// shows it as text instead of running it as a formula (OWASP's advice on
// CSV injection). The numbers the export writes itself (Attempt, id,
// run_id) are never prefixed, negative ones included: a spreadsheet reads
// "-3" as the number −3, not as a formula.
//
// Exports leave the host, and rows written by other systems may hold
// credentials, so every row is redacted first by redact.Default, as
// details.Card.CopyJSON redacts a card: the error summary as text
// (redact.Redactor.String), the metrics and the error payload as JSON
// (redact.Redactor.JSON, which redacts text that is not valid JSON as
// text), each secret replaced by redact.Marker. The Details cell is that of
// the redacted row.
//
// An error from entries stops the export: WriteCSV writes out the rows
// before it and returns the error as it is. An error writing to w is
// returned wrapped; the rows counted then include those buffered when it
// happened.
func WriteCSV(w io.Writer, entries iter.Seq2[runlog.Entry, error]) (int64, error) {
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(csvHeader); err != nil {
		return 0, fmt.Errorf("report: write CSV: %w", err)
	}
	r := redact.Default()
	var n int64
	record := make([]string, len(csvHeader))
	for e, err := range entries {
		if err != nil {
			cw.Flush()
			return n, err
		}
		csvRecord(record, redacted(r, e))
		if err := cw.Write(record); err != nil {
			return n, fmt.Errorf("report: write CSV: %w", err)
		}
		n++
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return n, fmt.Errorf("report: write CSV: %w", err)
	}
	return n, nil
}

// csvRecord fills record with the fields of e.
func csvRecord(record []string, e runlog.Entry) {
	started, finished := "", ""
	if !e.StartedAt.IsZero() {
		started = exportTime(e.StartedAt)
	}
	if e.FinishedAt != nil {
		finished = exportTime(*e.FinishedAt)
	}
	record[0] = csvText(e.RunLabel())
	record[1] = csvText(string(e.Stage))
	record[2] = csvText(string(e.Status))
	record[3] = strconv.Itoa(e.Attempt)
	record[4] = csvText(started) // a year before 1 starts with "-"
	record[5] = csvText(finished)
	record[6] = csvText(details.Summarize(e).String())
	record[7] = strconv.FormatInt(e.ID, 10)
	record[8] = strconv.FormatInt(e.RunID, 10)
	record[9] = csvText(e.ErrorSummary)
	record[10] = csvText(string(e.Metrics))
	record[11] = csvText(string(e.ErrorPayload))
}

// csvText returns stored text as a CSV field: valid UTF-8, prefixed with
// "'" when a spreadsheet could take it for a formula, and with every line
// break an LF, which encoding/csv writes as CRLF.
func csvText(s string) string {
	s = valid(s)
	if s != "" && strings.IndexByte("=+-@\t\r\x00", s[0]) >= 0 {
		s = "'" + s
	}
	if strings.IndexByte(s, '\r') >= 0 {
		s = strings.ReplaceAll(s, "\r\n", "\n")
		s = strings.ReplaceAll(s, "\r", "\n")
	}
	return s
}
