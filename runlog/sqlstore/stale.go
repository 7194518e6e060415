package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/opsync/integrationlogs/runlog"
)

// Stale returns instanceID's stuck stage rows: those in status running or
// queued, with no finish, that started (a queued row: were queued) longer
// ago than olderThan, by Config.Now. They are in list order (newest run
// first), error payloads included. A row written by other means than this
// package's recorder and never started has no queue time, and is not
// returned.
//
// An olderThan of zero or below gives ErrInvalidDuration, an instanceID of
// zero or below ErrInvalidInstance.
func (s *Store) Stale(ctx context.Context, instanceID int64, olderThan time.Duration) ([]runlog.Entry, error) {
	rows, err := s.stale(ctx, instanceID, olderThan)
	if err != nil {
		return nil, fmt.Errorf("sqlstore: stale: %w", err)
	}
	entries := make([]runlog.Entry, len(rows))
	for i := range rows {
		entries[i] = rows[i].entry()
	}
	return entries, nil
}

func (s *Store) stale(ctx context.Context, instanceID int64, olderThan time.Duration) ([]entryRow, error) {
	if instanceID <= 0 {
		return nil, fmt.Errorf("%w: %d", ErrInvalidInstance, instanceID)
	}
	if olderThan <= 0 {
		return nil, fmt.Errorf("%w: olderThan %v", ErrInvalidDuration, olderThan)
	}
	cutoff := s.builder.timeArg(s.clock().Add(-olderThan))
	var rows []entryRow
	args := []any{instanceID, string(runlog.StatusQueued), string(runlog.StatusRunning), cutoff}
	if err := s.query(ctx, &rows, s.builder.rec.stale, args); err != nil {
		return nil, err
	}
	return rows, nil
}

// ExpireStale marks failed the rows Stale(ctx, instanceID, olderThan)
// returns, so that the orphan row of a worker that died does not stay
// amber for ever: each gets status failed, a finish time of now and an
// error summary saying it timed out, and its run is marked failed as Fail
// marks it. A row that its recorder finishes at the same moment keeps what
// the recorder wrote. It returns how many rows it marked; the error of a
// row stops it there, with the count so far.
func (s *Store) ExpireStale(ctx context.Context, instanceID int64, olderThan time.Duration) (int64, error) {
	rows, err := s.stale(ctx, instanceID, olderThan)
	if err != nil {
		return 0, fmt.Errorf("sqlstore: expire stale: %w", err)
	}
	var n int64
	for _, row := range rows {
		since := row.StartedAt.Time
		state := "running"
		if !row.StartedAt.Valid {
			state = "queued"
		}
		now := s.clock()
		summary := fmt.Sprintf("timed out: the stage was still %s after %v (stale after %v) and was marked failed; its worker presumably stopped",
			state, now.Sub(since).Round(time.Second), olderThan)
		if !row.StartedAt.Valid {
			summary = fmt.Sprintf("timed out: the stage was still %s after more than %v and was marked failed; its worker presumably stopped", state, olderThan)
		}
		r := &StageRecorder{s: s, id: row.ID, runID: row.RunID, instanceID: row.InstanceID,
			stage: runlog.Stage(row.Stage.String), attempt: int(row.Attempt.Int64), started: row.StartedAt.Time}
		err := r.finish(ctx, runlog.StatusFailed, &failure{err: expired(summary)}, nil)
		switch {
		case err == nil:
			n++
		case errorsIsAny(err, ErrStageFinished, ErrStageGone):
			// Finished or purged since Stale read it: nothing to expire.
		default:
			return n, fmt.Errorf("sqlstore: expire stale: %w", err)
		}
	}
	return n, nil
}

// expired is the error ExpireStale records.
type expired string

func (e expired) Error() string { return string(e) }

// errorsIsAny reports whether err is any of targets.
func errorsIsAny(err error, targets ...error) bool {
	for _, t := range targets {
		if errors.Is(err, t) {
			return true
		}
	}
	return false
}
