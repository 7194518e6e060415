package report

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// cellRunes is the most characters the text renderings show of one stored
// value (a key, a stage name, a number); a longer one is cut and ends in "…".
const cellRunes = 60

// inline returns s on one line for a text rendering: each invalid byte,
// each control character and each bidirectional formatting character
// (which could reorder the text printed after it) becomes U+FFFD, runs of
// white space fold to one space, the ends are trimmed, and at most limit characters are kept (no
// limit when limit is 0), a cut text ending in "…".
func inline(s string, limit int) string {
	var b strings.Builder
	runes, space := 0, false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		if unicode.IsSpace(r) {
			space = runes > 0
			continue
		}
		if unicode.IsControl(r) || unicode.Is(unicode.Bidi_Control, r) {
			r = utf8.RuneError
		}
		need := 1
		if space {
			need = 2
		}
		if limit > 0 && runes+need > limit {
			b.WriteString("…")
			break
		}
		if space {
			b.WriteByte(' ')
			runes++
			space = false
		}
		b.WriteRune(r)
		runes++
	}
	return b.String()
}

// width is how many columns s takes in a text rendering: one per rune.
func width(s string) int { return utf8.RuneCountInString(s) }

// pad returns s padded with spaces to n columns, on the right or, when right
// is set, on the left.
func pad(s string, n int, right bool) string {
	fill := strings.Repeat(" ", max(0, n-width(s)))
	if right {
		return fill + s
	}
	return s + fill
}

// table renders rows as aligned columns separated by two spaces, the columns
// whose index is in numeric aligned to the right, each line trimmed of
// trailing spaces.
func table(b *strings.Builder, rows [][]string, numeric ...int) {
	var widths []int
	for _, row := range rows {
		for i, c := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], width(c))
		}
	}
	for _, row := range rows {
		var line strings.Builder
		for i, c := range row {
			if i > 0 {
				line.WriteString("  ")
			}
			right := false
			for _, n := range numeric {
				right = right || n == i
			}
			line.WriteString(pad(c, widths[i], right))
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
}

// plural returns one or many after n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
