package report_test

import (
	"encoding/json"
	"time"

	"github.com/opsync/integrationlogs/runlog"
)

// base is the fixtures' clock.
var base = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

// row is one stage row of a fixture run.
type row struct {
	stage   runlog.Stage
	status  runlog.Status
	attempt int           // 1 when zero
	start   time.Duration // after the run's start
	took    time.Duration // zero while unfinished
	summary string
	payload string
	metrics string
}

// fixtureRun is a run and its rows.
type fixtureRun struct {
	id     int64
	mode   runlog.Mode
	status runlog.RunStatus
	start  time.Duration // after base
	took   time.Duration // zero while unfinished
	rows   []row
}

// entries returns the rows of r as the store reads them, ids rising in the
// order given from firstID.
func (r fixtureRun) entries(firstID int64) []runlog.Entry {
	var es []runlog.Entry
	for i, s := range r.rows {
		attempt := s.attempt
		if attempt == 0 {
			attempt = 1
		}
		started := base.Add(r.start + s.start)
		e := runlog.Entry{
			ID: firstID + int64(i), InstanceID: 7, RunID: r.id, Mode: r.mode, RunStatus: r.status,
			Stage: s.stage, Status: s.status, Attempt: attempt, StartedAt: started,
			ErrorSummary: s.summary,
		}
		if s.took > 0 {
			f := started.Add(s.took)
			e.FinishedAt = &f
		}
		if s.payload != "" {
			e.ErrorPayload = json.RawMessage(s.payload)
		}
		if s.metrics != "" {
			e.Metrics = json.RawMessage(s.metrics)
		}
		es = append(es, e)
	}
	return es
}

// run returns r's run row, with summary as its summary_json.
func (r fixtureRun) run(summary string) runlog.Run {
	started := base.Add(r.start)
	run := runlog.Run{ID: r.id, InstanceID: 7, Mode: r.mode, Status: r.status, CreatedAt: started, StartedAt: started}
	if r.took > 0 {
		f := started.Add(r.took)
		run.FinishedAt = &f
	}
	if summary != "" {
		run.Summary = json.RawMessage(summary)
	}
	return run
}

// goodRun is a completed Full Sync.
var goodRun = fixtureRun{
	id: 101, mode: runlog.ModeApply, status: runlog.RunCompleted, took: 4 * time.Minute,
	rows: []row{
		{stage: runlog.StageValidateSetup, status: runlog.StatusCompleted, took: 2 * time.Second, metrics: `{"checks": 4, "credentials": "ok"}`},
		{stage: runlog.StageExtract, status: runlog.StatusCompleted, start: 2 * time.Second, took: 70 * time.Second, metrics: `{"records_pulled": 1284, "pages": 13, "api_calls": 14}`},
		{stage: runlog.StageCanonicalize, status: runlog.StatusCompleted, start: 72 * time.Second, took: 9 * time.Second, metrics: `{"records_in": 1284, "records_out": 1279, "dropped": {"missing_serial": 5, "bad_vendor": 0}}`},
		{stage: runlog.StageReconcile, status: runlog.StatusCompleted, start: 81 * time.Second, took: 40 * time.Second, metrics: `{"matched": 1190, "unmatched": 89, "match_rate": 0.927}`},
		{stage: runlog.StageDecide, status: runlog.StatusCompleted, start: 121 * time.Second, took: 6 * time.Second, metrics: `{"decisions": 1279, "decision_reason_codes": {"LINK_FOUND_BY_EXTERNAL_ID": 1181, "NO_MATCH_CREATE_CANDIDATE": 89, "MEDIUM_MATCH_REQUIRES_REVIEW": 9}}`},
		{stage: runlog.StageApply, status: runlog.StatusCompleted, start: 127 * time.Second, took: 113 * time.Second, metrics: `{"updated": 1181, "created": 89, "skipped": 9}`},
	},
}

// failedRun is a Full Sync whose extract was retried and whose reconcile
// failed, so that decide and apply never ran.
var failedRun = fixtureRun{
	id: 103, mode: runlog.ModeApply, status: runlog.RunFailed, start: 7 * 24 * time.Hour, took: 3 * time.Minute,
	rows: []row{
		{stage: runlog.StageValidateSetup, status: runlog.StatusCompleted, took: 2 * time.Second, metrics: `{"checks": 4, "credentials": "expired"}`},
		{stage: runlog.StageExtract, status: runlog.StatusFailed, start: 2 * time.Second, took: 30 * time.Second,
			summary: "Upstream inventory API timed out after 30 s (page 7 of 13).",
			payload: `{"type":"ConnectException","message":"cURL error 28: Operation timed out"}`,
			metrics: `{"records_pulled": 600, "pages": 6}`},
		{stage: runlog.StageExtract, status: runlog.StatusCompleted, attempt: 2, start: 35 * time.Second, took: 71 * time.Second, metrics: `{"records_pulled": 1302, "pages": 14, "api_calls": 15}`},
		{stage: runlog.StageCanonicalize, status: runlog.StatusCompleted, start: 106 * time.Second, took: 9 * time.Second, metrics: `{"records_in": 1302, "records_out": 1300, "dropped": {"missing_serial": 2, "bad_vendor": "n/a"}}`},
		{stage: runlog.StageReconcile, status: runlog.StatusFailed, start: 115 * time.Second, took: 65 * time.Second,
			summary: "Reconcile stopped: 3 upstream records matched more than one local device, and the device lock could not be taken (deadlock detected).",
			payload: `{"type":"ReconcileError","message":"reconcile: 3 records matched more than one local device"}`,
			metrics: `{"matched": 1201, "unmatched": 96, "ambiguous": 3, "match_rate": 0.9224}`},
	},
}
