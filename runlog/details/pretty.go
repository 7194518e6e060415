package details

// IndentDepth is how many levels of JSON objects and arrays the card and
// CopyJSON indent, by two spaces a level; deeper ones are written compact,
// on one line. This keeps a deeply nested value from growing, once
// indented, to many times its stored size.
const IndentDepth = 16

// pretty writes the JSON value raw, already validated, to w indented as
// json.Indent does with two spaces, starting at level depth: keys, strings
// and numbers as written, except that invalid UTF-8 becomes U+FFFD.
// Objects and arrays from level IndentDepth on are written compact.
func pretty(w *writer, raw []byte, depth int) {
	if c := raw[0]; depth >= IndentDepth || c != '{' && c != '[' {
		s := scanner{data: raw}
		_ = s.value(w, 0)
		return
	}
	var it items
	it.open(raw, raw[0])
	w.rune(rune(raw[0]))
	n := 0
	for {
		key, more, _ := it.next(nil)
		if !more {
			break
		}
		value, _ := it.value(nil)
		if n > 0 {
			w.rune(',')
		}
		newline(w, depth+1)
		if key != nil {
			s := scanner{data: key}
			_ = s.str(w, false)
			add(w, ": ")
		}
		pretty(w, value, depth+1)
		n++
	}
	if n > 0 {
		newline(w, depth)
	}
	w.rune(rune(raw[0] + 2))
}

// newline starts a new line indented to level depth.
func newline(w *writer, depth int) {
	add(w, "\n")
	for range depth {
		add(w, "  ")
	}
}

// prettyText returns the JSON value raw, already validated, as pretty
// writes it from level 0, control and bidirectional formatting characters
// in strings escaped, so the text is safe to print.
func prettyText(raw []byte) string {
	w := writer{buf: make([]byte, 0, len(raw)+len(raw)/2)}
	w.buf = w.buf[:cap(w.buf)]
	w.reset(escaped, 0)
	pretty(&w, raw, 0)
	return string(w.text())
}
