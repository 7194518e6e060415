package redact_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/opsync/integrationlogs/runlog/redact"
)

func TestRedactor_JSON(t *testing.T) {
	for _, tc := range []struct {
		name, why string
		in, want  string // want "" means the input, unchanged
		n         int
	}{
		{"SecretKeys", "values of keys that name a secret, by their last word",
			`{"api_token": "t-1", "tokens_processed": 1200, "author": "ann", "X-Auth-Token": 42, "dbPassword": "hunter2"}`,
			`{"api_token": "[REDACTED]", "tokens_processed": 1200, "author": "ann", "X-Auth-Token": "[REDACTED]", "dbPassword": "[REDACTED]"}`, 3},
		{"Nested", "keys at any depth, in objects within arrays",
			`{"request": {"headers": {"Authorization": "Bearer abc123", "Accept": "*/*"}}, "retries": [{"n": 1, "token": "a"}, {"n": 2, "token": "b"}]}`,
			`{"request": {"headers": {"Authorization": "[REDACTED]", "Accept": "*/*"}}, "retries": [{"n": 1, "token": "[REDACTED]"}, {"n": 2, "token": "[REDACTED]"}]}`, 3},
		{"ObjectValue", "a secret key's object or array goes whole, whatever it holds",
			`{"credentials": {"user": "app", "password": "x", "keys": [1, {"a": "}"}]}, "secrets": ["a", "b"], "after": 1}`,
			`{"credentials": "[REDACTED]", "secrets": "[REDACTED]", "after": 1}`, 2},
		{"EmptyValues", "null, booleans and the empty string hide nothing",
			`{"password": null, "token": "", "auth": true, "session": false}`, "", 0},
		{"Redacted", "a marker already there is not counted again",
			`{"password": "[REDACTED]", "msg": "https://u:[REDACTED]@h"}`, "", 0},
		{"RedactedCredential", "a secret key's scheme and marker, as the text rules leave them, hide nothing",
			`{"Authorization": "Bearer [REDACTED]", "auth": "BeArer [REDACTED]"}`, "", 0},
		{"Strings", "every string goes through the text rules, in arrays too",
			`{"message": "GET https://sync:pw@api.example/x failed", "steps": ["ok", "Authorization: Basic dXNlcjpwYXNz"]}`,
			`{"message": "GET https://sync:[REDACTED]@api.example/x failed", "steps": ["ok", "Authorization: Basic [REDACTED]"]}`, 2},
		{"Keys", "keys go through the text rules too",
			`{"https://ci:pw@git.example/repo": {"ok": true}}`, `{"https://ci:[REDACTED]@git.example/repo": {"ok": true}}`, 1},
		{"Kept", "order, numbers, escapes and white space stay where nothing is replaced",
			"{\n  \"zeta\": 1e21,\n  \"big\": 12345678901234567890,\n  \"esc\": \"a\\u00e9\\n\\/\",\n  \"alpha\": -0.0,\n  \"token\": \"x\"\n}",
			"{\n  \"zeta\": 1e21,\n  \"big\": 12345678901234567890,\n  \"esc\": \"a\\u00e9\\n\\/\",\n  \"alpha\": -0.0,\n  \"token\": \"[REDACTED]\"\n}", 1},
		{"Escapes", "escapes are decoded before the rules and the key are judged; a redacted string is written anew",
			`{"pass\u0077ord": "x", "m": "see https:\/\/u:p@h\n\ttab", "q": "say \"token\": \"abc\""}`,
			`{"pass\u0077ord": "[REDACTED]", "m": "see https://u:[REDACTED]@h\n\ttab", "q": "say \"token\": \"[REDACTED]\""}`, 3},
		{"EscapedHint", "a hint hidden by an escape is found",
			`{"m": "\u0042earer abc123def"}`, `{"m": "Bearer [REDACTED]"}`, 1},
		{"Duplicates", "every member, duplicates included",
			`{"token": 1, "token": 2}`, `{"token": "[REDACTED]", "token": "[REDACTED]"}`, 2},
		{"TopString", "a document that is a string", `"password=hunter2"`, `"password=[REDACTED]"`, 1},
		{"TopScalar", "a number stays", `12`, "", 0},
		{"NotJSON", "malformed JSON is redacted as text",
			`{"password": "hunter2", "url": "https://u:p@h"`, `{"password": "[REDACTED]", "url": "https://u:[REDACTED]@h"`, 2},
		{"NotJSONPlain", "plain text", `rows=12 password=x`, `rows=12 password=[REDACTED]`, 1},
		{"DataURL", "a base64 image stays", `{"avatar": "` + pngDataURL + `", "html": "<img src=\"` + pngDataURL + `\">"}`, "", 0},
		{"InvalidUTF8", "bytes that are not UTF-8 stay as they are",
			"{\"k\xff\": \"\xfe password=x\"}", "{\"k\xff\": \"\xfe password=[REDACTED]\"}", 1},
		{"Empty", "nothing", ``, "", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := tc.want
			if want == "" {
				want = tc.in
			}
			got, n := redact.Default().JSON([]byte(tc.in))
			if diff := cmp.Diff(want, string(got)); diff != "" {
				t.Errorf("%s: JSON() mismatch (-want +got):\n%s", tc.why, diff)
			}
			if n != tc.n {
				t.Errorf("%s: JSON() count = %d, want %d", tc.why, n, tc.n)
			}
			if json.Valid([]byte(tc.in)) && !json.Valid(got) {
				t.Errorf("JSON() of valid JSON is not valid:\n%s", got)
			}
		})
	}
}

// TestRedactor_JSONUnchanged checks that a document with nothing to redact
// comes back as the same slice, not a copy.
func TestRedactor_JSONUnchanged(t *testing.T) {
	doc := []byte(`{"matched": 1187, "url": "https://api.example/x", "cursor": "eyJpZCI6OTl9"}`)
	got, n := redact.Default().JSON(doc)
	if n != 0 || &got[0] != &doc[0] || len(got) != len(doc) {
		t.Errorf("JSON() = %s, %d; want the input slice itself, 0", got, n)
	}
}

// TestRedactor_JSONDeep checks that nesting as deep as encoding/json
// accepts is walked without recursion, and deeper input is text.
func TestRedactor_JSONDeep(t *testing.T) {
	for _, depth := range []int{9_999, 100_000} {
		doc := []byte(strings.Repeat(`{"a":[`, depth/2) + `{"token":"x"}` + strings.Repeat(`]}`, depth/2))
		got, n := redact.Default().JSON(doc)
		if n != 1 || !strings.Contains(string(got), `{"token":"[REDACTED]"}`) {
			t.Errorf("depth %d: JSON() count %d, secret not redacted", depth, n)
		}
		if json.Valid(doc) != json.Valid(got) {
			t.Errorf("depth %d: validity changed", depth)
		}
	}
}

// TestRedactor_JSONTestSuite checks JSON against encoding/json on the
// parsing cases of JSONTestSuite: what encoding/json accepts comes out
// valid, and unchanged when nothing was redacted; what it rejects is
// redacted as text, as String does.
func TestRedactor_JSONTestSuite(t *testing.T) {
	dir := filepath.Join("..", "..", "..", "shared", "testdata", "JSONTestSuite", "test_parsing")
	files, err := os.ReadDir(dir)
	if err != nil {
		t.Skipf("JSONTestSuite not found (%v); skipping", err)
	}
	r := redact.Default()
	seen := 0
	for _, f := range files {
		name := f.Name()
		if !strings.HasPrefix(name, "y_") && !strings.HasPrefix(name, "n_") && !strings.HasPrefix(name, "i_") {
			continue
		}
		doc, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		seen++
		got, n := r.JSON(doc)
		valid := json.Valid(doc)
		switch {
		case strings.HasPrefix(name, "y_") && !valid, strings.HasPrefix(name, "n_") && valid:
			t.Errorf("%s: encoding/json disagrees with the suite", name)
		case valid && !json.Valid(got):
			t.Errorf("%s: valid JSON in, invalid out:\n%s", name, got)
		case valid && n == 0 && string(got) != string(doc):
			t.Errorf("%s: nothing redacted, but the document changed:\n%s", name, got)
		case !valid:
			text, tn := r.String(string(doc))
			if string(got) != text || n != tn {
				t.Errorf("%s: malformed JSON not redacted as text: %q, %d; want %q, %d", name, got, n, text, tn)
			}
		}
		if utf8.Valid(doc) && !utf8.Valid(got) {
			t.Errorf("%s: valid UTF-8 in, invalid out", name)
		}
	}
	if seen == 0 {
		t.Skipf("no y_, n_ or i_ files in %s; skipping", dir)
	}
}
