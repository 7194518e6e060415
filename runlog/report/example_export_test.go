package report_test

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/report"
)

// exampleRows returns two stage rows as an iterator, as the store gives
// them. The second has a formula for a summary and a password in its
// payload.
func exampleRows() func(yield func(runlog.Entry, error) bool) {
	start := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	done := start.Add(2 * time.Second)
	rows := []runlog.Entry{
		{ID: 1, InstanceID: 7, RunID: 42, Mode: runlog.ModeApply, RunStatus: runlog.RunFailed,
			Stage: runlog.StageValidateSetup, Status: runlog.StatusCompleted, Attempt: 1,
			StartedAt: start, FinishedAt: &done, Metrics: json.RawMessage(`{"checks": 4}`)},
		{ID: 2, InstanceID: 7, RunID: 42, Mode: runlog.ModeApply, RunStatus: runlog.RunFailed,
			Stage: runlog.StageExtract, Status: runlog.StatusFailed, Attempt: 1, StartedAt: done,
			ErrorSummary: "=cmd|' /C calc'!A0, said the upstream API",
			ErrorPayload: json.RawMessage(`{"message": "GET https://sync:hunter2@api.example.com/devices: 401"}`),
			Metrics:      json.RawMessage(`{"records_pulled": 600, "pages": 6}`)},
	}
	return func(yield func(runlog.Entry, error) bool) {
		for _, e := range rows {
			if !yield(e, nil) {
				return
			}
		}
	}
}

func ExampleWriteCSV() {
	var b strings.Builder
	n, err := report.WriteCSV(&b, exampleRows())
	// Lines end in CRLF, as RFC 4180 has them; shown here as LF.
	fmt.Print(strings.ReplaceAll(b.String(), "\r\n", "\n"))
	fmt.Println(n, "rows", err)
	// Output:
	// Run,Stage,Status,Attempt,Started,Finished,Details,id,run_id,error_summary,metrics_json,error_payload
	// #42 · apply / failed,validate_setup,completed,1,2026-11-20T09:00:00Z,2026-11-20T09:00:02Z,checks: 4,1,42,,"{""checks"": 4}",
	// #42 · apply / failed,extract,failed,1,2026-11-20T09:00:02Z,,"'=cmd|' /C calc'!A0, said the upstream API · records_pulled: 600 · pages: 6",2,42,"'=cmd|' /C calc'!A0, said the upstream API","{""records_pulled"": 600, ""pages"": 6}","{""message"": ""GET https://sync:[REDACTED]@api.example.com/devices: 401""}"
	// 2 rows <nil>
}

func ExampleWriteJSONL() {
	n, err := report.WriteJSONL(os.Stdout, exampleRows())
	fmt.Println(n, "rows", err)
	// Output:
	// {"id":1,"instance_id":7,"run_id":42,"mode":"apply","run_status":"failed","stage":"validate_setup","status":"completed","attempt":1,"started_at":"2026-11-20T09:00:00Z","finished_at":"2026-11-20T09:00:02Z","error_summary":"","error_payload":null,"metrics":{"checks":4}}
	// {"id":2,"instance_id":7,"run_id":42,"mode":"apply","run_status":"failed","stage":"extract","status":"failed","attempt":1,"started_at":"2026-11-20T09:00:02Z","finished_at":null,"error_summary":"=cmd|' /C calc'!A0, said the upstream API","error_payload":{"message":"GET https://sync:[REDACTED]@api.example.com/devices: 401"},"metrics":{"records_pulled":600,"pages":6}}
	// 2 rows <nil>
}
