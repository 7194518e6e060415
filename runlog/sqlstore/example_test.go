package sqlstore_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	_ "modernc.org/sqlite"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/details"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// openExampleDB opens a new SQLite database in a temporary directory; the
// returned function closes and removes it.
func openExampleDB() (*sqlx.DB, func()) {
	dir, err := os.MkdirTemp("", "sqlstore-example")
	if err != nil {
		log.Fatal(err)
	}
	// WAL and a busy timeout suit a store read while pipelines write;
	// _time_format=sqlite writes times as the schema says.
	dsn := "file:" + filepath.Join(dir, "logs.db") +
		"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_time_format=sqlite"
	db, err := sqlx.Open("sqlite", dsn)
	if err != nil {
		log.Fatal(err)
	}
	return db, func() {
		db.Close()
		os.RemoveAll(dir)
	}
}

// recordRun writes a run and its stage rows with plain INSERTs, as a
// pipeline does; every stage but the last completed.
func recordRun(db *sqlx.DB, instanceID, runID int64, mode runlog.Mode, status runlog.RunStatus, last runlog.Status) {
	start := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(runID) * time.Hour)
	db.MustExec("INSERT INTO integration_runs (id, instance_id, mode, status, started_at) VALUES (?, ?, ?, ?, ?)",
		runID, instanceID, mode, status, start)
	stages := runlog.Pipeline(mode)
	for i, stage := range stages {
		st, summary := runlog.StatusCompleted, any(nil)
		if i == len(stages)-1 {
			st = last
			if last == runlog.StatusFailed {
				summary = "upstream returned 503"
			}
		}
		db.MustExec(`INSERT INTO integration_run_stages
			(instance_id, run_id, stage, status, started_at, error_summary, metrics_json)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			instanceID, runID, stage, st, start.Add(time.Duration(i)*time.Second), summary, `{"records":120,"duration_ms":830}`)
	}
}

func ExampleNew() {
	db, cleanup := openExampleDB()
	defer cleanup()

	// The dialect comes from the driver name, "sqlite".
	store, err := sqlstore.New(db, sqlstore.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	if err := store.Migrate(context.Background()); err != nil {
		log.Fatal(err)
	}
	fmt.Println(store.Builder().Dialect())
	// Output: sqlite
}

func ExampleStore_List() {
	db, cleanup := openExampleDB()
	defer cleanup()
	store, err := sqlstore.New(db, sqlstore.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	if err := store.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	recordRun(db, 1, 41, runlog.ModePreview, runlog.RunPreviewReady, runlog.StatusPreviewReady)
	recordRun(db, 1, 42, runlog.ModeApply, runlog.RunFailed, runlog.StatusFailed)

	// Page through the rows four at a time, following Next until it is empty.
	p := sqlstore.ListParams{Limit: 4}
	for page := 1; ; page++ {
		res, err := store.List(ctx, 1, p)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("page %d\n", page)
		for _, e := range res.Entries {
			fmt.Printf("  %s | %s | %s\n", e.RunLabel(), e.Stage, e.Status)
		}
		if res.Next == "" {
			break
		}
		p.Cursor = res.Next
	}

	// Filters narrow the list.
	failed, err := store.List(ctx, 1, sqlstore.ListParams{Statuses: []runlog.Status{runlog.StatusFailed}})
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range failed.Entries {
		fmt.Printf("failed: %s | %s | %s\n", e.RunLabel(), e.Stage, e.ErrorSummary)
	}
	// Output:
	// page 1
	//   #42 · apply / failed | validate_setup | completed
	//   #42 · apply / failed | extract | completed
	//   #42 · apply / failed | canonicalize | completed
	//   #42 · apply / failed | reconcile | completed
	// page 2
	//   #42 · apply / failed | decide | completed
	//   #42 · apply / failed | apply | failed
	//   #41 · preview / preview_ready | validate_setup | completed
	//   #41 · preview / preview_ready | extract | completed
	// page 3
	//   #41 · preview / preview_ready | canonicalize | completed
	//   #41 · preview / preview_ready | reconcile | completed
	//   #41 · preview / preview_ready | decide | preview_ready
	// failed: #42 · apply / failed | apply | upstream returned 503
}

func ExampleStore_Entry() {
	db, cleanup := openExampleDB()
	defer cleanup()
	store, err := sqlstore.New(db, sqlstore.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	if err := store.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	recordRun(db, 1, 42, runlog.ModeApply, runlog.RunFailed, runlog.StatusFailed)
	db.MustExec(`UPDATE integration_run_stages SET error_payload = '{"error":"HTTP 503","retryable":true}' WHERE status = 'failed'`)

	// A list page leaves the payload out; Entry reads the full row.
	res, err := store.List(ctx, 1, sqlstore.ListParams{Statuses: []runlog.Status{runlog.StatusFailed}})
	if err != nil {
		log.Fatal(err)
	}
	row := res.Entries[0]
	full, err := store.Entry(ctx, 1, row.ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("listed payload: %q\n", row.ErrorPayload)
	fmt.Printf("full payload:   %s\n", full.ErrorPayload)
	fmt.Printf("metrics:        %s\n", full.Metrics)
	// Output:
	// listed payload: ""
	// full payload:   {"error":"HTTP 503","retryable":true}
	// metrics:        {"records":120,"duration_ms":830}
}

func ExampleStore_Purge() {
	db, cleanup := openExampleDB()
	defer cleanup()
	store, err := sqlstore.New(db, sqlstore.Config{PurgeBatchSize: 4})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	if err := store.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	recordRun(db, 1, 41, runlog.ModePreview, runlog.RunPreviewReady, runlog.StatusPreviewReady)
	recordRun(db, 1, 42, runlog.ModeApply, runlog.RunCompleted, runlog.StatusCompleted)
	recordRun(db, 2, 43, runlog.ModeApply, runlog.RunCompleted, runlog.StatusCompleted)

	res, err := store.Purge(ctx, 1)
	if err != nil {
		log.Fatal(err)
	}
	var runs, others int
	db.Get(&runs, "SELECT COUNT(*) FROM integration_runs WHERE instance_id = 1")
	db.Get(&others, "SELECT COUNT(*) FROM integration_run_stages WHERE instance_id = 2")
	fmt.Printf("deleted %d stage rows; instance 1 keeps its %d runs; instance 2 keeps its %d stage rows\n",
		res.Deleted, runs, others)
	// Output:
	// deleted 11 stage rows; instance 1 keeps its 2 runs; instance 2 keeps its 6 stage rows
}

func ExampleBuilder_List() {
	b, err := sqlstore.NewBuilder(sqlstore.PostgreSQL, sqlstore.Tables{})
	if err != nil {
		log.Fatal(err)
	}
	// Every value is an argument. An unfiltered page reads limit+1 rows
	// of the index, the one more telling Page whether a next page exists.
	_, args, err := b.List(42, sqlstore.ListParams{Limit: 20})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(args)
	// A filtered page scans at most DefaultScanLimit index entries, keeps
	// limit+1 of those that match, and finds where the scan ends (the
	// entry at offset DefaultScanLimit-1): run the query, scan every row
	// it returns into Entries and pass them all to Page.
	query, args, err := b.List(42, sqlstore.ListParams{Limit: 20, Stages: []runlog.Stage{runlog.StageReconcile}})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(args)
	fmt.Println(strings.Contains(query, "x.stage IN ($3)"))
	// Output:
	// [42 21]
	// [42 1000 reconcile 21 42 999]
	// true
}

func ExampleSchema() {
	for _, line := range strings.Split(sqlstore.Schema(sqlstore.PostgreSQL), "\n") {
		if strings.HasPrefix(line, "CREATE") || strings.HasPrefix(line, "ALTER") {
			fmt.Println(line)
		}
	}
	// Output:
	// CREATE TABLE IF NOT EXISTS "integration_runs" (
	// CREATE TABLE IF NOT EXISTS "integration_run_stages" (
	// CREATE INDEX IF NOT EXISTS "integration_run_stages_page_idx" ON "integration_run_stages" (instance_id, run_id DESC, id ASC);
	// ALTER TABLE "integration_run_stages" ADD COLUMN mode TEXT, ADD COLUMN created_at TIMESTAMPTZ;
	// CREATE UNIQUE INDEX "integration_run_stages_attempt_idx" ON "integration_run_stages" (run_id, stage, attempt);
	// CREATE INDEX "integration_run_stages_unfinished_idx" ON "integration_run_stages" (instance_id) WHERE finished_at IS NULL;
	// ALTER TABLE "integration_run_stages"
	// CREATE INDEX "integration_run_stages_page_idx" ON "integration_run_stages" (instance_id, run_id DESC, id ASC) INCLUDE (stage, status, mode, started_at);
}

// A host that runs its own migration tool takes each version's SQL.
func ExampleMigrations() {
	for _, m := range sqlstore.Migrations(sqlstore.MySQL) {
		fmt.Printf("%03d_%s.up.sql: %d statements\n", m.Version, m.Name, strings.Count(m.SQL, ";\n"))
	}
	// Output:
	// 001_tables.up.sql: 2 statements
	// 002_recording.up.sql: 3 statements
	// 003_listing.up.sql: 4 statements
}

// A pipeline records its run: each stage begun, then completed or failed.
// Fail keeps the error's chain and redacts what looks like a secret.
func ExampleStore_BeginStage() {
	db, done := openExampleDB()
	defer done()
	ctx := context.Background()
	store, err := sqlstore.New(db, sqlstore.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		log.Fatal(err)
	}

	run, err := store.StartRun(ctx, 42, runlog.ModeApply, sqlstore.RunOptions{})
	if err != nil {
		log.Fatal(err)
	}
	extract, err := store.BeginStage(ctx, run.ID, runlog.StageExtract)
	if err != nil {
		log.Fatal(err)
	}
	var m runlog.Metrics
	m.Set("records_pulled", 1284).Set("pages", 13)
	if err := extract.Complete(ctx, &m); err != nil {
		log.Fatal(err)
	}
	reconcile, err := store.BeginStage(ctx, run.ID, runlog.StageReconcile)
	if err != nil {
		log.Fatal(err)
	}
	cause := fmt.Errorf("lock devices in postgres://sync:hunter2@db:5432/inventory: %w", errors.New("deadlock detected"))
	if err := reconcile.Fail(ctx, fmt.Errorf("reconcile: %w", cause), nil); err != nil {
		log.Fatal(err)
	}

	page, err := store.List(ctx, 42, sqlstore.ListParams{})
	if err != nil {
		log.Fatal(err)
	}
	for _, e := range page.Entries {
		fmt.Println(e.RunLabel(), e.Stage, e.Status, e.Attempt, details.Summarize(e))
	}
	full, err := store.Entry(ctx, 42, page.Entries[1].ID)
	if err != nil {
		log.Fatal(err)
	}
	card := details.Expand(full)
	for _, ex := range card.Exceptions {
		fmt.Println(ex.Type+":", ex.Message)
	}
	// Output:
	// #1 · apply / failed extract completed 1 records_pulled: 1284 · pages: 13
	// #1 · apply / failed reconcile failed 1 reconcile: lock devices in postgres://sync:[REDACTED]@db:5432/inventory: deadlock detected
	// *fmt.wrapError: reconcile: lock devices in postgres://sync:[REDACTED]@db:5432/inventory: deadlock detected
	// *fmt.wrapError: lock devices in postgres://sync:[REDACTED]@db:5432/inventory: deadlock detected
	// *errors.errorString: deadlock detected
}

// A janitor closes the rows of workers that died.
func ExampleStore_ExpireStale() {
	db, done := openExampleDB()
	defer done()
	ctx := context.Background()
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	store, err := sqlstore.New(db, sqlstore.Config{Now: func() time.Time { return now }})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	run, err := store.StartRun(ctx, 42, runlog.ModeApply, sqlstore.RunOptions{})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := store.BeginStage(ctx, run.ID, runlog.StageExtract); err != nil { // its worker dies
		log.Fatal(err)
	}
	now = now.Add(3 * time.Hour)

	stale, err := store.Stale(ctx, 42, time.Hour)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("stale:", len(stale), stale[0].Stage, stale[0].Status)
	n, err := store.ExpireStale(ctx, 42, time.Hour)
	if err != nil {
		log.Fatal(err)
	}
	e, err := store.Entry(ctx, 42, stale[0].ID)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("expired:", n, e.Status, e.RunLabel())
	fmt.Println(e.ErrorSummary)
	// Output:
	// stale: 1 extract running
	// expired: 1 failed #1 · apply / failed
	// timed out: the stage was still running after 3h0m0s (stale after 1h0m0s) and was marked failed; its worker presumably stopped
}
