package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jmoiron/sqlx"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// applyVersions creates the schema of the first n versions on db with plain
// statements and records none of them: a database made by an earlier
// version of this package, whose Migrate kept no record.
func applyVersions(t *testing.T, db *sqlx.DB, d sqlstore.Dialect, n int) {
	t.Helper()
	for _, m := range sqlstore.Migrations(d)[:n] {
		for _, stmt := range strings.Split(m.SQL, ";\n") {
			if code := strings.TrimSpace(stripComments(stmt)); code != "" {
				if _, err := db.Exec(code); err != nil {
					t.Fatalf("version %d: %v\n%s", m.Version, err, code)
				}
			}
		}
	}
}

func stripComments(s string) string {
	var b strings.Builder
	for line := range strings.Lines(s) {
		if !strings.HasPrefix(strings.TrimSpace(line), "--") {
			b.WriteString(line)
		}
	}
	return b.String()
}

// appliedVersions returns the versions the migrations table records.
func appliedVersions(t *testing.T, db *sqlx.DB) []int {
	t.Helper()
	var vs []int
	if err := db.Select(&vs, "SELECT version FROM integration_run_stages_migrations ORDER BY version"); err != nil {
		t.Fatalf("read the migrations table: %v", err)
	}
	return vs
}

func allVersions(d sqlstore.Dialect) []int {
	var vs []int
	for _, m := range sqlstore.Migrations(d) {
		vs = append(vs, m.Version)
	}
	return vs
}

// testUpgrade upgrades a database made by the first version of the schema,
// with rows in it, some of which share a run, stage and attempt.
func testUpgrade(t *testing.T, d sqlstore.Dialect) {
	db := MustOpenDB(t, d)
	applyVersions(t, db, d, 1)
	n := Seed(t, db, History{InstanceID: 1, Runs: 6})
	Seed(t, db, History{InstanceID: 2, FirstRunID: 100, Runs: 2})
	// Two retries written without their attempt, and an orphan row whose
	// run does not exist.
	InsertStages(t, db, sqlstore.Tables{},
		StageRow{InstanceID: 1, RunID: 4, Stage: runlog.StageExtract, Status: runlog.StatusFailed},
		StageRow{InstanceID: 1, RunID: 4, Stage: runlog.StageExtract, Status: runlog.StatusCompleted},
		StageRow{InstanceID: 1, RunID: 999, Stage: runlog.StageApply, Status: runlog.StatusCompleted})
	n += 3
	before := OrderedIDs(t, db, 1)

	store, err := sqlstore.New(db, sqlstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate() on the old database: %v", err)
	}
	if diff := cmp.Diff(allVersions(d), appliedVersions(t, db)); diff != "" {
		t.Errorf("applied versions (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(before, OrderedIDs(t, db, 1)); diff != "" {
		t.Errorf("rows after the upgrade (-want +got):\n%s", diff)
	}
	if got := len(listAll(t, store, 1)); got != n {
		t.Errorf("List() after the upgrade: %d rows, want %d", got, n)
	}
	// Run 4's extract rows: attempt 1 from the history, then the two
	// written without one, now 2 and 3 in the order they were written.
	var attempts []int
	if err := db.Select(&attempts, db.Rebind("SELECT attempt FROM integration_run_stages WHERE run_id = ? AND stage = ? ORDER BY id"),
		4, "extract"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{1, 2, 3}, attempts); diff != "" {
		t.Errorf("renumbered attempts (-want +got):\n%s", diff)
	}
	// Every row of a run got its run's mode; the orphan none.
	var missing, orphan int
	if err := db.Get(&missing, "SELECT COUNT(*) FROM integration_run_stages WHERE mode IS NULL AND run_id <> 999"); err != nil {
		t.Fatal(err)
	}
	if err := db.Get(&orphan, "SELECT COUNT(*) FROM integration_run_stages WHERE mode IS NULL AND run_id = 999"); err != nil {
		t.Fatal(err)
	}
	if missing != 0 || orphan != 1 {
		t.Errorf("rows without a mode: %d of runs that exist (want 0), %d orphans (want 1)", missing, orphan)
	}
	var wrong int
	if err := db.Get(&wrong, `SELECT COUNT(*) FROM integration_run_stages s JOIN integration_runs r ON r.id = s.run_id WHERE s.mode <> r.mode`); err != nil {
		t.Fatal(err)
	}
	if wrong != 0 {
		t.Errorf("%d rows with another mode than their run's", wrong)
	}
	// The key now refuses a second attempt 1.
	_, err = db.Exec(db.Rebind("INSERT INTO integration_run_stages (instance_id, run_id, stage, status, attempt) VALUES (?, ?, ?, ?, ?)"),
		1, 4, "extract", "running", 1)
	if err == nil {
		t.Errorf("a duplicate (run, stage, attempt) was accepted after the upgrade")
	}
	// Again: nothing to do.
	if err := store.Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate() again: %v", err)
	}
	if diff := cmp.Diff(allVersions(d), appliedVersions(t, db)); diff != "" {
		t.Errorf("applied versions after a second Migrate (-want +got):\n%s", diff)
	}
}

// testConcurrentMigrate calls Migrate from 8 goroutines, each with a Store
// of its own, on a new database and on one made by the first version: all
// succeed and each version is applied once.
func testConcurrentMigrate(t *testing.T, d sqlstore.Dialect) {
	for _, old := range []bool{false, true} {
		t.Run(fmt.Sprintf("old=%v", old), func(t *testing.T) {
			db := MustOpenDB(t, d)
			rows := 0
			if old {
				applyVersions(t, db, d, 1)
				rows = Seed(t, db, History{InstanceID: 1, Runs: 20})
			}
			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			var wg sync.WaitGroup
			errs := make([]error, 8)
			for i := range errs {
				wg.Go(func() {
					store, err := sqlstore.New(db, sqlstore.Config{})
					if err != nil {
						errs[i] = err
						return
					}
					defer store.Close()
					errs[i] = store.Migrate(ctx)
				})
			}
			wg.Wait()
			for i, err := range errs {
				if err != nil {
					t.Errorf("Migrate() #%d: %v", i, err)
				}
			}
			if diff := cmp.Diff(allVersions(d), appliedVersions(t, db)); diff != "" {
				t.Errorf("applied versions (-want +got):\n%s", diff)
			}
			if got := CountRows(t, db, sqlstore.DefaultStagesTable, ""); got != rows {
				t.Errorf("%d stage rows after migrating, want %d", got, rows)
			}
		})
	}
}

// testMigrateCancelled: a cancelled context stops Migrate with its error.
func testMigrateCancelled(t *testing.T, d sqlstore.Dialect) {
	db := MustOpenDB(t, d)
	store, err := sqlstore.New(db, sqlstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := store.Migrate(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Migrate(cancelled) error = %v, want context.Canceled", err)
	}
	if err := store.Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate() after a cancelled one: %v", err)
	}
}

// testUpgradeListing upgrades a database made by version 2 of the schema,
// with rows that a host wrote: a large summary and metrics, and on SQLite
// times written in a zone other than UTC. After Migrate, a page cuts the
// large texts, the time filters compare the instants, and Entry reads the
// whole row.
func testUpgradeListing(t *testing.T, d sqlstore.Dialect) {
	db := MustOpenDB(t, d)
	applyVersions(t, db, d, 2)
	db.MustExec(`CREATE TABLE integration_run_stages_migrations (version INTEGER NOT NULL PRIMARY KEY, name VARCHAR(100) NOT NULL, applied_at VARCHAR(40) NOT NULL)`)
	for _, m := range sqlstore.Migrations(d)[:2] {
		db.MustExec(db.Rebind("INSERT INTO integration_run_stages_migrations (version, name, applied_at) VALUES (?, ?, ?)"), m.Version, m.Name, "2025-01-01T00:00:00Z")
	}
	n := Seed(t, db, History{InstanceID: 1, Runs: 6})
	long := strings.Repeat("x", 100_000)
	metrics := `{"a":"` + long + `"}`
	ist := time.FixedZone("IST", 5*3600+1800)
	started := time.Date(2026, 3, 4, 10, 0, 0, 0, ist) // after the history
	var at any = started
	if d == sqlstore.SQLite {
		at = started.Format("2006-01-02 15:04:05-07:00") // "2026-03-04 10:00:00+05:30"
	}
	InsertRuns(t, db, sqlstore.Tables{}, Run{ID: 50, InstanceID: 1, Mode: runlog.ModeApply, Status: runlog.RunFailed})
	db.MustExec(db.Rebind("INSERT INTO integration_run_stages (instance_id, run_id, stage, status, started_at, error_summary, metrics_json) VALUES (?, ?, ?, ?, ?, ?, ?)"),
		1, 50, "apply", "failed", at, long, metrics)

	store, err := sqlstore.New(db, sqlstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate() on a version 2 database: %v", err)
	}
	if diff := cmp.Diff(allVersions(d), appliedVersions(t, db)); diff != "" {
		t.Errorf("applied versions (-want +got):\n%s", diff)
	}
	all := listAll(t, store, 1)
	if len(all) != n+1 {
		t.Fatalf("List() after the upgrade: %d rows, want %d", len(all), n+1)
	}
	top := all[0]
	if top.RunID != 50 || !top.Clipped || len(top.ErrorSummary) != sqlstore.ListSummaryChars || len(top.Metrics) != sqlstore.ListMetricsChars {
		t.Errorf("the large row after the upgrade: run %d, clipped %v, %d bytes of summary, %d of metrics", top.RunID, top.Clipped, len(top.ErrorSummary), len(top.Metrics))
	}
	if !top.StartedAt.Equal(started) {
		t.Errorf("StartedAt = %v, want %v", top.StartedAt, started)
	}
	// 04:30 UTC: a bound at 05:00 UTC keeps it before and leaves it out after,
	// which comparing the text would not.
	bound := time.Date(2026, 3, 4, 5, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		p    sqlstore.ListParams
		want bool
	}{{sqlstore.ListParams{StartedBefore: bound}, true}, {sqlstore.ListParams{StartedAfter: bound}, false}} {
		res, err := store.List(t.Context(), 1, tc.p)
		if err != nil {
			t.Fatal(err)
		}
		if got := len(res.Entries) > 0 && res.Entries[0].RunID == 50; got != tc.want {
			t.Errorf("List(%+v) keeps the row: %v, want %v", tc.p, got, tc.want)
		}
	}
	full, err := store.Entry(t.Context(), 1, top.ID)
	if err != nil {
		t.Fatal(err)
	}
	if full.Clipped || full.ErrorSummary != long || string(full.Metrics) != metrics {
		t.Errorf("Entry() after the upgrade: clipped %v, %d bytes of summary", full.Clipped, len(full.ErrorSummary))
	}
	// Rows written after the upgrade get their heads too.
	db.MustExec(db.Rebind("UPDATE integration_run_stages SET error_summary = ? WHERE id = ?"), "short now", top.ID)
	if got := listAll(t, store, 1)[0]; got.ErrorSummary != "short now" {
		t.Errorf("summary after an UPDATE = %q, want %q", got.ErrorSummary, "short now")
	}
}

// testMigrateResume resumes, on MySQL, a version that stopped halfway: its
// first ALTER TABLE committed (MySQL commits each DDL statement), then the
// run ended before the version was recorded, as when the server refuses a
// trigger for want of privileges. Migrate runs the version again and passes
// over what is there already.
func testMigrateResume(t *testing.T, d sqlstore.Dialect) {
	if d != sqlstore.MySQL {
		t.Skip("only MySQL commits a version's statements one by one")
	}
	for _, v := range allVersions(d)[1:] {
		t.Run(fmt.Sprintf("version %d", v), func(t *testing.T) {
			db := MustOpenDB(t, d)
			applyVersions(t, db, d, v-1)
			m := sqlstore.Migrations(d)[v-1]
			for _, stmt := range strings.Split(m.SQL, ";\n") {
				code := strings.TrimSpace(stripComments(stmt))
				if code == "" {
					continue
				}
				if _, err := db.Exec(code); err != nil {
					t.Fatalf("version %d: %v\n%s", v, err, code)
				}
				if strings.HasPrefix(code, "ALTER TABLE") {
					break
				}
			}
			store, err := sqlstore.New(db, sqlstore.Config{})
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			if err := store.Migrate(t.Context()); err != nil {
				t.Fatalf("Migrate after version %d stopped halfway: %v", v, err)
			}
			if diff := cmp.Diff(allVersions(d), appliedVersions(t, db)); diff != "" {
				t.Errorf("applied versions (-want +got):\n%s", diff)
			}
			// The schema works: a stage recorded and listed, its summary
			// cut for the list by the triggers of version 3.
			run, err := store.StartRun(t.Context(), 1, runlog.ModeApply, sqlstore.RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			rec, err := store.BeginStage(t.Context(), run.ID, runlog.StageExtract)
			if err != nil {
				t.Fatal(err)
			}
			if err := rec.SoftError(t.Context(), errors.New(strings.Repeat("x", 1000)), nil); err != nil {
				t.Fatal(err)
			}
			page, err := store.List(t.Context(), 1, sqlstore.ListParams{})
			if err != nil || len(page.Entries) != 1 || !page.Entries[0].Clipped {
				t.Errorf("List = %+v, %v; want the one row, clipped", page.Entries, err)
			}
		})
	}
}

// testMigrateCommitCancelled cancels Migrate's context at each point in
// turn, up to the first point at which it succeeds: whatever it left, the
// pool's connections are out of any transaction (on SQLite, a cancelled
// COMMIT once left one in the pool holding the write lock), and Migrate
// then completes.
func testMigrateCommitCancelled(t *testing.T, d sqlstore.Dialect) {
	if d != sqlstore.SQLite {
		// A database per point would take minutes here.
		t.Skip("SQLite's versions run in a transaction begun by statement; database/sql rolls back PostgreSQL's sql.Tx by itself, and MySQL's run outside one")
	}
	for n := 1; ; n++ {
		db := MustOpenDB(t, d)
		db.SetMaxOpenConns(1)
		store, err := sqlstore.New(db, sqlstore.Config{})
		if err != nil {
			t.Fatal(err)
		}
		ctx := &doneAfter{Context: t.Context(), calls: n}
		err = store.Migrate(ctx)
		if err := store.Migrate(t.Context()); err != nil {
			t.Fatalf("Migrate after one cancelled at point %d: %v", n, err)
		}
		tx, berr := db.BeginTx(t.Context(), nil)
		if berr != nil {
			t.Fatalf("after Migrate cancelled at point %d: %v", n, berr)
		}
		if _, err := tx.Exec("SELECT 1"); err != nil {
			t.Fatalf("after Migrate cancelled at point %d: %v", n, err)
		}
		_ = tx.Rollback()
		store.Close()
		if err == nil {
			return
		}
		if n > 500 {
			t.Fatalf("Migrate still fails with a context that ends after %d calls: %v", n, err)
		}
	}
}

// doneAfter is a context that reports that it ended from its calls-th call
// of Done or Err on: a cancellation at each point of a call in turn.
type doneAfter struct {
	context.Context
	mu    sync.Mutex
	calls int
	ended chan struct{}
}

func (c *doneAfter) end() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ended == nil {
		c.ended = make(chan struct{})
	}
	if c.calls > 0 {
		c.calls--
		if c.calls == 0 {
			close(c.ended)
		}
	}
	return c.calls == 0
}

func (c *doneAfter) Done() <-chan struct{} {
	c.end()
	return c.ended
}

func (c *doneAfter) Err() error {
	if c.end() {
		return context.Canceled
	}
	return nil
}
