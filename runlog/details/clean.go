package details

import (
	"math"
	"unicode/utf8"
)

// policy says how text is cleaned on its way into a writer. Every policy
// turns each byte of invalid UTF-8 into U+FFFD, so what a writer holds is
// always valid UTF-8.
type policy uint8

const (
	// inline is text on one line: runs of white space fold to one space, the
	// ends are trimmed, and control characters (NUL included) and
	// bidirectional formatting characters (see isBidi) become U+FFFD.
	inline policy = iota
	// block is text on several lines: tabs and line feeds stay, a carriage
	// return (alone or before a line feed) becomes one line feed, and other
	// control characters (NUL included) and bidirectional formatting
	// characters become U+FFFD.
	block
	// exact keeps every character; only invalid UTF-8 is replaced.
	exact
	// escaped is for JSON text: it keeps every character except control
	// characters and bidirectional formatting characters, which it writes
	// as \u escapes. In valid JSON such characters can only stand inside a
	// string, where the escape means the same, so the text stays the same
	// JSON and is safe to print.
	escaped
)

// writer writes cleaned text into buf. With the inline policy it can stop
// at a number of runes: the first rune that does not fit sets cut, and the
// writer ignores everything after it.
//
// buf is used up to n and grows only when full, so writing stores no
// pointers: Summarize gives it a buffer large enough for any cell.
type writer struct {
	buf    []byte
	n      int // bytes of buf written
	policy policy
	limit  int  // inline: the most runes to write; 0 means no limit
	runes  int  // runes written since reset
	space  bool // inline: white space is pending
	cr     bool // block: the last rune was a carriage return
	cut    bool // inline: a rune did not fit under limit
}

// reset starts a new piece of text after what is written.
func (w *writer) reset(p policy, limit int) {
	w.policy, w.limit = p, limit
	w.runes, w.space, w.cr, w.cut = 0, false, false, false
}

// text returns what is written.
func (w *writer) text() []byte { return w.buf[:w.n] }

// done reports whether the writer ignores further text. A nil writer
// ignores everything, so scanners can skip with the same code that copies.
func (w *writer) done() bool { return w == nil || w.cut }

// add writes p as it is.
func add[T string | []byte](w *writer, p T) {
	if len(w.buf)-w.n < len(p) {
		w.grow(len(p))
	}
	w.n += copy(w.buf[w.n:], p)
}

// ascii writes p, which holds only printable ASCII (a number or a literal),
// copying it in one go when it fits.
func (w *writer) ascii(p []byte) {
	if w.done() || len(p) == 0 {
		return
	}
	if !w.space && (w.limit == 0 || w.runes+len(p) <= w.limit) && len(w.buf)-w.n >= len(p) {
		w.n += copy(w.buf[w.n:], p)
		w.runes += len(p)
		w.cr = false
		return
	}
	writeText(w, p)
}

// grow makes room for k more bytes.
func (w *writer) grow(k int) {
	buf := make([]byte, max(2*len(w.buf), w.n+k, 64))
	copy(buf, w.buf[:w.n])
	w.buf = buf
}

// rune writes r, cleaned according to the policy.
func (w *writer) rune(r rune) {
	if w.done() {
		return
	}
	// Printable ASCII is kept as it is under every policy.
	if r > ' ' && r < 0x7f && !w.space && (w.limit == 0 || w.runes < w.limit) && w.n < len(w.buf) {
		w.buf[w.n] = byte(r)
		w.n++
		w.runes++
		w.cr = false
		return
	}
	switch w.policy {
	case inline:
		if isSpace(r) {
			w.space = w.runes > 0
			return
		}
		if isControl(r) || isBidi(r) {
			r = utf8.RuneError
		}
		need := 1
		if w.space {
			need = 2
		}
		if w.limit > 0 && w.runes+need > w.limit {
			w.cut = true
			return
		}
		if w.space {
			add(w, " ")
			w.runes++
			w.space = false
		}
	case block:
		cr := w.cr
		w.cr = r == '\r'
		switch {
		case r == '\r':
			r = '\n'
		case r == '\n' && cr:
			return
		case r != '\n' && r != '\t' && isControl(r) || isBidi(r):
			r = utf8.RuneError
		}
	case escaped:
		if isControl(r) || isBidi(r) {
			const hex = "0123456789abcdef"
			add(w, []byte{'\\', 'u', hex[r>>12], hex[r>>8&0xf], hex[r>>4&0xf], hex[r&0xf]})
			w.runes++
			return
		}
	}
	if len(w.buf)-w.n < utf8.UTFMax {
		w.grow(utf8.UTFMax)
	}
	w.n += utf8.EncodeRune(w.buf[w.n:], r)
	w.runes++
}

// writeText writes the runes of p, each invalid byte as U+FFFD. It stops
// as soon as the writer is done, so a long text costs only what is written.
//
// This is the hot loop of Summarize. It copies the longest runs of p that
// need no cleaning (printable ASCII, single spaces between printable runes,
// and the common printable runes of other scripts) in one go, keeping its
// counts in local variables, and leaves every other rune to rune.
func writeText[T string | []byte](w *writer, p T) {
	if w.done() {
		return
	}
	limit := w.limit
	if limit == 0 {
		limit = math.MaxInt - 2
	}
	folds := w.policy == inline
	runes, space := w.runes, w.space
	for i := 0; i < len(p); {
		// j and k are the end of the run and the runes written with it.
		j, k := i, runes
		if space {
			k++
		}
		for j < len(p) && k < limit {
			// Printable ASCII, as much as fits, in a tight loop.
			end, from := j+min(len(p)-j, limit-k), j
			for j < end && p[j]-0x21 < 0x7f-0x21 { // '!' <= p[j] <= '~'
				j++
			}
			k += j - from
			if j == len(p) || k == limit {
				break
			}
			if c := p[j]; c == ' ' {
				if !folds {
					j, k = j+1, k+1
					continue
				}
				// A single space is kept when a printable rune follows and
				// fits; a run of white space is left to rune, to fold.
				if j+1 < len(p) && k+1 < limit && j > i {
					if c := p[j+1]; c-0x21 < 0x7f-0x21 || plainSize(p[j+1:min(j+4, len(p))]) > 0 {
						j, k = j+1, k+1
						continue
					}
				}
				break
			}
			size := plainSize(p[j:min(j+3, len(p))])
			if size == 0 {
				break
			}
			// Runes of the same length, as many as fit, in a tight loop.
			for {
				j, k = j+size, k+1
				if k == limit || j+size > len(p) || plainSize(p[j:j+size]) != size {
					break
				}
			}
		}
		if j > i {
			if len(w.buf)-w.n < j-i+1 {
				w.grow(j - i + 1)
			}
			if space {
				w.buf[w.n] = ' '
				w.n++
				space = false
			}
			w.n += copy(w.buf[w.n:], p[i:j])
			w.cr = false
			runes, i = k, j
			continue
		}
		r, size := rune(p[i]), 1
		if r >= utf8.RuneSelf {
			// Only the rune's bytes are converted, so a []byte p is not copied.
			r, size = utf8.DecodeRuneInString(string(p[i:min(i+utf8.UTFMax, len(p))]))
		}
		w.runes, w.space = runes, space
		w.rune(r)
		if w.cut {
			return
		}
		runes, space = w.runes, w.space
		i += size
	}
	w.runes, w.space = runes, space
}

// plainSize returns the length of the UTF-8 sequence at the start of p when
// it is valid and stands for a rune that is neither white space nor a
// control or bidirectional formatting character, and 0 when it cannot tell
// so from the bytes alone. It knows the two-byte sequences from U+00C0 to
// U+07FF (Latin, Greek, Cyrillic, Hebrew, Arabic...) but U+061C, and the
// three-byte ones from U+4000 to U+CFFF and U+E000 to U+FFFF (CJK,
// Hangul...), which cover most text.
func plainSize[T string | []byte](p T) int {
	switch c := p[0]; {
	case c >= 0xc3 && c <= 0xdf:
		if len(p) >= 2 && p[1]&0xc0 == 0x80 && (c != 0xd8 || p[1] != 0x9c) { // U+061C is D8 9C
			return 2
		}
	case c >= 0xe4 && c <= 0xec || c >= 0xee && c <= 0xef:
		if len(p) >= 3 && p[1]&0xc0 == 0x80 && p[2]&0xc0 == 0x80 {
			return 3
		}
	}
	return 0
}

// isSpace reports whether r is white space: the same answer as
// unicode.IsSpace, without its table lookups.
func isSpace(r rune) bool {
	switch {
	case r <= ' ':
		return r == ' ' || r >= '\t' && r <= '\r'
	case r < 0x85:
		return false
	case r < 0x100:
		return r == 0x85 || r == 0xa0
	default:
		return r == 0x1680 || r >= 0x2000 && r <= 0x200a ||
			r == 0x2028 || r == 0x2029 || r == 0x202f || r == 0x205f || r == 0x3000
	}
}

// isControl reports whether r is a C0 or C1 control character or DEL.
func isControl(r rune) bool { return r < ' ' || r >= 0x7f && r < 0xa0 }

// isBidi reports whether r is a bidirectional formatting character (the
// Unicode property Bidi_Control: U+061C, U+200E, U+200F, U+202A to U+202E,
// U+2066 to U+2069). Printed, one can reorder the text that follows it, so
// that what a reader sees is not what is stored.
func isBidi(r rune) bool {
	if r < 0x61c {
		return false
	}
	return r == 0x61c || r == 0x200e || r == 0x200f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}

// clean returns s cleaned by policy p, without a limit.
func clean(s string, p policy) string {
	w := writer{buf: make([]byte, len(s))}
	w.reset(p, 0)
	writeText(&w, s)
	return string(w.text())
}
