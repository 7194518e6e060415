package redact

// keyTail is how many bytes at the end of a key are judged: the last words
// are what counts, and a longer key costs no more.
const keyTail = 256

// maxKeyWords bounds the words a key word may have.
const maxKeyWords = 8

// words is a key split into lower-case words joined by '_', with where each
// word starts, as keys are compared (see Rules.Keys).
type words struct {
	buf    [2 * keyTail]byte // a letter and at most one '_' per byte of key
	n      int               // bytes used in buf
	starts [maxKeyWords]int  // start of the last words in buf, a ring
	count  int               // words seen
}

// split fills w with the words of key (its last keyTail bytes).
func (w *words) split(key []byte) {
	w.n, w.count = 0, 0
	if len(key) > keyTail {
		key = key[len(key)-keyTail:]
	}
	inWord := false
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !isLetter(c) {
			inWord = false
			continue
		}
		if inWord && hump(key, i) {
			inWord = false
		}
		if !inWord {
			if w.count > 0 {
				w.buf[w.n] = '_'
				w.n++
			}
			w.starts[w.count%len(w.starts)] = w.n
			w.count++
			inWord = true
		}
		w.buf[w.n] = c | 0x20
		w.n++
	}
}

// last returns the last k words joined by '_' (k is at most the count).
func (w *words) last(k int) []byte {
	return w.buf[w.starts[(w.count-k)%len(w.starts)]:w.n]
}

// lastWord returns the last word.
func (w *words) lastWord() []byte {
	if w.count == 0 {
		return nil
	}
	return w.last(1)
}

// normalKey returns key split into words as keys are compared, and how
// many words it has.
func normalKey(key string) (string, int) {
	var w words
	w.split([]byte(key))
	return string(w.buf[:w.n]), w.count
}

// judge reports whether key names a secret, and whether it names a cookie
// (whose value in text runs to the end of the line).
func (r *Redactor) judge(key []byte) (secret, cookie bool) {
	if len(r.keys) == 0 || len(key) == 0 {
		return false, false
	}
	// Most keys end in a word of a length and last letter that no key word
	// ends in.
	i := len(key) - 1
	for i >= 0 && !isLetter(key[i]) {
		i--
	}
	if i < 0 || r.lastWords[key[i]|0x20-'a']&lengthBit(i+1-lastWordStart(key, i)) == 0 {
		return false, false
	}
	var w words
	w.split(key)
	for k := 1; k <= w.count && k <= r.maxWords; k++ {
		if _, ok := r.keys[string(w.last(k))]; ok {
			last := string(w.lastWord())
			return true, last == "cookie" || last == "cookies"
		}
	}
	return false, false
}

// isLetter reports whether c is an ASCII letter.
func isLetter(c byte) bool {
	return 'a' <= c|0x20 && c|0x20 <= 'z'
}

// lastWordStart returns where the word that ends with the letter key[i]
// starts, as words.split would cut it.
func lastWordStart(key []byte, i int) int {
	j := i
	for j > 0 && isLetter(key[j-1]) && !hump(key, j) {
		j--
	}
	return j
}

// hump reports whether a word starts at key[j], a letter after a letter:
// "dbPassword" at the P, "APIKey" at the K.
func hump(key []byte, j int) bool {
	if !isUpper(key[j]) {
		return false
	}
	return !isUpper(key[j-1]) || j+1 < len(key) && isLetter(key[j+1]) && !isUpper(key[j+1])
}

// isUpper reports whether c is an ASCII upper-case letter.
func isUpper(c byte) bool {
	return 'A' <= c && c <= 'Z'
}

// lengthBit returns the bit that stands for a word of n letters.
func lengthBit(n int) uint32 {
	return 1 << min(n, 31)
}
