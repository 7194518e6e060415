package report_test

import (
	"encoding/json"
	"fmt"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/report"
)

func ExampleCompare() {
	row := func(id, run int64, status runlog.RunStatus, stage runlog.Stage, attempt int, metrics string) runlog.Entry {
		return runlog.Entry{ID: id, RunID: run, Mode: runlog.ModeApply, RunStatus: status,
			Stage: stage, Status: runlog.StatusCompleted, Attempt: attempt, Metrics: json.RawMessage(metrics)}
	}
	lastWeek := []runlog.Entry{
		row(1, 101, runlog.RunCompleted, runlog.StageExtract, 1, `{"records_pulled": 1284, "bytes": 9007199254740993}`),
		row(2, 101, runlog.RunCompleted, runlog.StageCanonicalize, 1, `{"valid": 1279, "dropped": {"missing_serial": 5}, "rate": 0.996}`),
	}
	today := []runlog.Entry{
		row(7, 103, runlog.RunCompleted, runlog.StageExtract, 1, `{"records_pulled": 600}`),
		row(8, 103, runlog.RunCompleted, runlog.StageExtract, 2, `{"records_pulled": 1302, "bytes": 9007199254740995}`),
		row(9, 103, runlog.RunCompleted, runlog.StageCanonicalize, 1, `{"valid": 1300, "dropped": {"missing_serial": 2}, "rate": 0.9985, "mode": "strict"}`),
	}

	c := report.Compare(lastWeek, today)
	fmt.Print(c)
	m := c.Stages[0].Metrics[1]
	fmt.Printf("\n%s: %s → %s (%s)\n", m.Key, m.Before, m.After, m.Delta)
	// Output:
	// Before  #101 · apply / completed
	// After   #103 · apply / completed
	//
	// Stage         Metric                            Before             After    Delta  Note
	// extract                                                                            completed → completed; attempt 1 → 2
	//               records_pulled                      1284              1302      +18
	//               bytes                   9007199254740993  9007199254740995       +2
	// canonicalize                                                                       completed → completed
	//               valid                               1279              1300      +21
	//               dropped.missing_serial                 5                 2       -3
	//               rate                               0.996            0.9985  +0.0025
	//               mode                                                                 not a number
	//
	// bytes: 9007199254740993 → 9007199254740995 (2)
}
