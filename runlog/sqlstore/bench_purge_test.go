package sqlstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// purgeDataset is a database for purging largeHistory's instance 1 again
// and again: its runs stay, its stage rows are written anew before each
// purge.
type purgeDataset struct {
	d      sqlstore.Dialect
	db     *sqlx.DB
	store  *sqlstore.Store
	writer *sqlx.DB // a pool of its own to the same database
	other  int64    // instance 2's stage rows
}

func newPurgeDataset(tb testing.TB, d sqlstore.Dialect) *purgeDataset {
	tb.Helper()
	// Every pool with the same settings: on SQLite, MustReopenDB's
	// synchronous(NORMAL), which WAL makes safe, so that a batch's commit
	// does not wait for the disk.
	db := MustReopenDB(tb, MustOpenDB(tb, d), d, nil)
	store, err := sqlstore.New(db, sqlstore.Config{})
	if err != nil {
		tb.Fatal(err)
	}
	if err := store.Migrate(tb.Context()); err != nil {
		tb.Fatal(err)
	}
	runs := largeHistory // its stage rows are written by reseed
	_, other := largeHistory.rows()
	timed(tb, "seeded 183,333 runs", func() {
		s := seedDialects[d]
		q := db.Rebind(s.insertRuns())
		if _, err := db.Exec(q, runs.every11th, runs.instance, runs.last, runs.last, runs.first, runs.last); err != nil {
			tb.Fatalf("seed runs: %v", err)
		}
	})
	writer := MustReopenDB(tb, db, d, nil)
	return &purgeDataset{d: d, db: db, store: store, writer: writer, other: other}
}

// reseed empties the stage rows table and writes largeHistory's stage rows.
func (ds *purgeDataset) reseed(tb testing.TB) {
	tb.Helper()
	timed(tb, "reseeded 1,099,996 stage rows", func() {
		if _, err := ds.db.Exec(seedDialects[ds.d].truncate); err != nil {
			tb.Fatalf("empty the stage rows table: %v", err)
		}
		h := largeHistory
		h.stagesOnly = true
		seedHistory(tb, ds.db, ds.d, h)
		settle(tb, ds.db, ds.d)
	})
}

// check fails tb unless instance 1 has no stage rows left, and the runs,
// instance 2's rows and the writer's are all there.
func (ds *purgeDataset) check(tb testing.TB, w writerStats) {
	tb.Helper()
	for _, c := range []struct {
		what, table string
		instance    int64
		want        int
	}{
		{"instance 1's stage rows", sqlstore.DefaultStagesTable, 1, 0},
		{"instance 2's stage rows", sqlstore.DefaultStagesTable, 2, int(ds.other)},
		{"the writer's stage rows", sqlstore.DefaultStagesTable, writerInstance, w.written},
		{"instance 1's runs", sqlstore.DefaultRunsTable, 1, 166_667},
		{"instance 2's runs", sqlstore.DefaultRunsTable, 2, 16_666},
	} {
		if got := CountRows(tb, ds.db, c.table, "instance_id = ?", c.instance); got != c.want {
			tb.Fatalf("after the purge: %d %s, want %d", got, c.what, c.want)
		}
	}
}

// BenchmarkPurge measures the purge of an instance's 1,000,000 stage rows,
// beside 99,996 rows of another instance, which must remain, while a writer
// inserts a stage row of a third instance every 20 ms on a *sql.DB of its
// own to the same database, as another process or a host's own logging
// would:
//
//   - unbatched: one DELETE FROM integration_run_stages WHERE instance_id = ?,
//     for comparison;
//   - statements: the Builder's purge statement, prepared, run until it
//     deletes less than a batch with no pause, each run timed: max-stmt-ms
//     is the longest;
//   - store: Store.Purge;
//   - store/maxopenconns=1, on SQLite only: Store.Purge with the pool
//     limited to one connection, as a host may run SQLite, and the writer
//     on that pool.
//
// ns/op is the time of the whole purge (or DELETE); x-unbatched is that time
// over unbatched's in the same run; writer-max-ms is the longest time one of
// the writer's inserts took, writer-errors the inserts that failed (on SQLite,
// those that waited longer than busy_timeout). With several iterations, the
// metrics are the largest of any.
//
// Each iteration writes the stage rows anew, timer stopped (seconds on SQLite,
// tens of seconds on MariaDB); one iteration is a measurement:
//
//	go test ./runlog/sqlstore -run '^$' -bench 'BenchmarkPurge/.*/(unbatched|store)' -benchtime 1x -count 1 -timeout 60m
//
// (statements, left out there, restarts every batch from the instance's
// first row: on MariaDB its later batches take seconds each.)
func BenchmarkPurge(b *testing.B) {
	for _, d := range sqlstore.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			SkipUnlessAvailable(b, d)
			ds := keep(b, "purge/"+string(d), func(tb testing.TB) *purgeDataset { return newPurgeDataset(tb, d) })
			var unbatched float64 // ns per unbatched DELETE
			b.Run("unbatched", func(b *testing.B) {
				query := ds.db.Rebind("DELETE FROM " + sqlstore.DefaultStagesTable + " WHERE instance_id = ?")
				benchPurge(b, ds, ds.writer, func(ctx context.Context) (int64, time.Duration) {
					start := time.Now()
					res, err := ds.db.ExecContext(ctx, query, 1)
					if err != nil {
						b.Fatal(err)
					}
					n, err := res.RowsAffected()
					if err != nil {
						b.Fatal(err)
					}
					return n, time.Since(start)
				})
				unbatched = perOp(b)
			})
			b.Run("statements", func(b *testing.B) {
				query, args, err := ds.store.Builder().Purge(1, sqlstore.DefaultPurgeBatchSize)
				if err != nil {
					b.Fatal(err)
				}
				stmt, err := ds.db.Preparex(query)
				if err != nil {
					b.Fatal(err)
				}
				defer stmt.Close()
				batches := 0
				benchPurge(b, ds, ds.writer, func(ctx context.Context) (int64, time.Duration) {
					var deleted int64
					var longest time.Duration
					for {
						start := time.Now()
						res, err := stmt.ExecContext(ctx, args...)
						if err != nil {
							b.Fatal(err)
						}
						longest = max(longest, time.Since(start))
						batches++
						n, err := res.RowsAffected()
						if err != nil {
							b.Fatal(err)
						}
						deleted += n
						if n < sqlstore.DefaultPurgeBatchSize {
							return deleted, longest
						}
					}
				})
				b.ReportMetric(float64(batches)/float64(b.N), "batches/op")
				reportRatio(b, unbatched, "x-unbatched")
			})
			b.Run("store", func(b *testing.B) {
				benchPurge(b, ds, ds.writer, ds.storePurge(b))
				reportRatio(b, unbatched, "x-unbatched")
			})
			if d != sqlstore.SQLite {
				return
			}
			// SQLite lets a waiting writer in only when its busy handler,
			// sleeping longer and longer, wakes between two batches. With
			// one connection, database/sql queues the writer and hands it
			// the connection as soon as a batch ends.
			b.Run("store/maxopenconns=1", func(b *testing.B) {
				ds.db.SetMaxOpenConns(1)
				defer ds.db.SetMaxOpenConns(0)
				benchPurge(b, ds, ds.db, ds.storePurge(b))
				reportRatio(b, unbatched, "x-unbatched")
			})
		})
	}
}

// storePurge returns a purge function for benchPurge that calls
// Store.Purge.
func (ds *purgeDataset) storePurge(b *testing.B) func(context.Context) (int64, time.Duration) {
	return func(ctx context.Context) (int64, time.Duration) {
		res, err := ds.store.Purge(ctx, 1)
		if err != nil {
			b.Fatal(err)
		}
		return res.Deleted, 0
	}
}

// benchPurge runs purge b.N times, each on freshly written stage rows and
// with the writer running on writerDB, and checks what it left. purge
// returns the rows it deleted and its longest statement, or 0 when it does
// not know.
func benchPurge(b *testing.B, ds *purgeDataset, writerDB *sqlx.DB, purge func(context.Context) (deleted int64, longest time.Duration)) {
	b.Helper()
	ctx := b.Context()
	var longest time.Duration
	var writes writerStats
	for range b.N {
		b.StopTimer()
		ds.reseed(b)
		w := startWriter(b, writerDB)
		b.StartTimer()
		deleted, stmt := purge(ctx)
		b.StopTimer()
		got := w.stop()
		if deleted != largeRows {
			b.Fatalf("purge deleted %d rows, want %d", deleted, largeRows)
		}
		ds.check(b, got)
		longest = max(longest, stmt)
		writes.maxWait = max(writes.maxWait, got.maxWait)
		writes.errors = max(writes.errors, got.errors)
		if got.err != nil {
			b.Logf("writer: %d of %d inserts failed, as: %v", got.errors, got.inserts, got.err)
		}
	}
	if longest > 0 {
		b.ReportMetric(ms(longest), "max-stmt-ms")
	}
	b.ReportMetric(ms(writes.maxWait), "writer-max-ms")
	b.ReportMetric(float64(writes.errors), "writer-errors")
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// writerInstance is the instance whose stage rows the writer inserts.
const writerInstance = 3

// writerStats says how the writer fared.
type writerStats struct {
	inserts, errors int
	written         int           // the writer's rows in the table, its first included
	maxWait         time.Duration // the longest insert, failed or not
	err             error         // the first failure
}

// writer inserts a stage row every 20 ms until stopped.
type writer struct {
	stopc chan struct{}
	done  chan writerStats
}

// startWriter inserts a first row, which opens a connection if the pool has
// none idle, then starts the writer. Each insert runs to its end, even
// after stop, so that no failure comes from stopping it.
func startWriter(tb testing.TB, db *sqlx.DB) *writer {
	tb.Helper()
	query := db.Rebind("INSERT INTO " + sqlstore.DefaultStagesTable +
		" (instance_id, run_id, stage, status, attempt, started_at, metrics_json) VALUES (?, ?, ?, ?, ?, ?, ?)")
	// Run 0 has no rows of the seed; each row is a new attempt, as the
	// unique key on run, stage and attempt demands. The stage rows table is
	// emptied before each writer starts.
	attempt := 0
	insert := func() error {
		attempt++
		_, err := db.Exec(query, writerInstance, 0, "extract", "running", attempt, time.Now().UTC(), `{"records":0}`)
		return err
	}
	if err := insert(); err != nil {
		tb.Fatalf("writer: %v", err)
	}
	w := &writer{stopc: make(chan struct{}), done: make(chan writerStats, 1)}
	go func() {
		s := writerStats{written: 1}
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-w.stopc:
				w.done <- s
				return
			case <-tick.C:
			}
			start := time.Now()
			err := insert()
			s.maxWait = max(s.maxWait, time.Since(start))
			s.inserts++
			if err != nil {
				s.errors++
				if s.err == nil {
					s.err = err
				}
				continue
			}
			s.written++
		}
	}()
	return w
}

// stop stops the writer and returns its figures.
func (w *writer) stop() writerStats {
	close(w.stopc)
	return <-w.done
}
