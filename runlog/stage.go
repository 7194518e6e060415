package runlog

import "slices"

// Stage is one step of a sync pipeline. It is stored as its string value.
type Stage string

// The stages, in pipeline order.
const (
	// StageValidateSetup checks the instance's configuration and credentials.
	StageValidateSetup Stage = "validate_setup"
	// StageExtract pulls the upstream inventory.
	StageExtract Stage = "extract"
	// StageCanonicalize cleans and normalises the extracted records.
	StageCanonicalize Stage = "canonicalize"
	// StageReconcile matches the records against local ones.
	StageReconcile Stage = "reconcile"
	// StageDecide decides what to do with each record and why (reason codes).
	StageDecide Stage = "decide"
	// StageApply writes the decisions; only a Full Sync (ModeApply) runs it.
	StageApply Stage = "apply"
	// StagePreviewResults publishes a preview's results for review. Hosts
	// record it when they keep that step apart; it is in neither Pipeline.
	StagePreviewResults Stage = "preview_results"
)

var stages = []Stage{
	StageValidateSetup, StageExtract, StageCanonicalize, StageReconcile,
	StageDecide, StageApply, StagePreviewResults,
}

// Stages returns every known stage in pipeline order. The slice is a copy.
func Stages() []Stage { return slices.Clone(stages) }

// Pipeline returns the stages a run of mode m records, in order: six for a
// Full Sync (ModeApply, validate_setup through apply), five for a Sync Preview
// (ModePreview, the same without apply). An unknown mode gives nil. The
// slice is new on every call.
func Pipeline(m Mode) []Stage {
	// Named one by one, so that adding a stage to Stages or moving one
	// changes no pipeline by accident.
	switch m {
	case ModeApply:
		return []Stage{StageValidateSetup, StageExtract, StageCanonicalize, StageReconcile, StageDecide, StageApply}
	case ModePreview:
		return []Stage{StageValidateSetup, StageExtract, StageCanonicalize, StageReconcile, StageDecide}
	}
	return nil
}

// Valid reports whether s is a known stage.
func (s Stage) Valid() bool { return slices.Contains(stages, s) }

// String returns the stage's value, or Stage("x") for an unknown one.
func (s Stage) String() string { return format("Stage", s, stages) }

// ParseStage returns the stage named s. An unknown name gives an error
// wrapping ErrUnknownValue.
func ParseStage(s string) (Stage, error) { return parse("stage", s, stages) }
