package redact

import (
	"bytes"
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
// A doc that is not valid JSON (that json.Valid rejects) is redacted as
// text, by String. JSON never fails and never panics, and when doc is valid
// JSON or valid UTF-8, so is the result. When nothing is replaced, JSON
// returns doc itself.
//
// JSON reads doc once, validating as it goes, and looks for the patterns'
// hints once in the whole of it: a pattern only runs on the strings that
// hold one of its hints (or could, through an escape).
func (r *Redactor) JSON(doc []byte) ([]byte, int) {
	if r.empty() {
		return doc, 0
	}
	w := walker{r: r, doc: doc, hits: r.hits(doc)}
	if n := len(r.patterns); n <= len(w.maskBuf) {
		w.mask, w.base = w.maskBuf[:n], w.baseBuf[:n]
	} else {
		w.mask, w.base = make([]bool, n), make([]bool, n)
	}
	for i := range r.patterns {
		w.base[i] = len(r.patterns[i].hints) == 0
	}
	if !w.walk() {
		return r.text(doc, nil)
	}
	if w.out == nil {
		return doc, 0
	}
	return append(w.out, doc[w.last:]...), w.n
}

// walker redacts a JSON document as it reads it, in one pass that also
// validates it.
type walker struct {
	r       *Redactor
	doc     []byte
	hits    []hit  // where the patterns' hints occur in doc
	next    int    // the first of hits not yet passed
	base    []bool // the patterns that may match any string: those without hints
	mask    []bool // the patterns that may match the current string
	baseBuf [16]bool
	maskBuf [16]bool
	out     []byte // the redacted document up to last; nil until a change
	last    int
	n       int
	scratch []byte // a decoded string
	open    containers
	secret  int // where the value of a secret key starts, or -1
	depth   int // how many containers hold that value
}

// walk redacts the document and reports whether it is valid JSON. When it
// is not, what walk wrote is to be thrown away.
func (w *walker) walk() bool {
	doc := w.doc
	w.secret = -1
	i := skipSpace(doc, 0)
	for {
		// A value starts at i.
		if i >= len(doc) {
			return false
		}
		ok := true
		switch c := doc[i]; c {
		case '{', '[':
			if !w.open.push(c == '{') {
				return false
			}
			i = skipSpace(doc, i+1)
			if i < len(doc) && doc[i] == c+2 { // '}' or ']'
				w.open.depth--
				i++
				break
			}
			if c == '{' {
				if i, ok = w.key(i); !ok {
					return false
				}
			}
			continue
		case '"':
			var end int
			var escaped bool
			if end, escaped, ok = scanString(doc, i); ok && w.secret < 0 {
				w.str(i, end, nil, escaped)
			}
			i = end
		case 't', 'f', 'n':
			i, ok = scanLiteral(doc, i)
		default:
			i, ok = scanNumber(doc, i)
		}
		if !ok {
			return false
		}
		// A value ended at i: what comes after it.
		for {
			if w.secret >= 0 && w.open.depth == w.depth {
				w.redactValue(w.secret, i)
				w.secret = -1
			}
			i = skipSpace(doc, i)
			if w.open.depth == 0 {
				return i == len(doc)
			}
			if i >= len(doc) {
				return false
			}
			object := w.open.inObject()
			if doc[i] == '}' && object || doc[i] == ']' && !object {
				w.open.depth--
				i++
				continue
			}
			if doc[i] != ',' {
				return false
			}
			i = skipSpace(doc, i+1)
			if object {
				if i, ok = w.key(i); !ok {
					return false
				}
			}
			break
		}
	}
}

// key reads the key of an object member at i, with the colon after it,
// and returns where the value starts. A key that names a secret makes the
// walker replace the value once it has read it.
func (w *walker) key(i int) (int, bool) {
	doc := w.doc
	if i >= len(doc) || doc[i] != '"' {
		return i, false
	}
	end, escaped, ok := scanString(doc, i)
	if !ok {
		return end, false
	}
	v := skipSpace(doc, end)
	if v >= len(doc) || doc[v] != ':' {
		return v, false
	}
	if w.secret < 0 {
		key := w.decode(i, end, escaped)
		if secret, _ := w.r.judge(key); secret {
			w.secret, w.depth = skipSpace(doc, v+1), w.open.depth
		}
		w.str(i, end, key, escaped)
	}
	return skipSpace(doc, v+1), true
}

// redactValue replaces the value doc[start:end] of a secret key by Marker,
// unless it hides nothing.
func (w *walker) redactValue(start, end int) {
	switch v := w.doc[start:end]; {
	case string(v) == "null", string(v) == "true", string(v) == "false", string(v) == `""`, string(v) == string(quotedMarker):
		return
	case len(v) > 2 && v[0] == '"' && bytes.IndexByte(v, '\\') < 0 && schemeAndMarkers(v[1:len(v)-1]):
		return // what text redaction leaves of "Authorization: Bearer abc"
	}
	w.cut(start, end)
	w.out = append(w.out, quotedMarker...)
	w.n++
}

// str redacts the string doc[start:end] by the text rules; text is its
// decoded content, or nil to decode it here, and escaped says whether it
// has escapes.
func (w *walker) str(start, end int, text []byte, escaped bool) {
	if text == nil {
		text = w.decode(start, end, escaped)
	}
	out, n := w.r.text(text, w.maskFor(start, end, escaped))
	if n == 0 {
		return
	}
	w.cut(start, end)
	w.out = appendQuoted(w.out, out)
	w.n += n
}

// maskFor returns which patterns may match the string doc[start:end]: a
// pattern may when one of its hints occurs inside it, when it has no hints,
// or when an escape in the string could hide a hint (escaped says there
// are escapes).
func (w *walker) maskFor(start, end int, escaped bool) []bool {
	for w.next < len(w.hits) && w.hits[w.next].pos <= start {
		w.next++
	}
	inside := w.next < len(w.hits) && w.hits[w.next].pos < end-1
	if !inside && !escaped {
		return w.base
	}
	copy(w.mask, w.base)
	for i := w.next; i < len(w.hits) && w.hits[i].pos < end-1; i++ {
		w.mask[w.hits[i].pattern] = true
	}
	if escaped {
		// A hint may be in the decoded text but not in the raw one only when
		// the string's escapes stand for one of the hint's bytes.
		esc := escapedBytes(w.doc[start+1 : end-1])
		for i := range w.r.patterns {
			w.mask[i] = w.mask[i] || esc.meets(&w.r.patterns[i].chars)
		}
	}
	return w.mask
}

// decode returns the content of the JSON string doc[start:end], without
// copying when it has no escapes.
func (w *walker) decode(start, end int, escaped bool) []byte {
	raw := w.doc[start+1 : end-1]
	if !escaped {
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

// schemeAndMarkers reports whether b is an authentication scheme, white
// space and nothing but markers: "Bearer [REDACTED]", as the text rules
// redact a credential.
func schemeAndMarkers(b []byte) bool {
	word := bareEnd(b, 0)
	t := word
	for t < len(b) && (b[t] == ' ' || b[t] == '\t') {
		t++
	}
	return t > word && t < len(b) && isScheme(b[:word]) && onlyMarkers(b[t:])
}
