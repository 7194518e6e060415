package main

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// The demo's instances: the one whose Logs tab is shown, and a neighbour whose
// rows must survive the purge.
const (
	instanceID  = 1
	neighbourID = 2
)

// base is the demo's clock, fixed so the output is the same on every run.
var base = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

type runRow struct {
	id         int64
	instanceID int64
	mode       string
	status     string
	started    time.Time
	finished   *time.Time
	stages     []stage
}

type stage struct {
	stage, status string
	attempt       int
	started       time.Duration // after the run's start
	took          time.Duration // zero while unfinished
	summary       string
	payload       string
	metrics       string
}

func at(d time.Duration) *time.Time { t := base.Add(d); return &t }

// reconcilePayload is the failed reconcile stage's error: an exception with
// two previous ones, in this library's payload shape.
const reconcilePayload = `{"type":"ReconcileError","message":"reconcile: 3 records matched more than one local device","trace":"reconcile.(*Matcher).Run\n\tmatcher.go:88\nsync.(*Pipeline).Step\n\tpipeline.go:141","previous":[{"type":"*pgconn.PgError","message":"ERROR: deadlock detected (SQLSTATE 40P01)","trace":"store.(*Devices).Lock\n\tdevices.go:52"},{"type":"*net.OpError","message":"read tcp 10.0.0.7:5432: i/o timeout","trace":""}],"previous_omitted":0}`

// laravelPayload is an upstream timeout recorded by a PHP worker, in the
// Laravel shape other systems write.
const laravelPayload = `{"message":"cURL error 28: Operation timed out after 30000 milliseconds","exception":"GuzzleHttp\\Exception\\ConnectException","trace":[{"file":"/app/Vendor/Client.php","line":114},{"file":"/app/Jobs/Extract.php","line":61}]}`

func history() []runRow {
	return []runRow{
		{
			id: 101, instanceID: instanceID, mode: "apply", status: "completed",
			started: base, finished: at(4 * time.Minute),
			stages: []stage{
				{stage: "validate_setup", status: "completed", started: 0, took: 2 * time.Second, metrics: `{"checks": 4, "credentials": "ok"}`},
				{stage: "extract", status: "completed", started: 2 * time.Second, took: 70 * time.Second, metrics: `{"records_pulled": 1284, "pages": 13, "api_calls": 14}`},
				{stage: "canonicalize", status: "completed", started: 72 * time.Second, took: 9 * time.Second, metrics: `{"records_in": 1284, "records_out": 1279, "dropped": {"missing_serial": 5}}`},
				{stage: "reconcile", status: "completed", started: 81 * time.Second, took: 40 * time.Second, metrics: `{"matched": 1190, "unmatched": 89}`},
				{stage: "decide", status: "completed", started: 121 * time.Second, took: 6 * time.Second, metrics: `{"decisions": 1279, "decision_reason_codes": {"LINK_FOUND_BY_EXTERNAL_ID": 1181, "NO_MATCH_CREATE_CANDIDATE": 89, "MEDIUM_MATCH_REQUIRES_REVIEW": 9}}`},
				{stage: "apply", status: "completed", started: 127 * time.Second, took: 113 * time.Second, metrics: `{"updated": 1181, "created": 89, "skipped": 9}`},
			},
		},
		{
			id: 102, instanceID: instanceID, mode: "preview", status: "preview_ready",
			started: base.Add(time.Hour), finished: at(time.Hour + 3*time.Minute),
			stages: []stage{
				{stage: "validate_setup", status: "completed", started: 0, took: 2 * time.Second, metrics: `{"checks": 4, "credentials": "ok"}`},
				{stage: "extract", status: "completed", started: 2 * time.Second, took: 66 * time.Second, metrics: `{"records_pulled": 1291, "pages": 13}`},
				{stage: "canonicalize", status: "error", started: 68 * time.Second, took: 10 * time.Second,
					summary: "2 records carried a serial number with   invalid characters;\n they were kept as-is and flagged for review.",
					payload: `{"type":"SerialFormatWarning","message":"serial \"AB-12\u0000\" has a NUL byte","trace":""}`,
					metrics: `{"records_in": 1291, "records_out": 1291, "flagged": 2}`},
				{stage: "reconcile", status: "completed", started: 78 * time.Second, took: 41 * time.Second, metrics: `{"matched": 1197, "unmatched": 94}`},
				{stage: "decide", status: "preview_ready", started: 119 * time.Second, took: 7 * time.Second, metrics: `{"decisions": 1291, "decision_reason_codes": {"LINK_FOUND_BY_EXTERNAL_ID": 1185, "NO_MATCH_CREATE_CANDIDATE": 91, "AMBIGUOUS_MATCH_MULTIPLE_DEVICES": 3, "MEDIUM_MATCH_REQUIRES_REVIEW": 12}}`},
			},
		},
		{
			id: 103, instanceID: instanceID, mode: "apply", status: "failed",
			started: base.Add(2 * time.Hour), finished: at(2*time.Hour + 3*time.Minute),
			stages: []stage{
				{stage: "validate_setup", status: "completed", started: 0, took: 2 * time.Second, metrics: `{"checks": 4, "credentials": "ok"}`},
				{stage: "extract", status: "failed", attempt: 1, started: 2 * time.Second, took: 30 * time.Second,
					summary: "Upstream inventory API timed out after 30 s (page 7 of 13).", payload: laravelPayload,
					metrics: `{"records_pulled": 600, "pages": 6}`},
				{stage: "extract", status: "completed", attempt: 2, started: 35 * time.Second, took: 71 * time.Second, metrics: `{"records_pulled": 1302, "pages": 14, "api_calls": 15}`},
				{stage: "canonicalize", status: "completed", started: 106 * time.Second, took: 9 * time.Second, metrics: `{"records_in": 1302, "records_out": 1300, "dropped": {"missing_serial": 2}}`},
				{stage: "reconcile", status: "failed", started: 115 * time.Second, took: 65 * time.Second,
					summary: "Reconcile stopped: 3 upstream records matched more than one local device, and the device lock could not be taken (deadlock detected). No changes were applied; re-run after resolving the duplicates listed in the payload.",
					payload: reconcilePayload,
					metrics: `{"matched": 1201, "ambiguous": 3, "unmatched": 96}`},
			},
		},
		{
			id: 104, instanceID: instanceID, mode: "apply", status: "running",
			started: base.Add(3 * time.Hour),
			stages: []stage{
				{stage: "validate_setup", status: "completed", started: 0, took: 2 * time.Second, metrics: `{"checks": 4, "credentials": "ok"}`},
				{stage: "extract", status: "completed", started: 2 * time.Second, took: 69 * time.Second, metrics: `{"records_pulled": 1305, "pages": 14}`},
				{stage: "canonicalize", status: "running", started: 71 * time.Second, metrics: `{"records_in": 1305}`},
			},
		},
		{
			id: 201, instanceID: neighbourID, mode: "apply", status: "completed",
			started: base.Add(30 * time.Minute), finished: at(32 * time.Minute),
			stages: []stage{
				{stage: "validate_setup", status: "completed", started: 0, took: 1 * time.Second, metrics: `{"checks": 4}`},
				{stage: "extract", status: "completed", started: time.Second, took: 30 * time.Second, metrics: `{"records_pulled": 210}`},
				{stage: "canonicalize", status: "completed", started: 31 * time.Second, took: 3 * time.Second, metrics: `{"records_out": 210}`},
				{stage: "reconcile", status: "completed", started: 34 * time.Second, took: 20 * time.Second, metrics: `{"matched": 210}`},
				{stage: "decide", status: "completed", started: 54 * time.Second, took: 2 * time.Second, metrics: `{"decision_reason_codes": {"LINK_FOUND_BY_EXTERNAL_ID": 210}}`},
				{stage: "apply", status: "completed", started: 56 * time.Second, took: 60 * time.Second, metrics: `{"updated": 210}`},
			},
		},
	}
}

// writeHistory inserts the runs and their stage rows with plain INSERTs, as a
// host's pipeline would. Each run's stage rows go in the order they were
// recorded, so their ids rise within the run.
func writeHistory(ctx context.Context, db *sqlx.DB, runs []runRow) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() //nolint:errcheck // a no-op after Commit
	for _, r := range runs {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO integration_runs (id, instance_id, mode, status, created_at, started_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			r.id, r.instanceID, r.mode, r.status, r.started, r.started, r.finished); err != nil {
			return fmt.Errorf("insert run %d: %w", r.id, err)
		}
		for _, s := range r.stages {
			started := r.started.Add(s.started)
			var finished *time.Time
			if s.took > 0 {
				f := started.Add(s.took)
				finished = &f
			}
			attempt := max(s.attempt, 1)
			if _, err := tx.ExecContext(ctx,
				`INSERT INTO integration_run_stages (instance_id, run_id, stage, status, attempt, started_at, finished_at, error_summary, error_payload, metrics_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				r.instanceID, r.id, s.stage, s.status, attempt, started, finished,
				nullable(s.summary), nullable(s.payload), nullable(s.metrics)); err != nil {
				return fmt.Errorf("insert stage %s of run %d: %w", s.stage, r.id, err)
			}
		}
	}
	return tx.Commit()
}

// nullable maps an empty string to SQL NULL.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}
