package details

import "unicode/utf8"

// What the Details cell and the card show at most.
const (
	// TextRunes is the most characters (runes) of the error summary the
	// Details cell shows.
	TextRunes = 120
	// CellMetrics is how many metrics, the first in document order, the
	// Details cell shows.
	CellMetrics = 2
	// MetricRunes is the most characters the Details cell shows of one metric
	// key and, separately, of one metric value; a longer one is cut and ends
	// in "…".
	MetricRunes = 60
	// PreviousExceptions is how many previous exceptions the card shows after
	// the thrown one; Card.MoreExceptions counts the rest.
	PreviousExceptions = 5
	// MaxDepth is the deepest nesting of JSON objects and arrays the package
	// reads. Deeper JSON is reported with ErrTooDeep instead of being read.
	MaxDepth = 1000
)

// cellBytes is the most bytes the Details cell's text can take: every rune
// may need utf8.UTFMax bytes, and a cut key or value gains an ellipsis.
const cellBytes = TextRunes*utf8.UTFMax + 2*CellMetrics*(MetricRunes*utf8.UTFMax+len(ellipsis))

// ellipsis ends a metric key or value that was cut.
const ellipsis = "…"
