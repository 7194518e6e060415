package runlog

import "slices"

// Tone is the colour family of a badge, named as UI toolkits name them.
type Tone string

// The badge tones.
const (
	ToneInfo      Tone = "info"      // informational, e.g. the validate_setup stage
	TonePrimary   Tone = "primary"   // the pipeline's main work stages
	ToneSecondary Tone = "secondary" // the closing stages: apply, preview_results
	ToneSuccess   Tone = "success"   // finished well
	ToneWarning   Tone = "warning"   // not finished yet
	ToneDanger    Tone = "danger"    // failed or errored
	ToneNeutral   Tone = "neutral"   // a value the library does not know
)

var tones = []Tone{ToneInfo, TonePrimary, ToneSecondary, ToneSuccess, ToneWarning, ToneDanger, ToneNeutral}

// Tones returns every tone. The slice is a copy.
func Tones() []Tone { return slices.Clone(tones) }

// Valid reports whether t is a known tone.
func (t Tone) Valid() bool { return slices.Contains(tones, t) }

// String returns the tone's value, or Tone("x") for an unknown one.
func (t Tone) String() string { return format("Tone", t, tones) }

// ParseTone returns the tone named s. An unknown name gives an error wrapping
// ErrUnknownValue.
func ParseTone(s string) (Tone, error) { return parse("tone", s, tones) }
