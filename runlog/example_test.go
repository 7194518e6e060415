package runlog_test

import (
	"errors"
	"fmt"

	"github.com/opsync/integrationlogs/runlog"
)

func ExamplePipeline() {
	fmt.Println("Full Sync:  ", runlog.Pipeline(runlog.ModeApply))
	fmt.Println("Sync Preview:", runlog.Pipeline(runlog.ModePreview))
	// Output:
	// Full Sync:   [validate_setup extract canonicalize reconcile decide apply]
	// Sync Preview: [validate_setup extract canonicalize reconcile decide]
}

func ExampleParseStatus() {
	s, err := runlog.ParseStatus("preview_ready")
	fmt.Println(s, err)

	_, err = runlog.ParseStatus("done")
	fmt.Println(errors.Is(err, runlog.ErrUnknownValue))
	fmt.Println(err)
	// Output:
	// preview_ready <nil>
	// true
	// runlog: unknown value: status "done" (want one of queued, running, completed, preview_ready, failed, error)
}

func ExampleStatus_String() {
	fmt.Println(runlog.StatusFailed)
	fmt.Println(runlog.Status("paused"))
	// Output:
	// failed
	// Status("paused")
}

func ExampleEntry_RunLabel() {
	e := runlog.Entry{RunID: 42, Mode: runlog.ModeApply, RunStatus: runlog.RunFailed, Attempt: 2}
	fmt.Println(e.RunLabel())
	fmt.Println("retried:", e.Retried())
	// Output:
	// #42 · apply / failed
	// retried: true
}

func ExampleColumns() {
	fmt.Println(runlog.Columns())
	// Output: [Run Stage Status Attempt Started Finished Details]
}
