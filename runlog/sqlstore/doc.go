// Package sqlstore keeps integration run logs in SQL: the tables and their
// migrations, the recorder that writes runs and stage rows, keyset-paged
// listing of stage rows with filters, the full row for a "View full" card,
// stuck stages, and the batched purge of one instance's stage rows. It runs
// on SQLite, PostgreSQL and MySQL/MariaDB through database/sql (a *sql.DB
// or a *sqlx.DB); the SQL is built with squirrel and scanned with sqlx.
//
// # Tables
//
// Two tables, named by Config.Tables: integration_runs (id, instance_id,
// mode, status, debug, summary_json, created_at, started_at, finished_at) and
// integration_run_stages (id, instance_id, run_id, stage, status, attempt,
// started_at, finished_at, error_summary, metrics_json, error_payload, and,
// written by the recorder, mode and created_at), with the indexes that
// paging, purge, the attempt counter and Stale read: the paging index
// (instance_id, run_id DESC, id ASC, and what list filters check, see
// Listing), a unique key on (run_id, stage, attempt), and one on the rows
// not yet finished.
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
//     _time_format=sqlite, and what mattn/go-sqlite3 writes. Rows written in
//     other forms read and filter right too (see Listing). With
//     go-sql-driver/mysql, parseTime is optional.
//
// # Listing
//
// Store.List returns a page of an instance's stage rows, newest run first
// and, within a run, in the order the rows were recorded, with optional
// filters (ListParams). Pages are read by keyset in both directions, never
// by offset and never counted. Cursors are opaque, URL-safe strings bound to
// the instance and the filters; they carry no secret and grant nothing:
// every query is scoped by the instance ID its caller passes.
//
// Every page reads a bounded part of the paging index, so a page deep in a
// large table, or under any filter, costs about what the first one does.
// An unfiltered page (or one of a single run: RunID is a seek in the index)
// reads the limit+1 index entries after its cursor. A filtered page checks
// its filters on the index entries themselves, which hold the stage, the
// status, the stage row's mode (the run's, which the recorder copies; for
// a row written without it, the run's, by a primary key lookup) and the
// start time, and reads at most Config.ScanLimit of them (DefaultScanLimit,
// 1,000) from each of its range reads. When the scan ends before it found
// Limit rows that match, the page holds those it found, ListResult.Partial
// is set, and Next continues from the entry where the scan stopped, so that
// no row is skipped or shown twice. A filter that keeps one row in a
// hundred thus gives pages of ten or so rows, and one that keeps no row
// gives empty partial pages until the end of the list, each as cheap as the
// first page: a Logs tab shows such a page as "no more matches in the
// rows searched so far", with a button to go on. A page whose rows were
// deleted since its cursor was issued is empty, with a cursor back.
//
// Measured at 1,000,000 stage rows (BenchmarkListFiltered, 50-row first
// pages, medians of three runs on the 2-core development machine; the
// README has the command), the costliest filtered first page took 1.94
// times the unfiltered one on SQLite (one stage), 1.04 times on PostgreSQL
// (one stage) and 2.35 times on MariaDB (a status one row in a hundred
// has); before the bound, a status matching nothing took 430 ms, 115 ms
// and 3.6 s. DefaultScanLimit is 1,000 for MariaDB: at 2,000 its filtered
// pages took up to 4.3 times the unfiltered one, as MariaDB writes the
// entries it scans to a temporary table where SQLite and PostgreSQL stop at
// the page's last row. SQLite and PostgreSQL stay well within three times
// at 2,000, if a host wants fuller sparse pages there. A status index was not
// added: the common status filters name several statuses (failed, error),
// which one index range cannot give in list order, and the other filters
// would still need the scan.
//
// The page's rows are then read in full but for error_payload, which the
// list never reads, and the error summary and metrics, of which it reads
// the first ListSummaryChars and ListMetricsChars characters (Entry.Clipped
// tells a row that has more). The schema keeps those beside the full texts,
// which a database reads in full to return any part of them: SQLite in the
// paging index, PostgreSQL in stored generated columns, MySQL in columns
// that two triggers keep. So a page over rows with megabytes of summary and
// metrics costs and allocates about what one over small rows does, and a
// page fetches at most limit+1 rows (and, filtered, the one or two index
// entries where its scans stopped). Store.Entry reads the row in full.
//
// A stored value that cannot be read never hides a row: a time no reader
// understands (a MySQL zero date, PostgreSQL's infinity, an integer or
// text in no known form in SQLite) is listed as the zero time (FinishedAt
// nil) and described in Entry.Unreadable, and Entry returns the row the
// same way; the time filters leave such rows out. Stages, statuses and
// modes are returned as stored, unknown ones included, and the filters
// accept a host's own.
//
// The time filters compare instants, which PostgreSQL and MySQL store. On
// SQLite, where times are text, they compare started_key, a key of the
// stored text that two triggers keep and the paging index holds, whatever
// form a driver wrote the time in: the schema's own in any zone, no zone
// (UTC), RFC 3339 with T and Z, time.Time.String() with its zone name and
// monotonic clock reading (modernc.org/sqlite without _time_format), and
// years past 9999, to the nanosecond; text in no known form has no key.
// Stale compares the same way. The trigger's expression makes preparing a
// statement that writes started_at on SQLite take some 0.2 to 0.4 ms
// (database/sql prepares again for every Exec that is not on a prepared
// statement: a host that inserts many rows prepares its INSERT once).
//
// On PostgreSQL the planner cannot estimate the mode filter and
// over-estimates such pages' cost; with the server's default jit settings,
// that adds the time of a JIT compilation (some 10 ms) to them: OLTP
// servers usually run with jit = off. On MySQL the list queries name the
// paging index (FORCE INDEX), so it must exist under the name Schema gives
// it: without the hint, MariaDB 10.11 read a page before a cursor at depth
// 900,000 by another plan, at 34 times the cost of a first page (1.1 times
// with it). An index of a host's cannot make a page cheaper anyway: a page
// reads only what the paging index holds.
//
// # Purging
//
// Store.Purge deletes every stage row of one instance, and nothing else, in
// batches, so that no statement holds locks for long, and pauses between
// batches so that other writers get in, on other connections and in other
// processes too. Its count is exact: a batch that has started is never
// interrupted (a cancel stops the purge between batches), and nothing is
// deleted after Purge returns. Each batch starts where the one before
// ended, past the index entries the deleted rows leave behind.
//
// On SQLite, which lets one connection write at a time, use WAL with
// synchronous(NORMAL) (each batch commits, and with synchronous(FULL) each
// commit waits for the disk) and a busy_timeout. A writer on another
// connection waits in SQLite's busy handler, which sleeps longer and longer
// between tries: the pause between batches, half as long as a batch, is
// what lets it in. Measured with 1,000,000 rows (BenchmarkPurge, four
// runs on two days), the purge took 1.36-1.91 times one unbatched DELETE,
// and a writer inserting a row every 20 ms on a pool of its own waited at
// most 81-109 ms, never failing (one DELETE kept it waiting 2.7-4.8 s).
// With one connection (db.SetMaxOpenConns(1)), database/sql queues the
// writer behind the running batch: 1.66-1.94 times, 90-191 ms.
//
// On PostgreSQL and MySQL a batch locks only its own rows; batches grow
// while they take less than 200 ms, since each commit waits for the disk,
// and the pause is a tenth of a batch. Measured the same way, the purge
// took 0.91-1.81 times one DELETE on PostgreSQL 15 (2.8-3.4 times in two
// other runs, whose DELETE was quicker) and 1.58-2.16 times on MariaDB
// 10.11, which reaches each row through the paging index where one DELETE
// scans the table. The writer waited at most 8-49 ms, but for the runs,
// of the purge as of one DELETE, in which the test machine's disk stalled
// a PostgreSQL commit for some hundreds of milliseconds.
//
// # Without a Store
//
// Builder gives the same SQL and cursors to hosts with their own database
// access. Every value is a placeholder argument.
//
// # Transactions
//
// Store.WithTx returns a Store whose methods run in the caller's
// transaction, a *sql.Tx or a *sqlx.Tx: they see and join its uncommitted
// work, and the caller commits or rolls back. WithTx(nil) is refused: every
// call of the Store it returns fails with ErrNilTx.
//
// In a transaction, Purge's batches keep their locks until the transaction
// ends, and it does not pause. A cancelled context stops it between batches
// and never interrupts one (on PostgreSQL an interrupted statement aborts
// the whole transaction), so Deleted counts what Commit will make true; but
// database/sql rolls a transaction back by itself when the context given
// to BeginTx ends. After an error in a transaction, roll it back:
// PostgreSQL aborts a transaction on any error, MySQL rolls one back on a
// deadlock, and Deleted is then 0.
//
// # Prepared statements
//
// A Store prepares its statements and keeps the StatementCacheSize most
// recently used (each is prepared on every connection of the pool that runs
// it). Config.NoPrepare turns that off, for PgBouncer in transaction mode and
// its kind. Close releases them, and is safe while calls run; a Store
// dropped without Close releases them once garbage collected.
//
// # Errors
//
// Errors wrap the package's sentinels (ErrInvalidInstance, ErrNotFound...)
// and the driver's errors. When a call's context ends, the error matches
// both the context's error (context.Canceled, context.DeadlineExceeded) and
// the driver's, with errors.Is and errors.As; a driver's timeout at the
// context's deadline (a dial, say) counts as context.DeadlineExceeded.
package sqlstore
