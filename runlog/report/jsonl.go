package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"unicode/utf8"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/redact"
)

// jsonRow is the object WriteJSONL writes for one row.
type jsonRow struct {
	ID                  int64               `json:"id"`
	InstanceID          int64               `json:"instance_id"`
	RunID               int64               `json:"run_id"`
	Mode                runlog.Mode         `json:"mode"`
	RunStatus           runlog.RunStatus    `json:"run_status"`
	Stage               runlog.Stage        `json:"stage"`
	Status              runlog.Status       `json:"status"`
	Attempt             int                 `json:"attempt"`
	StartedAt           *string             `json:"started_at"`
	FinishedAt          *string             `json:"finished_at"`
	ErrorSummary        string              `json:"error_summary"`
	ErrorPayload        json.RawMessage     `json:"error_payload"`
	ErrorPayloadInvalid bool                `json:"error_payload_invalid,omitempty"`
	Metrics             json.RawMessage     `json:"metrics"`
	MetricsInvalid      bool                `json:"metrics_invalid,omitempty"`
	Clipped             bool                `json:"clipped,omitempty"`
	Unreadable          []runlog.Unreadable `json:"unreadable,omitempty"`
}

// WriteJSONL writes entries to w as JSON Lines: one JSON object per row,
// each followed by a newline, and returns how many rows it wrote. It reads
// entries one at a time and holds none after writing it, so any number of
// rows can be exported from an iterator such as the store's.
//
// Each object has these members, in this order, whatever the stored data:
//
//	{"id":1001,"instance_id":7,"run_id":42,"mode":"apply","run_status":"failed",
//	 "stage":"reconcile","status":"failed","attempt":1,
//	 "started_at":"2026-11-20T09:00:00Z","finished_at":null,
//	 "error_summary":"...","error_payload":null,"metrics":{"matched":1201}}
//
// (shown here over several lines; each is written on one). They are the
// members of runlog.Entry's JSON encoding, in its order, so that each line
// decodes into a runlog.Entry with encoding/json, with two differences: the
// times are always in UTC, and stored text that is not valid JSON, which
// both write as a JSON string holding it, is flagged here by
// "error_payload_invalid": true or "metrics_invalid": true after it, so
// that it cannot be taken for stored JSON that is a string.
//
// started_at and finished_at are RFC 3339 in UTC, with fractional seconds
// when there are any, or null for a zero start time and a stage that has
// not finished. error_payload and metrics are the stored JSON, compacted,
// or null when nothing is stored. "clipped": true and "unreadable": [...]
// follow when the row has them (see runlog.Entry). The output is UTF-8:
// invalid bytes in stored text become U+FFFD. HTML characters are not
// escaped.
//
// Every row is redacted first, as WriteCSV redacts it: the error summary,
// the error payload, the metrics and the stored text of unreadable values,
// by redact.Default.
//
// An error from entries stops the export: WriteJSONL writes out the rows
// before it and returns the error as it is. An error writing to w is
// returned wrapped; the rows counted then include those buffered when it
// happened.
func WriteJSONL(w io.Writer, entries iter.Seq2[runlog.Entry, error]) (int64, error) {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	enc.SetEscapeHTML(false)
	r := redact.Default()
	var n int64
	for e, err := range entries {
		if err != nil {
			_ = bw.Flush()
			return n, err
		}
		if err := enc.Encode(jsonOf(redacted(r, e))); err != nil {
			return n, fmt.Errorf("report: write JSON Lines: %w", err)
		}
		n++
	}
	if err := bw.Flush(); err != nil {
		return n, fmt.Errorf("report: write JSON Lines: %w", err)
	}
	return n, nil
}

// jsonOf returns the object WriteJSONL writes for e.
func jsonOf(e runlog.Entry) jsonRow {
	r := jsonRow{
		ID: e.ID, InstanceID: e.InstanceID, RunID: e.RunID, Mode: e.Mode, RunStatus: e.RunStatus,
		Stage: e.Stage, Status: e.Status, Attempt: e.Attempt, ErrorSummary: e.ErrorSummary,
		Clipped: e.Clipped, Unreadable: e.Unreadable,
	}
	if !e.StartedAt.IsZero() {
		s := exportTime(e.StartedAt)
		r.StartedAt = &s
	}
	if e.FinishedAt != nil {
		s := exportTime(*e.FinishedAt)
		r.FinishedAt = &s
	}
	r.Metrics, r.MetricsInvalid = embed(e.Metrics)
	r.ErrorPayload, r.ErrorPayloadInvalid = embed(e.ErrorPayload)
	return r
}

// null is JSON's null.
var null = json.RawMessage("null")

// embed returns stored JSON ready to embed in an object: null when absent,
// the text itself when it is valid JSON (encoding/json compacts it), and
// otherwise a JSON string holding it, with invalid true.
func embed(raw []byte) (doc json.RawMessage, invalid bool) {
	trimmed := trimJSON(raw)
	if len(trimmed) == 0 {
		return null, false
	}
	if !json.Valid(trimmed) {
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(string(raw)) // every string encodes
		return bytes.TrimSuffix(b.Bytes(), []byte("\n")), true
	}
	if !utf8.Valid(trimmed) {
		// Only strings can hold invalid UTF-8 in valid JSON, and U+FFFD
		// is valid in them.
		trimmed = bytes.ToValidUTF8(trimmed, []byte("\uFFFD"))
	}
	return trimmed, false
}
