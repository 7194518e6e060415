// Package sqlstore keeps integration run logs in SQL: the tables and their
// migrations, the recorder that writes runs and stage rows, keyset-paged
// listing of stage rows with filters, the full row for a "View full" card,
// stuck stages, and the batched purge of one instance's stage rows. It runs
// on SQLite, PostgreSQL and MySQL/MariaDB through sqlx; the SQL is built
// with squirrel.
//
// # Tables
//
// Two tables, named by Config.Tables: integration_runs (id, instance_id,
// mode, status, debug, summary_json, created_at, started_at, finished_at) and
// integration_run_stages (id, instance_id, run_id, stage, status, attempt,
// started_at, finished_at, error_summary, metrics_json, error_payload, mode,
// created_at), with the indexes that paging, purge, the attempt counter and
// Stale read: (instance_id, run_id DESC, id ASC), a unique key on (run_id,
// stage, attempt), and one on the rows not yet finished.
//
// Migrate creates them, and upgrades in place a database that an earlier
// version created: the schema's versions are numbered (Migrations), and the
// versions applied are recorded in a third table, integration_run_stages_migrations.
// Hosts that run their own migration tool take each version's SQL from
// Migrations; Schema gives the whole DDL of a new database.
//
// # Recording
//
// The recorder writes the rows the Logs tab reads: StartRun and FinishRun
// for a run, and for each stage BeginStage (or QueueStage, then Start) and
// then Complete, Fail or SoftError on its StageRecorder. It counts attempts
// right under concurrent workers, keeps the whole chain of an error with
// stack traces in debug runs (package details reads it back), bounds what
// it writes (Config.SummaryLimit, PayloadLimit, MetricsLimit), stores the
// same text on every database (NUL and invalid UTF-8 become U+FFFD), and
// redacts secrets before anything is written (Config.Redactor, package
// redact). Stale and ExpireStale find and close the rows of workers that
// died. With Config.Logger, every transition is logged too.
//
// Hosts may also write rows themselves, with plain INSERTs: the columns
// below are all the reader needs.
//
//   - Ids are generated when not given, and explicit ids are accepted. On
//     PostgreSQL, explicit ids do not advance the identity sequence: after
//     importing rows with ids, run
//     SELECT setval(pg_get_serial_sequence('integration_run_stages', 'id'), max(id)) FROM integration_run_stages
//     (and the same for integration_runs).
//   - debug defaults to false, created_at to the current time, attempt to 1;
//     times, summaries, payloads and metrics may be NULL.
//   - Payloads and metrics are text (TEXT, LONGTEXT; never jsonb or JSON,
//     which reorder keys), so they come back exactly as written, keys in
//     document order, even when they are not valid JSON. MySQL tables are
//     InnoDB, utf8mb4 with utf8mb4_bin: every character round-trips and
//     values compare byte for byte, as on the other databases.
//   - Times are stored to the microsecond in UTC: TIMESTAMPTZ on PostgreSQL,
//     DATETIME(6) on MySQL (go-sql-driver/mysql's default loc, UTC), and TEXT
//     on SQLite, written as "2006-01-02 15:04:05.999999999+00:00" — what
//     modernc.org/sqlite writes for a UTC time.Time when the DSN has
//     _time_format=sqlite, and what mattn/go-sqlite3 writes. The time filters
//     compare that text, so SQLite rows must be written that way; reading
//     accepts other common forms too. With go-sql-driver/mysql, parseTime is
//     optional.
//
// # Listing
//
// Store.List returns a page of an instance's stage rows, newest run first
// and, within a run, in the order the rows were recorded, with optional
// filters (ListParams). Pages are read by keyset in both directions, never
// by offset and never counted, so a page deep in a large table costs about
// what the first one does; the list reads every column but error_payload,
// which Store.Entry returns. Cursors are opaque, URL-safe strings bound to
// the instance and the filters; they carry no secret and grant nothing:
// every query is scoped by the instance ID its caller passes.
//
// Filters are checked as the index is read, so a filter that keeps few rows
// makes a page read further. On PostgreSQL the planner cannot estimate the
// mode filter and over-estimates such pages' cost; with the server's default
// jit settings, that adds the time of a JIT compilation (some 10 ms) to
// them: OLTP servers usually run with jit = off. On MySQL the list queries
// name the paging index (FORCE INDEX), so it must exist under the name
// Schema gives it.
//
// # Purging
//
// Store.Purge deletes every stage row of one instance, and nothing else, in
// batches of Config.PurgeBatchSize rows, so that no statement holds locks
// for long.
//
// On SQLite, open the database with one connection (db.SetMaxOpenConns(1))
// and a busy_timeout. SQLite lets one connection write at a time, and a
// writer on another connection waits in SQLite's busy handler, which sleeps
// longer and longer between tries and so rarely hits the moment between two
// batches: with 1,000,000 rows to purge, such a writer waited about a second,
// as long as one unbatched DELETE would have kept it. With one connection,
// database/sql queues the callers and the writer goes in after the batch
// that is running (some 20 ms).
//
// # Without a Store
//
// Builder gives the same SQL and cursors to hosts with their own database
// access. Every value is a placeholder argument.
//
// # Transactions
//
// Store.WithTx returns a Store whose methods run in the caller's transaction.
package sqlstore
