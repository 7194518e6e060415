package redact

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"sync"
)

// Marker replaces each redacted value.
const Marker = "[REDACTED]"

// ErrInvalidRule is the error New wraps when a rule cannot be used.
var ErrInvalidRule = errors.New("redact: invalid rule")

// Redactor removes secrets from text and JSON by a set of Rules. It does
// not change once made, and is safe for concurrent use.
type Redactor struct {
	keys      map[string]struct{} // key words, split as keys are (see words)
	maxWords  int                 // the most words of a key word
	lastWords [26]uint32          // [c-'a'] bit n: a key word's last word has n letters and ends in c
	pairs     bool
	patterns  []pattern
	anchors   []anchor // the patterns' hints, by anchor byte
}

// pattern is a compiled Pattern.
type pattern struct {
	name  string
	re    *regexp.Regexp
	chars byteSet // the bytes of the hints
	// anchors are the hints' anchor bytes: a text with none of them holds
	// no hint.
	anchors byteSet
	group   int // the index of the "secret" group, or 0 for the whole match
	hints   []hint
	check   func(string) bool
}

// New returns a Redactor for rules. A rule that cannot be used, such as a
// pattern that does not compile or a key word without letters, gives an
// error wrapping ErrInvalidRule. New(Rules{}) redacts nothing.
func New(rules Rules) (*Redactor, error) {
	r := &Redactor{pairs: rules.Pairs}
	for _, k := range rules.Keys {
		if len(k) > keyTail {
			return nil, fmt.Errorf("%w: key word %.20q… is longer than %d bytes", ErrInvalidRule, k, keyTail)
		}
		norm, n := normalKey(k)
		switch {
		case n == 0:
			return nil, fmt.Errorf("%w: key word %q has no letters", ErrInvalidRule, k)
		case n > maxKeyWords:
			return nil, fmt.Errorf("%w: key word %q has more than %d words", ErrInvalidRule, k, maxKeyWords)
		}
		if r.keys == nil {
			r.keys = make(map[string]struct{})
		}
		r.keys[norm] = struct{}{}
		r.maxWords = max(r.maxWords, n)
		last := norm[strings.LastIndexByte(norm, '_')+1:]
		r.lastWords[last[len(last)-1]-'a'] |= lengthBit(len(last))
	}
	for i, p := range rules.Patterns {
		name := p.Name
		if name == "" {
			name = fmt.Sprintf("#%d", i)
		}
		if p.Regexp == "" {
			return nil, fmt.Errorf("%w: pattern %q has no regexp", ErrInvalidRule, name)
		}
		re, err := regexp.Compile(p.Regexp)
		if err != nil {
			return nil, fmt.Errorf("%w: pattern %q: %v", ErrInvalidRule, name, err)
		}
		c := pattern{name: name, re: re, group: max(re.SubexpIndex("secret"), 0), check: p.Check}
		for _, h := range p.Hints {
			if h == "" {
				return nil, fmt.Errorf("%w: pattern %q has an empty hint", ErrInvalidRule, name)
			}
			c.hints = append(c.hints, newHint(h))
			h := c.hints[len(c.hints)-1]
			c.chars.addAll(h.text)
			c.anchors.add(h.text[h.anchor])
			r.addAnchor(h, i)
		}
		r.patterns = append(r.patterns, c)
	}
	return r, nil
}

var defaultRedactor = sync.OnceValue(func() *Redactor {
	r, err := New(DefaultRules())
	if err != nil {
		panic(err) // the default rules are tested
	}
	return r
})

// Default returns the Redactor of DefaultRules, made once and shared.
func Default() *Redactor {
	return defaultRedactor()
}

// empty reports whether r redacts nothing.
func (r *Redactor) empty() bool {
	return len(r.keys) == 0 && len(r.patterns) == 0
}

// SecretKey reports whether key names a secret by the rules' key words (see
// Rules.Keys), as JSON applies them to object keys. It suits a log/slog
// ReplaceAttr function too.
func (r *Redactor) SecretKey(key string) bool {
	secret, _ := r.judge([]byte(key))
	return secret
}

// String returns s with its secrets replaced by Marker, and how many were
// replaced. It applies the patterns in order, each to the text the one
// before left, then the pairs: in key=value, key: value and key => value
// (the key bare or quoted, the value bare, or quoted with " or '), when the
// key names a secret, the value is replaced. A bare value ends at white
// space, a quote, a backslash or one of , ; & < > ) ] }; a cookie's runs
// to the end of the line. When the value starts with an authentication
// scheme (Bearer, Basic, Token, Digest, …), the scheme is kept.
//
// A replacement that would only cover markers already there is not made,
// so redacting twice gives the same text. Text that is valid UTF-8 stays
// so. When nothing is replaced, String returns s itself.
func (r *Redactor) String(s string) (string, int) {
	if r.empty() {
		return s, 0
	}
	out, n := r.text([]byte(s), nil)
	if n == 0 {
		return s, 0
	}
	return string(out), n
}
