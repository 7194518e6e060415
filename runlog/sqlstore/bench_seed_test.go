package sqlstore_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// The benchmarks' datasets have a million rows and more. The database
// generates them (INSERT ... SELECT over a series of numbers), and each is
// kept for the whole test binary, so that -count repeats a benchmark without
// seeding again; TestMain drops them at the end.

// TestMain runs the tests and benchmarks, then drops the databases that
// benchmarks kept.
func TestMain(m *testing.M) {
	code := m.Run()
	if !process.end() && code == 0 {
		code = 1
	}
	os.Exit(code)
}

// processState holds what outlives one benchmark: datasets by name, and the
// cleanups that drop them when the test binary ends.
type processState struct {
	mu       sync.Mutex
	datasets map[string]any
	cleanups []func()
	ending   bool
	failed   bool
}

var process processState

// keep returns the dataset named key, which newDataset makes the first time
// with a testing.TB whose cleanups run when the test binary ends.
func keep[T any](tb testing.TB, key string, newDataset func(testing.TB) T) T {
	tb.Helper()
	process.mu.Lock()
	ds, ok := process.datasets[key]
	process.mu.Unlock()
	if ok {
		return ds.(T)
	}
	made := newDataset(processTB{tb})
	process.mu.Lock()
	defer process.mu.Unlock()
	if process.datasets == nil {
		process.datasets = map[string]any{}
	}
	process.datasets[key] = made
	return made
}

// end runs the kept cleanups, newest first, and reports whether they all
// succeeded.
func (p *processState) end() bool {
	p.mu.Lock()
	p.ending = true
	cleanups := p.cleanups
	p.cleanups = nil
	p.mu.Unlock()
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return !p.failed
}

// processTB is the testing.TB of the benchmark that makes a kept dataset,
// except that its cleanups and temporary directories last until the test
// binary ends, and errors reported then go to stderr.
type processTB struct{ testing.TB }

func (processTB) Cleanup(f func()) {
	process.mu.Lock()
	defer process.mu.Unlock()
	process.cleanups = append(process.cleanups, f)
}

func (p processTB) TempDir() string {
	p.Helper()
	dir, err := os.MkdirTemp("", "sqlstore-bench-")
	if err != nil {
		p.Fatalf("TempDir: %v", err)
	}
	p.Cleanup(func() { os.RemoveAll(dir) })
	return dir
}

func (processTB) Context() context.Context { return context.Background() }

func (p processTB) Errorf(format string, args ...any) {
	process.mu.Lock()
	ending := process.ending
	process.failed = process.failed || ending
	process.mu.Unlock()
	if !ending {
		p.TB.Errorf(format, args...)
		return
	}
	fmt.Fprintf(os.Stderr, format+"\n", args...)
}

// history is a generated log history, written by the database itself (see
// seedHistory). Runs first to last each have six stage rows: a Full Sync
// for odd run IDs (validate_setup to apply), a Sync Preview for even ones
// (validate_setup to decide, with an extract that failed once and was
// retried). Every fifth run failed at its last stage, with an error summary;
// the last run is still running its fourth stage and has only four rows.
// Every row has small metrics, and its run's mode, as the recorder copies
// it. Stage row i of run r has ID 6r+i and started at 2025-01-01 UTC + r
// minutes + i seconds.
type history struct {
	first, last int64 // run IDs
	instance    int64 // the instance of the runs
	every11th   int64 // if not 0, the instance of the runs whose ID is a multiple of 11
	payload     any   // the error payload of every stage row: nil (NULL) or a string
	perInsert   int64 // runs written by one INSERT
	stagesOnly  bool  // write no runs (they are there already)
}

// rows returns the number of stage rows of h's instance and of every11th.
func (h history) rows() (instance, every11th int64) {
	for r := h.first; r <= h.last; r++ {
		n := int64(6)
		if r == h.last {
			n = 4
		}
		if h.every11th != 0 && r%11 == 0 {
			every11th += n
		} else {
			instance += n
		}
	}
	return instance, every11th
}

// seedDialect holds the SQL of seeding that differs between dialects.
type seedDialect struct {
	// series is a derived table of one column r, the integers from its first
	// argument to its second, inclusive.
	series string
	// integer and text are placeholders of those types, where the type is not
	// implied by the context.
	integer, text string
	// at returns the time seconds (an SQL expression) after
	// 2025-01-01 00:00:00 UTC, as the dialect stores it.
	at func(seconds string) string
	// truncate empties the stage rows table.
	truncate string
}

var seedDialects = map[sqlstore.Dialect]seedDialect{
	sqlstore.SQLite: {
		series:  "(WITH RECURSIVE n(r) AS (SELECT ? UNION ALL SELECT r + 1 FROM n WHERE r < ?) SELECT r FROM n)",
		integer: "?",
		text:    "?",
		at: func(s string) string {
			return "strftime('%Y-%m-%d %H:%M:%f+00:00', 1735689600 + " + s + ", 'unixepoch')"
		},
		truncate: "DELETE FROM integration_run_stages",
	},
	sqlstore.PostgreSQL: {
		series:  "(SELECT generate_series(CAST(? AS BIGINT), CAST(? AS BIGINT)) AS r)",
		integer: "CAST(? AS BIGINT)",
		text:    "CAST(? AS TEXT)",
		at: func(s string) string {
			return "TIMESTAMPTZ '2025-01-01 00:00:00+00' + CAST(" + s + " AS DOUBLE PRECISION) * INTERVAL '1 second'"
		},
		truncate: "TRUNCATE integration_run_stages",
	},
	// MariaDB stops recursive CTEs after 1,000 iterations by default: the
	// series crosses two of a thousand numbers.
	sqlstore.MySQL: {
		series: "(SELECT x.r FROM (WITH RECURSIVE d(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM d WHERE n < 999)" +
			" SELECT ? + a.n * 1000 + b.n AS r FROM d AS a CROSS JOIN d AS b) AS x WHERE x.r <= ?)",
		integer: "?",
		text:    "?",
		at: func(s string) string {
			return "TIMESTAMPADD(MICROSECOND, CAST((" + s + ") * 1000000 AS SIGNED), TIMESTAMP '2025-01-01 00:00:00')"
		},
		truncate: "TRUNCATE TABLE integration_run_stages",
	},
}

// pipelineRows is the template of a run's stage rows: m is the run ID modulo
// 2 (1: Full Sync, 0: Sync Preview), i the row's position in the run,
// failure the error summary of a failed last row.
const pipelineRows = `SELECT 1 AS m, 0 AS i, 'validate_setup' AS stage, 1 AS attempt, 'completed' AS status, NULL AS summary, NULL AS failure
UNION ALL SELECT 1, 1, 'extract', 1, 'completed', NULL, NULL
UNION ALL SELECT 1, 2, 'canonicalize', 1, 'completed', NULL, NULL
UNION ALL SELECT 1, 3, 'reconcile', 1, 'completed', NULL, NULL
UNION ALL SELECT 1, 4, 'decide', 1, 'completed', NULL, NULL
UNION ALL SELECT 1, 5, 'apply', 1, 'completed', NULL, 'apply: 12 of 340 records rejected by the destination (HTTP 422 Unprocessable Entity)'
UNION ALL SELECT 0, 0, 'validate_setup', 1, 'completed', NULL, NULL
UNION ALL SELECT 0, 1, 'extract', 1, 'error', 'extract: upstream returned 503 Service Unavailable; retrying in 30 s', NULL
UNION ALL SELECT 0, 2, 'extract', 2, 'completed', NULL, NULL
UNION ALL SELECT 0, 3, 'canonicalize', 1, 'completed', NULL, NULL
UNION ALL SELECT 0, 4, 'reconcile', 1, 'completed', NULL, NULL
UNION ALL SELECT 0, 5, 'decide', 1, 'preview_ready', NULL, 'decide: 3 records match more than one local record'`

// insertRuns returns the INSERT of the runs from the first to the second
// argument (see runArgs).
func (s seedDialect) insertRuns() string {
	return `INSERT INTO integration_runs (id, instance_id, mode, status, debug, summary_json, started_at, finished_at)
SELECT n.r,
	CASE WHEN n.r % 11 = 0 THEN ` + s.integer + ` ELSE ` + s.integer + ` END,
	CASE WHEN n.r % 2 = 1 THEN 'apply' ELSE 'preview' END,
	CASE WHEN n.r = ` + s.integer + ` THEN 'running' WHEN n.r % 5 = 0 THEN 'failed' WHEN n.r % 2 = 1 THEN 'completed' ELSE 'preview_ready' END,
	FALSE,
	CONCAT('{"created":', n.r % 17, ',"updated":', n.r % 230, ',"deleted":0,"skipped":', n.r % 7, '}'),
	` + s.at("n.r * 60") + `,
	CASE WHEN n.r = ` + s.integer + ` THEN NULL ELSE ` + s.at("n.r * 60 + 5.5") + ` END
FROM ` + s.series + ` AS n`
}

// insertStages returns the INSERT of the stage rows of the runs from the
// first to the second argument (see stageArgs).
func (s seedDialect) insertStages() string {
	return `INSERT INTO integration_run_stages (id, instance_id, run_id, mode, stage, status, attempt, started_at, finished_at, error_summary, error_payload, metrics_json)
SELECT n.r * 6 + t.i,
	CASE WHEN n.r % 11 = 0 THEN ` + s.integer + ` ELSE ` + s.integer + ` END,
	n.r,
	CASE WHEN n.r % 2 = 1 THEN 'apply' ELSE 'preview' END,
	t.stage,
	CASE WHEN n.r = ` + s.integer + ` AND t.i = 3 THEN 'running' WHEN t.i = 5 AND n.r % 5 = 0 THEN 'failed' ELSE t.status END,
	t.attempt,
	` + s.at("n.r * 60 + t.i") + `,
	CASE WHEN n.r = ` + s.integer + ` AND t.i = 3 THEN NULL ELSE ` + s.at("n.r * 60 + t.i + 0.5") + ` END,
	CASE WHEN t.i = 5 AND n.r % 5 = 0 THEN t.failure ELSE t.summary END,
	` + s.text + `,
	CONCAT('{"records":', 100 + n.r % 900, ',"duration_ms":', 200 + 37 * t.i + n.r % 50, '}')
FROM ` + s.series + ` AS n
JOIN (` + pipelineRows + `) AS t ON t.m = n.r % 2
WHERE NOT (n.r = ` + s.integer + ` AND t.i > 3)`
}

// seedHistory writes h into the default tables of db, a dialect d database,
// h.perInsert runs a statement, each its own transaction.
func seedHistory(tb testing.TB, db *sqlx.DB, d sqlstore.Dialect, h history) {
	tb.Helper()
	s, ok := seedDialects[d]
	if !ok {
		tb.Fatalf("seed: unknown dialect %q", d)
	}
	other := h.every11th
	if other == 0 {
		other = h.instance
	}
	step := max(h.perInsert, 1)
	runs, stages := db.Rebind(s.insertRuns()), db.Rebind(s.insertStages())
	for lo := h.first; lo <= h.last; lo += step {
		hi := min(lo+step-1, h.last)
		if !h.stagesOnly {
			if _, err := db.Exec(runs, other, h.instance, h.last, h.last, lo, hi); err != nil {
				tb.Fatalf("seed runs %d to %d: %v", lo, hi, err)
			}
		}
		if _, err := db.Exec(stages, other, h.instance, h.last, h.last, h.payload, lo, hi, h.last); err != nil {
			tb.Fatalf("seed stage rows of runs %d to %d: %v", lo, hi, err)
		}
	}
	SyncIDs(tb, db, sqlstore.Tables{})
}

// settle brings db to the state of a database in service after a bulk
// load: statistics gathered (and, on PostgreSQL, the visibility map set, as
// autovacuum would), and SQLite's write-ahead log checkpointed.
func settle(tb testing.TB, db *sqlx.DB, d sqlstore.Dialect) {
	tb.Helper()
	var stmts []string
	switch d {
	case sqlstore.SQLite:
		stmts = []string{"PRAGMA wal_checkpoint(TRUNCATE)"}
	case sqlstore.PostgreSQL:
		stmts = []string{"VACUUM ANALYZE integration_runs", "VACUUM ANALYZE integration_run_stages"}
	case sqlstore.MySQL:
		stmts = []string{"ANALYZE TABLE integration_runs", "ANALYZE TABLE integration_run_stages"}
	}
	for _, stmt := range stmts {
		rows, err := db.Query(stmt)
		if err != nil {
			tb.Fatalf("%s: %v", stmt, err)
		}
		rows.Close()
	}
}

// timed runs f and logs how long it took.
func timed(tb testing.TB, what string, f func()) {
	tb.Helper()
	start := time.Now()
	f()
	tb.Logf("%s in %v", what, time.Since(start).Round(time.Millisecond))
}
