package reason_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/reason"
)

type counts = map[runlog.ReasonCode]int

func TestFromMetrics(t *testing.T) {
	tests := []struct {
		name    string
		metrics string
		want    counts
	}{
		{name: "Empty", metrics: "", want: counts{}},
		{name: "Whitespace", metrics: " \n\t\r ", want: counts{}},
		{name: "Null", metrics: "null", want: counts{}},
		{name: "EmptyObject", metrics: "{}", want: counts{}},
		{name: "NoKey", metrics: `{"records": 120, "decisions": {"create": 3}}`, want: counts{}},
		{name: "NullUnderKey", metrics: `{"decision_reason_codes": null}`, want: counts{}},
		{name: "EmptyCounts", metrics: `{"decision_reason_codes": {}}`, want: counts{}},
		{name: "EmptyArray", metrics: `{"decision_reason_codes": []}`, want: counts{}},
		{
			name:    "Object",
			metrics: `{"records": 120, "decision_reason_codes": {"LINK_FOUND_BY_EXTERNAL_ID": 97, "NO_MATCH_CREATE_CANDIDATE": 20, "MEDIUM_MATCH_REQUIRES_REVIEW": 3}}`,
			want: counts{
				runlog.ReasonLinkFoundByExternalID:     97,
				runlog.ReasonNoMatchCreateCandidate:    20,
				runlog.ReasonMediumMatchRequiresReview: 3,
			},
		},
		{
			name:    "Array",
			metrics: `{"decision_reason_codes": ["NO_MATCH_CREATE_CANDIDATE", "LINK_FOUND_BY_EXTERNAL_ID", "NO_MATCH_CREATE_CANDIDATE"]}`,
			want:    counts{runlog.ReasonNoMatchCreateCandidate: 2, runlog.ReasonLinkFoundByExternalID: 1},
		},
		{
			name:    "HostCodesKept",
			metrics: `{"decision_reason_codes": {"SERIAL_MATCH": 4, "LINK_FOUND_BY_EXTERNAL_ID": 1}}`,
			want:    counts{"SERIAL_MATCH": 4, runlog.ReasonLinkFoundByExternalID: 1},
		},
		{
			name:    "ZeroCountKept",
			metrics: `{"decision_reason_codes": {"AMBIGUOUS_MATCH_MULTIPLE_DEVICES": 0}}`,
			want:    counts{runlog.ReasonAmbiguousMatchMultipleDevices: 0},
		},
		{
			name:    "DuplicateCodeLastWins",
			metrics: `{"decision_reason_codes": {"SERIAL_MATCH": 4, "SERIAL_MATCH": 9}}`,
			want:    counts{"SERIAL_MATCH": 9},
		},
		{
			name:    "DuplicateKeyLastWins",
			metrics: `{"decision_reason_codes": {"A": 1}, "decision_reason_codes": {"B": 2}}`,
			want:    counts{"B": 2},
		},
		{
			name:    "EscapedCode",
			metrics: `{"decision_reason_codes": {"SERIAL\u005fMATCH": 1}}`,
			want:    counts{"SERIAL_MATCH": 1},
		},
		{
			name:    "InvalidUTF8Code",
			metrics: "{\"decision_reason_codes\": {\"BAD\xff\": 1}}",
			want:    counts{"BAD\uFFFD": 1},
		},
		{
			name:    "LargestCount",
			metrics: fmt.Sprintf(`{"decision_reason_codes": {"A": %d}}`, math.MaxInt),
			want:    counts{"A": math.MaxInt},
		},
		{name: "NegativeZero", metrics: `{"decision_reason_codes": {"A": -0}}`, want: counts{"A": 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := reason.FromMetrics(json.RawMessage(tt.metrics))
			if err != nil {
				t.Fatalf("FromMetrics(%q): %v", tt.metrics, err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("FromMetrics(%q) mismatch (-want +got):\n%s", tt.metrics, diff)
			}
		})
	}
	t.Run("Nil", func(t *testing.T) {
		got, err := reason.FromMetrics(nil)
		if err != nil || got == nil || len(got) != 0 {
			t.Errorf("FromMetrics(nil) = %v, %v; want an empty map, nil", got, err)
		}
	})
}

func TestFromMetrics_Errors(t *testing.T) {
	wholeNumber := "want a whole number from 0 to the largest int"
	tests := []struct {
		name    string
		metrics string
		wantMsg string // the whole message, or "" where encoding/json words it
	}{
		{name: "Truncated", metrics: `{"decision_reason_codes": {"A": 1}`},
		{name: "NotJSON", metrics: `not json`, wantMsg: "reason: malformed metrics: metrics are not json, want an object"},
		{name: "TrailingGarbage", metrics: `{} x`},
		{name: "NBSPIsNotWhitespace", metrics: "\u00a0"},
		{name: "MetricsArray", metrics: `["A"]`, wantMsg: `reason: malformed metrics: metrics are ["A"], want an object`},
		{name: "MetricsString", metrics: `"A"`, wantMsg: `reason: malformed metrics: metrics are "A", want an object`},
		{
			name:    "MetricsLong",
			metrics: `"` + strings.Repeat("x", 100) + `"`,
			wantMsg: `reason: malformed metrics: metrics are "` + strings.Repeat("x", 39) + `…, want an object`,
		},
		{
			name:    "KeyString",
			metrics: `{"decision_reason_codes": "A"}`,
			wantMsg: `reason: malformed metrics: decision_reason_codes is "A", want an object of counts or an array of codes`,
		},
		{
			name:    "KeyNumber",
			metrics: `{"decision_reason_codes": 3}`,
			wantMsg: `reason: malformed metrics: decision_reason_codes is 3, want an object of counts or an array of codes`,
		},
		{
			name:    "KeyBool",
			metrics: `{"decision_reason_codes": true}`,
			wantMsg: `reason: malformed metrics: decision_reason_codes is true, want an object of counts or an array of codes`,
		},
		{name: "Negative", metrics: `{"decision_reason_codes": {"A": -1}}`, wantMsg: `reason: malformed metrics: decision_reason_codes: count of "A" is -1, ` + wholeNumber},
		{name: "Fraction", metrics: `{"decision_reason_codes": {"A": 1.5}}`, wantMsg: `reason: malformed metrics: decision_reason_codes: count of "A" is 1.5, ` + wholeNumber},
		{name: "WholeFloat", metrics: `{"decision_reason_codes": {"A": 3.0}}`, wantMsg: `reason: malformed metrics: decision_reason_codes: count of "A" is 3.0, ` + wholeNumber},
		{name: "Exponent", metrics: `{"decision_reason_codes": {"A": 1e2}}`, wantMsg: `reason: malformed metrics: decision_reason_codes: count of "A" is 1e2, ` + wholeNumber},
		{name: "QuotedCount", metrics: `{"decision_reason_codes": {"A": "3"}}`, wantMsg: `reason: malformed metrics: decision_reason_codes: count of "A" is "3", ` + wholeNumber},
		{name: "NullCount", metrics: `{"decision_reason_codes": {"A": null}}`, wantMsg: `reason: malformed metrics: decision_reason_codes: count of "A" is null, ` + wholeNumber},
		{name: "ObjectCount", metrics: `{"decision_reason_codes": {"A": {"n": 1}}}`, wantMsg: `reason: malformed metrics: decision_reason_codes: count of "A" is {"n": 1}, ` + wholeNumber},
		{
			name:    "TooLarge",
			metrics: `{"decision_reason_codes": {"A": 9223372036854775808}}`,
			wantMsg: `reason: malformed metrics: decision_reason_codes: count of "A" is 9223372036854775808, ` + wholeNumber,
		},
		{
			name:    "HugeNumber",
			metrics: `{"decision_reason_codes": {"A": ` + strings.Repeat("9", 100000) + `}}`,
			wantMsg: `reason: malformed metrics: decision_reason_codes: count of "A" is ` + strings.Repeat("9", 40) + `…, ` + wholeNumber,
		},
		{
			name:    "FirstBadCodeInByteOrder",
			metrics: `{"decision_reason_codes": {"Z": -1, "B": 1, "C": "x"}}`,
			wantMsg: `reason: malformed metrics: decision_reason_codes: count of "C" is "x", ` + wholeNumber,
		},
		{name: "EmptyCodeKey", metrics: `{"decision_reason_codes": {"": 1}}`, wantMsg: `reason: malformed metrics: decision_reason_codes has an empty code`},
		{name: "ArrayNumber", metrics: `{"decision_reason_codes": ["A", 5]}`, wantMsg: `reason: malformed metrics: decision_reason_codes[1] is 5, want a reason code string`},
		{name: "ArrayNull", metrics: `{"decision_reason_codes": [null]}`, wantMsg: `reason: malformed metrics: decision_reason_codes[0] is null, want a reason code string`},
		{name: "ArrayNested", metrics: `{"decision_reason_codes": [["A"]]}`, wantMsg: `reason: malformed metrics: decision_reason_codes[0] is ["A"], want a reason code string`},
		{name: "ArrayEmptyCode", metrics: `{"decision_reason_codes": ["A", ""]}`, wantMsg: `reason: malformed metrics: decision_reason_codes[1] is an empty code`},
		{name: "DeepNesting", metrics: `{"x": ` + strings.Repeat("[", 100000) + strings.Repeat("]", 100000) + `}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := reason.FromMetrics(json.RawMessage(tt.metrics))
			if !errors.Is(err, reason.ErrMalformedMetrics) {
				t.Fatalf("FromMetrics() error = %v, want one wrapping ErrMalformedMetrics", err)
			}
			if tt.wantMsg != "" && err.Error() != tt.wantMsg {
				t.Errorf("FromMetrics() error =\n%q\nwant\n%q", err, tt.wantMsg)
			}
			if !utf8.ValidString(err.Error()) || len(err.Error()) > 500 {
				t.Errorf("FromMetrics() error is not short, valid UTF-8: %q", err)
			}
			if got != nil {
				t.Errorf("FromMetrics() = %v with its error, want nil", got)
			}
		})
	}
}

// FuzzFromMetrics checks that FromMetrics never panics, that it either reads
// sound counts or says why not, and that Top ranks what it reads.
func FuzzFromMetrics(f *testing.F) {
	for _, seed := range []string{
		``, `null`, `{}`, `[]`, `"x"`, `{"decision_reason_codes": null}`,
		`{"decision_reason_codes": {"LINK_FOUND_BY_EXTERNAL_ID": 3, "NO_MATCH_CREATE_CANDIDATE": 1}}`,
		`{"decision_reason_codes": ["A", "B", "A"]}`,
		`{"decision_reason_codes": {"A": 1, "A": 2}}`,
		`{"decision_reason_codes": {"A": -1}}`,
		`{"decision_reason_codes": {"A": 1.5e300}}`,
		`{"decision_reason_codes": {"A": 99999999999999999999}}`,
		`{"decision_reason_codes": {"": 1}}`,
		`{"decision_reason_codes": ["A", 1, null]}`,
		"{\"decision_reason_codes\": {\"\xff\x00\": 1}}",
		`{"decision_reason_codes": ` + strings.Repeat("[", 200),
		`{"decision_reason_codes": {"A": 1}} trailing`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, metrics []byte) {
		got, err := reason.FromMetrics(metrics)
		if err != nil {
			if !errors.Is(err, reason.ErrMalformedMetrics) {
				t.Fatalf("error %v does not wrap ErrMalformedMetrics", err)
			}
			if got != nil {
				t.Fatalf("got %v with error %v", got, err)
			}
			return
		}
		if got == nil {
			t.Fatal("got a nil map and no error")
		}
		if trimmed := strings.Trim(string(metrics), " \t\r\n"); trimmed != "" && !json.Valid(metrics) {
			t.Fatalf("read counts %v from invalid JSON", got)
		}
		for code, n := range got {
			if code == "" || !utf8.ValidString(string(code)) || n < 0 {
				t.Fatalf("unsound count %q: %d", code, n)
			}
		}
		top := reason.Top(got, 3)
		if len(top) > 3 {
			t.Fatalf("Top(_, 3) gave %d counts", len(top))
		}
		for i := 1; i < len(top); i++ {
			a, b := top[i-1], top[i]
			if a.Count < b.Count || (a.Count == b.Count && a.Code >= b.Code) {
				t.Fatalf("Top out of order: %v", top)
			}
		}
	})
}
