package sqlstore

import (
	"bytes"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Default size limits of what the recorder writes (see Config).
const (
	DefaultSummaryLimit = 4 << 10   // bytes of error_summary
	DefaultPayloadLimit = 256 << 10 // bytes of error_payload
	DefaultMetricsLimit = 64 << 10  // bytes of metrics_json

	minLimit = 256 // the smallest limit a Config may set
)

// truncatedKey is the member that a metrics object cut to its limit ends
// with: {"original_size": <bytes>, "members_omitted": <count>}.
const truncatedKey = "_truncated"

// cleanText returns s with every NUL byte and every byte of invalid UTF-8
// replaced by U+FFFD: PostgreSQL's text cannot hold a NUL, and none of the
// databases is asked to store invalid UTF-8, so every database stores the
// same text.
func cleanText(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == 0 || r == utf8.RuneError && size == 1 {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// cleanJSON returns doc, a valid JSON document, with each byte of invalid
// UTF-8 replaced by U+FFFD. Valid JSON holds no raw NUL (control characters
// are escaped), and invalid bytes can only stand inside strings, so the
// result is valid JSON too.
func cleanJSON(doc []byte) []byte {
	if utf8.Valid(doc) {
		return doc
	}
	return []byte(cleanText(string(doc)))
}

// oneLine returns an error message on one line: each run of line breaks
// (CR, LF, and the Unicode line and paragraph separators), with the white
// space around it, becomes one space.
func oneLine(s string) string {
	if !strings.ContainsAny(s, "\r\n\u2028\u2029") {
		return s
	}
	lines := strings.FieldsFunc(s, func(r rune) bool {
		return r == '\r' || r == '\n' || r == '\u2028' || r == '\u2029'
	})
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	lines = slices.DeleteFunc(lines, func(l string) bool { return l == "" })
	return strings.Join(lines, " ")
}

// cutText returns s cut to at most limit bytes at a character boundary,
// ending with a note of its size when cut: "… (cut from 123456 bytes)".
func cutText(s string, limit int) string {
	if len(s) <= limit {
		return s
	}
	note := "… (cut from " + strconv.Itoa(len(s)) + " bytes)"
	return prefix(s, limit-len(note)) + note
}

// prefix returns the longest start of s of at most n bytes that ends at a
// character boundary.
func prefix(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// boundMetrics returns doc, a valid JSON document, within limit bytes. An
// object over the limit keeps its first members that fit, then ends with
// the member "_truncated": {"original_size": ..., "members_omitted": ...};
// any other value over the limit becomes an object of that member alone.
func boundMetrics(doc []byte, limit int) []byte {
	if len(doc) <= limit {
		return doc
	}
	members, ok := objectMembers(doc)
	if !ok {
		members = nil
	}
	note := func(omitted int) []byte {
		return []byte(`"` + truncatedKey + `":{"original_size":` + strconv.Itoa(len(doc)) +
			`,"members_omitted":` + strconv.Itoa(omitted) + `}`)
	}
	var b bytes.Buffer
	b.WriteByte('{')
	kept := 0
	for _, m := range members {
		// Room for this member, a comma and the closing note.
		if b.Len()+len(m)+1+len(note(len(members)))+2 > limit {
			break
		}
		b.Write(m)
		b.WriteByte(',')
		kept++
	}
	b.Write(note(len(members) - kept))
	b.WriteByte('}')
	return b.Bytes()
}

// objectMembers splits a JSON object into its members, each `"key":value`
// as written (compacted); ok is false when doc is not an object.
func objectMembers(doc []byte) (members [][]byte, ok bool) {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return nil, false
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return nil, false
		}
		key, _ := json.Marshal(t.(string))
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return nil, false
		}
		var m bytes.Buffer
		m.Write(key)
		m.WriteByte(':')
		if err := json.Compact(&m, value); err != nil {
			return nil, false
		}
		members = append(members, m.Bytes())
	}
	return members, true
}
