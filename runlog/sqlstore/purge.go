package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"math"
	"time"

	sq "github.com/Masterminds/squirrel"
)

// DefaultPurgeBatchSize is the number of rows of Store.Purge's first batch
// when Config.PurgeBatchSize is 0 (later ones grow while they are quick),
// and of the batch size hosts running Builder.Purge may start from.
const DefaultPurgeBatchSize = 5000

// maxPurgeBatch bounds adaptive batches (Config.PurgeBatchSize 0): a batch
// twice as large follows one that took less than purgeBatchTarget, and
// one half as large one that took more than twice that. Each batch
// commits, and a commit waits for the disk (SQLite's also checkpoints its
// write-ahead log): with a slow disk, small batches spend more time
// committing than deleting.
const maxPurgeBatch = 16 * DefaultPurgeBatchSize

// purgeBatchTarget returns how long an adaptive batch may take on d. A
// SQLite batch locks the whole database, and its writers wait for it (on a
// one-connection pool), or for the pause after it (on others): 40 ms. A
// PostgreSQL or MySQL batch locks only the rows it deletes: 200 ms.
func purgeBatchTarget(d Dialect) time.Duration {
	if d == SQLite {
		return 40 * time.Millisecond
	}
	return 200 * time.Millisecond
}

// PurgeResult says what a purge did.
type PurgeResult struct {
	Deleted int64 // stage rows deleted
}

// Purge returns the statement that deletes at most batch stage rows of
// instanceID, for hosts that run the purge themselves: run it until it
// deletes fewer than batch rows, each run its own transaction, pausing
// between runs if other writers are to get in. The arguments are
// instanceID and batch. An instanceID of zero or below gives
// ErrInvalidInstance, a batch of zero or below ErrInvalidBatchSize.
//
// Each run starts again from the instance's first row. Store.Purge does
// better on large purges: its batches start where the one before ended,
// past the index entries of the rows already deleted, which PostgreSQL
// keeps until VACUUM and InnoDB until its purge thread removes them.
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

// purgeRange holds the statements of Store.Purge's batches: the batch's
// last row in the paging index's order, found by an index-only read, then
// one DELETE of the index range from where the batch before ended down to
// that row. Builder.Purge's statement starts again from the instance's
// first index entry each time, and so walks past the entries of every row
// the batches before deleted, which stay until PostgreSQL's VACUUM or
// InnoDB's purge thread removes them: its later batches on a large
// instance cost seconds each. And a range is deleted as one unbatched
// DELETE deletes, where a list of ids is looked up id by id (on PostgreSQL,
// by its primary key).
type purgeRange struct {
	last   string // instance_id, bound, offset → run_id, id of the batch's last row
	delete string // instance_id, bound, run_id, run_id, id: the rows up to that one
	rest   string // instance_id, bound: the rest, fewer than a batch
}

// buildPurgeRange builds the statements of purgeRange. MySQL's optimizer
// takes a range of more than a few percent of the table for a full scan:
// there the statements name the paging index, which a DELETE can only do
// in its multiple-table form.
func (b *Builder) buildPurgeRange() (purgeRange, error) {
	from, del := b.names.stages+" AS s", "DELETE FROM "+b.names.stages+" AS s"
	if b.dialect == MySQL {
		from += " FORCE INDEX (" + b.names.stagesIndex + ")"
		del = "DELETE s FROM " + from
	}
	r := purgeRange{
		last: "SELECT s.run_id, s.id FROM " + from + " WHERE s.instance_id = ? AND s.run_id <= ?" +
			" ORDER BY s.run_id DESC, s.id ASC LIMIT 1 OFFSET ?",
		delete: del + " WHERE s.instance_id = ? AND s.run_id <= ? AND s.run_id >= ?" +
			" AND NOT (s.run_id = ? AND s.id > ?)",
		rest: del + " WHERE s.instance_id = ? AND s.run_id <= ?",
	}
	var err error
	for _, q := range []*string{&r.last, &r.delete, &r.rest} {
		if *q, err = b.dialect.placeholders().ReplacePlaceholders(*q); err != nil {
			return purgeRange{}, fmt.Errorf("sqlstore: build purge statement: %w", err)
		}
	}
	return r, nil
}

// purgeBatchTimeout bounds one purge batch, which the caller's context
// does not interrupt (see Store.Purge): some hundred times what a batch
// takes.
const purgeBatchTimeout = 30 * time.Second

// purgePauseShare returns the pause between two batches, as a share of the
// batch just run, when Config.PurgePause is 0. SQLite locks the whole
// database for each batch, and a writer on another connection waits in
// its busy handler, which sleeps longer and longer between tries (up to
// 100 ms): it needs gaps as long as half the batches to find one in time.
// PostgreSQL and MySQL lock only the rows a batch deletes: there the pause
// only leaves the server's disk and CPU to others for a while.
func purgePauseShare(d Dialect) float64 {
	if d == SQLite {
		return 0.5
	}
	return 0.1
}

// Purge deletes every stage row of instanceID, and nothing else: not its
// runs, not another instance's rows, no other table. It deletes in batches,
// one statement each, in the paging index's order, so that no statement
// holds locks for long, and pauses between two batches so that other
// writers get in, those on other connections or in other processes too:
// for Config.PurgePause, or by default for a share of the time the batch
// before took (half of it on SQLite, whose batches lock the whole
// database, a tenth elsewhere).
//
// A batch is Config.PurgeBatchSize rows. By default (0) the first is
// DefaultPurgeBatchSize rows, and the next doubles, up to 16 times that,
// while a batch takes less than 40 ms on SQLite (whose writers wait for a
// whole batch) or 200 ms on PostgreSQL and MySQL (where a batch locks only
// its rows), since every batch commits and a commit waits for the disk;
// one that takes more than twice that halves the next. Each batch starts
// where the one before ended, past
// the index entries that the deleted rows leave behind until PostgreSQL's
// VACUUM or InnoDB's purge removes them. Rows of instanceID written while
// Purge runs, into runs it has passed, may remain: purge an instance whose
// pipelines are stopped, or purge again.
//
// Deleted is exact: a batch that has started runs to its end, whatever
// becomes of ctx (within a timeout of its own, 30 seconds), and a context
// cancelled or expired stops the purge before the next batch, or during a
// pause, with an error wrapping the context's error; nothing is deleted
// after Purge returns. Two purges of the same instance at once are safe:
// each counts the rows it deleted, and each returns once none is left.
//
// On a Store from WithTx the batches run in that transaction, which keeps
// their locks until it ends: there is no pause, and Deleted counts what the
// caller's Commit makes true. A cancelled context does not interrupt a
// batch there either (on PostgreSQL an interrupted statement aborts the
// whole transaction), but note that database/sql rolls back a transaction
// of its own accord when the context it was begun with ends. A batch that
// fails in a transaction leaves Deleted 0 on PostgreSQL, which aborts the
// transaction on any error, and on MySQL after a deadlock, which rolls it
// back: roll it back.
//
// An instanceID of zero or below gives ErrInvalidInstance.
func (s *Store) Purge(ctx context.Context, instanceID int64) (PurgeResult, error) {
	if _, _, err := s.builder.Purge(instanceID, s.batchSize); err != nil {
		return PurgeResult{}, err
	}
	var res PurgeResult
	stopped := func(err error) (PurgeResult, error) {
		return res, fmt.Errorf("sqlstore: purge stopped after %d rows: %w", res.Deleted, err)
	}
	size := s.batchSize
	target := purgeBatchTarget(s.builder.dialect)
	bound := int64(math.MaxInt64) // the largest run_id the next batch takes
	for {
		if err := ctx.Err(); err != nil {
			return stopped(err)
		}
		start := time.Now()
		var b purgeBatch
		// A deadlock with a concurrent writer rolls the batch back: run it
		// again.
		err := s.retry(ctx, func() (err error) {
			b, err = s.purgeBatch(ctx, instanceID, size, bound)
			return err
		})
		if err != nil {
			// In a transaction the batches before are undone too where
			// the failure aborts it.
			if s.tx != nil && (s.builder.dialect == PostgreSQL || isDeadlock(err)) {
				res.Deleted = 0
			}
			return stopped(ctxErr(ctx, err))
		}
		took := time.Since(start)
		res.Deleted += b.deleted
		if b.found < int64(size) {
			return res, nil
		}
		if b.bound.Valid {
			bound = b.bound.Int64
		}
		if s.adaptiveBatches {
			switch {
			case took < target && size < maxPurgeBatch:
				size = min(2*size, maxPurgeBatch)
			case took > 2*target && size > s.batchSize:
				size = max(size/2, s.batchSize)
			}
		}
		if err := s.purgePause(ctx, took); err != nil {
			return stopped(err)
		}
	}
}

// purgeBatch is what one batch did.
type purgeBatch struct {
	found   int64         // rows the batch took: fewer than its size means none is left
	deleted int64         // rows it deleted
	bound   sql.NullInt64 // where the next batch starts, when known
}

// purgeBatch runs one batch of size rows to its end: its context keeps
// ctx's values but not its cancellation, with a timeout of its own, so
// that the driver is never told to abandon a statement whose rows the
// server may delete all the same (MySQL goes on with a statement whose
// connection the driver closed), and the count is never lost.
func (s *Store) purgeBatch(ctx context.Context, instanceID int64, size int, bound int64) (purgeBatch, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), purgeBatchTimeout)
	defer cancel()
	// The read of the batch's last row sees the rows as of its start; the
	// DELETE then deletes what the range holds by then: rows a concurrent
	// purge deleted first are not there, rows written since are. Either
	// way the range is empty when it ends, and the next batch starts below
	// it.
	r := s.builder.purgeRange
	var last []struct {
		RunID int64 `db:"run_id"`
		ID    int64 `db:"id"`
	}
	if err := s.query(ctx, &last, r.last, []any{instanceID, bound, size - 1}); err != nil {
		return purgeBatch{}, err
	}
	if len(last) == 0 {
		n, err := s.exec(ctx, r.rest, []any{instanceID, bound})
		return purgeBatch{found: n, deleted: n}, err
	}
	end := last[0]
	n, err := s.exec(ctx, r.delete, []any{instanceID, bound, end.RunID, end.RunID, end.ID})
	if err != nil {
		return purgeBatch{}, err
	}
	// The batch found a whole batch; rows written since may make n larger.
	return purgeBatch{found: max(n, int64(size)), deleted: n, bound: sql.NullInt64{Int64: end.RunID, Valid: true}}, nil
}

// purgePause waits between two batches: Config.PurgePause, or a share of
// the batch just run. In a transaction, which keeps the batches' locks,
// waiting would only make others wait longer.
func (s *Store) purgePause(ctx context.Context, batch time.Duration) error {
	pause := s.pause
	if pause == 0 {
		pause = time.Duration(float64(batch) * purgePauseShare(s.builder.dialect))
	}
	if pause <= 0 || s.tx != nil {
		return nil
	}
	t := time.NewTimer(pause)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
