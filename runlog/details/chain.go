package details

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// readPayload reads an error payload into the card: the thrown exception,
// at most PreviousExceptions previous ones, how many deeper ones are left
// out, and what the writer says it redacted and cut.
func readPayload(payload []byte, card *Card) {
	// Validating first means the reader below meets only valid JSON, nested
	// at most MaxDepth deep.
	if err := validate(payload); err != nil {
		card.PayloadErr = err
		return
	}
	r := chainReader{s: scanner{data: payload}}
	r.s.space()
	c := r.exception(true, true)
	if c.n == 0 || !c.links[0].ok {
		card.PayloadErr = ErrNoException
		return
	}
	card.Exceptions = make([]Exception, c.n)
	for i, l := range c.links[:c.n] {
		card.Exceptions[i] = l.text()
	}
	card.MoreExceptions = c.more
	card.Redacted, card.OriginalSize = r.redacted, r.originalSize
}

// link is one exception of a chain as read, its fields still raw JSON.
type link struct {
	raw []byte // the whole value
	// ok reports that raw is an exception: a string (its message), or an
	// object with at least one field of an exception. Otherwise the card
	// shows raw itself.
	ok                  bool
	typ, message, trace []byte // nil when absent
}

// text returns the exception l stands for, its text cleaned.
func (l link) text() Exception {
	if !l.ok {
		return Exception{Message: clean(compact(l.raw), block)}
	}
	return Exception{Type: valueText(l.typ, inline), Message: valueText(l.message, block), Trace: traceText(l.trace)}
}

// chain is an exception and the exceptions it leads to, nearest first: at
// most the card's worth of them, and a count of the rest.
type chain struct {
	links [1 + PreviousExceptions]link
	n     int // links used
	more  int // exceptions left out
}

// add appends o to c, counting what does not fit.
func (c *chain) add(o *chain) {
	for _, l := range o.links[:o.n] {
		if c.n < len(c.links) {
			c.links[c.n] = l
			c.n++
		} else {
			c.more = addCount(c.more, 1)
		}
	}
	c.more = addCount(c.more, o.more)
}

// chainReader reads the exception chain of a valid JSON payload in one
// pass: each exception object is read once, its "previous" and
// "exception" objects as they are met, so that the cost follows the size
// of the payload whatever its shape. Skipping a nested previous exception
// to reach the fields after it, and reading it again later, would cost
// the size of the payload for each level of the chain.
//
// It calls itself for each level of the chain; the payload was validated,
// so that is at most MaxDepth calls deep.
type chainReader struct {
	s     scanner
	depth int // the exception objects open

	// The counts the payload's outermost object holds, from the writer.
	redacted, originalSize int
}

// field names a field of an exception object that the reader knows.
type field int

const (
	fieldNone field = iota
	fieldType
	fieldClass
	fieldException
	fieldMessage
	fieldTrace
	fieldStack
	fieldStacktrace
	fieldPrevious
	fieldOmitted
	// The fields before fieldRedacted make an object an exception; the
	// writer's counts alone do not.
	fieldRedacted
	fieldOriginalSize
	fieldCount // the number of fields
)

// fieldNames are the names of the fields, matched without regard to case.
var fieldNames = [fieldCount]string{
	fieldType: "type", fieldClass: "class", fieldException: "exception", fieldMessage: "message",
	fieldTrace: "trace", fieldStack: "stack", fieldStacktrace: "stacktrace",
	fieldPrevious: "previous", fieldOmitted: "previous_omitted",
	fieldRedacted: "redacted", fieldOriginalSize: "original_size",
}

// fieldOf returns the field named by key, a JSON string as written.
func fieldOf(key []byte) field {
	name := key[1 : len(key)-1]
	plain := true // ASCII without escapes, compared as it is
	for _, c := range name {
		plain = plain && c != '\\' && c < utf8.RuneSelf
	}
	for f, n := range fieldNames {
		if n == "" || plain && len(name) != len(n) {
			continue
		}
		if plain && asciiEqualFold(name, n) || !plain && strings.EqualFold(decode(key, exact), n) {
			return field(f)
		}
	}
	return fieldNone
}

// asciiEqualFold reports whether the ASCII texts a and b, of the same
// length, are equal without regard to case.
func asciiEqualFold(a []byte, b string) bool {
	lower := func(c byte) byte {
		if c >= 'A' && c <= 'Z' {
			return c + 'a' - 'A'
		}
		return c
	}
	for i, c := range a {
		if lower(c) != lower(b[i]) {
			return false
		}
	}
	return true
}

// exception reads the value at the reader's position as one exception,
// and, with follow, the exceptions its "previous" field leads to. A string
// is a message; an object is read by its fields (see the package
// documentation); any other value is no exception.
//
// With unwrap, an exception object under an "exception" field is read in
// place of the object that holds it, as Laravel's logger writes them;
// only once, so the inner object's own "exception" object is not.
func (r *chainReader) exception(follow, unwrap bool) chain {
	s := &r.s
	start := s.pos
	var c chain
	c.n = 1
	switch s.peek() {
	case '"':
		_ = s.str(nil, false)
		c.links[0] = link{raw: s.data[start:s.pos], ok: true, message: s.data[start:s.pos]}
		return c
	case '{':
	default:
		_ = s.value(nil, 0)
		c.links[0] = link{raw: s.data[start:s.pos]}
		return c
	}

	var values [fieldCount][]byte // the first value of each field, raw
	var previous, inner chain
	var innerOK bool
	r.depth++
	r.members(func(key []byte) {
		f := fieldOf(key)
		from := s.pos
		switch {
		case f == fieldNone || values[f] != nil:
			_ = s.value(nil, 0)
		case f == fieldPrevious && follow:
			previous = r.previous()
		case f == fieldException && unwrap && s.peek() == '{':
			inner = r.exception(follow, false)
			innerOK = inner.links[0].ok
		default:
			_ = s.value(nil, 0)
		}
		if f != fieldNone && values[f] == nil {
			values[f] = s.data[from:s.pos]
		}
	})
	r.depth--
	if r.depth == 0 {
		r.redacted, r.originalSize = count(values[fieldRedacted]), count(values[fieldOriginalSize])
	}
	if innerOK {
		return inner
	}

	l := link{raw: s.data[start:s.pos]}
	for _, v := range values[:fieldRedacted] {
		l.ok = l.ok || v != nil
	}
	if !l.ok {
		c.links[0] = l
		return c
	}
	for _, v := range [][]byte{values[fieldType], values[fieldClass], values[fieldException]} {
		if v != nil && v[0] != '{' {
			l.typ = v
			break
		}
	}
	l.message = values[fieldMessage]
	l.trace = firstOf(values[fieldTrace], values[fieldStack], values[fieldStacktrace])
	c.links[0] = l
	c.more = count(values[fieldOmitted])
	c.add(&previous)
	return c
}

// count returns the JSON value raw as a count: a whole number above 0 as
// written, anything else, or none, as 0.
func count(raw []byte) int {
	if len(raw) == 0 || raw[0] < '1' || raw[0] > '9' {
		return 0 // and strconv allocates no error
	}
	if n, err := strconv.Atoi(string(raw)); err == nil && n > 0 {
		return n
	}
	return 0
}

// previous reads the value of a "previous" field: one exception object
// and the chain it leads to, a list of exceptions, nearest first (whose
// own previous fields are not followed), or null for none.
func (r *chainReader) previous() chain {
	s := &r.s
	switch s.peek() {
	case 'n': // null
		_ = s.value(nil, 0)
		return chain{}
	case '[':
	default:
		return r.exception(true, true)
	}
	var c chain
	s.pos++
	s.space()
	if s.peek() == ']' {
		s.pos++
		return c
	}
	for {
		s.space()
		item := r.exception(false, true)
		c.add(&item)
		s.space()
		if s.peek() != ',' {
			s.pos++ // ']'
			return c
		}
		s.pos++
	}
}

// members reads the object at the reader's position, calling member with
// each member's key, as written, and the reader at its value, which member
// must read.
func (r *chainReader) members(member func(key []byte)) {
	s := &r.s
	s.pos++ // '{'
	s.space()
	if s.peek() == '}' {
		s.pos++
		return
	}
	for s.pos < len(s.data) {
		start := s.pos
		_ = s.str(nil, false)
		key := s.data[start:s.pos]
		s.space()
		s.pos++ // ':'
		s.space()
		member(key)
		s.space()
		if s.peek() != ',' {
			s.pos++ // '}'
			return
		}
		s.pos++
		s.space()
	}
}

// firstOf returns the first of vs that is not nil.
func firstOf(vs ...[]byte) []byte {
	for _, v := range vs {
		if v != nil {
			return v
		}
	}
	return nil
}
