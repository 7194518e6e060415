// Package demodata records the history that the examples show: a week of runs of
// one integration instance and a neighbour, written through the store's
// recorder on an embedded SQLite database.
package demodata

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	_ "modernc.org/sqlite" // the embedded, pure Go SQLite driver

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// The demo's instances: the one whose Logs tab is shown, and a neighbour whose
// rows must survive a purge of the first.
const (
	InstanceID  = 1
	NeighbourID = 2
)

// Base is the demo's clock at the start of its day of runs, fixed so that
// the output is the same on every run.
var Base = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

// demoClock is the Store's clock (sqlstore.Config.Now): the history sets it
// to each moment it records, as a pipeline's stages would reach them.
type demoClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *demoClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *demoClock) set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// runScript is one run of the history, told as its pipeline recorded it.
type runScript struct {
	instanceID int64
	mode       runlog.Mode
	start      time.Duration // after base
	status     runlog.RunStatus
	summary    any
	steps      []step
}

// step is one stage row: when it started (after the run's start), how long
// it took, and how it ended. A zero took leaves it running.
type step struct {
	stage   runlog.Stage
	at      time.Duration
	took    time.Duration
	err     error // with fail: Fail; else SoftError
	fail    bool
	metrics any
}

// errUpstreamTimeout is how the extract stage of the failed run first failed:
// the HTTP client's error, whose URL carries the upstream's credentials, as
// such URLs often do. The recorder redacts them before anything is written.
var errUpstreamTimeout = &url.Error{
	Op:  "Get",
	URL: "https://sync-bot:s3cr3t-pa55@inventory.example.com/api/v2/devices?page=7",
	Err: fmt.Errorf("read tcp 10.0.0.9:51234->203.0.113.7:443: %w", errors.New("i/o timeout")),
}

// errReconcile is the failed reconcile stage's error: a chain of causes
// down to the database's deadlock, one of which names the database with its
// password, as connection errors often do.
var errReconcile = fmt.Errorf("reconcile: 3 upstream records matched more than one local device; no changes were applied: %w",
	fmt.Errorf("lock devices AB-1001, AB-1002, AB-1003 in postgres://sync:hunter2@10.0.0.7:5432/inventory: %w",
		&net.OpError{Op: "read", Net: "tcp", Err: errors.New("ERROR: deadlock detected (SQLSTATE 40P01)")}))

func history() []runScript {
	return []runScript{
		{
			// A week before: the last completed Full Sync, to compare with.
			instanceID: InstanceID, mode: runlog.ModeApply, start: -7 * 24 * time.Hour, status: runlog.RunCompleted,
			summary: map[string]int{"creates": 84, "updates": 1176},
			steps: []step{
				{stage: runlog.StageValidateSetup, at: 0, took: 2 * time.Second, metrics: metrics("checks", 4, "credentials_check", "ok")},
				{stage: runlog.StageExtract, at: 2 * time.Second, took: 68 * time.Second, metrics: metrics("records_pulled", 1268, "pages", 13, "api_calls", 13)},
				{stage: runlog.StageCanonicalize, at: 70 * time.Second, took: 9 * time.Second, metrics: metrics("records_in", 1268, "records_out", 1266, "dropped", map[string]int{"missing_serial": 2})},
				{stage: runlog.StageReconcile, at: 79 * time.Second, took: 38 * time.Second, metrics: metrics("matched", 1182, "unmatched", 84)},
				{stage: runlog.StageDecide, at: 117 * time.Second, took: 6 * time.Second, metrics: metrics("decisions", 1266, "decision_reason_codes",
					metrics("LINK_FOUND_BY_EXTERNAL_ID", 1176, "NO_MATCH_CREATE_CANDIDATE", 84, "MEDIUM_MATCH_REQUIRES_REVIEW", 6))},
				{stage: runlog.StageApply, at: 123 * time.Second, took: 110 * time.Second, metrics: metrics("updated", 1176, "created", 84, "skipped", 6)},
			},
		},
		{
			instanceID: InstanceID, mode: runlog.ModeApply, start: 0, status: runlog.RunCompleted,
			summary: map[string]int{"creates": 89, "updates": 1181},
			steps: []step{
				{stage: runlog.StageValidateSetup, at: 0, took: 2 * time.Second, metrics: metrics("checks", 4, "credentials_check", "ok")},
				{stage: runlog.StageExtract, at: 2 * time.Second, took: 70 * time.Second, metrics: metrics("records_pulled", 1284, "pages", 13, "api_calls", 14)},
				{stage: runlog.StageCanonicalize, at: 72 * time.Second, took: 9 * time.Second, metrics: metrics("records_in", 1284, "records_out", 1279, "dropped", map[string]int{"missing_serial": 5})},
				{stage: runlog.StageReconcile, at: 81 * time.Second, took: 40 * time.Second, metrics: metrics("matched", 1190, "unmatched", 89)},
				{stage: runlog.StageDecide, at: 121 * time.Second, took: 6 * time.Second, metrics: metrics("decisions", 1279, "decision_reason_codes",
					metrics("LINK_FOUND_BY_EXTERNAL_ID", 1181, "NO_MATCH_CREATE_CANDIDATE", 89, "MEDIUM_MATCH_REQUIRES_REVIEW", 9))},
				{stage: runlog.StageApply, at: 127 * time.Second, took: 113 * time.Second, metrics: metrics("updated", 1181, "created", 89, "skipped", 9)},
			},
		},
		{
			instanceID: NeighbourID, mode: runlog.ModeApply, start: 30 * time.Minute, status: runlog.RunCompleted,
			steps: []step{
				{stage: runlog.StageValidateSetup, at: 0, took: time.Second, metrics: metrics("checks", 4)},
				{stage: runlog.StageExtract, at: time.Second, took: 30 * time.Second, metrics: metrics("records_pulled", 210)},
				{stage: runlog.StageCanonicalize, at: 31 * time.Second, took: 3 * time.Second, metrics: metrics("records_out", 210)},
				{stage: runlog.StageReconcile, at: 34 * time.Second, took: 20 * time.Second, metrics: metrics("matched", 210)},
				{stage: runlog.StageDecide, at: 54 * time.Second, took: 2 * time.Second, metrics: metrics("decision_reason_codes", metrics("LINK_FOUND_BY_EXTERNAL_ID", 210))},
				{stage: runlog.StageApply, at: 56 * time.Second, took: 60 * time.Second, metrics: metrics("updated", 210)},
			},
		},
		{
			instanceID: InstanceID, mode: runlog.ModePreview, start: time.Hour, status: runlog.RunPreviewReady,
			summary: map[string]int{"creates": 91, "updates": 1185},
			steps: []step{
				{stage: runlog.StageValidateSetup, at: 0, took: 2 * time.Second, metrics: metrics("checks", 4, "credentials_check", "ok")},
				{stage: runlog.StageExtract, at: 2 * time.Second, took: 66 * time.Second, metrics: metrics("records_pulled", 1291, "pages", 13)},
				{stage: runlog.StageCanonicalize, at: 68 * time.Second, took: 10 * time.Second,
					err:     errors.New("2 records carried a serial number with   invalid characters (\"AB-12\x00\");\n they were kept as-is and flagged for review"),
					metrics: metrics("records_in", 1291, "records_out", 1291, "flagged", 2)},
				{stage: runlog.StageReconcile, at: 78 * time.Second, took: 41 * time.Second, metrics: metrics("matched", 1197, "unmatched", 94)},
				{stage: runlog.StageDecide, at: 119 * time.Second, took: 7 * time.Second, metrics: metrics("decisions", 1291, "decision_reason_codes",
					metrics("LINK_FOUND_BY_EXTERNAL_ID", 1185, "NO_MATCH_CREATE_CANDIDATE", 91, "AMBIGUOUS_MATCH_MULTIPLE_DEVICES", 3, "MEDIUM_MATCH_REQUIRES_REVIEW", 12))},
			},
		},
		{
			instanceID: InstanceID, mode: runlog.ModeApply, start: 2 * time.Hour, status: runlog.RunFailed,
			steps: []step{
				{stage: runlog.StageValidateSetup, at: 0, took: 2 * time.Second, metrics: metrics("checks", 4, "credentials_check", "ok")},
				{stage: runlog.StageExtract, at: 2 * time.Second, took: 30 * time.Second, err: errUpstreamTimeout, metrics: metrics("records_pulled", 600, "pages", 6)},
				{stage: runlog.StageExtract, at: 35 * time.Second, took: 71 * time.Second, metrics: metrics("records_pulled", 1302, "pages", 14, "api_calls", 15)},
				{stage: runlog.StageCanonicalize, at: 106 * time.Second, took: 9 * time.Second, metrics: metrics("records_in", 1302, "records_out", 1300, "dropped", map[string]int{"missing_serial": 2})},
				{stage: runlog.StageReconcile, at: 115 * time.Second, took: 65 * time.Second, fail: true, err: errReconcile,
					metrics: metrics("matched", 1201, "ambiguous", 3, "unmatched", 96)},
			},
		},
		{
			instanceID: InstanceID, mode: runlog.ModeApply, start: 3 * time.Hour, status: runlog.RunRunning,
			steps: []step{
				{stage: runlog.StageValidateSetup, at: 0, took: 2 * time.Second, metrics: metrics("checks", 4, "credentials_check", "ok")},
				{stage: runlog.StageExtract, at: 2 * time.Second, took: 69 * time.Second, metrics: metrics("records_pulled", 1305, "pages", 14)},
				{stage: runlog.StageCanonicalize, at: 71 * time.Second},
			},
		},
	}
}

// metrics builds metrics from key, value pairs, in that order.
func metrics(kv ...any) *runlog.Metrics {
	var m runlog.Metrics
	for i := 0; i+1 < len(kv); i += 2 {
		m.Set(kv[i].(string), kv[i+1])
	}
	return &m
}

// writeHistory records the runs through the store's recorder, as a host's
// pipeline would: a run, then each stage begun and finished in turn, at the
// moments the script gives.
func writeHistory(ctx context.Context, store *sqlstore.Store, clk *demoClock, runs []runScript) error {
	for _, r := range runs {
		start := Base.Add(r.start)
		clk.set(start)
		run, err := store.StartRun(ctx, r.instanceID, r.mode, sqlstore.RunOptions{})
		if err != nil {
			return err
		}
		end := start
		for _, s := range r.steps {
			clk.set(start.Add(s.at))
			rec, err := store.BeginStage(ctx, run.ID, s.stage)
			if err != nil {
				return err
			}
			if s.took == 0 {
				continue // still running
			}
			end = start.Add(s.at + s.took)
			clk.set(end)
			switch {
			case s.fail:
				err = rec.Fail(ctx, s.err, s.metrics)
			case s.err != nil:
				err = rec.SoftError(ctx, s.err, s.metrics)
			default:
				err = rec.Complete(ctx, s.metrics)
			}
			if err != nil {
				return err
			}
		}
		if r.status != runlog.RunRunning {
			if err := store.FinishRun(ctx, run.ID, r.status, r.summary); err != nil {
				return err
			}
		}
	}
	return nil
}

// Open creates the demo database at path (a temporary one when path is
// empty), migrates it and records the demo history into it through the
// store's recorder. done closes the store and the database, and removes a
// temporary database. An existing file at path is refused.
func Open(ctx context.Context, path string) (db *sqlx.DB, store *sqlstore.Store, done func(), err error) {
	var cleanup []func()
	closeAll := func() {
		for i := len(cleanup) - 1; i >= 0; i-- {
			cleanup[i]()
		}
	}
	defer func() {
		if err != nil {
			closeAll()
		}
	}()
	if path == "" {
		dir, err := os.MkdirTemp("", "integrationlogs-demo-")
		if err != nil {
			return nil, nil, nil, err
		}
		cleanup = append(cleanup, func() { os.RemoveAll(dir) })
		path = filepath.Join(dir, "logs.db")
	} else if _, err := os.Stat(path); err == nil {
		return nil, nil, nil, fmt.Errorf("%s exists already; name a new file", path)
	}
	if db, err = OpenSQLite(path); err != nil {
		return nil, nil, nil, err
	}
	cleanup = append(cleanup, func() { db.Close() })
	clk := &demoClock{t: Base}
	if store, err = sqlstore.New(db, sqlstore.Config{Now: clk.Now}); err != nil {
		return nil, nil, nil, err
	}
	cleanup = append(cleanup, func() { store.Close() })
	if err := store.Migrate(ctx); err != nil {
		return nil, nil, nil, err
	}
	if err := writeHistory(ctx, store, clk, history()); err != nil {
		return nil, nil, nil, err
	}
	return db, store, closeAll, nil
}

// OpenSQLite opens the database file with the settings sqlstore expects on
// SQLite: times written as SQLite text, WAL, a busy timeout, and one
// connection, so that a writer queues behind a purge batch instead of
// waiting out the whole purge (see package sqlstore).
func OpenSQLite(path string) (*sqlx.DB, error) {
	dsn := "file:" + path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_time_format=sqlite"
	db, err := sqlx.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, errors.Join(fmt.Errorf("open %s", path), err)
	}
	return db, nil
}
