package redact

import "bytes"

// findPairs appends to spans the values of the key=value, key: value and
// key => value pairs of b whose key names a secret (see Redactor.String).
func (r *Redactor) findPairs(b []byte, spans []span) []span {
	colon, equals := -2, -2 // the next ':' and '=' at or after i; -1 for none
	for i := 0; i < len(b); {
		if colon != -1 && colon < i {
			colon = indexFrom(b, i, ':')
		}
		if equals != -1 && equals < i {
			equals = indexFrom(b, i, '=')
		}
		sep := colon
		if sep < 0 || equals >= 0 && equals < sep {
			sep = equals
		}
		if sep < 0 {
			break
		}
		s, next := r.pairAt(b, sep)
		if s.start < s.end {
			spans = append(spans, s)
		}
		i = next
	}
	return spans
}

// indexFrom returns the index of the first c in b at or after i, or -1.
func indexFrom(b []byte, i int, c byte) int {
	if j := bytes.IndexByte(b[i:], c); j >= 0 {
		return i + j
	}
	return -1
}

// pairAt returns the secret value of the pair whose separator is at sep (an
// empty span when there is none), and where to look for the next one.
func (r *Redactor) pairAt(b []byte, sep int) (span, int) {
	none := span{}
	v := sep + 1 // where the value starts
	if v < len(b) {
		switch c, next := b[sep], b[v]; {
		case c == ':' && (next == ':' || next == '=' || next == '/'):
			return none, v + 1 // Class::method, :=, scheme://
		case c == '=' && next == '=':
			return none, v + 1
		case c == '=' && next == '>':
			v++ // 'key' => 'value'
		}
	}
	if c := b[sep]; c == '=' && sep > 0 && bytes.IndexByte([]byte("=!<>:"), b[sep-1]) >= 0 {
		return none, sep + 1
	}

	// The key, bare or quoted, just before the separator.
	k := sep
	for k > 0 && (b[k-1] == ' ' || b[k-1] == '\t') {
		k--
	}
	spaced := k < sep // "key = value", where "key= value" has no value
	if k > 0 && (b[k-1] == '"' || b[k-1] == '\'') {
		k--
		if k > 0 && b[k-1] == '\\' {
			k-- // an escaped quote, in text that holds JSON
		}
	}
	end := k
	for k > 0 && end-k < keyTail && isKeyByte(b[k-1]) {
		k--
	}
	if k == end {
		return none, sep + 1
	}
	secret, cookie := r.judge(b[k:end])
	if !secret {
		return none, sep + 1
	}

	// The value.
	for v < len(b) && (b[v] == ' ' || b[v] == '\t') && (spaced || b[sep] == ':') {
		v++
	}
	if v == len(b) {
		return none, v
	}
	var s span
	switch {
	case b[v] == '"' || b[v] == '\'':
		s = span{v + 1, quoted(b, v+1, b[v])}
	case b[v] == '\\' && v+1 < len(b) && b[v+1] == '"':
		e := bytes.Index(b[v+2:], []byte(`\"`))
		if e < 0 {
			e = lineEnd(b, v+2)
		} else {
			e += v + 2
		}
		s = span{v + 2, e}
	case cookie:
		s = span{v, lineEnd(b, v)}
	default:
		s = span{v, bareEnd(b, v)}
	}
	// Keep an authentication scheme: "Authorization: Bearer [REDACTED]".
	if word := bareEnd(b, s.start); isScheme(b[s.start:min(s.end, word)]) {
		t := word
		for t < len(b) && (b[t] == ' ' || b[t] == '\t') {
			t++
		}
		if t > word && t < len(b) && !isValueEnd(b[t]) {
			if s.end <= t { // a bare scheme: the credential follows it
				s.end = bareEnd(b, t)
			}
			s.start = t
		}
	}
	return s, max(s.end, v+1)
}

// quoted returns the end of the text quoted by q that starts at i: the
// closing quote, the end of the line, or the end of b. A backslash escapes
// the byte after it.
func quoted(b []byte, i int, q byte) int {
	for ; i < len(b); i++ {
		switch b[i] {
		case q, '\n':
			return i
		case '\\':
			if i+1 < len(b) && b[i+1] != '\n' {
				i++
			}
		}
	}
	return len(b)
}

// lineEnd returns the end of the line that i is on.
func lineEnd(b []byte, i int) int {
	if j := bytes.IndexAny(b[i:], "\r\n"); j >= 0 {
		return i + j
	}
	return len(b)
}

// bareEnd returns the end of the bare value that starts at i.
func bareEnd(b []byte, i int) int {
	for i < len(b) && !isValueEnd(b[i]) {
		i++
	}
	return i
}

// isValueEnd reports whether c ends a bare value.
func isValueEnd(c byte) bool {
	switch c {
	case ' ', '\t', '\n', '\r', '\f', '\v', '"', '\'', '`', '\\', ',', ';', '&', '<', '>', ')', ']', '}':
		return true
	}
	return false
}

// isKeyByte reports whether c may be part of a key in text.
func isKeyByte(c byte) bool {
	return isLetter(c) || '0' <= c && c <= '9' || c == '_' || c == '-' || c == '.'
}

// isScheme reports whether w is an HTTP authentication scheme whose
// credential follows it.
func isScheme(w []byte) bool {
	for _, s := range [...]string{"bearer", "basic", "token", "digest", "negotiate", "ntlm", "apikey", "key"} {
		if len(w) == len(s) && bytes.EqualFold(w, []byte(s)) {
			return true
		}
	}
	return false
}
