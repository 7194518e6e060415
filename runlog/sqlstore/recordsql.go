package sqlstore

import (
	"fmt"

	sq "github.com/Masterminds/squirrel"

	"github.com/opsync/integrationlogs/runlog"
)

// recordSQL holds the statements of the recorder, built once per Builder.
// The comment of each field lists its arguments in order.
type recordSQL struct {
	insertRun   string // instance_id, mode, status, debug, created_at, started_at; PostgreSQL returns id
	getRun      string // id → runColumns
	finishRun   string // status, finished_at, summary_json, id, instance_id
	failRun     string // "failed", finished_at, id, instance_id
	insertStage string // stage, status, stage, created_at, started_at, run_id → stageReturning (PostgreSQL and SQLite)
	nextStage   string // (MySQL) stage, run_id → instance_id, mode, attempt: the next attempt's values
	insertRow   string // (MySQL) instance_id, run_id, mode, stage, status, attempt, created_at, started_at
	startStage  string // "running", started_at, id, instance_id, "queued"
	finishStage string // status, finished_at, error_summary, metrics_json, error_payload, id, instance_id
	stageState  string // id, instance_id → status, finished_at
	lastDecide  string // instance_id, run_id, "decide" → metrics_json
	stale       string // instance_id, "queued", "running", cutoff (timeArg) → the columns of Entry
	runOf       string // id, instance_id → runColumns
	runStages   string // instance_id, run_id → the columns of Entry, in recorded order
	failedStage string // instance_id, run_id, "failed" → the columns of Entry, the latest row
}

// runColumns are the columns of a run row, as runRow scans them.
var runColumns = []string{"id", "instance_id", "mode", "status", "debug", "summary_json", "created_at", "started_at", "finished_at"}

// stageReturning are the columns the recorder reads back from a stage row
// it inserted. MySQL has no RETURNING: there the recorder reads the next
// attempt's values first (nextStage), then inserts them (insertRow), and a
// concurrent writer's row makes the insert fail on the unique key as the
// single statement does elsewhere. (An INSERT ... SELECT there also takes
// the table's AUTO-INC lock for the whole statement, which MariaDB answers
// under contention with error 1467.)
const stageReturning = "id, instance_id, attempt, mode"

// unfinished are the statuses of a stage row that has not finished.
var unfinished = []string{string(runlog.StatusQueued), string(runlog.StatusRunning)}

func (b *Builder) buildRecord() (recordSQL, error) {
	var r recordSQL
	n := b.names
	st := b.sql()
	// PostgreSQL cannot infer the type of a parameter in a SELECT list.
	ts := "?"
	if b.dialect == PostgreSQL {
		ts = "CAST(? AS TIMESTAMPTZ)"
	}
	insertRun := st.Insert(n.runs).
		Columns("instance_id", "mode", "status", "debug", "created_at", "started_at").
		Values(0, "", "", false, nil, nil)
	if b.dialect == PostgreSQL {
		insertRun = insertRun.Suffix("RETURNING id")
	}
	// The attempt is one more than the stage's earlier attempts in the run,
	// counted in the same statement; the unique key on (run_id, stage,
	// attempt) turns a race between two writers into an error that the
	// recorder answers by trying again.
	insertStage := st.Insert(n.stages).
		Columns("instance_id", "run_id", "mode", "stage", "status", "attempt", "created_at", "started_at").
		Select(sq.Select("r.instance_id", "r.id", "r.mode").
			Column(sq.Expr("?", "")).
			Column(sq.Expr("?", "")).
			Column(sq.Expr("COALESCE((SELECT MAX(x.attempt) FROM "+n.stages+" AS x WHERE x.run_id = r.id AND x.stage = ?), 0) + 1", "")).
			Column(sq.Expr(ts, nil)).
			Column(sq.Expr(ts, nil)).
			From(n.runs + " AS r").
			Where(sq.Eq{"r.id": 0}))
	insertStage = insertStage.Suffix("RETURNING " + stageReturning)
	statements := []struct {
		dst *string
		q   sq.Sqlizer
	}{
		{&r.insertRun, insertRun},
		{&r.getRun, st.Select(runColumns...).From(n.runs).Where(sq.Eq{"id": 0})},
		{&r.finishRun, st.Update(n.runs).Set("status", "").Set("finished_at", nil).Set("summary_json", nil).
			Where(sq.Eq{"id": 0, "instance_id": 0})},
		{&r.failRun, st.Update(n.runs).Set("status", string(runlog.RunFailed)).Set("finished_at", nil).
			Where(sq.Eq{"id": 0, "instance_id": 0})},
		{&r.insertStage, insertStage},
		{&r.nextStage, st.Select("r.instance_id", "r.mode").
			Column(sq.Expr("COALESCE((SELECT MAX(x.attempt) FROM "+n.stages+" AS x WHERE x.run_id = r.id AND x.stage = ?), 0) + 1 AS attempt", "")).
			From(n.runs + " AS r").Where(sq.Eq{"r.id": 0})},
		{&r.insertRow, st.Insert(n.stages).
			Columns("instance_id", "run_id", "mode", "stage", "status", "attempt", "created_at", "started_at").
			Values(0, 0, "", "", "", 0, nil, nil)},
		{&r.startStage, st.Update(n.stages).Set("status", string(runlog.StatusRunning)).Set("started_at", nil).
			Where(sq.Eq{"id": 0, "instance_id": 0, "status": string(runlog.StatusQueued)}).Where("finished_at IS NULL")},
		{&r.finishStage, st.Update(n.stages).
			Set("status", "").Set("finished_at", nil).Set("error_summary", nil).Set("metrics_json", nil).Set("error_payload", nil).
			Where(sq.Eq{"id": 0, "instance_id": 0}).Where("finished_at IS NULL")},
		{&r.stageState, st.Select("status", "finished_at").From(n.stages).Where(sq.Eq{"id": 0, "instance_id": 0})},
		{&r.lastDecide, st.Select("metrics_json").From(n.stages).
			Where(sq.Eq{"run_id": 0, "instance_id": 0, "stage": string(runlog.StageDecide)}).
			OrderBy("attempt DESC", "id DESC").Suffix("LIMIT 1")},
		{&r.stale, st.Select(b.fullColumns()...).
			From(n.stages+" AS s").
			Where(sq.Eq{"s.instance_id": 0}).
			Where("s.finished_at IS NULL").
			Where(sq.Eq{"s.status": unfinished}).
			Where(b.startedOrCreated()+" < ?", nil).
			OrderBy("s.run_id DESC", "s.id ASC")},
	}
	entry := b.fullColumns()
	statements = append(statements, []struct {
		dst *string
		q   sq.Sqlizer
	}{
		{&r.runOf, st.Select(runColumns...).From(n.runs).Where(sq.Eq{"id": 0, "instance_id": 0})},
		{&r.runStages, st.Select(entry...).From(n.stages + " AS s").
			Where(sq.Eq{"s.instance_id": 0, "s.run_id": 0}).OrderBy("s.id ASC")},
		{&r.failedStage, st.Select(entry...).From(n.stages + " AS s").
			Where(sq.Eq{"s.instance_id": 0, "s.run_id": 0, "s.status": ""}).OrderBy("s.id DESC").Suffix("LIMIT 1")},
	}...)
	for _, s := range statements {
		query, _, err := s.q.ToSql()
		if err != nil {
			return recordSQL{}, fmt.Errorf("sqlstore: build recorder statement: %w", err)
		}
		*s.dst = query
	}
	return r, nil
}
