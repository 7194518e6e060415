package redact

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// valid reports whether the walker takes doc for valid JSON.
func valid(doc []byte) bool {
	w := walker{r: Default(), doc: doc}
	w.mask, w.base = w.maskBuf[:len(w.r.patterns)], w.baseBuf[:len(w.r.patterns)]
	return w.walk()
}

// scanCases are documents at the edges of the JSON syntax.
var scanCases = []string{
	``, ` `, `1`, ` 1 `, `-`, `-0`, `-01`, `01`, `1.`, `1.5`, `.5`, `1e`, `1e+`, `1E-7`, `1e07`, `0x1`,
	`"`, `""`, `"\"`, `"\\"`, `"\u00e9"`, `"\u00g9"`, `"\u12"`, `"\x"`, "\"\t\"", "\"\x7f\"", "\"\xff\"",
	`"abcdefgh"`, `"abcdefg"` + "\x01" + `"`, `"abcdefghijklmnop\"qrstuvwx"`,
	`true`, `tru`, `truex`, `nul`, `null null`, `[]`, `[`, `]`, `[1,]`, `[,1]`, `[1 2]`, `{}`, `{"a"}`,
	`{"a":}`, `{"a":1,}`, `{"a" : 1 , "b":[true,false,null]}`, `{1:2}`, `{"a":1}}`, `[[]]]`, `[}`, `{]`,
	"\ufeff{}", "{}\x00", "[1]\n", "\u00a0[]",
}

// TestWalker_Valid checks that the walker agrees with json.Valid on what is
// JSON, on edge cases, on nesting at encoding/json's limit, and on every
// file of JSONTestSuite, the implementation-defined i_ ones included.
func TestWalker_Valid(t *testing.T) {
	docs := append([]string(nil), scanCases...)
	for _, d := range []int{maxDepth - 1, maxDepth, maxDepth + 1} {
		docs = append(docs, strings.Repeat("[", d)+strings.Repeat("]", d))
		docs = append(docs, strings.Repeat(`{"a":`, d)+"1"+strings.Repeat("}", d))
	}
	dir := filepath.Join("..", "..", "..", "shared", "testdata", "JSONTestSuite", "test_parsing")
	if files, err := os.ReadDir(dir); err != nil {
		t.Logf("JSONTestSuite not found (%v); checking the edge cases only", err)
	} else {
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(dir, f.Name()))
			if err != nil {
				t.Fatal(err)
			}
			docs = append(docs, string(b))
		}
	}
	for _, doc := range docs {
		if got, want := valid([]byte(doc)), json.Valid([]byte(doc)); got != want {
			t.Errorf("walker says valid %v, json.Valid %v, for %.80q", got, want, doc)
		}
	}
}

func FuzzWalker_Valid(f *testing.F) {
	for _, doc := range scanCases {
		f.Add([]byte(doc))
	}
	f.Fuzz(func(t *testing.T, doc []byte) {
		if got, want := valid(doc), json.Valid(doc); got != want {
			t.Fatalf("walker says valid %v, json.Valid %v, for %q", got, want, doc)
		}
	})
}

func TestPlainWord(t *testing.T) {
	for c := range 256 {
		want := c >= ' ' && c != '"' && c != '\\'
		for lane := range 8 {
			x := uint64(0x6161616161616161) &^ (0xff << (8 * lane)) // "aaaaaaaa" with one lane cleared
			x |= uint64(c) << (8 * lane)
			if got := plainWord(x); got != want {
				t.Fatalf("plainWord with byte %#x in lane %d = %v, want %v", c, lane, got, want)
			}
		}
	}
}
