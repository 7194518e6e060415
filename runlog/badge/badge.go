package badge

import (
	"strings"

	"github.com/opsync/integrationlogs/runlog"
)

// Badge is how a table cell shows one value: its label, its tone and what it
// means. The JSON names suit an HTTP response.
type Badge struct {
	Label   string      `json:"label"`   // the text on the badge
	Tone    runlog.Tone `json:"tone"`    // the badge's colour family
	Meaning string      `json:"meaning"` // one line of plain English
}

// look is the tone and meaning of a value the library knows.
type look struct {
	tone    runlog.Tone
	meaning string
}

// lookup returns the badge of value v: from looks when it is known, with the
// value's underscores as spaces for the label, and otherwise a neutral badge
// with the raw text, made safe to print, as the label.
func lookup[T ~string](looks map[T]look, v T, unknownMeaning string) Badge {
	if l, ok := looks[v]; ok {
		return Badge{Label: strings.ReplaceAll(string(v), "_", " "), Tone: l.tone, Meaning: l.meaning}
	}
	return Badge{Label: printable(string(v)), Tone: runlog.ToneNeutral, Meaning: unknownMeaning}
}

// printable returns s as valid UTF-8 that is safe to print: each run of
// invalid bytes becomes one U+FFFD, and so does each character that a
// terminal or a page would obey instead of showing (see unsafe).
func printable(s string) string {
	s = strings.ToValidUTF8(s, "\uFFFD")
	if strings.IndexFunc(s, unsafe) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unsafe(r) {
			return '\uFFFD'
		}
		return r
	}, s)
}

// unsafe reports whether r is a control character (C0, including tab, line
// feed and NUL; DEL; C1) or a bidirectional formatting character (U+061C,
// U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), which can reorder
// the text printed after it.
func unsafe(r rune) bool {
	switch {
	case r < ' ' || r >= 0x7f && r < 0xa0:
		return true
	case r < 0x61c:
		return false
	}
	return r == 0x61c || r == 0x200e || r == 0x200f || r >= 0x202a && r <= 0x202e || r >= 0x2066 && r <= 0x2069
}
