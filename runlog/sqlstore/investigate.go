package sqlstore

import (
	"context"
	"fmt"
	"time"

	sq "github.com/Masterminds/squirrel"

	"github.com/opsync/integrationlogs/runlog"
)

// RunFilter selects runs for LatestRun. A zero field is no filter.
type RunFilter struct {
	// Mode keeps the runs of that mode.
	Mode runlog.Mode
	// Statuses keeps the runs with any of these statuses.
	Statuses []runlog.RunStatus
	// Before keeps the runs started before this instant (exclusive); runs
	// not started are left out by it.
	Before time.Time
}

// maxFilterValues bounds the values of one IN-list filter.
const maxFilterValues = 32

// Run returns run runID of instanceID and all its stage rows, in the order
// they were recorded, error payloads included. A run that does not exist,
// or belongs to another instance, gives ErrNotFound.
func (s *Store) Run(ctx context.Context, instanceID, runID int64) (runlog.Run, []runlog.Entry, error) {
	if instanceID <= 0 {
		return runlog.Run{}, nil, fmt.Errorf("%w: %d", ErrInvalidInstance, instanceID)
	}
	b := s.builder
	var runs []runRow
	if err := s.query(ctx, &runs, b.rec.runOf, []any{runID, instanceID}); err != nil {
		return runlog.Run{}, nil, fmt.Errorf("sqlstore: run: %w", err)
	}
	if len(runs) == 0 {
		return runlog.Run{}, nil, fmt.Errorf("%w: run %d of instance %d", ErrNotFound, runID, instanceID)
	}
	var rows []entryRow
	if err := s.query(ctx, &rows, b.rec.runStages, []any{instanceID, runID}); err != nil {
		return runlog.Run{}, nil, fmt.Errorf("sqlstore: run %d: %w", runID, err)
	}
	entries := make([]runlog.Entry, len(rows))
	for i := range rows {
		entries[i] = rows[i].entry()
	}
	return runs[0].run(), entries, nil
}

// FailedStage returns the failed stage row of run runID of instanceID: the
// one red row of a failed run, error payload included. If a writer left
// several rows failed, it returns the latest recorded. A run without one,
// a run that does not exist and another instance's run give ErrNotFound.
func (s *Store) FailedStage(ctx context.Context, instanceID, runID int64) (runlog.Entry, error) {
	if instanceID <= 0 {
		return runlog.Entry{}, fmt.Errorf("%w: %d", ErrInvalidInstance, instanceID)
	}
	var rows []entryRow
	args := []any{instanceID, runID, string(runlog.StatusFailed)}
	if err := s.query(ctx, &rows, s.builder.rec.failedStage, args); err != nil {
		return runlog.Entry{}, fmt.Errorf("sqlstore: failed stage: %w", err)
	}
	if len(rows) == 0 {
		return runlog.Entry{}, fmt.Errorf("%w: no failed stage in run %d of instance %d", ErrNotFound, runID, instanceID)
	}
	return rows[0].entry(), nil
}

// LatestRun returns the newest run of instanceID (the highest id) that f
// keeps: the last completed Full Sync started before a week ago, say, to
// compare today's counts with. None gives ErrNotFound. Modes and statuses of
// a host's own are accepted; invalid ones give ErrInvalidValue.
func (s *Store) LatestRun(ctx context.Context, instanceID int64, f RunFilter) (runlog.Run, error) {
	query, args, err := s.builder.latestRun(instanceID, f)
	if err != nil {
		return runlog.Run{}, err
	}
	var runs []runRow
	if err := s.query(ctx, &runs, query, args); err != nil {
		return runlog.Run{}, fmt.Errorf("sqlstore: latest run: %w", err)
	}
	if len(runs) == 0 {
		return runlog.Run{}, fmt.Errorf("%w: no run of instance %d matches", ErrNotFound, instanceID)
	}
	return runs[0].run(), nil
}

// latestRun builds LatestRun's query. Its text depends on which filters are
// set and on how many statuses, a bounded number of shapes.
func (b *Builder) latestRun(instanceID int64, f RunFilter) (string, []any, error) {
	if instanceID <= 0 {
		return "", nil, fmt.Errorf("%w: %d", ErrInvalidInstance, instanceID)
	}
	q := b.sql().Select(runColumns...).From(b.names.runs).Where(sq.Eq{"instance_id": instanceID})
	if f.Mode != "" {
		if err := checkValue("mode", string(f.Mode)); err != nil {
			return "", nil, err
		}
		q = q.Where(sq.Eq{"mode": string(f.Mode)})
	}
	if len(f.Statuses) > maxFilterValues {
		return "", nil, fmt.Errorf("%w: %d run statuses (at most %d)", ErrInvalidValue, len(f.Statuses), maxFilterValues)
	}
	if len(f.Statuses) > 0 {
		statuses := make([]string, len(f.Statuses))
		for i, st := range f.Statuses {
			if err := checkValue("run status", string(st)); err != nil {
				return "", nil, err
			}
			statuses[i] = string(st)
		}
		q = q.Where(sq.Eq{"status": statuses})
	}
	if !f.Before.IsZero() {
		q = q.Where(b.comparableTime("started_at")+" < ?", b.timeArg(f.Before))
	}
	query, args, err := q.OrderBy("id DESC").Suffix("LIMIT 1").ToSql()
	if err != nil {
		return "", nil, fmt.Errorf("sqlstore: build latest run query: %w", err)
	}
	return query, args, nil
}
