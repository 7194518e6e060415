package sqlstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jmoiron/sqlx"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// indexExists reports whether the database has an index of that name.
func indexExists(t *testing.T, db *sqlx.DB, d sqlstore.Dialect, name string) bool {
	t.Helper()
	q := map[sqlstore.Dialect]string{
		sqlstore.SQLite:     "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND name = ?",
		sqlstore.PostgreSQL: "SELECT COUNT(*) FROM pg_indexes WHERE indexname = ?",
		sqlstore.MySQL:      "SELECT COUNT(DISTINCT INDEX_NAME) FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND INDEX_NAME = ?",
	}[d]
	var n int
	if err := db.Get(&n, db.Rebind(q), name); err != nil {
		t.Fatalf("look for index %s: %v", name, err)
	}
	return n == 1
}

func testMigrate(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d) // migrated once
	n := Seed(t, db, History{InstanceID: 1, Runs: 3})
	for range 2 {
		if err := store.Migrate(t.Context()); err != nil {
			t.Fatalf("Migrate() again: %v", err)
		}
	}
	if got := len(listAll(t, store, 1)); got != n {
		t.Errorf("after migrating again: %d entries, want %d", got, n)
	}
	if !indexExists(t, db, d, "integration_run_stages_page_idx") {
		t.Errorf("index integration_run_stages_page_idx missing")
	}
	if store.Schema() != sqlstore.Schema(d) {
		t.Errorf("Store.Schema() differs from Schema(%q) with the default tables", d)
	}
}

func testDefaults(t *testing.T, d sqlstore.Dialect) {
	_, db := MustOpenStore(t, d)
	before := time.Now().Add(-time.Minute)
	if _, err := db.Exec(db.Rebind("INSERT INTO integration_runs (instance_id, mode, status) VALUES (?, ?, ?)"), 1, "apply", "queued"); err != nil {
		t.Fatal(err)
	}
	after := time.Now().Add(time.Minute)
	var row struct {
		Debug     bool `db:"debug"`
		CreatedAt any  `db:"created_at"`
	}
	if err := db.Get(&row, "SELECT debug, created_at FROM integration_runs"); err != nil {
		t.Fatal(err)
	}
	if row.Debug {
		t.Errorf("debug = true, want the default false")
	}
	var created time.Time
	switch v := row.CreatedAt.(type) {
	case time.Time:
		created = v
	case []byte: // MySQL without parseTime: DATETIME text in UTC
		var err error
		if created, err = time.Parse("2006-01-02 15:04:05.999999", string(v)); err != nil {
			t.Fatal(err)
		}
	default:
		t.Fatalf("created_at read as %T %v", v, v)
	}
	if created.Before(before) || created.After(after) {
		t.Errorf("created_at = %v, want about now (%v), in UTC", created, time.Now().UTC())
	}
}

func testCustomTables(t *testing.T, d sqlstore.Dialect) {
	db := MustOpenDB(t, d)
	qualifier := map[sqlstore.Dialect]string{sqlstore.SQLite: "main", sqlstore.PostgreSQL: "public"}[d]
	if d == sqlstore.MySQL {
		if err := db.Get(&qualifier, "SELECT DATABASE()"); err != nil {
			t.Fatal(err)
		}
	}
	for _, tables := range []sqlstore.Tables{
		{Runs: "ops_runs", Stages: "ops_stage_rows"},
		{Runs: qualifier + ".q_runs", Stages: qualifier + ".q_stage_rows"},
	} {
		store, err := sqlstore.New(db, sqlstore.Config{Tables: tables, PurgeBatchSize: 4})
		if err != nil {
			t.Fatalf("New(%+v) error: %v", tables, err)
		}
		for range 2 {
			if err := store.Migrate(t.Context()); err != nil {
				t.Fatalf("Migrate(%+v) error: %v", tables, err)
			}
		}
		runs, stages := History{InstanceID: 1, Runs: 4}.Rows()
		InsertRuns(t, db, tables, runs...)
		InsertStages(t, db, tables, stages...)
		entries := listAll(t, store, 1)
		if len(entries) != len(stages) || entries[0].Mode != runlog.ModePreview {
			t.Fatalf("List() on %+v = %d entries (first %+v), want %d", tables, len(entries), entries[0], len(stages))
		}
		if _, err := store.Entry(t.Context(), 1, entries[0].ID); err != nil {
			t.Errorf("Entry() on %+v error: %v", tables, err)
		}
		res, err := store.Purge(t.Context(), 1)
		if err != nil || res.Deleted != int64(len(stages)) {
			t.Errorf("Purge() on %+v = %+v, %v; want %d deleted", tables, res, err, len(stages))
		}
		if got := CountRows(t, db, tables.Runs, ""); got != len(runs) {
			t.Errorf("after purge: %d runs in %s, want %d", got, tables.Runs, len(runs))
		}
	}
	var n int
	if err := db.Get(&n, "SELECT COUNT(*) FROM integration_run_stages"); err == nil {
		t.Errorf("the default stage table exists; Migrate with other names must not create it")
	}
}

func testWithTx(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	n := Seed(t, db, History{InstanceID: 1, Runs: 3})
	// One connection, as SQLite is often run: the transaction holds it, so
	// the Store must not ask the pool for another. The deadline turns a
	// wait for one into a failure.
	db.SetMaxOpenConns(1)
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := tx.Exec(tx.Rebind("INSERT INTO integration_run_stages (instance_id, run_id, stage, status, attempt) VALUES (?, ?, ?, ?, ?)"),
		1, 3, "apply", "queued", 2); err != nil {
		t.Fatal(err)
	}
	in := store.WithTx(tx)
	res, err := in.List(ctx, 1, sqlstore.ListParams{Limit: sqlstore.MaxLimit})
	if err != nil {
		t.Fatalf("List() in the transaction: %v", err)
	}
	if len(res.Entries) != n+1 {
		t.Errorf("List() in the transaction = %d entries, want %d (its own insert included)", len(res.Entries), n+1)
	}
	last := res.Entries[len(res.Entries)-1]
	for _, e := range res.Entries {
		if e.Status == runlog.StatusQueued {
			last = e
		}
	}
	if _, err := in.Entry(ctx, 1, last.ID); err != nil {
		t.Errorf("Entry() of the uncommitted row in the transaction: %v", err)
	}
	purged, err := in.Purge(ctx, 1)
	if err != nil || purged.Deleted != int64(n+1) {
		t.Errorf("Purge() in the transaction = %+v, %v; want %d deleted", purged, err, n+1)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if got := CountRows(t, db, sqlstore.DefaultStagesTable, ""); got != n {
		t.Errorf("after rollback: %d stage rows, want %d", got, n)
	}
	if _, err := in.List(ctx, 1, sqlstore.ListParams{}); !errors.Is(err, errTxDone(t, tx)) {
		t.Errorf("List() on the ended transaction error = %v, want the driver's", err)
	}
	if diff := cmp.Diff(n, len(listAll(t, store, 1))); diff != "" {
		t.Errorf("List() outside (-want +got):\n%s", diff)
	}
}

// errTxDone returns the error tx gives once ended.
func errTxDone(t *testing.T, tx *sqlx.Tx) error {
	t.Helper()
	_, err := tx.Exec("SELECT 1")
	if err == nil {
		t.Fatal("ended transaction still runs statements")
	}
	return err
}
