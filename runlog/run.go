package runlog

import (
	"encoding/json"
	"slices"
	"time"
)

// Mode is how a run was started. It is stored as its string value.
type Mode string

// The run modes.
const (
	// ModePreview is a Sync Preview: decisions are computed, nothing is written.
	ModePreview Mode = "preview"
	// ModeApply is a Full Sync: decisions are computed and applied.
	ModeApply Mode = "apply"
)

var modes = []Mode{ModePreview, ModeApply}

// Modes returns every known run mode. The slice is a copy.
func Modes() []Mode { return slices.Clone(modes) }

// Valid reports whether m is a known mode.
func (m Mode) Valid() bool { return slices.Contains(modes, m) }

// String returns the mode's value, or Mode("x") for an unknown one.
func (m Mode) String() string { return format("Mode", m, modes) }

// ParseMode returns the mode named s. An unknown name gives an error wrapping
// ErrUnknownValue.
func ParseMode(s string) (Mode, error) { return parse("mode", s, modes) }

// RunStatus is the status of a whole run. It is stored as its string value.
type RunStatus string

// The run statuses.
const (
	// RunQueued: the run is waiting to start.
	RunQueued RunStatus = "queued"
	// RunRunning: the run has started and not finished.
	RunRunning RunStatus = "running"
	// RunPreviewReady: a Sync Preview finished; its results are ready to review.
	RunPreviewReady RunStatus = "preview_ready"
	// RunCompleted: a Full Sync finished and applied its decisions.
	RunCompleted RunStatus = "completed"
	// RunFailed: the run stopped at a failed stage.
	RunFailed RunStatus = "failed"
)

var runStatuses = []RunStatus{RunQueued, RunRunning, RunPreviewReady, RunCompleted, RunFailed}

// RunStatuses returns every known run status. The slice is a copy.
func RunStatuses() []RunStatus { return slices.Clone(runStatuses) }

// Valid reports whether s is a known run status.
func (s RunStatus) Valid() bool { return slices.Contains(runStatuses, s) }

// String returns the run status's value, or RunStatus("x") for an unknown one.
func (s RunStatus) String() string { return format("RunStatus", s, runStatuses) }

// ParseRunStatus returns the run status named s. An unknown name gives an
// error wrapping ErrUnknownValue.
func ParseRunStatus(s string) (RunStatus, error) { return parse("run status", s, runStatuses) }

// Run is one row of the runs table: one run of a sync pipeline for an
// integration instance.
type Run struct {
	ID         int64     `json:"id"`
	InstanceID int64     `json:"instance_id"` // the integration instance that owns the run
	Mode       Mode      `json:"mode"`
	Status     RunStatus `json:"status"`
	// Debug reports that the run records stack traces with its errors.
	Debug bool `json:"debug"`
	// Summary is the run's summary_json as stored, keys in document order;
	// nil when none. It may hold invalid JSON.
	Summary   json.RawMessage `json:"summary"`
	CreatedAt time.Time       `json:"created_at"`
	// StartedAt is the zero time while the run has not started.
	StartedAt time.Time `json:"started_at"`
	// FinishedAt is nil while the run has not finished.
	FinishedAt *time.Time `json:"finished_at"`
	// Unreadable lists the stored values of the row that could not be read;
	// each such field is left at its zero value.
	Unreadable []Unreadable `json:"unreadable,omitempty"`
}
