package redact

import (
	"bytes"
	"slices"
	"strings"
)

// hint is a literal that must occur in text for a pattern to run.
type hint struct {
	text   []byte
	anchor int // the index of its rarest byte, searched for first
}

// newHint returns h with the byte of h that is likely rarest in logs as
// its anchor, so that finding it skips the most text at a time.
func newHint(h string) hint {
	a := 0
	for i := range len(h) {
		if commonness(h[i]) < commonness(h[a]) {
			a = i
		}
	}
	return hint{text: []byte(h), anchor: a}
}

// commonness ranks how often c occurs in log text and JSON, roughly.
func commonness(c byte) int {
	const lower = "etaoinsrhldcumfpgwybvkxjqz" // most frequent first
	switch {
	case 'a' <= c && c <= 'z':
		return 100 - strings.IndexByte(lower, c)
	case c == ' ' || c == '"' || c == ':' || c == ',':
		return 200 // JSON is made of them
	case c == '-' || c == '.':
		return 90 // dates, numbers, IDs, file names
	case c == '/':
		return 80
	case '0' <= c && c <= '9':
		return 60
	case c == '_':
		return 50
	case 'A' <= c && c <= 'Z':
		return 30
	}
	return 20
}

// byteSet is a set of bytes.
type byteSet [4]uint64

func (s *byteSet) add(c byte)            { s[c/64] |= 1 << (c % 64) }
func (s *byteSet) meets(t *byteSet) bool { return s[0]&t[0]|s[1]&t[1]|s[2]&t[2]|s[3]&t[3] != 0 }
func (s *byteSet) addAll(b []byte) {
	for _, c := range b {
		s.add(c)
	}
}
func (s *byteSet) addNonASCII() { s[2], s[3] = ^uint64(0), ^uint64(0) }

// escapedBytes returns the bytes that the escapes of the raw JSON string text
// stand for (every byte from 0x80 up for a \u escape of a non-ASCII
// character): the bytes of the decoded text that a search of the raw text
// cannot see.
func escapedBytes(raw []byte) byteSet {
	var set byteSet
	for {
		i := bytes.IndexByte(raw, '\\')
		if i < 0 || i+1 >= len(raw) {
			return set
		}
		c := raw[i+1]
		raw = raw[i+2:]
		switch c {
		case 'b':
			set.add('\b')
		case 'f':
			set.add('\f')
		case 'n':
			set.add('\n')
		case 'r':
			set.add('\r')
		case 't':
			set.add('\t')
		case 'u':
			if r := hex4(raw); 0 <= r && r < 0x80 {
				set.add(byte(r))
			} else {
				set.addNonASCII()
			}
		default:
			set.add(c)
		}
	}
}

// anchor is the hints that share an anchor byte, found in one search.
type anchor struct {
	c     byte
	hints []anchored
}

// anchored is a hint of a pattern.
type anchored struct {
	hint
	pattern int
}

// addAnchor files h, a hint of pattern, under its anchor byte.
func (r *Redactor) addAnchor(h hint, pattern int) {
	c := h.text[h.anchor]
	for i := range r.anchors {
		if r.anchors[i].c == c {
			r.anchors[i].hints = append(r.anchors[i].hints, anchored{h, pattern})
			return
		}
	}
	r.anchors = append(r.anchors, anchor{c, []anchored{{h, pattern}}})
}

// hit is where a hint of pattern occurs in a document.
type hit struct{ pos, pattern int }

// hits returns where the hints of r's patterns occur in doc, in order.
func (r *Redactor) hits(doc []byte) []hit {
	var all []hit
	for _, a := range r.anchors {
		for i := 0; i < len(doc); {
			j := bytes.IndexByte(doc[i:], a.c)
			if j < 0 {
				break
			}
			for _, h := range a.hints {
				if at := i + j - h.anchor; at >= 0 && doc[at] == h.text[0] && bytes.HasPrefix(doc[at:], h.text) {
					all = append(all, hit{at, h.pattern})
				}
			}
			i += j + 1
		}
	}
	slices.SortFunc(all, func(a, b hit) int { return a.pos - b.pos })
	return all
}
