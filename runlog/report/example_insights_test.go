package report_test

import (
	"encoding/json"
	"fmt"
	"time"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/report"
)

func ExampleInsights() {
	start := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { t := start.Add(d); return &t }
	run := runlog.Run{
		ID: 103, Mode: runlog.ModeApply, Status: runlog.RunFailed,
		StartedAt: start, FinishedAt: at(3 * time.Minute),
		Summary: json.RawMessage(`{"creates": 0, "updates": 0, "open_problems": ["3 records matched more than one local device"]}`),
	}
	rows := []runlog.Entry{
		{ID: 1, RunID: 103, Stage: runlog.StageValidateSetup, Status: runlog.StatusCompleted, Attempt: 1,
			StartedAt: start, FinishedAt: at(2 * time.Second), Metrics: json.RawMessage(`{"checks": 4}`)},
		{ID: 2, RunID: 103, Stage: runlog.StageExtract, Status: runlog.StatusFailed, Attempt: 1,
			StartedAt: start.Add(2 * time.Second), FinishedAt: at(32 * time.Second),
			ErrorSummary: "Upstream inventory API timed out after 30 s."},
		{ID: 3, RunID: 103, Stage: runlog.StageExtract, Status: runlog.StatusCompleted, Attempt: 2,
			StartedAt: start.Add(35 * time.Second), FinishedAt: at(106 * time.Second),
			Metrics: json.RawMessage(`{"records_pulled": 1302}`)},
		{ID: 4, RunID: 103, Stage: runlog.StageReconcile, Status: runlog.StatusFailed, Attempt: 1,
			StartedAt: start.Add(115 * time.Second), FinishedAt: at(180 * time.Second),
			ErrorSummary: "Reconcile stopped: 3 upstream records matched more than one local device.",
			Metrics:      json.RawMessage(`{"matched": 1201, "ambiguous": 3}`)},
	}

	in := report.Insights(run, rows)
	fmt.Print(in)
	// Output:
	// Run       #103 · apply / failed
	// Status    failed: The run stopped at a stage that failed.
	// Started   2026-11-20T09:00:00Z
	// Finished  2026-11-20T09:03:00Z (took 3m0s)
	// Creates   0
	// Updates   0
	// Problems  1 open
	//   - 3 records matched more than one local device
	//
	// Stages
	//   validate_setup  completed     attempt 1  2s
	//       checks: 4
	//   extract         completed     attempt 2  1m11s  2 rows
	//       records_pulled: 1302
	//   canonicalize    not recorded
	//   reconcile       failed        attempt 1  1m5s
	//       error: Reconcile stopped: 3 upstream records matched more than one local device.
	//       matched: 1201
	//       ambiguous: 3
	//   decide          not recorded
	//   apply           not recorded
}
