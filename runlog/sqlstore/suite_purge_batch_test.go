package sqlstore_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// Purges beside other writers and other purges, cancelled while a batch
// runs, in a transaction, and their pauses.

func testPurgeConcurrent(t *testing.T, d sqlstore.Dialect) {
	db := MustOpenDB(t, d)
	other := MustReopenDB(t, db, d, nil)
	cfg := sqlstore.Config{PurgeBatchSize: 40, PurgePause: -1}
	a, err := sqlstore.New(db, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	b, err := sqlstore.New(other, cfg)
	if err != nil {
		t.Fatal(err)
	}
	n := Seed(t, db, History{InstanceID: 1, Runs: 300})
	n2 := Seed(t, db, History{InstanceID: 2, FirstRunID: 1000, Runs: 10})
	var wg sync.WaitGroup
	results := make([]sqlstore.PurgeResult, 2)
	errs := make([]error, 2)
	for i, s := range []*sqlstore.Store{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = s.Purge(t.Context(), 1)
			// Once either returns, none of the instance's rows is left.
			if got := CountRows(t, db, sqlstore.DefaultStagesTable, "instance_id = ?", 1); errs[i] == nil && got != 0 {
				t.Errorf("purge %d returned with %d rows left", i, got)
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("purge %d: %v", i, err)
		}
	}
	if got := results[0].Deleted + results[1].Deleted; got != int64(n) {
		t.Errorf("two purges at once deleted %d + %d = %d rows, want %d", results[0].Deleted, results[1].Deleted, got, n)
	}
	if got := CountRows(t, db, sqlstore.DefaultStagesTable, "instance_id = ?", 2); got != n2 {
		t.Errorf("instance 2 has %d rows after the purges, want %d", got, n2)
	}
}

// purgeBatchSize and slowPurge set up a purge whose first batch takes a
// second: the batch of the newest run's rows, one of which a trigger makes
// slow.
const purgeBatchSize = 25

func slowPurge(t *testing.T, d sqlstore.Dialect) (*sqlstore.Store, *sqlx.DB, int) {
	t.Helper()
	db := MustOpenDB(t, d)
	store, err := sqlstore.New(db, sqlstore.Config{PurgeBatchSize: purgeBatchSize, PurgePause: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	n := Seed(t, db, History{InstanceID: 1, Runs: 20})
	slowRow(t, db, d, sqlstore.DefaultStagesTable, OrderedIDs(t, db, 1)[3], time.Second)
	return store, db, n
}

func testPurgeCancelDuringBatch(t *testing.T, d sqlstore.Dialect) {
	store, db, n := slowPurge(t, d)
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	res, err := store.Purge(ctx, 1)
	took := time.Since(start)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Purge() cancelled during a batch: error %v, want context.Canceled", err)
	}
	if took < time.Second {
		t.Errorf("Purge() returned after %v, before its first batch (1 s) ended", took)
	}
	if res.Deleted != purgeBatchSize {
		t.Errorf("Purge() cancelled during the first batch deleted %d rows, want that batch's %d", res.Deleted, purgeBatchSize)
	}
	left := CountRows(t, db, sqlstore.DefaultStagesTable, "instance_id = ?", 1)
	if left != n-int(res.Deleted) {
		t.Errorf("after the cancelled purge: %d rows, want %d - %d", left, n, res.Deleted)
	}
	time.Sleep(1500 * time.Millisecond)
	if again := CountRows(t, db, sqlstore.DefaultStagesTable, "instance_id = ?", 1); again != left {
		t.Errorf("rows went on being deleted after Purge returned: %d, then %d", left, again)
	}
}

func testPurgeInTxCancelled(t *testing.T, d sqlstore.Dialect) {
	store, db, n := slowPurge(t, d)
	tx, err := db.BeginTxx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	ctx, cancel := context.WithCancel(t.Context())
	time.AfterFunc(300*time.Millisecond, cancel)
	res, err := store.WithTx(tx).Purge(ctx, 1)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Purge() in a transaction, cancelled: error %v, want context.Canceled", err)
	}
	if res.Deleted != purgeBatchSize {
		t.Errorf("Purge() in a transaction, cancelled during the first batch, deleted %d rows, want %d", res.Deleted, purgeBatchSize)
	}
	if err := tx.Commit(); err != nil {
		t.Fatalf("Commit() after the cancelled purge: %v (the batch must not abort the transaction)", err)
	}
	if got := CountRows(t, db, sqlstore.DefaultStagesTable, "instance_id = ?", 1); got != n-int(res.Deleted) {
		t.Errorf("after the commit: %d rows, want %d - %d", got, n, res.Deleted)
	}
}

func testPurgePause(t *testing.T, d sqlstore.Dialect) {
	db := MustOpenDB(t, d)
	const pause = 60 * time.Millisecond
	store, err := sqlstore.New(db, sqlstore.Config{PurgeBatchSize: 30, PurgePause: pause})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	n := Seed(t, db, History{InstanceID: 1, Runs: 20}) // 110 rows: 4 batches
	start := time.Now()
	res, err := store.Purge(t.Context(), 1)
	if err != nil || res.Deleted != int64(n) {
		t.Fatalf("Purge() = %+v, %v; want %d deleted", res, err, n)
	}
	if took := time.Since(start); took < 3*pause {
		t.Errorf("Purge() of 4 batches with PurgePause %v took %v, want at least 3 pauses", pause, took)
	}
	// A cancel during a pause stops the purge at once.
	Seed(t, db, History{InstanceID: 3, FirstRunID: 500, Runs: 20})
	slow, err := sqlstore.New(db, sqlstore.Config{PurgeBatchSize: 30, PurgePause: time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 500*time.Millisecond)
	defer cancel()
	res, err = slow.Purge(ctx, 3)
	if !errors.Is(err, context.DeadlineExceeded) || res.Deleted != 30 {
		t.Errorf("Purge() stopped in an hour's pause = %+v, %v; want 30 deleted and DeadlineExceeded", res, err)
	}
}
