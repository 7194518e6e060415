package details

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// jsonCases are documents valid and not, for the scanner to judge as
// encoding/json does.
var jsonCases = []string{
	``, ` `, `null`, `true`, `false`, `nul`, `nulll`, `True`, `tru e`,
	`0`, `-0`, `-`, `01`, `1.`, `.5`, `1.5`, `1e5`, `1E+5`, `1e-5`, `1e`, `1e+`, `-1.25e-10`, `+1`,
	`12345678901234567890`, `1e21`, `0x10`, `Infinity`, `NaN`,
	`""`, `"a"`, `"\""`, `"\\"`, `"\/"`, `"\b\f\n\r\t"`, `"\u00e9"`, `"\uD83D\uDE00"`, `"\ud800"`,
	`"\x"`, `"\u12"`, `"\u12G4"`, `"unterminated`, "\"raw\ttab\"", "\"raw\nline\"", "\"\x00\"", "\"\xff\"",
	`[]`, `[ ]`, `[1]`, `[1,]`, `[,1]`, `[1 2]`, `[1,[2,[3]]]`, `[`, `]`, `[}`,
	`{}`, `{ }`, `{"a":1}`, `{"a":1,}`, `{"a"}`, `{"a":}`, `{a:1}`, `{"a":1 "b":2}`, `{"a":1}}`, `{"a":[1,{"b":null}]}`,
	`{"a":1}x`, `{"a":1} `, ` {"a":1}`, `1 2`, `{"":0,"":1}`, `{"a":1,"a":2}`,
	`{"a":{"b":[1,2,{"c":"d"}]},"e":[[],{}]}`,
}

func TestValidate(t *testing.T) {
	for _, doc := range jsonCases {
		err := validate([]byte(doc))
		if got, want := err == nil, json.Valid([]byte(doc)); got != want {
			t.Errorf("validate(%q) = %v; encoding/json says valid = %v", doc, err, want)
		}
		if err != nil && !errors.Is(err, ErrMalformedJSON) {
			t.Errorf("validate(%q) = %v, want an error wrapping ErrMalformedJSON", doc, err)
		}
	}
}

// nested returns n arrays or objects nested in one another.
func nested(n int, object bool) string {
	open, close := "[", "]"
	if object {
		open, close = `{"a":`, "}"
	}
	return strings.Repeat(open, n) + "1" + strings.Repeat(close, n)
}

func TestValidate_Depth(t *testing.T) {
	for _, object := range []bool{false, true} {
		if err := validate([]byte(nested(MaxDepth, object))); err != nil {
			t.Errorf("validate(%d deep) = %v, want nil", MaxDepth, err)
		}
		for _, n := range []int{MaxDepth + 1, 100_000} {
			err := validate([]byte(nested(n, object)))
			if !errors.Is(err, ErrTooDeep) {
				t.Errorf("validate(%d deep) = %v, want ErrTooDeep", n, err)
			}
		}
	}
	// Unclosed, the depth is found before the missing end.
	if err := validate([]byte(strings.Repeat("[", 100_000))); !errors.Is(err, ErrTooDeep) {
		t.Errorf("validate(100000 unclosed) = %v, want ErrTooDeep", err)
	}
	// Mixed containers close in the right order only.
	if err := validate([]byte(`[{"a":[{"b":[]}]}]`)); err != nil {
		t.Errorf("validate(mixed) = %v", err)
	}
	if err := validate([]byte(`[{"a":[{"b":[]]}]}`)); err == nil {
		t.Error("validate(mismatched) = nil, want an error")
	}
}

func TestValidate_Offset(t *testing.T) {
	for _, tc := range []struct {
		doc, want string
	}{
		{`{"a":1,}`, "details: malformed JSON at byte 7"},
		{`[1,2`, "details: malformed JSON at byte 4"},
		{`{"a":1} x`, "details: malformed JSON at byte 8"},
		{`"\q"`, "details: malformed JSON at byte 2"},
	} {
		if err := validate([]byte(tc.doc)); err == nil || err.Error() != tc.want {
			t.Errorf("validate(%q) = %v, want %q", tc.doc, err, tc.want)
		}
	}
}

// TestDecode compares string decoding with encoding/json, which also turns
// each invalid byte and each lone surrogate into U+FFFD.
func TestDecode(t *testing.T) {
	for _, doc := range []string{
		`""`, `"plain"`, `"\"\\\/\b\f\n\r\t"`, `"\u00e9\u00E9"`, `"\uD83D\uDE00"`, `"\ud83d"`, `"\ude00"`,
		`"\ud83d\u0041"`, `"\ud83d\ud83d\ude00"`, `"\u0000 NUL"`, "\"\xff\xfe\"", "\"\xe2\x82\"", `"ok \u2028 sep"`,
	} {
		var want string
		if err := json.Unmarshal([]byte(doc), &want); err != nil {
			t.Fatalf("json.Unmarshal(%q): %v", doc, err)
		}
		if diff := cmp.Diff(want, decode([]byte(doc), exact)); diff != "" {
			t.Errorf("decode(%q) mismatch (-want +got):\n%s", doc, diff)
		}
	}
}

func TestCompact(t *testing.T) {
	for _, tc := range []struct {
		doc, want string
	}{
		{` { "a" : [ 1 , 2.50 , 1e21 ] , "b" : { } , "c" : "x  y\n" } `, `{"a":[1,2.50,1e21],"b":{},"c":"x  y\n"}`},
		{"[\"\xff\"]", "[\"\uFFFD\"]"},
		{`"\u00e9"`, `"\u00e9"`},
	} {
		if got := compact([]byte(strings.TrimSpace(tc.doc))); got != tc.want {
			t.Errorf("compact(%q) = %q, want %q", tc.doc, got, tc.want)
		}
	}
}

func TestAbsent(t *testing.T) {
	for doc, want := range map[string]bool{
		"": true, " \n\t": true, "null": true, " null ": true,
		"nul": false, "null x": false, "nullnull": false, "{}": false, `"null"`: false, "0": false,
	} {
		if got := absent([]byte(doc)); got != want {
			t.Errorf("absent(%q) = %v, want %v", doc, got, want)
		}
	}
}
