package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/reason"
)

// RunOptions are the options of a run that StartRun records.
type RunOptions struct {
	// Debug records a stack trace with each error of the run's stages (see
	// StageRecorder.Fail).
	Debug bool
}

// TopReasonCodes is how many reason codes FinishRun keeps in a run
// summary's top_decision_reason_codes.
const TopReasonCodes = 5

// runRow is a run row as the queries return it.
type runRow struct {
	ID         int64    `db:"id"`
	InstanceID int64    `db:"instance_id"`
	Mode       string   `db:"mode"`
	Status     string   `db:"status"`
	Debug      bool     `db:"debug"`
	Summary    []byte   `db:"summary_json"`
	CreatedAt  nullTime `db:"created_at"`
	StartedAt  nullTime `db:"started_at"`
	FinishedAt nullTime `db:"finished_at"`
}

func (r *runRow) run() runlog.Run {
	run := runlog.Run{
		ID:         r.ID,
		InstanceID: r.InstanceID,
		Mode:       runlog.Mode(r.Mode),
		Status:     runlog.RunStatus(r.Status),
		Debug:      r.Debug,
		Summary:    json.RawMessage(r.Summary),
		CreatedAt:  r.CreatedAt.Time,
		StartedAt:  r.StartedAt.Time,
	}
	if r.FinishedAt.Valid {
		t := r.FinishedAt.Time
		run.FinishedAt = &t
	}
	return run
}

// checkValue checks a stage, status or mode to be stored: any value a host
// chooses, if it is not empty, at most 64 bytes (the columns' size on
// MySQL) and valid UTF-8 without NUL. The error wraps ErrInvalidValue.
func checkValue(kind, v string) error {
	switch {
	case v == "":
		return fmt.Errorf("%w: empty %s", ErrInvalidValue, kind)
	case len(v) > 64:
		return fmt.Errorf("%w: %s of %d bytes (at most 64)", ErrInvalidValue, kind, len(v))
	case !utf8.ValidString(v) || cleanText(v) != v:
		return fmt.Errorf("%w: %s %q is not valid UTF-8 text", ErrInvalidValue, kind, v)
	}
	return nil
}

// StartRun records the start of a run of instanceID in mode: a run row in
// status running, started now, and returns it. Modes of a host's own are
// accepted (any non-empty UTF-8 text of at most 64 bytes); an invalid one
// gives ErrInvalidValue, an instanceID of zero or below ErrInvalidInstance.
func (s *Store) StartRun(ctx context.Context, instanceID int64, mode runlog.Mode, opts RunOptions) (runlog.Run, error) {
	if instanceID <= 0 {
		return runlog.Run{}, fmt.Errorf("%w: %d", ErrInvalidInstance, instanceID)
	}
	if err := checkValue("mode", string(mode)); err != nil {
		return runlog.Run{}, err
	}
	now := s.clock()
	run := runlog.Run{
		InstanceID: instanceID, Mode: mode, Status: runlog.RunRunning, Debug: opts.Debug,
		CreatedAt: now, StartedAt: now,
	}
	args := []any{instanceID, string(mode), string(run.Status), opts.Debug, s.builder.writeTime(now), s.builder.writeTime(now)}
	var err error
	run.ID, err = s.insertID(ctx, s.builder.rec.insertRun, args)
	if err != nil {
		return runlog.Run{}, fmt.Errorf("sqlstore: start run: %w", err)
	}
	s.log(ctx, "run started", "run_id", run.ID, "instance_id", instanceID, "mode", string(mode), "debug", opts.Debug)
	return run, nil
}

// insertID runs an INSERT of one row and returns its generated id: from
// RETURNING on PostgreSQL, from the driver's LastInsertId elsewhere.
func (s *Store) insertID(ctx context.Context, query string, args []any) (int64, error) {
	if s.builder.dialect == PostgreSQL {
		var ids []int64
		if err := s.query(ctx, &ids, query, args); err != nil {
			return 0, err
		}
		if len(ids) != 1 {
			return 0, fmt.Errorf("insert returned %d rows", len(ids))
		}
		return ids[0], nil
	}
	res, err := s.execResult(ctx, query, args)
	if err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, ctxErr(ctx, err)
	}
	return id, nil
}

// getRun reads run id; ErrNotFound when there is none.
func (s *Store) getRun(ctx context.Context, id int64) (runRow, error) {
	var rows []runRow
	if err := s.query(ctx, &rows, s.builder.rec.getRun, []any{id}); err != nil {
		return runRow{}, err
	}
	if len(rows) == 0 {
		return runRow{}, fmt.Errorf("%w: run %d", ErrNotFound, id)
	}
	return rows[0], nil
}

// FinishRun records the end of run runID: its status (a host's own is
// accepted, as by StartRun), the time, and the run summary, summary encoded
// with encoding/json.
//
// The stored summary is a JSON object: summary's members when it encodes
// to an object, or {"summary": <its JSON>} when it encodes to anything else
// (nil gives {}), followed by "top_decision_reason_codes": the reason codes
// of the run's decide row (its last attempt), most frequent first, at most
// TopReasonCodes of them, as [{"code": ..., "count": ...}] (reason.Top); a
// member of that name in summary is replaced. The summary is redacted and
// cut to Config.MetricsLimit like a stage's metrics. A summary that
// encoding/json cannot encode gives an error wrapping ErrInvalidMetrics and
// writes nothing.
func (s *Store) FinishRun(ctx context.Context, runID int64, status runlog.RunStatus, summary any) error {
	if err := checkValue("run status", string(status)); err != nil {
		return err
	}
	raw, err := json.Marshal(summary)
	if err != nil {
		return fmt.Errorf("sqlstore: finish run %d: %w: %v", runID, ErrInvalidMetrics, err)
	}
	run, err := s.getRun(ctx, runID)
	if err != nil {
		return fmt.Errorf("sqlstore: finish run: %w", err)
	}
	top, err := s.topReasonCodes(ctx, run)
	if err != nil {
		return fmt.Errorf("sqlstore: finish run %d: %w", runID, err)
	}
	doc, _ := s.redactJSON(withTopCodes(raw, top))
	doc = boundMetrics(cleanJSON(doc), s.limits.metrics)
	now := s.clock()
	args := []any{string(status), s.builder.writeTime(now), string(doc), run.ID, run.InstanceID}
	if _, err := s.exec(ctx, s.builder.rec.finishRun, args); err != nil {
		return fmt.Errorf("sqlstore: finish run %d: %w", runID, err)
	}
	attrs := []any{"run_id", run.ID, "instance_id", run.InstanceID, "mode", run.Mode, "status", string(status)}
	if run.StartedAt.Valid {
		attrs = append(attrs, "duration", now.Sub(run.StartedAt.Time))
	}
	s.log(ctx, "run finished", attrs...)
	return nil
}

// topReasonCodes ranks the reason codes of the last attempt of run's decide
// row. A run without one, or whose metrics hold no readable codes, has none.
func (s *Store) topReasonCodes(ctx context.Context, run runRow) ([]reason.Count, error) {
	var rows [][]byte
	if err := s.query(ctx, &rows, s.builder.rec.lastDecide, []any{run.InstanceID, run.ID, string(runlog.StageDecide)}); err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return []reason.Count{}, nil
	}
	counts, err := reason.FromMetrics(rows[0])
	if err != nil {
		return []reason.Count{}, nil
	}
	return reason.Top(counts, TopReasonCodes), nil
}

// withTopCodes returns the summary document raw (valid JSON) as an object
// ending with the top_decision_reason_codes member.
func withTopCodes(raw []byte, top []reason.Count) []byte {
	const key = "top_decision_reason_codes"
	codes, _ := json.Marshal(top)
	var members [][]byte
	switch {
	case string(raw) == "null":
	default:
		var ok bool
		if members, ok = objectMembers(raw); !ok {
			members = [][]byte{append([]byte(`"summary":`), raw...)}
		}
	}
	out := []byte{'{'}
	for _, m := range members {
		var k string
		if err := json.Unmarshal(m[:keyEnd(m)], &k); err == nil && k == key {
			continue
		}
		out = append(out, m...)
		out = append(out, ',')
	}
	out = append(out, `"`+key+`":`...)
	out = append(out, codes...)
	return append(out, '}')
}

// keyEnd returns the length of the key at the start of a member
// `"key":value` as objectMembers makes it.
func keyEnd(member []byte) int {
	for i := 1; i < len(member); i++ {
		switch member[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return len(member)
}

// clock returns the current time of s's Config, in UTC and to the
// microsecond, as the database stores it: the run StartRun returns is the
// run stored.
func (s *Store) clock() time.Time { return s.now().UTC().Truncate(time.Microsecond) }
