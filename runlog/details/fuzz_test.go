package details

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/opsync/integrationlogs/runlog"
)

// nastyRows are the seed corpus of the fuzz targets: summaries, metrics and
// payloads that have broken renderers before.
var nastyRows = []struct {
	summary          string
	metrics, payload string
}{
	{"", "", ""},
	{"Connection refused", `{"rows": 12, "errors": {"a": 1}}`, `{"type":"E","message":"m","previous":[{"type":"P","message":"p"}],"previous_omitted":3}`},
	{"  folded \t\r\n  text  ", `{"zeta": 1e21, "alpha": 12345678901234567890, "c": -0.0}`, `{"message":"x","exception":"C","trace":[{"file":"f.php","line":1,"class":"K","type":"::","function":"f"},"#1 {main}"]}`},
	{"NUL\x00 ESC\x1b[2J DEL\x7f C1\u0085\u0090", "{\"\x00\": \"\\u0000\", \"\": \"\"}", "{\"message\":\"\\u0000\\u001b\"}"},
	{"bidi \u202eevil\u202c \u2066x\u2069 \u200f\u061c", "{\"k\u202e\": {\"s\": \"a\u009b2J\u202e\x7f\"}, \"t\": \"\u2066\"}", "{\"type\":\"T\u202e\",\"message\":\"m\u2067\",\"trace\":[\"f\u200e\"]}"},
	{"invalid \xff\xfe\xe2\x82 bytes", "{\"\xff\": \"\xfe\"}", "\"\xff\""},
	{strings.Repeat("日本語 ", 100), `{"a": "` + strings.Repeat("é", 200) + `"}`, `"bare string payload"`},
	{strings.Repeat("x", 119) + "  y", `{"a": 1, "a": 2, "a": 3}`, `{"message":"first","message":"second"}`},
	{"surrogates", `{"s": "\ud83d\ude00 \ud800 \udc00 \ud83d\u0041"}`, `{"type":"\ud800"}`},
	{"not objects", `[1, 2, 3]`, `[{"message":"m"}]`},
	{"garbage", `rows=12`, `<html>500</html>`},
	{"truncated", `{"a": 1, "b": [1,`, `{"message": "cut`},
	{"trailing", `{"a": 1} x`, `{"message": "m"} {}`},
	{"deep", `{"a": ` + strings.Repeat("[", 1500) + strings.Repeat("]", 1500) + `}`, strings.Repeat(`{"previous":`, 1500) + "null" + strings.Repeat("}", 1500)},
	{"deep ok", `{"a": ` + strings.Repeat(`{"b":`, 999) + "1" + strings.Repeat("}", 999) + `}`, laravelChainOf(40)},
	{"empty key", `{"": 0, " ": 1, "\t": 2}`, `{"Message":"case","CLASS":"Upper","Stack":"s"}`},
	{"literals", `{"t": true, "f": false, "n": null, "arr": [true, false, null, "x", {"y": []}]}`, `null`},
	{"whitespace metrics", " \n\t{ \"a\" : 1 } \n", ` {"message": "padded"} `},
	{"exception object", `{}`, `{"message":"Job failed","exception":{"class":"PDOException","message":"gone","previous":{"class":"R","message":"r"}}}`},
}

// laravelChainOf returns a payload whose previous exceptions nest n deep.
func laravelChainOf(n int) string {
	return strings.Repeat(`{"class":"E","message":"m","previous":`, n+1) + "null" + strings.Repeat("}", n+1)
}

func FuzzSummarize(f *testing.F) {
	for _, row := range nastyRows {
		f.Add(row.summary, []byte(row.metrics))
	}
	f.Fuzz(func(t *testing.T, summary string, metrics []byte) {
		e := runlog.Entry{ErrorSummary: summary, Metrics: metrics}
		s := Summarize(e)

		if n := utf8.RuneCountInString(s.Text); n > TextRunes || !utf8.ValidString(s.Text) {
			t.Fatalf("Text %q: %d runes, valid UTF-8 %v", s.Text, n, utf8.ValidString(s.Text))
		}
		wantText, wantCut := cleanPlainly(summary, inline, TextRunes)
		if s.Text != wantText || s.Truncated != wantCut {
			t.Fatalf("Text, Truncated = %q, %v; want %q, %v", s.Text, s.Truncated, wantText, wantCut)
		}
		if len(s.Metrics) > CellMetrics {
			t.Fatalf("%d metrics, want at most %d", len(s.Metrics), CellMetrics)
		}
		for _, m := range s.Metrics {
			checkCellText(t, m.Key)
			checkCellText(t, m.Value)
		}
		if s.MetricsErr != nil && !errors.Is(s.MetricsErr, ErrNotObject) &&
			!errors.Is(s.MetricsErr, ErrMalformedJSON) && !errors.Is(s.MetricsErr, ErrTooDeep) {
			t.Fatalf("MetricsErr = %v", s.MetricsErr)
		}
		_ = s.String()

		// Valid metrics cut anywhere, as a list page reads them, are no error.
		if json.Valid(metrics) {
			k := len(summary) % (len(metrics) + 1)
			clipped := Summarize(runlog.Entry{ErrorSummary: summary, Metrics: metrics[:k], Clipped: true})
			if errors.Is(clipped.MetricsErr, ErrMalformedJSON) {
				t.Fatalf("metrics %q cut to %q: %v", metrics, metrics[:k], clipped.MetricsErr)
			}
			if n := utf8.RuneCountInString(clipped.Text); n == TextRunes && !clipped.Truncated {
				t.Fatalf("clipped Text fills the cell, yet Truncated is false")
			}
		}

		// The cell reads a prefix of what the card reads.
		c := Expand(e)
		if s.MetricsErr != nil && c.MetricsErr == nil {
			t.Fatalf("Summarize found %v, Expand nothing", s.MetricsErr)
		}
		if c.MetricsErr == nil {
			if s.MetricsErr != nil || len(s.Metrics) != min(CellMetrics, len(c.Metrics)) {
				t.Fatalf("Summarize gave %d metrics (%v), Expand %d", len(s.Metrics), s.MetricsErr, len(c.Metrics))
			}
			for i, m := range s.Metrics {
				key, cut := cleanPlainly(c.Metrics[i].Key, inline, MetricRunes)
				if cut {
					key += ellipsis
				}
				if m.Key != key {
					t.Fatalf("metric %d: key %q in the cell, %q in the card", i, m.Key, c.Metrics[i].Key)
				}
			}
		}
	})
}

// checkCellText fails unless s is valid UTF-8 on one line, without control
// characters, at most MetricRunes runes and an ellipsis.
func checkCellText(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) || utf8.RuneCountInString(s) > MetricRunes+1 {
		t.Fatalf("cell text %q: not valid UTF-8 or too long", s)
	}
	for _, r := range s {
		if isControl(r) || isBidi(r) || isSpace(r) && r != ' ' {
			t.Fatalf("cell text %q holds %U", s, r)
		}
	}
}

func FuzzExpand(f *testing.F) {
	for _, row := range nastyRows {
		f.Add(row.summary, []byte(row.metrics), []byte(row.payload))
	}
	f.Fuzz(func(t *testing.T, summary string, metrics, payload []byte) {
		e := runlog.Entry{RunID: 1, Stage: runlog.Stage(summary[:min(len(summary), 8)]), ErrorSummary: summary, Metrics: metrics, ErrorPayload: payload}
		c := Expand(e)

		if want, _ := cleanPlainly(summary, block, 0); c.ErrorSummary != want {
			t.Fatalf("ErrorSummary = %q, want %q", c.ErrorSummary, want)
		}
		if len(c.Exceptions) > 1+PreviousExceptions || c.MoreExceptions < 0 {
			t.Fatalf("%d exceptions and %d more", len(c.Exceptions), c.MoreExceptions)
		}
		if c.PayloadErr != nil && len(c.Exceptions) > 0 {
			t.Fatalf("PayloadErr %v with %d exceptions", c.PayloadErr, len(c.Exceptions))
		}
		for _, ex := range c.Exceptions {
			for _, s := range []string{ex.Type, ex.Message, ex.Trace} {
				if !utf8.ValidString(s) {
					t.Fatalf("exception text %q is not valid UTF-8", s)
				}
			}
		}
		checkJSONErr(t, "metrics", metrics, c.MetricsErr)
		checkJSONErr(t, "payload", payload, c.PayloadErr)
		if c.MetricsErr == nil {
			checkMetrics(t, metrics, c.Metrics)
		}

		out, err := c.CopyJSON()
		if err != nil || !json.Valid(out) || !utf8.Valid(out) {
			t.Fatalf("CopyJSON() = %q, %v: not valid JSON", out, err)
		}
		text := c.String()
		if !utf8.ValidString(text) {
			t.Fatalf("String() is not valid UTF-8")
		}
		for _, r := range text {
			if r != '\n' && r != '\t' && isControl(r) || isBidi(r) {
				t.Fatalf("String() holds %U", r)
			}
		}
	})
}

// checkJSONErr holds the card's verdict on stored JSON to encoding/json's.
func checkJSONErr(t *testing.T, what string, raw []byte, err error) {
	t.Helper()
	switch {
	case absent(raw):
		if err != nil {
			t.Fatalf("%s %q is absent, yet %v", what, raw, err)
		}
	case errors.Is(err, ErrMalformedJSON):
		if json.Valid(raw) {
			t.Fatalf("%s %q: %v, but encoding/json finds it valid", what, raw, err)
		}
	case errors.Is(err, ErrTooDeep):
	default: // read, or valid but of another shape
		if !json.Valid(raw) {
			t.Fatalf("%s %q: read (%v), but encoding/json finds it invalid", what, raw, err)
		}
	}
}

// checkMetrics compares the card's metrics with what encoding/json's
// tokenizer, which keeps document order, reads from raw.
func checkMetrics(t *testing.T, raw []byte, got []Metric) {
	t.Helper()
	var want []Metric
	var deep []int // the metrics whose values nest deeper than the card indents
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil {
		return // absent
	} else if tok != json.Delim('{') {
		t.Fatalf("metrics %q read, but they are not an object", raw)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		key, _ := cleanPlainly(tok.(string), inline, 0)
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			t.Fatal(err)
		}
		var s string
		switch value[0] {
		case '"':
			if err := json.Unmarshal(value, &s); err != nil {
				t.Fatal(err)
			}
			s, _ = cleanPlainly(s, block, 0)
		case '{', '[':
			// Within IndentDepth levels, as json.Indent writes it; deeper,
			// the same JSON, compared compact below.
			var b bytes.Buffer
			if depthOf(t, value) > IndentDepth {
				if err := json.Compact(&b, value); err != nil {
					t.Fatal(err)
				}
				deep = append(deep, len(want))
			} else if err := json.Indent(&b, value, "", "  "); err != nil {
				t.Fatal(err)
			}
			// The line feeds of the indentation are kept; in valid JSON
			// no other control character stands outside a string.
			s, _ = cleanPlainly(b.String(), exact, 0)
			s = escapePlainly(s, "\n")
		default:
			s = string(value)
		}
		want = append(want, Metric{Key: key, Value: s})
	}
	if len(got) != len(want) {
		t.Fatalf("metrics of %q: %d in the card, %d by encoding/json", raw, len(got), len(want))
	}
	got = slices.Clone(got)
	for _, i := range deep {
		got[i].Value = compactOf(t, got[i].Value)
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("metrics of %q mismatch (-encoding/json +card):\n%s", raw, diff)
	}
}

// depthOf returns how deep objects and arrays nest in the JSON value raw.
func depthOf(t *testing.T, raw []byte) int {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(raw))
	depth, deepest := 0, 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return deepest
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
			deepest = max(deepest, depth)
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
	}
}

// compactOf returns the JSON text s compacted by encoding/json.
func compactOf(t *testing.T, s string) string {
	t.Helper()
	var b bytes.Buffer
	if err := json.Compact(&b, []byte(s)); err != nil {
		t.Fatalf("json.Compact(%q): %v", s, err)
	}
	return b.String()
}
