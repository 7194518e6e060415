package details

import (
	"encoding/json"

	"github.com/opsync/integrationlogs/runlog"
)

// Card is the full details of one row, for a "View full" hover card or a
// page: the whole error summary, every metric, the exception chain, and the
// row itself with its raw payload and metrics JSON.
//
// It encodes to JSON with the names of its field tags, for an API:
//
//	{"entry": {...}, "error_summary": "...", "metrics": [{"key": "rows", "value": "12"}],
//	 "metrics_error": "...", "exceptions": [{"type": "...", "message": "...", "trace": "..."}],
//	 "more_exceptions": 1, "payload_error": "...", "redacted": 3, "original_size": 1200000}
//
// entry is the row as runlog.Entry encodes it; metrics and exceptions are []
// when empty; metrics_error and payload_error, the text of MetricsErr and
// PayloadErr, are present only when set. Decoding reads every field but
// those two. CopyJSON is the document for a person instead.
type Card struct {
	// Entry is the row as stored: Entry.ErrorPayload and Entry.Metrics are
	// the raw error payload and metrics JSON, whether valid or not.
	Entry runlog.Entry `json:"entry"`
	// ErrorSummary is the whole error summary, cleaned to valid UTF-8 that
	// is safe to print: each invalid byte, each control character other
	// than tab and line feed, and each bidirectional formatting character
	// is U+FFFD, and a carriage return (alone or before a line feed) is one
	// line feed.
	ErrorSummary string `json:"error_summary"`
	// Metrics are all the members of the metrics object in document order,
	// duplicate and empty keys included, objects and arrays indented by two
	// spaces (up to IndentDepth levels).
	Metrics []Metric `json:"metrics"`
	// MetricsErr is nil when the metrics were read, or absent (no text, or
	// null). Otherwise it is ErrNotObject, or ErrMalformedJSON or ErrTooDeep
	// wrapped with the byte offset of the problem; Metrics then holds the
	// members before it.
	MetricsErr error `json:"-"`
	// Exceptions is the exception chain read from the error payload: the
	// thrown exception first, then at most PreviousExceptions previous ones,
	// each caused by the next.
	Exceptions []Exception `json:"exceptions"`
	// MoreExceptions counts the previous exceptions deeper in the chain that
	// Exceptions leaves out, including those the payload itself says it left
	// out (Payload.PreviousOmitted).
	MoreExceptions int `json:"more_exceptions"`
	// PayloadErr is nil when the error payload was read, or absent (no text,
	// or null). Otherwise it is ErrMalformedJSON or ErrTooDeep wrapped with
	// the byte offset of the problem, or ErrNoException, and Exceptions is
	// empty.
	PayloadErr error `json:"-"`
	// Redacted counts the values the writer redacted from the payload, as
	// the payload says (Payload.Redacted); 0 when none or not said.
	Redacted int `json:"redacted"`
	// OriginalSize is the payload's size in bytes before the writer cut it
	// to its size limit, as the payload says (Payload.OriginalSize); 0 when
	// it was not cut.
	OriginalSize int `json:"original_size"`
}

// MarshalJSON encodes c as the type's documentation shows. It never fails.
func (c Card) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Entry          runlog.Entry `json:"entry"`
		ErrorSummary   string       `json:"error_summary"`
		Metrics        []Metric     `json:"metrics"`
		MetricsErr     string       `json:"metrics_error,omitempty"`
		Exceptions     []Exception  `json:"exceptions"`
		MoreExceptions int          `json:"more_exceptions"`
		PayloadErr     string       `json:"payload_error,omitempty"`
		Redacted       int          `json:"redacted"`
		OriginalSize   int          `json:"original_size"`
	}{c.Entry, c.ErrorSummary, nonNil(c.Metrics), errText(c.MetricsErr), nonNil(c.Exceptions),
		c.MoreExceptions, errText(c.PayloadErr), c.Redacted, c.OriginalSize})
}

// Exception is one exception of an error payload's chain. Its text is
// cleaned like Card.ErrorSummary, and Type also folds white space to single
// spaces so it stays on one line.
type Exception struct {
	// Type is the exception's class or type name, such as
	// "*pgconn.PgError" or "Illuminate\\Database\\QueryException"; empty
	// when the payload names none.
	Type string `json:"type"`
	// Message is the exception's message.
	Message string `json:"message"`
	// Trace is the stack trace, one frame per line; empty when none.
	Trace string `json:"trace,omitempty"`
}

// Expand returns the full card of e. It never fails: JSON it cannot read
// is reported in MetricsErr and PayloadErr, and stays available, as
// stored, in Entry.
func Expand(e runlog.Entry) Card {
	c := Card{Entry: e, ErrorSummary: clean(e.ErrorSummary, block)}
	if !absent(e.Metrics) {
		c.Metrics, c.MetricsErr = expandMetrics(e.Metrics)
	}
	if !absent(e.ErrorPayload) {
		readPayload(e.ErrorPayload, &c)
	}
	return c
}

// expandMetrics reads every member of the metrics object, stopping at the
// first problem.
func expandMetrics(metrics []byte) ([]Metric, error) {
	var it items
	if !it.open(metrics, '{') {
		if err := validate(metrics); err != nil {
			return nil, err
		}
		return nil, ErrNotObject
	}
	var list []Metric
	for {
		var key writer
		key.reset(inline, 0)
		_, ok, err := it.next(&key)
		if err != nil {
			return list, at(err, it.s.pos)
		}
		if !ok {
			return list, nil
		}
		raw, err := it.value(nil)
		if err != nil {
			return list, at(err, it.s.pos)
		}
		list = append(list, Metric{Key: string(key.text()), Value: cardValue(raw)})
	}
}

// cardValue returns a JSON value, already validated, as a card shows it: a
// string decoded, an object or array indented (see IndentDepth), anything
// else as written.
func cardValue(raw []byte) string {
	switch raw[0] {
	case '"':
		return decode(raw, block)
	case '{', '[':
		return prettyText(raw)
	}
	return string(raw)
}

// decode returns the JSON string raw, already validated, decoded and
// cleaned by policy p.
func decode(raw []byte, p policy) string {
	var w writer
	w.reset(p, 0)
	s := scanner{data: raw}
	_ = s.str(&w, true)
	return string(w.text())
}

// compact returns the JSON value raw, already validated, as compact JSON,
// strings as written except that invalid UTF-8 becomes U+FFFD.
func compact(raw []byte) string {
	w := writer{buf: make([]byte, len(raw))}
	w.reset(exact, 0)
	s := scanner{data: raw}
	_ = s.value(&w, 0)
	return string(w.text())
}
