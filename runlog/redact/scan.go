package redact

import (
	"bytes"
	"encoding/binary"
)

// The JSON syntax, as encoding/json accepts it: json.Valid and the walker
// agree on every document (the tests check it on the JSONTestSuite cases
// and by fuzzing).

// maxDepth is the deepest nesting of objects and arrays encoding/json
// accepts.
const maxDepth = 10000

// skipSpace returns the index of the first byte at or after i that is not
// JSON white space.
func skipSpace(doc []byte, i int) int {
	for i < len(doc) && (doc[i] == ' ' || doc[i] == '\t' || doc[i] == '\n' || doc[i] == '\r') {
		i++
	}
	return i
}

// Bytes repeated in each of the eight lanes of a word.
const (
	ones  = 0x0101010101010101
	highs = 0x8080808080808080
)

// plainWord reports whether none of the eight bytes of x is a quote, a
// backslash or a control character, the bytes that end a run of plain
// string text.
func plainWord(x uint64) bool {
	control := (x - ones*0x20) &^ x & highs // a byte below 0x20
	q := x ^ ones*'"'
	quote := (q - ones) &^ q & highs
	s := x ^ ones*'\\'
	slash := (s - ones) &^ s & highs
	return control|quote|slash == 0
}

// scanString returns the end of the JSON string that starts at doc[i] (a
// quote), just past its closing quote, whether it has escapes, and whether
// it is well formed.
func scanString(doc []byte, i int) (end int, escaped, ok bool) {
	j := i + 1
	for {
		for j+8 <= len(doc) && plainWord(binary.LittleEndian.Uint64(doc[j:])) {
			j += 8
		}
		for j < len(doc) && doc[j] >= ' ' && doc[j] != '"' && doc[j] != '\\' {
			j++
		}
		if j >= len(doc) {
			return j, escaped, false
		}
		switch doc[j] {
		case '"':
			return j + 1, escaped, true
		case '\\':
			escaped = true
			if j+1 >= len(doc) {
				return j, escaped, false
			}
			switch doc[j+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				j += 2
			case 'u':
				if hex4(doc[j+2:]) < 0 {
					return j, escaped, false
				}
				j += 6
			default:
				return j, escaped, false
			}
		default: // a control character
			return j, escaped, false
		}
	}
}

// scanNumber returns the end of the JSON number that starts at doc[i], and
// whether it is well formed.
func scanNumber(doc []byte, i int) (int, bool) {
	digits := func() bool {
		start := i
		for i < len(doc) && '0' <= doc[i] && doc[i] <= '9' {
			i++
		}
		return i > start
	}
	if doc[i] == '-' {
		i++
	}
	switch {
	case i < len(doc) && doc[i] == '0':
		i++
	case !digits():
		return i, false
	}
	if i < len(doc) && doc[i] == '.' {
		i++
		if !digits() {
			return i, false
		}
	}
	if i < len(doc) && (doc[i] == 'e' || doc[i] == 'E') {
		i++
		if i < len(doc) && (doc[i] == '+' || doc[i] == '-') {
			i++
		}
		if !digits() {
			return i, false
		}
	}
	return i, true
}

// scanLiteral returns the end of the literal true, false or null that
// starts at doc[i], and whether it is one.
func scanLiteral(doc []byte, i int) (int, bool) {
	for _, lit := range [...]string{"true", "false", "null"} {
		if bytes.HasPrefix(doc[i:], []byte(lit)) {
			return i + len(lit), true
		}
	}
	return i, false
}

// containers is a stack of the objects and arrays a document has open.
type containers struct {
	objects [maxDepth/64 + 1]uint64 // bit n: the container at depth n is an object
	depth   int
}

// push opens a container; false when that nests too deep.
func (s *containers) push(object bool) bool {
	if s.depth >= maxDepth {
		return false
	}
	bit := uint64(1) << (s.depth % 64)
	if object {
		s.objects[s.depth/64] |= bit
	} else {
		s.objects[s.depth/64] &^= bit
	}
	s.depth++
	return true
}

// inObject reports whether the innermost open container is an object.
func (s *containers) inObject() bool {
	d := s.depth - 1
	return s.objects[d/64]&(1<<(d%64)) != 0
}
