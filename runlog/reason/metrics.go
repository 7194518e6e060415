package reason

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/opsync/integrationlogs/runlog"
)

// MetricsKey is the key of a decide row's metrics object that counts the
// reason codes.
const MetricsKey = "decision_reason_codes"

// ErrMalformedMetrics is returned, wrapped, by FromMetrics when the metrics or
// their reason code counts are not what it can read.
var ErrMalformedMetrics = errors.New("reason: malformed metrics")

// FromMetrics reads the reason code counts of a decide row's metrics (the
// row's metrics_json). Under MetricsKey it accepts either an object of code
// to count, {"NO_MATCH_CREATE_CANDIDATE": 3}, or an array of codes, each
// occurrence counting once. Codes it does not know, a host's own, are kept;
// invalid UTF-8 in a code comes out as U+FFFD, as encoding/json reads it.
//
// Counts must be written as whole numbers from 0 to the largest int, with no
// fraction or exponent ("3", not "3.0" or "3e0"); zero counts are kept. When
// the object names a code twice the last count wins, as in encoding/json,
// JavaScript, PostgreSQL's jsonb and most JSON readers.
//
// Empty metrics, null, an object without the key or a null under it give an
// empty map and no error. Anything else it cannot read (malformed JSON,
// metrics that are not an object, a count or code of the wrong type, an
// empty code, a negative, fractional or too large count) gives a nil map and
// an error wrapping ErrMalformedMetrics.
func FromMetrics(metrics json.RawMessage) (map[runlog.ReasonCode]int, error) {
	counts := map[runlog.ReasonCode]int{}
	trimmed := bytes.Trim(metrics, " \t\r\n") // JSON's whitespace, no more
	if len(trimmed) == 0 {
		return counts, nil
	}
	if trimmed[0] != '{' && string(trimmed) != "null" {
		return nil, malformed("metrics are %s, want an object", clip(trimmed))
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(metrics, &top); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrMalformedMetrics, err)
	}
	raw, ok := top[MetricsKey]
	if !ok || string(raw) == "null" {
		return counts, nil
	}
	var err error
	switch raw[0] {
	case '{':
		err = countObject(raw, counts)
	case '[':
		err = countArray(raw, counts)
	default:
		err = malformed("%s is %s, want an object of counts or an array of codes", MetricsKey, clip(raw))
	}
	if err != nil {
		return nil, err
	}
	return counts, nil
}

// countObject adds the counts of an object of code to count to counts.
func countObject(raw json.RawMessage, counts map[runlog.ReasonCode]int) error {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrMalformedMetrics, MetricsKey, err)
	}
	// Sorted, so that of several bad entries the same one is reported each time.
	for _, code := range slices.Sorted(maps.Keys(obj)) {
		if code == "" {
			return malformed("%s has an empty code", MetricsKey)
		}
		n, err := strconv.ParseInt(string(obj[code]), 10, strconv.IntSize)
		if err != nil || n < 0 {
			return malformed("%s: count of %s is %s, want a whole number from 0 to the largest int",
				MetricsKey, clip([]byte(strconv.Quote(code))), clip(obj[code]))
		}
		counts[runlog.ReasonCode(code)] = int(n)
	}
	return nil
}

// countArray adds one to counts for each code of an array of codes.
func countArray(raw json.RawMessage, counts map[runlog.ReasonCode]int) error {
	var arr []json.RawMessage
	if err := json.Unmarshal(raw, &arr); err != nil {
		return fmt.Errorf("%w: %s: %w", ErrMalformedMetrics, MetricsKey, err)
	}
	for i, elem := range arr {
		var code string
		if elem[0] != '"' || json.Unmarshal(elem, &code) != nil {
			return malformed("%s[%d] is %s, want a reason code string", MetricsKey, i, clip(elem))
		}
		if code == "" {
			return malformed("%s[%d] is an empty code", MetricsKey, i)
		}
		counts[runlog.ReasonCode(code)]++
	}
	return nil
}

// malformed returns an error wrapping ErrMalformedMetrics.
func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrMalformedMetrics, fmt.Sprintf(format, args...))
}

// clip returns the start of a piece of bad input for an error message: at
// most 40 bytes, valid UTF-8, marked with an ellipsis when cut.
func clip(b []byte) string {
	const limit = 40
	if len(b) <= limit {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return strings.ToValidUTF8(string(b[:limit]), "\uFFFD") + "…"
}
