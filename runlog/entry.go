package runlog

import (
	"encoding/json"
	"strconv"
	"time"
)

// Entry is one stage row joined with its run: one line of the Logs tab.
type Entry struct {
	ID         int64      `json:"id"`          // the stage row's id
	InstanceID int64      `json:"instance_id"` // the integration instance that owns the run
	RunID      int64      `json:"run_id"`
	Mode       Mode       `json:"mode"`       // the run's mode
	RunStatus  RunStatus  `json:"run_status"` // the run's status
	Stage      Stage      `json:"stage"`
	Status     Status     `json:"status"`  // the stage row's status
	Attempt    int        `json:"attempt"` // 1 for the first try, 2 for the first retry...
	StartedAt  time.Time  `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at"` // nil while the stage has not finished

	// ErrorSummary is the one-paragraph error text; empty when none.
	ErrorSummary string `json:"error_summary"`
	// ErrorPayload is the structured error as stored (see package details for
	// its shape); nil when none. It may hold invalid JSON.
	ErrorPayload json.RawMessage `json:"error_payload"`
	// Metrics is the row's metrics_json as stored, keys in document order;
	// nil when none. It may hold invalid JSON.
	Metrics json.RawMessage `json:"metrics"`

	// Clipped reports that ErrorSummary and Metrics hold only the start of
	// the stored text where it was longer than the Details cell needs: the
	// rows of a list page are read that way. A single row read in full (for
	// a card) is never clipped.
	Clipped bool `json:"clipped,omitempty"`
	// Unreadable lists the stored values of the row that could not be read
	// (a time no reader understands, say); each such field is left at its
	// zero value, so that one bad value never hides the row.
	Unreadable []Unreadable `json:"unreadable,omitempty"`
}

// Unreadable describes one stored value that could not be read.
type Unreadable struct {
	// Field is the column, such as "started_at".
	Field string `json:"field"`
	// Stored is the stored value as text, cleaned to valid UTF-8 and cut
	// short; empty when it could not be had as text.
	Stored string `json:"stored"`
	// Reason says why it could not be read.
	Reason string `json:"reason"`
}

// RunLabel returns the Run cell: "#<run_id> · <mode> / <run_status>", with a
// middle dot (U+00B7), for example "#42 · apply / failed". Unknown modes and
// statuses are shown as stored.
func (e Entry) RunLabel() string {
	return "#" + strconv.FormatInt(e.RunID, 10) + " · " + string(e.Mode) + " / " + string(e.RunStatus)
}

// Retried reports whether the row is a retry (attempt above 1).
func (e Entry) Retried() bool { return e.Attempt > 1 }
