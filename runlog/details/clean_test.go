package details

import (
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
)

// cleanPlainly is what writeText and rune do, written the obvious way, rune
// by rune: the reference the fast writer is checked against.
func cleanPlainly(s string, p policy, limit int) (text string, cut bool) {
	var runes []rune
	for _, r := range s { // each invalid byte comes out as U+FFFD
		runes = append(runes, r)
	}
	switch p {
	case inline:
		for i, r := range runes {
			if !unicode.IsSpace(r) && unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
				runes[i] = utf8.RuneError
			}
		}
		folded := []rune(strings.Join(strings.FieldsFunc(string(runes), unicode.IsSpace), " "))
		if limit > 0 && len(folded) > limit {
			return strings.TrimSuffix(string(folded[:limit]), " "), true
		}
		return string(folded), false
	case block:
		var b strings.Builder
		for i, r := range runes {
			switch {
			case r == '\r':
				b.WriteRune('\n')
			case r == '\n' && i > 0 && runes[i-1] == '\r':
			case r != '\n' && r != '\t' && unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r):
				b.WriteRune(utf8.RuneError)
			default:
				b.WriteRune(r)
			}
		}
		return b.String(), false
	case escaped:
		return escapePlainly(string(runes), ""), false
	}
	return string(runes), false
}

// escapePlainly writes each control and bidirectional formatting character
// of s, but those in keep, as a JSON \u escape, as the escaped policy does.
func escapePlainly(s, keep string) string {
	var b strings.Builder
	for _, r := range s {
		if (unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r)) && !strings.ContainsRune(keep, r) {
			fmt.Fprintf(&b, `\u%04x`, r)
		} else {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// cleanFast runs s through a writer with a small buffer, so growing is
// exercised too, writing it in pieces of about the given size (0: in one
// piece). Like the scanner, it splits only before ASCII bytes.
func cleanFast(s string, p policy, limit, piece int) (string, bool) {
	w := writer{buf: make([]byte, 3)}
	w.reset(p, limit)
	if piece <= 0 {
		writeText(&w, s)
	} else {
		for i := 0; i < len(s); {
			j := min(i+piece, len(s))
			for j < len(s) && s[j] >= utf8.RuneSelf {
				j++
			}
			writeText(&w, []byte(s[i:j]))
			i = j
		}
	}
	return string(w.text()), w.cut
}

// cleanCases are texts that take every path of writeText and rune.
var cleanCases = []string{
	"",
	"plain ascii words",
	"  leading and trailing  \t\n",
	"runs \t\r\n of   white\u00a0space\u2028and\u3000more\u0085end",
	"NUL\x00 and ESC\x1b[31m red\x7f and C1 \u0080\u009f",
	"invalid \xff\xfe bytes and a cut sequence \xe2\x82",
	"overlong \xc0\xaf and surrogate \xed\xa0\x80 encodings",
	"Ελληνικά, кириллица, עברית, العربية, 中文, 日本語, 한국어, emoji 😀👍🏽",
	"«guillemets» — dashes … ellipsis \u00a0nbsp \u00a1\u00bf",
	"windows\r\nlines\rold mac\n\runix\n",
	"tabs\tin\ttext",
	"U+FFFD itself: \uFFFD, BOM \uFEFF, private \uE000, last \U0010FFFF",
	"a" + strings.Repeat(" b", 200),
	strings.Repeat("ж", 130),
	strings.Repeat("x", 119) + "  y",
	strings.Repeat("x", 118) + " y z",
	strings.Repeat("x", 120) + "   ",
	strings.Repeat("x", 120) + "\x00",
	"bidi: \u202eevil\u202c \u2066isolate\u2069 marks \u200e\u200f arabic \u061c mark, ؛ and ٜ stay",
	"العربية\u061cالعربية \u202bembedding\u202a",
}

func TestWriteText(t *testing.T) {
	for _, p := range []policy{inline, block, exact, escaped} {
		for _, limit := range []int{0, 1, 2, 5, 60, 120} {
			if p != inline && limit > 0 {
				continue // only inline text is cut
			}
			for _, s := range cleanCases {
				wantText, wantCut := cleanPlainly(s, p, limit)
				for _, piece := range []int{0, 1, 2, 7} {
					if p == block && piece > 0 {
						continue // a carriage return may end one piece and its line feed start the next: fine, but not what cleanPlainly models
					}
					gotText, gotCut := cleanFast(s, p, limit, piece)
					if diff := cmp.Diff(wantText, gotText); diff != "" {
						t.Errorf("policy %d, limit %d, pieces of %d, %q: text mismatch (-want +got):\n%s", p, limit, piece, s, diff)
					}
					if gotCut != wantCut {
						t.Errorf("policy %d, limit %d, pieces of %d, %q: cut = %v, want %v", p, limit, piece, s, gotCut, wantCut)
					}
				}
			}
		}
	}
}

func TestIsSpace(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if got, want := isSpace(r), unicode.IsSpace(r); got != want {
			t.Errorf("isSpace(%U) = %v, want %v", r, got, want)
		}
	}
}

// TestPlainSize checks every one-, two- and three-byte sequence: plainSize
// may answer 0 for any, but when it answers a length the bytes must be one
// valid rune of that length that is neither space nor control.
func TestPlainSize(t *testing.T) {
	for a := range 256 {
		for b := range 256 {
			for c := range 256 {
				p := []byte{byte(a), byte(b), byte(c)}
				n := plainSize(p)
				if n == 0 {
					continue
				}
				r, size := utf8.DecodeRune(p)
				if size != n || r == utf8.RuneError && size == 1 || unicode.IsSpace(r) || unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
					t.Fatalf("plainSize(% x) = %d, but it decodes to %U of size %d", p, n, r, size)
				}
			}
		}
	}
}

func TestIsBidi(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if got, want := isBidi(r), unicode.Is(unicode.Bidi_Control, r); got != want {
			t.Errorf("isBidi(%U) = %v, want %v", r, got, want)
		}
	}
}
