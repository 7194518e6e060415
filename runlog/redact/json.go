package redact

import (
	"bytes"
	"encoding/json"
	"unicode/utf16"
	"unicode/utf8"
)

// quotedMarker is Marker as a JSON string.
var quotedMarker = []byte(`"` + Marker + `"`)

// JSON returns the JSON document doc with its secrets replaced by Marker,
// and how many were replaced.
//
// The value of each object member whose key names a secret (see
// Rules.Keys) becomes the JSON string Marker, whatever it was, an object or
// an array included; null, true, false and "" stay, as they hide nothing.
// Every other string, keys included, goes through the rules of String, and
// is written back as a JSON string when something in it was replaced. All
// else stays byte for byte: members in document order, numbers as written,
// white space, and strings where nothing was replaced, escapes included.
//
// A doc that is not valid JSON (by json.Valid) is redacted as text, by
// String. JSON never fails and never panics, and when doc is valid JSON or
// valid UTF-8, so is the result. When nothing is replaced, JSON returns doc
// itself.
func (r *Redactor) JSON(doc []byte) ([]byte, int) {
	if r.empty() {
		return doc, 0
	}
	if !json.Valid(doc) {
		return r.text(doc, nil)
	}
	w := walker{r: r, doc: doc}
	// A pattern whose hints are nowhere in doc matches no string that has
	// no escapes; strings with escapes are decoded and checked one by one.
	if len(r.patterns) <= len(w.activeBuf) {
		w.active = w.activeBuf[:len(r.patterns)]
	} else {
		w.active = make([]bool, len(r.patterns))
	}
	for i := range r.patterns {
		w.active[i] = r.patterns[i].hinted(doc)
	}
	w.walk()
	if w.out == nil {
		return doc, 0
	}
	return append(w.out, doc[w.last:]...), w.n
}

// walker redacts a valid JSON document. It visits each string, and knows a
// key from a value by the colon that follows it, so it keeps no stack.
type walker struct {
	r         *Redactor
	doc       []byte
	active    []bool // the patterns whose hints occur in doc
	activeBuf [32]bool
	out       []byte // the redacted document up to last; nil until a change
	last      int
	n         int
	scratch   []byte // a decoded string
}

func (w *walker) walk() {
	doc := w.doc
	for i := 0; ; {
		j := bytes.IndexByte(doc[i:], '"')
		if j < 0 {
			return
		}
		start := i + j
		end := stringEnd(doc, start)
		i = skipSpace(doc, end)
		if i < len(doc) && doc[i] == ':' {
			i = w.member(start, end, skipSpace(doc, i+1))
		} else {
			w.str(start, end, nil)
		}
	}
}

// member redacts the member whose key is the string doc[start:end] and
// whose value starts at v, and returns where the walk goes on.
func (w *walker) member(start, end, v int) int {
	key := w.decode(start, end)
	secret, _ := w.r.judge(key)
	w.str(start, end, key)
	if !secret {
		return v
	}
	ve := valueEnd(w.doc, v)
	switch string(w.doc[v:ve]) {
	case "null", "true", "false", `""`, string(quotedMarker):
		return ve
	}
	w.cut(v, ve)
	w.out = append(w.out, quotedMarker...)
	w.n++
	return ve
}

// str redacts the string doc[start:end] by the text rules; text is its
// decoded content, or nil to decode it here.
func (w *walker) str(start, end int, text []byte) {
	if text == nil {
		text = w.decode(start, end)
	}
	active := w.active
	if len(text) != end-start-2 {
		active = nil // escapes could hide a hint from the document check
	}
	out, n := w.r.text(text, active)
	if n == 0 {
		return
	}
	w.cut(start, end)
	w.out = appendQuoted(w.out, out)
	w.n += n
}

// decode returns the content of the JSON string doc[start:end], without
// copying when it has no escapes.
func (w *walker) decode(start, end int) []byte {
	raw := w.doc[start+1 : end-1]
	if bytes.IndexByte(raw, '\\') < 0 {
		return raw
	}
	w.scratch = unquote(w.scratch[:0], raw)
	return w.scratch
}

// cut copies the document up to start to the output, and skips to end,
// whose replacement the caller then appends.
func (w *walker) cut(start, end int) {
	if w.out == nil {
		w.out = make([]byte, 0, len(w.doc)+64)
	}
	w.out = append(w.out, w.doc[w.last:start]...)
	w.last = end
}

// stringEnd returns the end of the JSON string that starts at i, just past
// its closing quote.
func stringEnd(doc []byte, i int) int {
	for j := i + 1; ; {
		q := bytes.IndexByte(doc[j:], '"')
		if q < 0 {
			return len(doc) // not in a valid document
		}
		q += j
		b := q
		for b > i+1 && doc[b-1] == '\\' {
			b--
		}
		if (q-b)%2 == 0 {
			return q + 1
		}
		j = q + 1
	}
}

// valueEnd returns the end of the JSON value that starts at i.
func valueEnd(doc []byte, i int) int {
	switch doc[i] {
	case '"':
		return stringEnd(doc, i)
	case '{', '[':
		depth := 0
		for i < len(doc) {
			switch doc[i] {
			case '"':
				i = stringEnd(doc, i)
				continue
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1
				}
			}
			i++
		}
		return len(doc)
	}
	for i < len(doc) {
		switch doc[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i
		}
		i++
	}
	return i
}

// skipSpace returns the index of the first byte at or after i that is not
// JSON white space.
func skipSpace(doc []byte, i int) int {
	for i < len(doc) && (doc[i] == ' ' || doc[i] == '\t' || doc[i] == '\n' || doc[i] == '\r') {
		i++
	}
	return i
}

// unquote appends to dst the content of a valid JSON string without its
// quotes, raw, decoded as encoding/json does: a surrogate escape that is
// not half of a pair becomes U+FFFD. Other bytes are copied as they are.
func unquote(dst, raw []byte) []byte {
	for {
		i := bytes.IndexByte(raw, '\\')
		if i < 0 || i+1 >= len(raw) {
			return append(dst, raw...)
		}
		dst = append(dst, raw[:i]...)
		c := raw[i+1]
		raw = raw[i+2:]
		switch c {
		case 'b':
			dst = append(dst, '\b')
		case 'f':
			dst = append(dst, '\f')
		case 'n':
			dst = append(dst, '\n')
		case 'r':
			dst = append(dst, '\r')
		case 't':
			dst = append(dst, '\t')
		case 'u':
			r := hex4(raw)
			raw = raw[min(4, len(raw)):]
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if len(raw) >= 6 && raw[0] == '\\' && raw[1] == 'u' {
					r2 = hex4(raw[2:])
				}
				if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
					r = d
					raw = raw[6:]
				} else {
					r = utf8.RuneError
				}
			}
			dst = utf8.AppendRune(dst, r)
		default: // '"', '\\', '/'
			dst = append(dst, c)
		}
	}
}

// hex4 returns the value of the four hex digits that start b, or -1.
func hex4(b []byte) rune {
	if len(b) < 4 {
		return -1
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return -1
		}
		r = r<<4 | rune(c)
	}
	return r
}

// appendQuoted appends s to dst as a JSON string. Bytes that are not valid
// UTF-8 are copied as they are, as they came.
func appendQuoted(dst, s []byte) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i, c := range s {
		if c >= ' ' && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		switch c {
		case '"', '\\':
			dst = append(dst, '\\', c)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
		}
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
