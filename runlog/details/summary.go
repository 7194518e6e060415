package details

import (
	"strings"

	"github.com/opsync/integrationlogs/runlog"
)

// Summary is the Details cell of one row: the start of the error summary and
// the first metrics.
type Summary struct {
	// Text is the error summary with every run of white space folded to one
	// space and the ends trimmed, cut to at most TextRunes characters. It is
	// valid UTF-8 and safe to print: each invalid byte of the stored text is
	// U+FFFD, and so is each control character (NUL included) and each
	// bidirectional formatting character.
	Text string
	// Truncated reports that the summary goes on after Text.
	Truncated bool
	// Metrics are the first CellMetrics members of the metrics object, in
	// document order, duplicate and empty keys included.
	Metrics []Metric
	// MetricsErr is nil when the metrics were read, or absent (no text,
	// or null). Otherwise it is ErrNotObject or ErrMalformedJSON or
	// ErrTooDeep, and Metrics holds the members read before the problem.
	// Summarize reads the metrics only up to the end of the last member it
	// shows, so a problem further on is found by Expand, not here.
	MetricsErr error
}

// Metric is one member of a row's metrics object.
type Metric struct {
	// Key is the member's key, escapes resolved, on one line: white space
	// folds to one space, the ends are trimmed, and control characters and
	// bidirectional formatting characters become U+FFFD. In a Summary it is
	// also cut like a Value.
	Key string
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
	Value string
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
	writeText(&w, e.ErrorSummary)
	var sum Summary
	sum.Truncated = w.cut
	textEnd := w.n

	var ends [CellMetrics][2]int // the end in buf of each metric's key and value
	n := 0
	if !absent(e.Metrics) {
		n, sum.MetricsErr = summarizeMetrics(&w, e.Metrics, &ends)
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
// how many it wrote.
func summarizeMetrics(w *writer, metrics []byte, ends *[CellMetrics][2]int) (int, error) {
	var it items
	if !it.open(metrics, '{') {
		return 0, ErrNotObject
	}
	n := 0
	for n < CellMetrics {
		w.reset(inline, MetricRunes)
		_, ok, err := it.next(w)
		if err != nil || !ok {
			return n, err
		}
		cut(w)
		ends[n][0] = w.n
		w.reset(inline, MetricRunes)
		if _, err := it.value(w); err != nil {
			return n, err
		}
		cut(w)
		ends[n][1] = w.n
		n++
	}
	// The cell is full: check only that the last member it shows ends well.
	return n, it.sep()
}

// cut ends a cut key or value with an ellipsis.
func cut(w *writer) {
	if w.cut {
		add(w, ellipsis)
	}
}
