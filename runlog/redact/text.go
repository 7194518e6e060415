package redact

import "bytes"

var marker = []byte(Marker)

// span is the part [start, end) of a text to replace with Marker.
type span struct{ start, end int }

// text applies the patterns, then the pairs, to b, and returns the result
// and how many values were replaced; b itself, and 0, when none was. b is
// never written to. mask, when not nil, tells which patterns may match;
// the others are not tried.
func (r *Redactor) text(b []byte, mask []bool) ([]byte, int) {
	n := 0
	var spans []span
	var present byteSet // the bytes of b
	present.addAll(b)
	for i := range r.patterns {
		p := &r.patterns[i]
		if mask != nil && !mask[i] || !p.hinted(b, &present) {
			continue
		}
		if spans = p.find(b, spans[:0]); len(spans) > 0 {
			var k int
			b, k = replace(b, spans)
			n += k
			present = byteSet{} // the markers' bytes are in b now
			present.addAll(b)
		}
	}
	if r.pairs && len(r.keys) > 0 {
		if spans = r.findPairs(b, spans[:0]); len(spans) > 0 {
			var k int
			b, k = replace(b, spans)
			n += k
		}
	}
	return b, n
}

// hinted reports whether b, whose bytes are present, holds one of p's
// hints, or p has none. A text short of every hint's anchor byte is passed
// over at once: most texts are.
func (p *pattern) hinted(b []byte, present *byteSet) bool {
	if len(p.hints) == 0 {
		return true
	}
	if !present.meets(&p.anchors) {
		return false
	}
	for _, h := range p.hints {
		if bytes.Contains(b, h.text) {
			return true
		}
	}
	return false
}

// find appends to spans the secrets p finds in b.
func (p *pattern) find(b []byte, spans []span) []span {
	if p.group == 0 && p.check == nil {
		for _, m := range p.re.FindAllIndex(b, -1) {
			if m[0] < m[1] {
				spans = append(spans, span{m[0], m[1]})
			}
		}
		return spans
	}
	for _, m := range p.re.FindAllSubmatchIndex(b, -1) {
		s, e := m[2*p.group], m[2*p.group+1]
		if s < 0 || s == e || p.check != nil && !p.check(string(b[s:e])) {
			continue
		}
		spans = append(spans, span{s, e})
	}
	return spans
}

// replace returns b with each of spans (in order, not overlapping) replaced
// by Marker, and how many were. A span that cuts into a marker already in b
// grows to take it in whole, spans that then overlap become one, and one
// that holds nothing but markers is left: so no marker is ever broken, and
// nothing is replaced twice.
func replace(b []byte, spans []span) ([]byte, int) {
	var marks []span
	if bytes.Contains(b, marker) {
		for i := 0; ; {
			j := bytes.Index(b[i:], marker)
			if j < 0 {
				break
			}
			marks = append(marks, span{i + j, i + j + len(marker)})
			i += j + len(marker)
		}
	}
	var out []byte
	last, n := 0, 0
	m := 0 // the first marker that may touch the current span
	for k := 0; k < len(spans); {
		s := spans[k]
		k++
		// Take in the markers s cuts into, and the spans that then overlap.
		for {
			grown := false
			for m < len(marks) && marks[m].end <= s.start {
				m++
			}
			for j := m; j < len(marks) && marks[j].start < s.end; j++ {
				if marks[j].start < s.start || marks[j].end > s.end {
					s.start, s.end = min(s.start, marks[j].start), max(s.end, marks[j].end)
					grown = true
				}
			}
			for k < len(spans) && spans[k].start < s.end {
				s.end = max(s.end, spans[k].end)
				k++
				grown = true
			}
			if !grown {
				break
			}
		}
		if s.start < last {
			s.start = last // a marker already written
		}
		if onlyMarkers(b[s.start:s.end]) {
			continue
		}
		if out == nil {
			out = make([]byte, 0, len(b)+len(spans)*len(marker))
		}
		out = append(out, b[last:s.start]...)
		out = append(out, marker...)
		last = s.end
		n++
	}
	if n == 0 {
		return b, 0
	}
	return append(out, b[last:]...), n
}

// onlyMarkers reports whether b is nothing but markers (or empty).
func onlyMarkers(b []byte) bool {
	for len(b) > 0 {
		if !bytes.HasPrefix(b, marker) {
			return false
		}
		b = b[len(marker):]
	}
	return true
}
