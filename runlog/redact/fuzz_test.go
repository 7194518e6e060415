package redact_test

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/opsync/integrationlogs/runlog/redact"
)

// fuzzSeeds are documents and texts that have broken redactors before.
var fuzzSeeds = []string{
	``, `{}`, `[]`, `"x"`, `null`,
	`{"password": "hunter2", "tokens_processed": 12, "nested": {"api_token": {"a": [1, "b"]}}}`,
	`{"headers": {"Authorization": "Bearer abc.def-123", "Cookie": "sid=1; t=2"}, "url": "https://u:p@h/x"}`,
	`{"m": "password=x&y=1 token: abc 'secret' => 'v' \"auth\": \"q\""}`,
	`{"pass\u0077ord": "x", "m": "https:\/\/u:p@h \u0042earer tok123"}`,
	`{"k": "` + pemKey + `"}`, `{"jwt": "` + jwt + `", "gh": "` + githubToken + `"}`,
	`{"img": "` + pngDataURL + `"}`,
	`{"password": [REDACTED]}`, `{"a": "[REDACTED]x[REDACTED]", "token": "[REDACTED]"}`,
	"{\"k\xff\": \"\xfe password=\xfd\"}", `{"password": "a", "password": {}}`,
	`{"a": 1,`, `password=hunter2 and https://u:p@h`, "Authorization: Basic dXNlcjpwYXNz\r\nCookie: a=b",
	`[{"session": 1}, {"session": [true]}, {"session": null}]`, `{"x-api-key": -1.5e3}`,
	strings.Repeat(`[`, 20) + `{"token": "x"}` + strings.Repeat(`]`, 20),
}

func FuzzRedact(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add([]byte(s))
	}
	r := redact.Default()
	f.Fuzz(func(t *testing.T, in []byte) {
		orig := bytes.Clone(in)
		out, n := r.JSON(in)
		if !bytes.Equal(in, orig) {
			t.Fatal("JSON() wrote to its input")
		}
		if (n == 0) != bytes.Equal(out, in) {
			t.Fatalf("JSON() count %d, but output changed %v:\n%q\n%q", n, !bytes.Equal(out, in), in, out)
		}
		if utf8.Valid(in) && !utf8.Valid(out) {
			t.Fatalf("JSON() of valid UTF-8 is not valid UTF-8: %q", out)
		}
		if json.Valid(in) {
			if !json.Valid(out) {
				t.Fatalf("JSON() of valid JSON is not valid:\n%q\n%q", in, out)
			}
			checkKeys(t, r, out)
		} else {
			text, tn := r.String(string(in))
			if string(out) != text || n != tn {
				t.Fatalf("JSON() of malformed JSON = %q, %d; String() = %q, %d", out, n, text, tn)
			}
		}
		if again, n := r.JSON(out); !bytes.Equal(again, out) || n != 0 {
			t.Fatalf("JSON() twice is not stable (%d more):\n%q\n%q", n, out, again)
		}

		s, n := r.String(string(in))
		if utf8.Valid(in) && !utf8.ValidString(s) {
			t.Fatalf("String() of valid UTF-8 is not valid UTF-8: %q", s)
		}
		if (n == 0) != (s == string(in)) {
			t.Fatalf("String() count %d, output %q", n, s)
		}
		if again, n := r.String(s); again != s || n != 0 {
			t.Fatalf("String() twice is not stable (%d more):\n%q\n%q", n, s, again)
		}
	})
}

// checkKeys fails t when doc, valid JSON, holds a member whose key names a
// secret and whose value is anything but Marker or a value that hides
// nothing. A key that was itself redacted is not judged: it is not the key
// that was.
func checkKeys(t *testing.T, r *redact.Redactor, doc []byte) {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode %q: %v", doc, err)
	}
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if r.SecretKey(k) && !strings.Contains(k, redact.Marker) {
					switch x {
					case redact.Marker, nil, true, false, "":
					default:
						t.Fatalf("key %q kept its value %v in %q", k, x, doc)
					}
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
}
