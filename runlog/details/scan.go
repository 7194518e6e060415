package details

import "unicode/utf16"

// scanner reads JSON text (RFC 8259) from data, validating as it goes. It
// never recurses and never allocates: nesting is tracked in a fixed bit
// stack, so input nested MaxDepth levels or deeper costs the same small,
// bounded memory and gives ErrTooDeep.
//
// Its methods take a writer: when it is nil (or done) they only skip, and
// otherwise they also write what they read. A scanning method that fails
// returns ErrMalformedJSON or ErrTooDeep and leaves pos at the offending
// byte.
type scanner struct {
	data []byte
	pos  int
}

// space skips JSON white space.
func (s *scanner) space() {
	for s.pos < len(s.data) {
		if c := s.data[s.pos]; c > ' ' || c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return
		}
		s.pos++
	}
}

// peek returns the byte at pos, or 0 at the end of the data.
func (s *scanner) peek() byte {
	if s.pos < len(s.data) {
		return s.data[s.pos]
	}
	return 0
}

// end checks that only white space follows pos.
func (s *scanner) end() error {
	s.space()
	if s.pos < len(s.data) {
		return ErrMalformedJSON
	}
	return nil
}

// value reads the value at pos (after white space), which sits inside depth
// enclosing objects and arrays. It writes the value's compact JSON text to
// w: white space between tokens dropped, strings as written.
func (s *scanner) value(w *writer, depth int) error {
	var objects [MaxDepth/64 + 1]uint64 // bit n: the container at level n is an object
	level := 0                          // containers opened by this call and not yet closed
	for {
		s.space()
		switch c := s.peek(); c {
		case '{', '[':
			if depth+level >= MaxDepth {
				return ErrTooDeep
			}
			if c == '{' {
				objects[level/64] |= 1 << (level % 64)
			} else {
				objects[level/64] &^= 1 << (level % 64)
			}
			level++
			s.pos++
			w.rune(rune(c))
			s.space()
			if s.peek() == c+2 { // '}' and ']' follow '{' and '[' by two
				s.pos++
				w.rune(rune(c + 2))
				level--
				break
			}
			if c == '{' {
				if err := s.key(w); err != nil {
					return err
				}
			}
			continue
		case '"':
			if err := s.str(w, false); err != nil {
				return err
			}
		case 't':
			if err := s.literal(w, "true"); err != nil {
				return err
			}
		case 'f':
			if err := s.literal(w, "false"); err != nil {
				return err
			}
		case 'n':
			if err := s.literal(w, "null"); err != nil {
				return err
			}
		default:
			if err := s.number(w); err != nil {
				return err
			}
		}
		// A value is complete: close containers until one continues.
		for {
			if level == 0 {
				return nil
			}
			object := objects[(level-1)/64]&(1<<((level-1)%64)) != 0
			s.space()
			c := s.peek()
			if c == ',' {
				s.pos++
				w.rune(',')
				if object {
					if err := s.key(w); err != nil {
						return err
					}
				}
				break
			}
			if object && c == '}' || !object && c == ']' {
				s.pos++
				w.rune(rune(c))
				level--
				continue
			}
			return ErrMalformedJSON
		}
	}
}

// key reads an object member's key and its colon, with the white space
// around them.
func (s *scanner) key(w *writer) error {
	s.space()
	if err := s.str(w, false); err != nil {
		return err
	}
	s.space()
	if s.peek() != ':' {
		return ErrMalformedJSON
	}
	s.pos++
	w.rune(':')
	return nil
}

// literal reads the literal word (true, false or null) at pos. When the
// data ends within the word, pos is left at the end (see ended).
func (s *scanner) literal(w *writer, word string) error {
	if len(s.data)-s.pos < len(word) || string(s.data[s.pos:s.pos+len(word)]) != word {
		if rest := s.data[s.pos:]; len(rest) < len(word) && string(rest) == word[:len(rest)] {
			s.pos = len(s.data)
		}
		return ErrMalformedJSON
	}
	w.ascii(s.data[s.pos : s.pos+len(word)])
	s.pos += len(word)
	return nil
}

// number reads the number at pos and writes it exactly as written.
func (s *scanner) number(w *writer) error {
	start := s.pos
	if s.peek() == '-' {
		s.pos++
	}
	switch c := s.peek(); {
	case c == '0':
		s.pos++
	case c >= '1' && c <= '9':
		s.digits()
	default:
		return ErrMalformedJSON
	}
	if s.peek() == '.' {
		s.pos++
		if !s.digits() {
			return ErrMalformedJSON
		}
	}
	if c := s.peek(); c == 'e' || c == 'E' {
		s.pos++
		if c := s.peek(); c == '+' || c == '-' {
			s.pos++
		}
		if !s.digits() {
			return ErrMalformedJSON
		}
	}
	w.ascii(s.data[start:s.pos])
	return nil
}

// digits skips a run of decimal digits and reports whether there was one.
func (s *scanner) digits() bool {
	start := s.pos
	for s.pos < len(s.data) && s.data[s.pos] >= '0' && s.data[s.pos] <= '9' {
		s.pos++
	}
	return s.pos > start
}

// str reads the string at pos. With decode it writes the string's content,
// escapes resolved (a lone UTF-16 surrogate becomes U+FFFD, as
// encoding/json does); otherwise it writes the string as written, quotes
// and escapes included.
func (s *scanner) str(w *writer, decode bool) error {
	if s.peek() != '"' {
		return ErrMalformedJSON
	}
	if !decode {
		w.rune('"')
	}
	s.pos++
	for {
		start := s.pos
		ascii := true // printable ASCII only, no spaces: copied in one go
		for s.pos < len(s.data) {
			c := s.data[s.pos]
			if c == '"' || c == '\\' || c < ' ' {
				break
			}
			ascii = ascii && c > ' ' && c < 0x7f
			s.pos++
		}
		if ascii {
			w.ascii(s.data[start:s.pos])
		} else {
			writeText(w, s.data[start:s.pos])
		}
		switch s.peek() {
		case '"':
			s.pos++
			if !decode {
				w.rune('"')
			}
			return nil
		case '\\':
			start := s.pos
			r, err := s.escape()
			if err != nil {
				return err
			}
			if decode {
				w.rune(r)
			} else {
				writeText(w, s.data[start:s.pos])
			}
		default: // a control character, or the end of the data
			return ErrMalformedJSON
		}
	}
}

// escape reads the escape sequence at pos and returns the rune it stands
// for. A \u escape of a UTF-16 surrogate pair is read as one rune.
func (s *scanner) escape() (rune, error) {
	s.pos++ // the backslash
	c := s.peek()
	s.pos++
	switch c {
	case '"', '\\', '/':
		return rune(c), nil
	case 'b':
		return '\b', nil
	case 'f':
		return '\f', nil
	case 'n':
		return '\n', nil
	case 'r':
		return '\r', nil
	case 't':
		return '\t', nil
	case 'u':
		r, ok := s.hex4()
		if !ok {
			return 0, ErrMalformedJSON
		}
		if !utf16.IsSurrogate(r) {
			return r, nil
		}
		// A high surrogate pairs with a low one in the next escape; anything
		// else leaves it alone, and alone it stands for U+FFFD.
		if len(s.data)-s.pos >= 6 && s.data[s.pos] == '\\' && s.data[s.pos+1] == 'u' {
			next := scanner{data: s.data, pos: s.pos + 2}
			if r2, ok := next.hex4(); ok {
				if pair := utf16.DecodeRune(r, r2); pair != '\uFFFD' {
					s.pos = next.pos
					return pair, nil
				}
			}
		}
		return '\uFFFD', nil
	}
	s.pos--
	return 0, ErrMalformedJSON
}

// hex4 reads four hexadecimal digits. When the data ends within them, pos
// is left at the end (see ended).
func (s *scanner) hex4() (rune, bool) {
	if len(s.data)-s.pos < 4 {
		for _, c := range s.data[s.pos:] {
			if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F') {
				return 0, false
			}
		}
		s.pos = len(s.data)
		return 0, false
	}
	var r rune
	for _, c := range s.data[s.pos : s.pos+4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	s.pos += 4
	return r, true
}

// ended reports whether err, returned by a scanning method, says only that
// the data ended too soon: text cut short, of which more would make valid
// JSON, fails with pos at the end of the data.
func (s *scanner) ended(err error) bool {
	return err == ErrMalformedJSON && s.pos >= len(s.data)
}

// validate checks that data holds exactly one JSON value.
func validate(data []byte) error {
	s := scanner{data: data}
	if err := s.value(nil, 0); err != nil {
		return at(err, s.pos)
	}
	if err := s.end(); err != nil {
		return at(err, s.pos)
	}
	return nil
}

// absent reports whether stored JSON holds nothing: no text but white
// space, or null.
func absent(data []byte) bool {
	s := scanner{data: data}
	s.space()
	if string(s.data[s.pos:min(len(s.data), s.pos+4)]) == "null" {
		s.pos += 4
	}
	return s.end() == nil
}

// items walks the members of a JSON object, or the elements of a JSON
// array, in document order, validating each as it goes. It reads no further
// than the item asked for.
type items struct {
	s     scanner
	close byte // '}' or ']'
	n     int  // items returned
	done  bool // the container has closed
}

// open starts on the container at the start of data, which must be an
// object ('{') or an array ('['). It reports false when data does not start
// with one.
func (it *items) open(data []byte, kind byte) bool {
	it.s = scanner{data: data}
	it.s.space()
	if it.s.peek() != kind {
		return false
	}
	it.close = kind + 2
	it.s.pos++
	it.s.space()
	return true
}

// next moves to the next item. For an object it reads the item's key and
// colon, writes the key to w (decoded, as text), and returns it raw, quotes
// included. ok is false at the end of the container or on an error; value
// then reads the item's value.
func (it *items) next(w *writer) (key []byte, ok bool, err error) {
	if it.done {
		return nil, false, nil
	}
	if it.n > 0 {
		if err := it.sep(); err != nil || it.done {
			return nil, false, err
		}
	} else if it.s.peek() == it.close {
		it.s.pos++
		it.done = true
		return nil, false, it.s.end()
	}
	it.n++
	if it.close == '}' {
		start := it.s.pos
		if err := it.s.str(w, true); err != nil {
			return nil, false, err
		}
		key = it.s.data[start:it.s.pos]
		it.s.space()
		if it.s.peek() != ':' {
			return nil, false, ErrMalformedJSON
		}
		it.s.pos++
		it.s.space()
	}
	return key, true, nil
}

// value reads the current item's value, writes it to w as text (a string
// decoded, anything else as compact JSON) and returns it raw.
func (it *items) value(w *writer) ([]byte, error) {
	start := it.s.pos
	var err error
	if it.s.peek() == '"' {
		err = it.s.str(w, true)
	} else {
		err = it.s.value(w, 1)
	}
	return it.s.data[start:it.s.pos], err
}

// sep reads what follows an item: a comma and the white space after it, or
// the container's end, after which only white space may follow.
func (it *items) sep() error {
	it.s.space()
	switch it.s.peek() {
	case ',':
		it.s.pos++
		it.s.space()
		return nil
	case it.close:
		it.s.pos++
		it.done = true
		return it.s.end()
	}
	return ErrMalformedJSON
}
