package sqlstore

import (
	"context"
	"fmt"

	sq "github.com/Masterminds/squirrel"
)

// DefaultPurgeBatchSize is the number of rows one purge statement deletes
// when Config.PurgeBatchSize is 0.
const DefaultPurgeBatchSize = 5000

// PurgeResult says what a purge did.
type PurgeResult struct {
	Deleted int64 // stage rows deleted
}

// Purge returns the statement that deletes at most batch stage rows of
// instanceID: run it until it deletes fewer than batch rows. The arguments
// are instanceID and batch. An instanceID of zero or below gives
// ErrInvalidInstance, a batch of zero or below ErrInvalidBatchSize.
func (b *Builder) Purge(instanceID int64, batch int) (string, []any, error) {
	if instanceID <= 0 {
		return "", nil, fmt.Errorf("%w: %d", ErrInvalidInstance, instanceID)
	}
	if batch <= 0 {
		return "", nil, fmt.Errorf("%w: %d", ErrInvalidBatchSize, batch)
	}
	return b.purgeSQL, []any{instanceID, batch}, nil
}

// buildPurge builds the batch DELETE. Each batch takes the instance's rows
// in the paging index's order, so no sort is needed and the statement is
// deterministic, as statement-based replication wants.
//
// MySQL has DELETE ... ORDER BY ... LIMIT (and cannot LIMIT a subquery on
// the table it deletes from). SQLite and PostgreSQL select the batch's ids
// in a subquery; PostgreSQL gets them as an array, "id = ANY (ARRAY(...))",
// because for "id IN (...)" it may choose a hash join over a scan of the
// whole table, for every batch.
func (b *Builder) buildPurge() (string, error) {
	var q sq.DeleteBuilder
	ids := sq.Select("id").From(b.names.stages).
		Where(sq.Eq{"instance_id": 0}).
		OrderBy("run_id DESC", "id ASC").
		Suffix("LIMIT ?", 0)
	switch b.dialect {
	case MySQL:
		q = sq.Delete(b.names.stages).
			Where(sq.Eq{"instance_id": 0}).
			OrderBy("run_id DESC", "id ASC").
			Suffix("LIMIT ?", 0)
	case PostgreSQL:
		q = sq.Delete(b.names.stages).Where(sq.Expr("id = ANY (ARRAY(?))", ids))
	default:
		q = sq.Delete(b.names.stages).Where(sq.Expr("id IN (?)", ids))
	}
	query, _, err := q.PlaceholderFormat(b.dialect.placeholders()).ToSql()
	if err != nil {
		return "", fmt.Errorf("sqlstore: build purge statement: %w", err)
	}
	return query, nil
}

// Purge deletes every stage row of instanceID, and nothing else: not its
// runs, not another instance's rows, no other table. It deletes in batches
// of Config.PurgeBatchSize rows, one statement each, so no statement holds
// locks for long and other writers get in between; on a Store from WithTx
// the batches run in that transaction, which keeps its locks until it ends.
//
// A context cancelled or expired stops the purge between batches (or aborts
// the running one, which then deletes nothing): the error wraps the
// context's error and the result counts the rows already deleted. An
// instanceID of zero or below gives ErrInvalidInstance.
func (s *Store) Purge(ctx context.Context, instanceID int64) (PurgeResult, error) {
	query, args, err := s.builder.Purge(instanceID, s.batchSize)
	if err != nil {
		return PurgeResult{}, err
	}
	var res PurgeResult
	for {
		if err := ctx.Err(); err != nil {
			return res, fmt.Errorf("sqlstore: purge stopped after %d rows: %w", res.Deleted, err)
		}
		// A deadlock with a concurrent writer rolls the batch back: run it
		// again.
		var n int64
		err := s.retry(ctx, func() (err error) {
			n, err = s.exec(ctx, query, args)
			return err
		})
		if err != nil {
			return res, fmt.Errorf("sqlstore: purge stopped after %d rows: %w", res.Deleted, err)
		}
		res.Deleted += n
		if n < int64(s.batchSize) {
			return res, nil
		}
	}
}
