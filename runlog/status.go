package runlog

import "slices"

// Status is the status of one stage row. It is stored as its string value.
type Status string

// The stage statuses.
const (
	// StatusQueued: the stage is waiting to start.
	StatusQueued Status = "queued"
	// StatusRunning: the stage has started and not finished.
	StatusRunning Status = "running"
	// StatusCompleted: the stage finished and its changes (if any) were applied.
	StatusCompleted Status = "completed"
	// StatusPreviewReady: the stage finished a preview; nothing was written.
	StatusPreviewReady Status = "preview_ready"
	// StatusFailed: the stage failed and the run stopped.
	StatusFailed Status = "failed"
	// StatusError is the soft failure: an error payload was written and the
	// run continued.
	StatusError Status = "error"
)

var statuses = []Status{
	StatusQueued, StatusRunning, StatusCompleted, StatusPreviewReady, StatusFailed, StatusError,
}

// Statuses returns every known stage status. The slice is a copy.
func Statuses() []Status { return slices.Clone(statuses) }

// Valid reports whether s is a known stage status.
func (s Status) Valid() bool { return slices.Contains(statuses, s) }

// String returns the status's value, or Status("x") for an unknown one.
func (s Status) String() string { return format("Status", s, statuses) }

// ParseStatus returns the stage status named s. An unknown name gives an
// error wrapping ErrUnknownValue.
func ParseStatus(s string) (Status, error) { return parse("status", s, statuses) }
