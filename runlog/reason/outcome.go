package reason

import (
	"fmt"
	"slices"
	"strings"

	"github.com/opsync/integrationlogs/runlog"
)

// Outcome is what a decision does to the local inventory when it is applied.
// It is stored as its string value.
type Outcome string

// The outcomes.
const (
	// OutcomeCreate: a new local record is created (and linked).
	OutcomeCreate Outcome = "create"
	// OutcomeUpdate: an existing local record is updated.
	OutcomeUpdate Outcome = "update"
	// OutcomeSkip: the record is left alone on purpose.
	OutcomeSkip Outcome = "skip"
	// OutcomeConflict: the decision is held back until someone resolves it.
	OutcomeConflict Outcome = "conflict"
)

var outcomes = []Outcome{OutcomeCreate, OutcomeUpdate, OutcomeSkip, OutcomeConflict}

// Outcomes returns every outcome. The slice is a copy.
func Outcomes() []Outcome { return slices.Clone(outcomes) }

// Valid reports whether o is a known outcome.
func (o Outcome) Valid() bool { return slices.Contains(outcomes, o) }

// String returns the outcome's value, or Outcome("x") for an unknown one.
func (o Outcome) String() string {
	if o.Valid() {
		return string(o)
	}
	return fmt.Sprintf("Outcome(%q)", string(o))
}

// ParseOutcome returns the outcome named s. An unknown name gives an error
// wrapping runlog.ErrUnknownValue, as runlog's own Parse functions do.
func ParseOutcome(s string) (Outcome, error) {
	if o := Outcome(s); o.Valid() {
		return o, nil
	}
	return "", fmt.Errorf("%w: outcome %q (want one of %s)", runlog.ErrUnknownValue, s, outcomeList())
}

// outcomeList returns the outcomes for error messages: "create, update, ...".
func outcomeList() string {
	names := make([]string, len(outcomes))
	for i, o := range outcomes {
		names[i] = string(o)
	}
	return strings.Join(names, ", ")
}
