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
// with the raw text, made valid UTF-8, as the label.
func lookup[T ~string](looks map[T]look, v T, unknownMeaning string) Badge {
	if l, ok := looks[v]; ok {
		return Badge{Label: strings.ReplaceAll(string(v), "_", " "), Tone: l.tone, Meaning: l.meaning}
	}
	return Badge{Label: strings.ToValidUTF8(string(v), "\uFFFD"), Tone: runlog.ToneNeutral, Meaning: unknownMeaning}
}
