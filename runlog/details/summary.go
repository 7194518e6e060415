package details

import (
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/opsync/integrationlogs/runlog"
)

// Summary is the Details cell of one row: the start of the error summary and
// the first metrics.
//
// It encodes to JSON as
//
//	{"text": "...", "truncated": true, "metrics": [{"key": "rows", "value": "12"}], "metrics_error": "..."}
//
// metrics is [] when there are none; metrics_error, the text of MetricsErr,
// is present only when MetricsErr is set. Decoding reads every field but
// metrics_error, as an error's text does not give the error back.
type Summary struct {
	// Text is the error summary with every run of white space folded to one
	// space and the ends trimmed, cut to at most TextRunes characters. It is
	// valid UTF-8 and safe to print: each invalid byte of the stored text is
	// U+FFFD, and so is each control character (NUL included) and each
	// bidirectional formatting character.
	Text string `json:"text"`
	// Truncated reports that the summary goes on after Text. For a clipped
	// entry (runlog.Entry.Clipped) it is also set when Text fills the cell
	// (TextRunes characters), since the stored text may go on after what
	// was read.
	Truncated bool `json:"truncated"`
	// Metrics are the first CellMetrics members of the metrics object, in
	// document order, duplicate and empty keys included.
	Metrics []Metric `json:"metrics"`
	// MetricsErr is nil when the metrics were read, or absent (no text,
	// or null). Otherwise it is ErrNotObject or ErrMalformedJSON or
	// ErrTooDeep, and Metrics holds the members read before the problem.
	// Summarize reads the metrics only up to the end of the last member it
	// shows, so a problem further on is found by Expand, not here. For a
	// clipped entry, metrics that end too soon are no problem (see
	// Summarize).
	MetricsErr error `json:"-"`
}

// MarshalJSON encodes s as the type's documentation shows. It never fails.
func (s Summary) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Text       string   `json:"text"`
		Truncated  bool     `json:"truncated"`
		Metrics    []Metric `json:"metrics"`
		MetricsErr string   `json:"metrics_error,omitempty"`
	}{s.Text, s.Truncated, nonNil(s.Metrics), errText(s.MetricsErr)})
}

// nonNil returns list, or an empty list for nil, so that it encodes as [].
func nonNil[T any](list []T) []T {
	if list == nil {
		return []T{}
	}
	return list
}

// Metric is one member of a row's metrics object. It encodes to JSON as
// {"key": "...", "value": "..."}.
type Metric struct {
	// Key is the member's key, escapes resolved, on one line: white space
	// folds to one space, the ends are trimmed, and control characters and
	// bidirectional formatting characters become U+FFFD. In a Summary it is
	// also cut like a Value.
	Key string `json:"key"`
	// Value is the member's value as text. A string is shown without its
	// quotes and with its escapes resolved; a number, true, false and null
	// exactly as written ("1e21" stays "1e21"); an object or array as JSON,
	// compact in a Summary and indented by two spaces in a Card (see
	// IndentDepth).
	//
	// In a Summary, white space in a key or value folds to one space and
	// control and bidirectional formatting characters become U+FFFD, as in
	// Summary.Text, and a key or value longer than MetricRunes characters is
	// cut and ends in "…". In a Card a string value keeps its lines and tabs
	// (other control characters and bidirectional formatting characters
	// become U+FFFD), and in an object or array such characters are written
	// as JSON escapes (\u009b), so the JSON means what is stored and is safe
	// to print.
	Value string `json:"value"`
}

// String returns the metric as "key: value". An empty key is shown as "".
func (m Metric) String() string {
	key := m.Key
	if key == "" {
		key = `""`
	}
	return key + ": " + m.Value
}

// separator stands between the parts of a Details cell.
const separator = " · "

// String renders the whole cell on one line: the text, followed by "…" when
// it was truncated, then each metric as "key: value", and "metrics
// unreadable" when MetricsErr is set, the parts separated by " · ". For
// example:
//
//	Connection refused by 10.0.0.7:5432 while reading dev… · rows_read: 1200 · batches: {"done":4,"failed":1}
func (s Summary) String() string {
	var b strings.Builder
	part := func(p string) {
		if b.Len() > 0 {
			b.WriteString(separator)
		}
		b.WriteString(p)
	}
	b.WriteString(s.Text)
	if s.Truncated {
		b.WriteString(ellipsis)
	}
	for _, m := range s.Metrics {
		part(m.String())
	}
	if s.MetricsErr != nil {
		part("metrics unreadable")
	}
	return b.String()
}

// Summarize returns the Details cell of e. It never fails: metrics it cannot
// read are left out and reported in MetricsErr.
//
// A clipped entry (runlog.Entry.Clipped, as list pages read rows) holds only
// the start of its stored error summary and metrics, cut wherever the reader
// stopped. Summarize then takes an end that comes too soon for the cut it
// is: in the metrics, the members read in full are shown; a member cut
// within its value is shown with what was read and "…" (so is a number that
// runs to the cut, which may have gone on); a member cut within its key, or
// before any of its value could be shown, is left out; and MetricsErr stays
// nil. A syntax error before the cut is
// still reported. A UTF-8 sequence split by the cut is dropped rather than
// shown as U+FFFD, and Truncated is set when the text fills the cell.
//
// Its cost does not grow with the length of the error summary beyond what
// the cell shows, nor with the metrics beyond the members it shows; it
// makes at most two allocations.
func Summarize(e runlog.Entry) Summary {
	// Everything the cell shows is written into one buffer on the stack,
	// large enough for any cell, and becomes one string, which Text, the
	// keys and the values share.
	var buf [cellBytes]byte
	w := writer{buf: buf[:]}
	w.reset(inline, TextRunes)
	summary, metrics := e.ErrorSummary, []byte(e.Metrics)
	if e.Clipped {
		summary, metrics = splitRune(summary), splitRune(metrics)
	}
	writeText(&w, summary)
	var sum Summary
	sum.Truncated = w.cut || e.Clipped && w.runes == TextRunes
	textEnd := w.n

	var ends [CellMetrics][2]int // the end in buf of each metric's key and value
	n := 0
	if !absent(metrics) {
		n, sum.MetricsErr = summarizeMetrics(&w, metrics, e.Clipped, &ends)
	}

	text := string(w.text())
	sum.Text = text[:textEnd]
	if n > 0 {
		sum.Metrics = make([]Metric, n)
		start := textEnd
		for i := range n {
			sum.Metrics[i] = Metric{Key: text[start:ends[i][0]], Value: text[ends[i][0]:ends[i][1]]}
			start = ends[i][1]
		}
	}
	return sum
}

// summarizeMetrics writes the keys and values of the first CellMetrics
// members of the metrics object to w, records where each ends, and returns
// how many it wrote. With clipped, the metrics may end too soon, as
// Summarize describes.
func summarizeMetrics(w *writer, metrics []byte, clipped bool, ends *[CellMetrics][2]int) (int, error) {
	var it items
	if !it.open(metrics, '{') {
		return 0, ErrNotObject
	}
	n := 0
	for n < CellMetrics {
		start := w.n
		w.reset(inline, MetricRunes)
		_, ok, err := it.next(w)
		if err != nil || !ok {
			if clipped && it.s.ended(err) {
				w.n, err = start, nil // the key was cut: leave the member out
			}
			return n, err
		}
		cut(w)
		ends[n][0] = w.n
		w.reset(inline, MetricRunes)
		raw, err := it.value(w)
		if clipped && it.s.ended(err) && w.n == ends[n][0] {
			w.n = start // cut before any of the value: leave the member out
			return n, nil
		}
		if clipped && (it.s.ended(err) || err == nil && it.s.pos == len(metrics) && isNumber(raw)) {
			// The value was cut, or may have been: show what was read.
			w.cut, err = true, nil
		}
		if err != nil {
			return n, err
		}
		cut(w)
		ends[n][1] = w.n
		n++
	}
	// The cell is full: check only that the last member it shows ends well.
	if err := it.sep(); err != nil && !(clipped && it.s.ended(err)) {
		return n, err
	}
	return n, nil
}

// isNumber reports whether raw starts a JSON number.
func isNumber(raw []byte) bool {
	return len(raw) > 0 && (raw[0] == '-' || raw[0] >= '0' && raw[0] <= '9')
}

// splitRune returns p without the UTF-8 sequence that a cut split at its
// end, if any: the start of a multi-byte sequence missing its last bytes.
func splitRune[T string | []byte](p T) T {
	for i := len(p) - 1; i >= 0 && i > len(p)-utf8.UTFMax; i-- {
		c := p[i]
		if !utf8.RuneStart(c) {
			continue // a continuation byte: look for its start
		}
		need := 1
		switch {
		case c >= 0xf0 && c <= 0xf4:
			need = 4
		case c >= 0xe0 && c <= 0xef:
			need = 3
		case c >= 0xc2 && c <= 0xdf:
			need = 2
		}
		if len(p)-i < need {
			return p[:i]
		}
		return p
	}
	return p
}

// cut ends a cut key or value with an ellipsis.
func cut(w *writer) {
	if w.cut {
		add(w, ellipsis)
	}
}
