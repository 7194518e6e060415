package runlog_test

import (
	"encoding/json"
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

// An Entry encodes to JSON whatever its row holds: stored text that is not
// JSON becomes a string, nothing stored is null, and so is the start of a
// row that has not started.
func ExampleEntry_MarshalJSON() {
	queued := runlog.Entry{
		ID: 7, RunID: 42, Mode: runlog.ModeApply, RunStatus: runlog.RunRunning,
		Stage: runlog.StageApply, Status: runlog.StatusQueued, Attempt: 1,
		Metrics: json.RawMessage(`{"rows": 12,`), // cut off by another system
	}
	out, err := json.Marshal(queued)
	fmt.Println(string(out), err)
	// Output:
	// {"id":7,"instance_id":0,"run_id":42,"mode":"apply","run_status":"running","stage":"apply","status":"queued","attempt":1,"started_at":null,"finished_at":null,"error_summary":"","error_payload":null,"metrics":"{\"rows\": 12,"} <nil>
}
