package sqlstore_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// createUnrelatedTable makes a table of the host's, with an instance_id
// column too, which purges must leave alone.
func createUnrelatedTable(t *testing.T, db *sqlx.DB) {
	t.Helper()
	db.MustExec("CREATE TABLE unrelated_notes (id BIGINT PRIMARY KEY, instance_id BIGINT NOT NULL, note VARCHAR(100))")
	for i := range 3 {
		db.MustExec(db.Rebind("INSERT INTO unrelated_notes (id, instance_id, note) VALUES (?, ?, ?)"), i+1, 1, "keep me")
	}
}

func testPurge(t *testing.T, d sqlstore.Dialect) {
	db := MustOpenDB(t, d)
	store, err := sqlstore.New(db, sqlstore.Config{PurgeBatchSize: 7})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	n1 := Seed(t, db, History{InstanceID: 1, Runs: 20})
	n2 := Seed(t, db, History{InstanceID: 2, FirstRunID: 100, Runs: 5})
	createUnrelatedTable(t, db)
	ctx := t.Context()

	res, err := store.Purge(ctx, 1)
	if err != nil || res.Deleted != int64(n1) {
		t.Fatalf("Purge(1) = %+v, %v; want %d deleted", res, err, n1)
	}
	for _, c := range []struct {
		what, table, where string
		arg                any
		want               int
	}{
		{"instance 1's stage rows", sqlstore.DefaultStagesTable, "instance_id = ?", 1, 0},
		{"instance 1's runs", sqlstore.DefaultRunsTable, "instance_id = ?", 1, 20},
		{"instance 2's stage rows", sqlstore.DefaultStagesTable, "instance_id = ?", 2, n2},
		{"instance 2's runs", sqlstore.DefaultRunsTable, "instance_id = ?", 2, 5},
		{"unrelated rows", "unrelated_notes", "instance_id = ?", 1, 3},
	} {
		if got := CountRows(t, db, c.table, c.where, c.arg); got != c.want {
			t.Errorf("after Purge(1): %d %s, want %d", got, c.what, c.want)
		}
	}
	if again, err := store.Purge(ctx, 1); err != nil || again.Deleted != 0 {
		t.Errorf("Purge(1) again = %+v, %v; want nothing deleted", again, err)
	}

	// A batch size that divides the row count exactly ends with an empty batch.
	exact, err := sqlstore.New(db, sqlstore.Config{PurgeBatchSize: n2})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := exact.Purge(ctx, 2); err != nil || res.Deleted != int64(n2) {
		t.Errorf("Purge(2) with batches of %d = %+v, %v; want %d deleted", n2, res, err, n2)
	}
	if got := CountRows(t, db, sqlstore.DefaultStagesTable, ""); got != 0 {
		t.Errorf("after purging both instances: %d stage rows, want 0", got)
	}
}

// cancelAfter is a context that reports itself cancelled from the n+1-th
// call of Err on. Purge asks before each batch; some drivers ask too, so
// the batch it stops before depends on the driver. Its Done channel is nil.
type cancelAfter struct {
	context.Context
	mu    sync.Mutex
	calls int
	n     int
}

func (c *cancelAfter) Done() <-chan struct{} { return nil }

func (c *cancelAfter) Err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.calls++
	if c.calls > c.n {
		return context.Canceled
	}
	return nil
}

func testPurgeCancelled(t *testing.T, d sqlstore.Dialect) {
	db := MustOpenDB(t, d)
	const batch = 10
	store, err := sqlstore.New(db, sqlstore.Config{PurgeBatchSize: batch})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	n := Seed(t, db, History{InstanceID: 1, Runs: 20})

	res, err := store.Purge(&cancelAfter{Context: context.Background(), n: 6}, 1)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Purge() error = %v, want context.Canceled", err)
	}
	if res.Deleted <= 0 || res.Deleted >= int64(n) || res.Deleted%batch != 0 {
		t.Errorf("Purge() cancelled midway deleted %d rows, want some whole batches of %d out of %d", res.Deleted, batch, n)
	}
	if got := CountRows(t, db, sqlstore.DefaultStagesTable, ""); got != n-int(res.Deleted) {
		t.Errorf("after the cancelled purge: %d stage rows, want %d", got, n-int(res.Deleted))
	}
	rest, err := store.Purge(t.Context(), 1)
	if err != nil || rest.Deleted != int64(n)-res.Deleted {
		t.Errorf("Purge() again = %+v, %v; want the remaining %d deleted", rest, err, int64(n)-res.Deleted)
	}
}
