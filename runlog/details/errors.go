package details

import (
	"errors"
	"fmt"
	"strconv"
)

// Errors describing stored JSON the package could not read. Summary and Card
// carry them in their MetricsErr and PayloadErr fields; test for them with
// errors.Is.
var (
	// ErrNotObject: the metrics are not a JSON object: JSON of another
	// kind or, from Summarize, which reads no further than the first byte
	// to tell, text that does not start as an object does (Expand tells
	// such text apart as ErrMalformedJSON).
	ErrNotObject = errors.New("details: metrics are not a JSON object")
	// ErrMalformedJSON: the stored text is not valid JSON.
	ErrMalformedJSON = errors.New("details: malformed JSON")
	// ErrTooDeep: the JSON nests objects and arrays deeper than MaxDepth.
	ErrTooDeep = errors.New("details: JSON nested more than " + strconv.Itoa(MaxDepth) + " levels deep")
	// ErrNoException: the error payload is valid JSON but holds none of the
	// fields of an exception (see Payload).
	ErrNoException = errors.New("details: error payload holds no exception")
)

// at wraps a scanning error with the byte offset where it was found.
func at(err error, offset int) error {
	return fmt.Errorf("%w at byte %d", err, offset)
}
