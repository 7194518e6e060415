package sqlstore_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jmoiron/sqlx"
	"modernc.org/sqlite"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// The suite's tests of the Store in a host: its statements on the server,
// Close, purges beside other writers and cancellations.

func init() {
	// test_sleep(ms) sleeps, for the triggers that make a statement slow.
	sqlite.MustRegisterScalarFunction("test_sleep", 1, func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
		ms, _ := args[0].(int64)
		time.Sleep(time.Duration(ms) * time.Millisecond)
		return nil, nil
	})
}

// slowRow makes every DELETE and UPDATE that touches row id of table
// (unquoted, default names only) sleep for pause first, by a trigger.
func slowRow(t *testing.T, db *sqlx.DB, d sqlstore.Dialect, table string, id int64, pause time.Duration) {
	t.Helper()
	ms := pause.Milliseconds()
	var stmts []string
	switch d {
	case sqlstore.PostgreSQL:
		stmts = []string{
			fmt.Sprintf(`CREATE FUNCTION test_slow_%[1]s() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN IF OLD.id = %[2]d THEN PERFORM pg_sleep(%[3]d / 1000.0); END IF; IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END $$`, table, id, ms),
			fmt.Sprintf(`CREATE TRIGGER test_slow BEFORE DELETE OR UPDATE ON %[1]s FOR EACH ROW EXECUTE FUNCTION test_slow_%[1]s()`, table),
		}
	case sqlstore.MySQL:
		for _, op := range []string{"DELETE", "UPDATE"} {
			stmts = append(stmts, fmt.Sprintf(`CREATE TRIGGER test_slow_%[1]s BEFORE %[1]s ON %[2]s FOR EACH ROW
BEGIN IF OLD.id = %[3]d THEN DO SLEEP(%[4]d / 1000.0); END IF; END`, op, table, id, ms))
		}
	case sqlstore.SQLite:
		for _, op := range []string{"DELETE", "UPDATE"} {
			stmts = append(stmts, fmt.Sprintf(`CREATE TRIGGER test_slow_%[1]s BEFORE %[1]s ON %[2]s FOR EACH ROW
WHEN OLD.id = %[3]d BEGIN SELECT test_sleep(%[4]d); END`, op, table, id, ms))
		}
	}
	for _, stmt := range stmts {
		if _, err := db.Exec(stmt); err != nil {
			t.Fatalf("slow down row %d of %s: %v", id, table, err)
		}
	}
}

// serverStatements returns how many statements are prepared on the server
// for db's one connection (db must have at most one open): on PostgreSQL
// those in pg_prepared_statements (less pgx's own cache, "stmtcache_...",
// unless all is set), on MySQL the session's prepares less its closes.
// SQLite has no server: tb is skipped.
func serverStatements(tb testing.TB, db *sqlx.DB, d sqlstore.Dialect, all bool) int {
	tb.Helper()
	var n int
	switch d {
	case sqlstore.PostgreSQL:
		q := "SELECT COUNT(*) FROM pg_prepared_statements"
		if !all {
			q += " WHERE name NOT LIKE 'stmtcache\\_%'"
		}
		if err := db.Get(&n, q); err != nil {
			tb.Fatalf("count prepared statements: %v", err)
		}
	case sqlstore.MySQL:
		var rows []struct {
			Name  string `db:"Variable_name"`
			Value int    `db:"Value"`
		}
		if err := db.Select(&rows, "SHOW SESSION STATUS WHERE Variable_name IN ('Com_stmt_prepare', 'Com_stmt_close')"); err != nil {
			tb.Fatalf("count prepared statements: %v", err)
		}
		for _, r := range rows {
			if r.Name == "Com_stmt_prepare" {
				n += r.Value
			} else {
				n -= r.Value
			}
		}
	default:
		tb.Skipf("%s has no server to hold statements", d)
	}
	return n
}

// listShapes returns count ListParams of distinct SQL texts: each
// combination of how many stages and statuses the filters hold, with and
// without a mode.
func listShapes(count int) []sqlstore.ListParams {
	var out []sqlstore.ListParams
	stages, statuses := runlog.Stages(), runlog.Statuses()
	for ns := 0; ns <= len(stages); ns++ {
		for nt := 0; nt <= len(statuses); nt++ {
			for _, mode := range []runlog.Mode{"", runlog.ModeApply} {
				out = append(out, sqlstore.ListParams{Stages: stages[:ns], Statuses: statuses[:nt], Mode: mode})
				if len(out) == count {
					return out
				}
			}
		}
	}
	return out
}

func testStatementCache(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	Seed(t, db, History{InstanceID: 1, Runs: 3})
	db.SetMaxOpenConns(1)
	base := serverStatements(t, db, d, false)
	shapes := listShapes(3 * sqlstore.StatementCacheSize / 2)
	if len(shapes) <= sqlstore.StatementCacheSize {
		t.Fatalf("only %d list shapes, want more than %d", len(shapes), sqlstore.StatementCacheSize)
	}
	for _, p := range shapes {
		if _, err := store.List(t.Context(), 1, p); err != nil {
			t.Fatalf("List(%+v): %v", p, err)
		}
	}
	if got := serverStatements(t, db, d, false) - base; got > sqlstore.StatementCacheSize {
		t.Errorf("after %d list shapes: %d statements prepared on the server, want at most %d",
			len(shapes), got, sqlstore.StatementCacheSize)
	}
	// The most recent shapes are still prepared: listing them again
	// prepares nothing.
	before := serverStatements(t, db, d, false)
	for _, p := range shapes[len(shapes)-10:] {
		if _, err := store.List(t.Context(), 1, p); err != nil {
			t.Fatal(err)
		}
	}
	if got := serverStatements(t, db, d, false); got != before {
		t.Errorf("listing the 10 most recent shapes again: %d statements, want %d as before", got, before)
	}
	if err := store.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if got := serverStatements(t, db, d, false) - base; got != 0 {
		t.Errorf("after Close: %d statements left on the server, want 0", got)
	}
}

func testNoPrepare(t *testing.T, d sqlstore.Dialect) {
	db := MustOpenDB(t, d)
	if d == sqlstore.PostgreSQL {
		// What a host behind PgBouncer in transaction mode configures:
		// pgx prepares nothing of its own either.
		db = MustReopenDB(t, db, d, func(c *pgx.ConnConfig) { c.DefaultQueryExecMode = pgx.QueryExecModeExec })
	}
	store, err := sqlstore.New(db, sqlstore.Config{NoPrepare: true, PurgeBatchSize: 4})
	if err != nil {
		t.Fatal(err)
	}
	ctx := t.Context()
	if err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	base := serverStatements(t, db, d, true)
	run, err := store.StartRun(ctx, 1, runlog.ModeApply, sqlstore.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, stage := range runlog.Pipeline(runlog.ModeApply) {
		r, err := store.BeginStage(ctx, run.ID, stage)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Complete(ctx, map[string]int{"records": 1}); err != nil {
			t.Fatal(err)
		}
	}
	if err := store.FinishRun(ctx, run.ID, runlog.RunCompleted, nil); err != nil {
		t.Fatal(err)
	}
	page, err := store.List(ctx, 1, sqlstore.ListParams{Limit: 2})
	if err != nil || len(page.Entries) != 2 {
		t.Fatalf("List() = %d entries, %v; want 2", len(page.Entries), err)
	}
	if _, err := store.Entry(ctx, 1, page.Entries[0].ID); err != nil {
		t.Fatal(err)
	}
	if res, err := store.Purge(ctx, 1); err != nil || res.Deleted != 6 {
		t.Fatalf("Purge() = %+v, %v; want 6 deleted", res, err)
	}
	if got := serverStatements(t, db, d, true) - base; got != 0 {
		t.Errorf("with NoPrepare: %d statements left prepared on the server, want 0", got)
	}
}

func testDroppedStore(t *testing.T, d sqlstore.Dialect) {
	db := MustOpenDB(t, d)
	store, err := sqlstore.New(db, sqlstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	base := serverStatements(t, db, d, false)
	// Stores a host makes and drops without Close, each with statements.
	stores := make([]*sqlstore.Store, 20)
	for i := range stores {
		if stores[i], err = sqlstore.New(db, sqlstore.Config{}); err != nil {
			t.Fatal(err)
		}
		for _, p := range listShapes(3) {
			if _, err := stores[i].List(t.Context(), 1, p); err != nil {
				t.Fatal(err)
			}
		}
	}
	// pgx prepares a text once per connection however often it is asked
	// to, and deallocates it when the last asker closes it.
	want := 60
	if d == sqlstore.PostgreSQL {
		want = 3
	}
	if got := serverStatements(t, db, d, false) - base; got != want {
		t.Fatalf("20 Stores of 3 statements: %d statements on the server, want %d", got, want)
	}
	runtime.KeepAlive(stores) // and no further: they are dropped here
	deadline := time.Now().Add(10 * time.Second)
	for {
		runtime.GC()
		time.Sleep(20 * time.Millisecond)
		got := serverStatements(t, db, d, false) - base
		if got == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("10 s after dropping 20 Stores: %d statements still on the server, want 0", got)
		}
	}
	runtime.KeepAlive(store)
}

func testCloseWhileBusy(t *testing.T, d sqlstore.Dialect) {
	_, db := MustOpenStore(t, d)
	if d == sqlstore.SQLite {
		db.SetMaxOpenConns(1)
	}
	Seed(t, db, History{InstanceID: 1, Runs: 5})
	ctx := t.Context()
	var (
		mu    sync.Mutex
		errs  []error
		calls int
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		errs = append(errs, err)
	}
	// Rounds of 50 goroutines listing and recording on a Store that is
	// closed under them, and go on using it.
	var store *sqlstore.Store
	for round := range 10 {
		var err error
		if store, err = sqlstore.New(db, sqlstore.Config{}); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		closed := make(chan struct{})
		for g := range 50 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				shapes := listShapes(8)
				for i := 0; ; i++ {
					var err error
					if g%2 == 0 {
						_, err = store.List(ctx, 1, shapes[(g+i)%len(shapes)])
					} else {
						var run runlog.Run
						if run, err = store.StartRun(ctx, int64(10+g), runlog.ModeApply, sqlstore.RunOptions{}); err == nil {
							_, err = store.BeginStage(ctx, run.ID, runlog.StageExtract)
						}
					}
					if err != nil {
						fail(fmt.Errorf("round %d: %w", round, err))
						return
					}
					mu.Lock()
					calls++
					mu.Unlock()
					select {
					case <-closed:
						if i > 2 {
							return
						}
					default:
					}
				}
			}()
		}
		time.Sleep(30 * time.Millisecond)
		if err := store.Close(); err != nil {
			t.Errorf("Close() while calls run: %v", err)
		}
		close(closed)
		wg.Wait()
	}
	for _, err := range errs {
		t.Errorf("a call failed around Close: %v", err)
	}
	if calls == 0 {
		t.Fatal("no call ran")
	}
	// After Close the Store still works, unprepared.
	if _, err := store.List(ctx, 1, sqlstore.ListParams{}); err != nil {
		t.Errorf("List() after Close: %v", err)
	}
	if d != sqlstore.SQLite {
		db.SetMaxOpenConns(1)
		if got := serverStatements(t, db, d, false); got != 0 {
			t.Errorf("after Close: %d statements on the server, want 0", got)
		}
	}
}

func testWithTxNil(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	n := Seed(t, db, History{InstanceID: 1, Runs: 2})
	ctx := t.Context()
	for _, tx := range []sqlstore.Tx{nil, (*sqlx.Tx)(nil), (*sql.Tx)(nil)} {
		in := store.WithTx(tx)
		calls := map[string]error{}
		_, calls["List"] = in.List(ctx, 1, sqlstore.ListParams{})
		_, calls["Entry"] = in.Entry(ctx, 1, 1)
		_, calls["Purge"] = in.Purge(ctx, 1)
		_, calls["StartRun"] = in.StartRun(ctx, 1, runlog.ModeApply, sqlstore.RunOptions{})
		calls["FinishRun"] = in.FinishRun(ctx, 1, runlog.RunCompleted, nil)
		_, calls["Stale"] = in.Stale(ctx, 1, time.Hour)
		calls["Migrate"] = in.Migrate(ctx)
		for name, err := range calls {
			if !errors.Is(err, sqlstore.ErrNilTx) {
				t.Errorf("WithTx(%T nil).%s() error = %v, want ErrNilTx", tx, name, err)
			}
		}
		if err := in.Close(); err != nil {
			t.Errorf("Close() of a WithTx(nil) Store: %v", err)
		}
	}
	if got := CountRows(t, db, sqlstore.DefaultStagesTable, ""); got != n {
		t.Errorf("after calls on WithTx(nil): %d stage rows, want %d", got, n)
	}
}

func testPlainSQL(t *testing.T, d sqlstore.Dialect) {
	x := MustOpenDB(t, d)
	db := x.DB // a plain *sql.DB, as a host without sqlx has
	store, err := sqlstore.New(db, sqlstore.Config{})
	if err != nil {
		t.Fatalf("New(*sql.DB of %T): %v", db.Driver(), err)
	}
	if got := store.Builder().Dialect(); got != d {
		t.Errorf("New(*sql.DB of %T) dialect = %s, want %s", db.Driver(), got, d)
	}
	ctx := t.Context()
	if err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	n := Seed(t, x, History{InstanceID: 1, Runs: 3})
	if got := len(listAll(t, store, 1)); got != n {
		t.Errorf("List() on *sql.DB: %d rows, want %d", got, n)
	}
	// In a *sql.Tx: its own uncommitted row, then a purge rolled back.
	db.SetMaxOpenConns(1)
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	in := store.WithTx(tx)
	run, err := in.StartRun(ctx, 1, runlog.ModeApply, sqlstore.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := in.BeginStage(ctx, run.ID, runlog.StageExtract); err != nil {
		t.Fatal(err)
	}
	if got := len(listAll(t, in, 1)); got != n+1 {
		t.Errorf("List() in the *sql.Tx: %d rows, want %d", got, n+1)
	}
	if res, err := in.Purge(ctx, 1); err != nil || res.Deleted != int64(n+1) {
		t.Errorf("Purge() in the *sql.Tx = %+v, %v; want %d deleted", res, err, n+1)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if got := CountRows(t, x, sqlstore.DefaultStagesTable, ""); got != n {
		t.Errorf("after rollback: %d rows, want %d", got, n)
	}
}

// busyRow makes every UPDATE of row id of table take seconds of the
// server's time, in a way that cancelling the statement interrupts: a
// sleep on PostgreSQL and MySQL, a long computation on SQLite (whose
// interrupt stops SQL, not a function of the host's).
func busyRow(t *testing.T, db *sqlx.DB, d sqlstore.Dialect, table string, id int64) {
	t.Helper()
	if d != sqlstore.SQLite {
		slowRow(t, db, d, table, id, 5*time.Second)
		return
	}
	stmt := fmt.Sprintf(`CREATE TRIGGER test_busy BEFORE UPDATE ON %s FOR EACH ROW WHEN OLD.id = %d BEGIN
SELECT COUNT(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 1000000000) SELECT x FROM c);
END`, table, id)
	if _, err := db.Exec(stmt); err != nil {
		t.Fatalf("busy row %d of %s: %v", id, table, err)
	}
}

func testCancelDuringStatement(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	ctx := t.Context()
	run, err := store.StartRun(ctx, 1, runlog.ModeApply, sqlstore.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	busyRow(t, db, d, sqlstore.DefaultRunsTable, run.ID)
	cctx, cancel := context.WithCancel(ctx)
	time.AfterFunc(300*time.Millisecond, cancel)
	start := time.Now()
	err = store.FinishRun(cctx, run.ID, runlog.RunCompleted, nil)
	took := time.Since(start)
	t.Logf("FinishRun() cancelled after %v: %v", took, err)
	if !errors.Is(err, context.Canceled) {
		t.Errorf("FinishRun() cancelled during its UPDATE: error %v, want context.Canceled", err)
	}
	if took > 3*time.Second {
		t.Errorf("FinishRun() returned %v after the cancel: the driver did not stop the statement", took)
	}
}

func testDeadlineDuringConnect(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	Seed(t, db, History{InstanceID: 1, Runs: 2})
	// Every call opens a new connection: deadlines fire while connecting,
	// preparing, querying or reading.
	db.SetMaxIdleConns(0)
	start := time.Now()
	for range 5 {
		if _, err := store.List(t.Context(), 1, sqlstore.ListParams{}); err != nil {
			t.Fatal(err)
		}
	}
	call := time.Since(start) / 5
	const tries = 300
	var failed, wrong int
	for i := range tries {
		timeout := call * time.Duration(i%40) / 20 // from 0 to twice a call
		ctx, cancel := context.WithTimeout(t.Context(), timeout)
		_, err := store.List(ctx, 1, sqlstore.ListParams{})
		cancel()
		if err == nil {
			continue
		}
		failed++
		if !errors.Is(err, context.DeadlineExceeded) {
			wrong++
			t.Errorf("List() with a deadline of %v: error %v, want one that is context.DeadlineExceeded", timeout, err)
		}
	}
	t.Logf("%d of %d calls (one call: %v) ran out of time, %d misclassified", failed, tries, call, wrong)
	if failed == 0 {
		t.Errorf("no call of %d ran out of time", tries)
	}
}

func testMigrateChecksTables(t *testing.T, d sqlstore.Dialect) {
	db := MustOpenDB(t, d)
	// A host's own table under the name given for the runs table.
	db.MustExec("CREATE TABLE host_runs (id BIGINT PRIMARY KEY, note VARCHAR(20))")
	store, err := sqlstore.New(db, sqlstore.Config{Tables: sqlstore.Tables{Runs: "host_runs"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Migrate(t.Context()); !errors.Is(err, sqlstore.ErrInvalidTableName) {
		t.Errorf("Migrate() with runs naming another table: error %v, want ErrInvalidTableName", err)
	}
	// Names that alias each other are refused before any statement.
	var aliases []sqlstore.Tables
	switch d {
	case sqlstore.MySQL:
		var name string
		if err := db.Get(&name, "SELECT DATABASE()"); err != nil {
			t.Fatal(err)
		}
		aliases = []sqlstore.Tables{{Runs: name + "." + sqlstore.DefaultStagesTable}, {Runs: "Integration_Run_Stages"}}
	case sqlstore.PostgreSQL:
		aliases = []sqlstore.Tables{{Runs: "public." + sqlstore.DefaultStagesTable}}
	case sqlstore.SQLite:
		aliases = []sqlstore.Tables{{Runs: "main." + sqlstore.DefaultStagesTable}, {Runs: "INTEGRATION_RUN_STAGES"}}
	}
	for _, tables := range aliases {
		if _, err := sqlstore.New(db, sqlstore.Config{Tables: tables}); !errors.Is(err, sqlstore.ErrInvalidTableName) {
			t.Errorf("New(%+v) error = %v, want ErrInvalidTableName", tables, err)
		}
	}
}
