package details_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/details"
)

// deep returns JSON arrays nested n deep.
func deep(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }

func TestSummarize_Text(t *testing.T) {
	x119, x120 := strings.Repeat("x", 119), strings.Repeat("x", 120)
	for _, tc := range []struct {
		name, why string
		summary   string
		want      details.Summary
	}{
		{"Empty", "no error, no text", "", details.Summary{}},
		{"Blank", "white space alone is no text", " \t\r\n ", details.Summary{}},
		{"Short", "shown whole", "Connection refused", details.Summary{Text: "Connection refused"}},
		{"Folded", "runs of white space, Unicode ones too, fold to one space; ends trimmed",
			"\n  Connection\t\trefused\r\n by\u00a0\u2003host  ", details.Summary{Text: "Connection refused by host"}},
		{"Exactly120", "120 characters fit", x120, details.Summary{Text: x120}},
		{"Over120", "the 121st character is cut", x120 + "y", details.Summary{Text: x120, Truncated: true}},
		{"TrailingSpaceAfter120", "white space after the cut is not more text", x120 + " \n ", details.Summary{Text: x120}},
		{"SpaceAt120", "a space that would be the 120th character is trimmed", x119 + " yz", details.Summary{Text: x119, Truncated: true}},
		{"Multibyte", "120 runes, not 120 bytes", strings.Repeat("ж", 121),
			details.Summary{Text: strings.Repeat("ж", 120), Truncated: true}},
		{"Emoji", "four-byte runes are never split", strings.Repeat("😀", 130),
			details.Summary{Text: strings.Repeat("😀", 120), Truncated: true}},
		{"InvalidUTF8", "each invalid byte is U+FFFD", "bad \xff\xfe byte \xe2\x82",
			details.Summary{Text: "bad \uFFFD\uFFFD byte \uFFFD\uFFFD"}},
		{"NUL", "NUL and other control characters are U+FFFD", "a\x00b\x1b[31mc\x7f\u0090",
			details.Summary{Text: "a\uFFFDb\uFFFD[31mc\uFFFD\uFFFD"}},
		{"Bidi", "bidirectional formatting characters are U+FFFD, so the text cannot reorder what follows",
			"paid\u202e.exe\u202c \u2066x\u2069 \u200e\u200f\u061c ok", details.Summary{Text: "paid\uFFFD.exe\uFFFD \uFFFDx\uFFFD \uFFFD\uFFFD\uFFFD ok"}},
		{"RightToLeftText", "right-to-left letters stay", "خطأ في الاتصال שגיאה", details.Summary{Text: "خطأ في الاتصال שגיאה"}},
		{"TenMB", "a 10 MB summary is cut like any other", strings.Repeat("ab ", 10<<20/3),
			details.Summary{Text: strings.TrimSpace(strings.Repeat("ab ", 40)), Truncated: true}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := details.Summarize(runlog.Entry{ErrorSummary: tc.summary})
			if diff := cmp.Diff(tc.want, got, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("%s: Summarize() mismatch (-want +got):\n%s", tc.why, diff)
			}
			if n := utf8.RuneCountInString(got.Text); n > details.TextRunes || !utf8.ValidString(got.Text) {
				t.Errorf("Text has %d runes (valid UTF-8: %v)", n, utf8.ValidString(got.Text))
			}
		})
	}
}

func TestSummarize_Metrics(t *testing.T) {
	long := strings.Repeat("v", 100)
	for _, tc := range []struct {
		name, why string
		metrics   string
		want      []details.Metric
		wantErr   error
	}{
		{"None", "no metrics stored", "", nil, nil},
		{"Null", "a NULL column read as JSON null", " null ", nil, nil},
		{"EmptyObject", "nothing to show", "{}", nil, nil},
		{"DocumentOrder", "the first two keys as written, not sorted",
			`{"zeta": 1, "alpha": 2, "mid": 3}`, []details.Metric{{"zeta", "1"}, {"alpha", "2"}}, nil},
		{"One", "fewer than two members", `{"rows": 12}`, []details.Metric{{"rows", "12"}}, nil},
		{"Numbers", "numbers exactly as written",
			`{"big": 12345678901234567890, "exp": 1e21}`, []details.Metric{{"big", "12345678901234567890"}, {"exp", "1e21"}}, nil},
		{"Fractions", "no float reformatting", `{"a": -0.50, "b": 1E-7}`, []details.Metric{{"a", "-0.50"}, {"b", "1E-7"}}, nil},
		{"Literals", "true, false and null as such", `{"ok": true, "none": null}`, []details.Metric{{"ok", "true"}, {"none", "null"}}, nil},
		{"Strings", "strings unquoted, escapes resolved",
			`{"who": "caf\u00e9 \"bar\"", "emoji": "\ud83d\ude00"}`, []details.Metric{{"who", `café "bar"`}, {"emoji", "😀"}}, nil},
		{"StringWhiteSpace", "a string's lines fold into the one-line cell",
			`{"msg": "line one\nline\ttwo  "}`, []details.Metric{{"msg", "line one line two"}}, nil},
		{"StringControls", "escaped NUL and ESC are U+FFFD", `{"a": "x\u0000y\u001bz"}`, []details.Metric{{"a", "x\uFFFDy\uFFFDz"}}, nil},
		{"StringBidi", "bidirectional formatting characters are U+FFFD, raw or escaped, in keys and values",
			"{\"k\u202e\": \"a\\u202eb\u2066\", \"o\": {\"s\": \"\u009b2J\u061c\"}}", []details.Metric{{"k\uFFFD", "a\uFFFDb\uFFFD"}, {"o", `{"s":"` + "\uFFFD2J\uFFFD" + `"}`}}, nil},
		{"LoneSurrogate", "a lone surrogate is U+FFFD, as encoding/json does", `{"a": "\ud800!"}`, []details.Metric{{"a", "\uFFFD!"}}, nil},
		{"InvalidUTF8", "invalid bytes in a string are U+FFFD", "{\"a\": \"\xff\"}", []details.Metric{{"a", "\uFFFD"}}, nil},
		{"Compact", "objects and arrays as compact JSON, strings inside as written",
			`{"counts": { "create" : 3, "skip": [1, 2] }, "tags": [ "a\"b" , null ]}`,
			[]details.Metric{{"counts", `{"create":3,"skip":[1,2]}`}, {"tags", `["a\"b",null]`}}, nil},
		{"Duplicates", "both members are shown, as written", `{"a": 1, "a": 2}`, []details.Metric{{"a", "1"}, {"a", "2"}}, nil},
		{"EmptyKey", "an empty key is a key", `{"": 1, " ": 2}`, []details.Metric{{"", "1"}, {"", "2"}}, nil},
		{"LongValue", "values are cut at MetricRunes characters",
			`{"v": "` + long + `"}`, []details.Metric{{"v", long[:details.MetricRunes] + "…"}}, nil},
		{"LongKey", "keys are cut too", `{"` + long + `": 1}`, []details.Metric{{long[:details.MetricRunes] + "…", "1"}}, nil},
		{"LongObject", "compact JSON is cut like a string",
			`{"o": {"k": "` + long + `"}}`, []details.Metric{{"o", `{"k":"` + long[:details.MetricRunes-6] + "…"}}, nil},
		{"MegabyteValue", "a huge value costs a scan, and shows 60 characters",
			`{"v": "` + strings.Repeat("é", 1<<20) + `", "w": 2}`,
			[]details.Metric{{"v", strings.Repeat("é", details.MetricRunes) + "…"}, {"w", "2"}}, nil},
		{"Array", "metrics that are not an object give none", `[1, 2]`, nil, details.ErrNotObject},
		{"String", "not an object", `"rows: 12"`, nil, details.ErrNotObject},
		{"Garbage", "not JSON at all, and not an object", `rows=12`, nil, details.ErrNotObject},
		{"MalformedFirst", "a broken first member shows nothing", `{"a": tru}`, nil, details.ErrMalformedJSON},
		{"MalformedKey", "a key must be a string", `{a: 1}`, nil, details.ErrMalformedJSON},
		{"MalformedSecond", "what was read before the problem is shown", `{"a": 1, "b": [1,}`,
			[]details.Metric{{"a", "1"}}, details.ErrMalformedJSON},
		{"BadAfterSecond", "the end of the second member is checked", `{"a": 1, "b": 2 "c": 3}`,
			[]details.Metric{{"a", "1"}, {"b", "2"}}, details.ErrMalformedJSON},
		{"BadFurtherOn", "beyond the members shown, nothing is read", `{"a": 1, "b": 2, "c": tru`,
			[]details.Metric{{"a", "1"}, {"b", "2"}}, nil},
		{"TrailingGarbage", "after a closed object only white space may follow", `{"a": 1} x`,
			[]details.Metric{{"a", "1"}}, details.ErrMalformedJSON},
		{"Truncated", "a cut-off document shows what it has", `{"a": "x`, nil, details.ErrMalformedJSON},
		{"Deep", "nesting 100,000 deep is refused, without a stack overflow", `{"a": ` + deep(100_000) + `}`, nil, details.ErrTooDeep},
		{"DeepFurtherOn", "deep nesting beyond the members shown is not read", `{"a": 1, "b": 2, "c": ` + deep(100_000) + `}`,
			[]details.Metric{{"a", "1"}, {"b", "2"}}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := details.Summarize(runlog.Entry{Metrics: json.RawMessage(tc.metrics)})
			want := details.Summary{Metrics: tc.want, MetricsErr: tc.wantErr}
			if diff := cmp.Diff(want, got, cmpopts.EquateErrors()); diff != "" {
				t.Errorf("%s: Summarize() mismatch (-want +got):\n%s", tc.why, diff)
			}
		})
	}
}

// TestSummarize_Clipped reads rows as a list page holds them: the stored
// text cut wherever the reader stopped.
func TestSummarize_Clipped(t *testing.T) {
	x120 := strings.Repeat("x", 120)
	for _, tc := range []struct {
		name, why string
		summary   string
		metrics   string
		want      details.Summary
	}{
		{"Short", "a short text is whole", "boom", `{"a": 1}`,
			details.Summary{Text: "boom", Metrics: []details.Metric{{"a", "1"}}}},
		{"TextFillsCell", "text that fills the cell may go on", x120, "",
			details.Summary{Text: x120, Truncated: true}},
		{"TextUnder", "text shorter than the cell is whole", x120[:119], "", details.Summary{Text: x120[:119]}},
		{"SplitRune", "a UTF-8 sequence split by the cut is dropped", "café \xe2\x82", "{\"a\": \"é\xc3",
			details.Summary{Text: "café", Metrics: []details.Metric{{"a", "é…"}}}},
		{"CutAfterShown", "a cut inside a later member is no error", "", `{"a": 1, "b": "two", "c": {"d": [1, 2`,
			details.Summary{Metrics: []details.Metric{{"a", "1"}, {"b", "two"}}}},
		{"CutAfterSecond", "a cut right after the last member shown", "", `{"a": 1, "b": "two"`,
			details.Summary{Metrics: []details.Metric{{"a", "1"}, {"b", "two"}}}},
		{"CutInValue", "a value cut short is shown as far as it was read", "", `{"a": 1, "b": "a long va`,
			details.Summary{Metrics: []details.Metric{{"a", "1"}, {"b", "a long va…"}}}},
		{"CutInObject", "so is an object", "", `{"a": {"x": 1, "y": [tr`,
			details.Summary{Metrics: []details.Metric{{"a", `{"x":1,"y":[…`}}}},
		{"CutInEscape", "and a string cut inside an escape", "", `{"a": "caf\u00`,
			details.Summary{Metrics: []details.Metric{{"a", "caf…"}}}},
		{"CutNumber", "a number that runs to the cut may have gone on", "", `{"a": 12`,
			details.Summary{Metrics: []details.Metric{{"a", "12…"}}}},
		{"CutLiteral", "a literal cut short shows nothing of its value, and is left out", "", `{"a": 1, "b": fal`,
			details.Summary{Metrics: []details.Metric{{"a", "1"}}}},
		{"CutInKey", "a member cut inside its key is left out", "", `{"a": 1, "bb`,
			details.Summary{Metrics: []details.Metric{{"a", "1"}}}},
		{"CutBeforeValue", "or before its value", "", `{"a": 1, "b":`,
			details.Summary{Metrics: []details.Metric{{"a", "1"}}}},
		{"CutAtOpen", "nothing but the brace", "", `{`, details.Summary{}},
		{"LongValueCut", "a value the cell cuts anyway looks the same", "", `{"v": "` + strings.Repeat("v", 100),
			details.Summary{Metrics: []details.Metric{{"v", strings.Repeat("v", details.MetricRunes) + "…"}}}},
		{"ErrorBeforeCut", "a real syntax error before the cut is still reported", "", `{"a": tru, "b": [1`,
			details.Summary{MetricsErr: details.ErrMalformedJSON}},
		{"ErrorInSecond", "in a later member shown too", "", `{"a": 1, "b": [1,}, "c`,
			details.Summary{Metrics: []details.Metric{{"a", "1"}}, MetricsErr: details.ErrMalformedJSON}},
		{"BadSeparator", "a bad byte after the last member shown", "", `{"a": 1, "b": 2 "c`,
			details.Summary{Metrics: []details.Metric{{"a", "1"}, {"b", "2"}}, MetricsErr: details.ErrMalformedJSON}},
		{"NotObject", "a cut array is still no object", "", `[1, 2`, details.Summary{MetricsErr: details.ErrNotObject}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := runlog.Entry{ErrorSummary: tc.summary, Metrics: json.RawMessage(tc.metrics), Clipped: true}
			if diff := cmp.Diff(tc.want, details.Summarize(e), cmpopts.EquateErrors()); diff != "" {
				t.Errorf("%s: Summarize() mismatch (-want +got):\n%s", tc.why, diff)
			}
		})
	}
	// Unclipped, the same cut metrics are malformed.
	got := details.Summarize(runlog.Entry{Metrics: json.RawMessage(`{"a": 1, "b": "a long va`)})
	if !errors.Is(got.MetricsErr, details.ErrMalformedJSON) {
		t.Errorf("unclipped cut metrics: MetricsErr = %v, want ErrMalformedJSON", got.MetricsErr)
	}
}

func TestSummary_String(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    details.Summary
		want string
	}{
		{"Empty", details.Summary{}, ""},
		{"TextOnly", details.Summary{Text: "boom"}, "boom"},
		{"Truncated", details.Summary{Text: "boom", Truncated: true}, "boom…"},
		{"MetricsOnly", details.Summary{Metrics: []details.Metric{{"a", "1"}, {"b", "x"}}}, "a: 1 · b: x"},
		{"All", details.Summary{Text: "boom", Truncated: true, Metrics: []details.Metric{{"a", "1"}}}, "boom… · a: 1"},
		{"EmptyKey", details.Summary{Metrics: []details.Metric{{"", "1"}}}, `"": 1`},
		{"Unreadable", details.Summary{Text: "boom", MetricsErr: details.ErrMalformedJSON}, "boom · metrics unreadable"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.s.String(); got != tc.want {
				t.Errorf("String() = %q, want %q", got, tc.want)
			}
		})
	}
}

// TestSummarize_Allocs holds Summarize to its allocation budget: one
// string for the cell's text and one slice for its metrics.
func TestSummarize_Allocs(t *testing.T) {
	e := rowOf(summaryOf(10<<10), metricsOf(40))
	if n := testing.AllocsPerRun(100, func() { summarySink = details.Summarize(e) }); n > 2 {
		t.Errorf("Summarize makes %v allocations, want at most 2", n)
	}
}
