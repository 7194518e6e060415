package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"slices"
	"time"

	"github.com/opsync/integrationlogs/runlog"
)

// StageRecorder records one stage row of a run, from BeginStage or
// QueueStage until Complete, Fail or SoftError finishes it. It is meant for
// the goroutine that runs the stage: its methods are not safe for
// concurrent use.
//
// Every transition it writes is also logged to Config.Logger, when set,
// with run_id, instance_id, stage, attempt and status; the end of a stage
// adds its duration and, for a failure, the redacted error summary.
type StageRecorder struct {
	s          *Store
	id         int64
	runID      int64
	instanceID int64
	stage      runlog.Stage
	mode       runlog.Mode
	attempt    int
	started    time.Time // zero while queued
}

// ID returns the stage row's id.
func (r *StageRecorder) ID() int64 { return r.id }

// RunID returns the id of the row's run.
func (r *StageRecorder) RunID() int64 { return r.runID }

// Stage returns the stage recorded.
func (r *StageRecorder) Stage() runlog.Stage { return r.stage }

// Attempt returns the row's attempt: 1 for the stage's first row in the
// run, one more for each retry.
func (r *StageRecorder) Attempt() int { return r.attempt }

// maxTries bounds how often a write refused because of a concurrent
// writer (see isConflict) is tried.
const maxTries = 64

// retry runs f, and runs it again while it fails with a conflict (see
// isConflict), at most maxTries times, pausing a little longer each time
// (up to 10 ms) so that two writers that deadlocked do not meet again at
// once. In a caller's transaction, which the conflict may have ended, it
// runs f once.
func (s *Store) retry(ctx context.Context, f func() error) error {
	err := f()
	for try := 1; err != nil && s.tx == nil && try < maxTries && isConflict(err); try++ {
		select {
		case <-ctx.Done():
			return ctxErr(ctx, err)
		case <-time.After(time.Duration(min(try, 10)) * time.Millisecond):
		}
		err = f()
	}
	return err
}

// BeginStage records the start of stage in run runID: a row in status
// running whose attempt is one more than the stage's earlier rows in that
// run (1 for the first), and returns its recorder. The attempt is right
// under concurrent callers: the database's unique key on run, stage and
// attempt refuses a number another writer took first, and BeginStage tries
// again with the next. On a Store from WithTx it cannot try again (the
// failed statement may have aborted the transaction): a conflict is
// returned as the driver's error.
//
// Stages of a host's own are accepted (any non-empty UTF-8 text of at most
// 64 bytes); an invalid one gives ErrInvalidValue. A run that does not
// exist gives ErrNotFound.
func (s *Store) BeginStage(ctx context.Context, runID int64, stage runlog.Stage) (*StageRecorder, error) {
	return s.insertStage(ctx, runID, stage, runlog.StatusRunning)
}

// QueueStage records stage of run runID as queued: a row in status queued,
// with its attempt as BeginStage counts it, and no start time. Start moves
// it to running.
func (s *Store) QueueStage(ctx context.Context, runID int64, stage runlog.Stage) (*StageRecorder, error) {
	return s.insertStage(ctx, runID, stage, runlog.StatusQueued)
}

// stageRow is what the recorder reads back from a row it inserted.
type stageRow struct {
	ID         int64   `db:"id"`
	InstanceID int64   `db:"instance_id"`
	Attempt    int     `db:"attempt"`
	Mode       *string `db:"mode"`
}

func (s *Store) insertStage(ctx context.Context, runID int64, stage runlog.Stage, status runlog.Status) (*StageRecorder, error) {
	if err := checkValue("stage", string(stage)); err != nil {
		return nil, err
	}
	now := s.clock()
	var started any
	if status == runlog.StatusRunning {
		started = s.builder.writeTime(now)
	}
	args := []any{string(stage), string(status), string(stage), s.builder.writeTime(now), started, runID}
	var row stageRow
	err := s.retry(ctx, func() (err error) {
		row, err = s.insertStageRow(ctx, args)
		return err
	})
	if errors.Is(err, ErrNotFound) {
		return nil, fmt.Errorf("sqlstore: begin stage %s: %w: run %d", stage, ErrNotFound, runID)
	}
	if err != nil {
		return nil, fmt.Errorf("sqlstore: begin stage %s of run %d: %w", stage, runID, err)
	}
	r := &StageRecorder{
		s: s, id: row.ID, runID: runID, instanceID: row.InstanceID,
		stage: stage, attempt: row.Attempt,
	}
	if row.Mode != nil {
		r.mode = runlog.Mode(*row.Mode)
	}
	if status == runlog.StatusRunning {
		r.started = now
	}
	s.log(ctx, "stage "+string(status), r.attrs(status)...)
	return r, nil
}

// insertStageRow inserts the stage row and reads back its id, instance,
// attempt and mode: in the same statement with RETURNING, or on MySQL by
// its id. No row inserted means the run does not exist: ErrNotFound.
func (s *Store) insertStageRow(ctx context.Context, args []any) (stageRow, error) {
	rec := s.builder.rec
	var rows []stageRow
	if s.builder.dialect != MySQL {
		if err := s.query(ctx, &rows, rec.insertStage, args); err != nil {
			return stageRow{}, err
		}
	} else {
		stage, status, created, started, runID := args[0], args[1], args[3], args[4], args[5]
		if err := s.query(ctx, &rows, rec.nextStage, []any{stage, runID}); err != nil {
			return stageRow{}, err
		}
		if len(rows) == 0 {
			return stageRow{}, ErrNotFound
		}
		row := &rows[0]
		id, err := s.insertID(ctx, rec.insertRow, []any{row.InstanceID, runID, row.Mode, stage, status, row.Attempt, created, started})
		if err != nil {
			return stageRow{}, err
		}
		row.ID = id
	}
	if len(rows) == 0 {
		return stageRow{}, ErrNotFound
	}
	return rows[0], nil
}

// Start moves a queued row to running, started now. A row that is not
// queued any more gives ErrStageFinished, a row a purge removed
// ErrStageGone; neither writes anything.
func (r *StageRecorder) Start(ctx context.Context) error {
	s := r.s
	now := s.clock()
	args := []any{string(runlog.StatusRunning), s.builder.writeTime(now), r.id, r.instanceID, string(runlog.StatusQueued)}
	n, err := s.exec(ctx, s.builder.rec.startStage, args)
	if err != nil {
		return fmt.Errorf("sqlstore: start stage %s of run %d: %w", r.stage, r.runID, err)
	}
	if n == 0 {
		return r.whyNot(ctx, "start")
	}
	r.started = now
	s.log(ctx, "stage running", r.attrs(runlog.StatusRunning)...)
	return nil
}

// whyNot returns the error for a write that changed no row: ErrStageGone
// when the row no longer exists, else ErrStageFinished.
func (r *StageRecorder) whyNot(ctx context.Context, what string) error {
	var rows []struct {
		Status     string   `db:"status"`
		FinishedAt nullTime `db:"finished_at"`
	}
	if err := r.s.query(ctx, &rows, r.s.builder.rec.stageState, []any{r.id, r.instanceID}); err != nil {
		return fmt.Errorf("sqlstore: %s stage %s of run %d: %w", what, r.stage, r.runID, err)
	}
	if len(rows) == 0 {
		return fmt.Errorf("sqlstore: %s stage %s of run %d: %w (row %d)", what, r.stage, r.runID, ErrStageGone, r.id)
	}
	return fmt.Errorf("sqlstore: %s stage %s of run %d: %w (row %d is %s)", what, r.stage, r.runID, ErrStageFinished, r.id, rows[0].Status)
}

// attrs returns the log attributes of a transition of r to status.
func (r *StageRecorder) attrs(status runlog.Status) []any {
	return []any{
		"run_id", r.runID, "instance_id", r.instanceID, "stage", string(r.stage),
		"attempt", r.attempt, "status", string(status),
	}
}

// Complete records that the stage finished well, with its metrics: status
// completed, or preview_ready for the decide stage of a preview run.
// metrics is encoded with encoding/json (a struct keeps its field order,
// as runlog.Metrics does; nil writes no metrics), redacted, and cut to
// Config.MetricsLimit (see Fail).
//
// A row that finished already (by this recorder or ExpireStale) gives
// ErrStageFinished, a row a purge removed ErrStageGone; neither writes
// anything. Metrics that encoding/json cannot encode are written as
// {"metrics_error": "..."}, and the error wraps ErrInvalidMetrics.
func (r *StageRecorder) Complete(ctx context.Context, metrics any) error {
	status := runlog.StatusCompleted
	if r.stage == runlog.StageDecide && r.mode == runlog.ModePreview {
		status = runlog.StatusPreviewReady
	}
	return r.finish(ctx, status, nil, metrics)
}

// finish writes the end of the stage. A failure also marks the run failed,
// in the same transaction; any other end is one statement.
func (r *StageRecorder) finish(ctx context.Context, status runlog.Status, cause *failure, metrics any) error {
	s := r.s
	doc, metricsErr := s.metricsJSON(metrics)
	var summary, payload any
	var logSummary string
	if cause != nil {
		rec, err := r.captureError(ctx, *cause)
		if err != nil {
			return fmt.Errorf("sqlstore: %s stage %s of run %d: %w", status, r.stage, r.runID, err)
		}
		summary, payload = rec.summary, rec.payload
		logSummary, _ = rec.summary.(string)
	}
	now := s.clock()
	args := []any{string(status), s.builder.writeTime(now), summary, doc, payload, r.id, r.instanceID}
	write := func(t *Store) error {
		n, err := t.exec(ctx, s.builder.rec.finishStage, args)
		if err != nil {
			return err
		}
		if n == 0 {
			return errNoRow
		}
		if status == runlog.StatusFailed {
			_, err = t.exec(ctx, s.builder.rec.failRun, []any{string(runlog.RunFailed), s.builder.writeTime(now), r.runID, r.instanceID})
		}
		return err
	}
	err := s.retry(ctx, func() error {
		if status != runlog.StatusFailed {
			return write(s) // one statement: no transaction needed
		}
		return s.inTx(ctx, write)
	})
	if errors.Is(err, errNoRow) {
		return r.whyNot(ctx, string(status))
	}
	if err != nil {
		return fmt.Errorf("sqlstore: %s stage %s of run %d: %w", status, r.stage, r.runID, err)
	}
	attrs := r.attrs(status)
	if !r.started.IsZero() {
		attrs = append(attrs, "duration", now.Sub(r.started))
	}
	level := slog.LevelInfo
	switch status {
	case runlog.StatusFailed:
		level = slog.LevelError
	case runlog.StatusError:
		level = slog.LevelWarn
	}
	if logSummary != "" {
		attrs = append(attrs, "error_summary", logSummary)
	}
	s.logAt(ctx, level, "stage "+string(status), attrs...)
	return metricsErr
}

// errNoRow says that a recorder's UPDATE changed no row.
var errNoRow = errors.New("no row")

// metricsJSON returns the metrics_json argument for metrics: nil for nil,
// else its JSON, cleaned, redacted and bounded. Metrics encoding/json
// cannot encode become {"metrics_error": "..."}, and the error says why.
func (s *Store) metricsJSON(metrics any) (any, error) {
	if metrics == nil {
		return nil, nil
	}
	doc, err := json.Marshal(metrics)
	if err != nil {
		note, _ := json.Marshal(map[string]string{"metrics_error": cleanText(err.Error())})
		return string(note), fmt.Errorf("%w: %v", ErrInvalidMetrics, err)
	}
	if string(doc) == "null" {
		return nil, nil
	}
	doc, _ = s.redactJSON(cleanJSON(doc))
	return string(boundMetrics(doc, s.limits.metrics)), nil
}

// inTx runs f on a Store in a transaction: s itself when it is in one
// already, else one begun on s's database and committed when f succeeds.
func (s *Store) inTx(ctx context.Context, f func(*Store) error) error {
	if s.tx != nil {
		return f(s)
	}
	if s.err != nil {
		return s.err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return ctxErr(ctx, err)
	}
	defer tx.Rollback()
	if err := f(s.WithTx(tx)); err != nil {
		return err
	}
	return ctxErr(ctx, tx.Commit())
}

// isDeadlock reports whether err is MySQL's deadlock error, after which
// InnoDB has rolled back the whole transaction.
func isDeadlock(err error) bool { return isMySQLError(err, 1213) }

// isMySQLError reports whether err, or an error it wraps, is a MySQL error
// with one of the numbers: go-sql-driver/mysql's *MySQLError has a Number,
// read by reflection so that no driver is imported.
func isMySQLError(err error, numbers ...uint64) bool {
	return anyError(err, func(e error) bool {
		v := reflect.ValueOf(e)
		if v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return false
		}
		f := v.FieldByName("Number")
		return f.IsValid() && f.CanUint() && slices.Contains(numbers, f.Uint())
	})
}

// anyError reports whether f holds for err or any error it wraps, through
// both forms of Unwrap.
func anyError(err error, f func(error) bool) bool {
	if err == nil {
		return false
	}
	if f(err) {
		return true
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		return anyError(u.Unwrap(), f)
	case interface{ Unwrap() []error }:
		for _, e := range u.Unwrap() {
			if anyError(e, f) {
				return true
			}
		}
	}
	return false
}

// isConflict reports whether err is a database's refusal that another
// writer caused and that trying again resolves: a unique key violation, a
// deadlock or a serialization failure. Drivers are told apart by the
// methods and fields of their errors, so that no driver is imported:
// pgx's *pgconn.PgError has SQLState(); go-sql-driver/mysql's *MySQLError a
// Number; the SQLite drivers report codes (modernc.org/sqlite with Code(),
// mattn/go-sqlite3 in an ExtendedCode field).
func isConflict(err error) bool {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if st, ok := e.(interface{ SQLState() string }); ok {
			switch st.SQLState() {
			case "23505", "40001", "40P01":
				return true
			}
		}
		if c, ok := e.(interface{ Code() int }); ok {
			switch c.Code() {
			case 2067, 1555, 5, 6: // SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY, BUSY, LOCKED
				return true
			}
		}
		v := reflect.ValueOf(e)
		if v.Kind() == reflect.Pointer {
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			continue
		}
		if f := v.FieldByName("Number"); f.IsValid() && f.CanUint() {
			switch f.Uint() {
			case 1062, 1213: // ER_DUP_ENTRY, ER_LOCK_DEADLOCK
				return true
			}
		}
		if f := v.FieldByName("ExtendedCode"); f.IsValid() && f.CanInt() {
			switch f.Int() {
			case 2067, 1555:
				return true
			}
		}
	}
	return false
}
