package sqlstore_test

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/jmoiron/sqlx"
	_ "modernc.org/sqlite"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// The environment variables that point the tests at database servers. Each
// test makes its own database through the DSN and drops it afterwards.
const (
	PostgresDSNEnv = "INTEGRATIONLOGS_POSTGRES_DSN" // e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable
	MySQLDSNEnv    = "INTEGRATIONLOGS_MYSQL_DSN"    // e.g. root@tcp(127.0.0.1:3306)/test
)

// SkipUnlessAvailable skips tb when the server of dialect d is not
// configured. SQLite is always available.
func SkipUnlessAvailable(tb testing.TB, d sqlstore.Dialect) {
	tb.Helper()
	switch d {
	case sqlstore.PostgreSQL:
		if os.Getenv(PostgresDSNEnv) == "" {
			tb.Skip(PostgresDSNEnv + " not set; skipping PostgreSQL")
		}
	case sqlstore.MySQL:
		if os.Getenv(MySQLDSNEnv) == "" {
			tb.Skip(MySQLDSNEnv + " not set; skipping MySQL")
		}
	}
}

// MustOpenDB returns a connection to a new, empty database of dialect d: a
// file in tb's temporary directory for SQLite (WAL, busy_timeout 5s, times
// written in the schema's text form), or a database named ilogs_<random>
// created through the DSN for PostgreSQL and MySQL. The database is closed
// and dropped when tb ends, whether it passed or not. Without the DSN, tb is
// skipped.
func MustOpenDB(tb testing.TB, d sqlstore.Dialect) *sqlx.DB {
	tb.Helper()
	SkipUnlessAvailable(tb, d)
	switch d {
	case sqlstore.SQLite:
		return openSQLite(tb)
	case sqlstore.PostgreSQL:
		return openPostgres(tb)
	case sqlstore.MySQL:
		db, _ := openMySQL(tb, nil)
		return db
	}
	tb.Fatalf("MustOpenDB: unknown dialect %q", d)
	return nil
}

// MustOpenStore returns a migrated Store with the default configuration on
// a new database (see MustOpenDB), and that database.
func MustOpenStore(tb testing.TB, d sqlstore.Dialect) (*sqlstore.Store, *sqlx.DB) {
	tb.Helper()
	db := MustOpenDB(tb, d)
	store, err := sqlstore.New(db, sqlstore.Config{})
	if err != nil {
		tb.Fatalf("sqlstore.New: %v", err)
	}
	tb.Cleanup(func() { store.Close() })
	if err := store.Migrate(tb.Context()); err != nil {
		tb.Fatalf("Migrate: %v", err)
	}
	return store, db
}

// sqliteDSN is the DSN of MustOpenDB's SQLite database in file path.
func sqliteDSN(path string) string {
	return "file:" + path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_time_format=sqlite"
}

func openSQLite(tb testing.TB) *sqlx.DB {
	db, err := sqlx.Open("sqlite", sqliteDSN(filepath.Join(tb.TempDir(), "logs.db")))
	if err != nil {
		tb.Fatalf("open SQLite: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

func openPostgres(tb testing.TB) *sqlx.DB {
	cfg, err := pgx.ParseConfig(os.Getenv(PostgresDSNEnv))
	if err != nil {
		tb.Fatalf("%s: %v", PostgresDSNEnv, err)
	}
	admin := sqlx.NewDb(stdlib.OpenDB(*cfg), "pgx")
	name := databaseName()
	if _, err := admin.Exec("CREATE DATABASE " + name); err != nil {
		admin.Close()
		tb.Fatalf("create PostgreSQL database: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"); err != nil {
			tb.Errorf("drop PostgreSQL database %s: %v", name, err)
		}
		admin.Close()
	})
	cfg = cfg.Copy()
	cfg.Database = name
	db := sqlx.NewDb(stdlib.OpenDB(*cfg), "pgx")
	tb.Cleanup(func() { db.Close() })
	return db
}

// openMySQL creates a database and returns a connection to it, with edit
// applied to the connection's configuration, and the database's name.
func openMySQL(tb testing.TB, edit func(*mysql.Config)) (*sqlx.DB, string) {
	cfg, err := mysql.ParseDSN(os.Getenv(MySQLDSNEnv))
	if err != nil {
		tb.Fatalf("%s: %v", MySQLDSNEnv, err)
	}
	admin, err := sqlx.Open("mysql", cfg.FormatDSN())
	if err != nil {
		tb.Fatalf("open MySQL: %v", err)
	}
	// latin1, so that the Unicode tests prove the tables carry their own
	// character set.
	name := databaseName()
	if _, err := admin.Exec("CREATE DATABASE " + name + " CHARACTER SET latin1"); err != nil {
		admin.Close()
		tb.Fatalf("create MySQL database: %v", err)
	}
	tb.Cleanup(func() {
		if _, err := admin.Exec("DROP DATABASE IF EXISTS " + name); err != nil {
			tb.Errorf("drop MySQL database %s: %v", name, err)
		}
		admin.Close()
	})
	return openMySQLDatabase(tb, name, edit), name
}

// openMySQLDatabase opens another connection to the MySQL database name.
func openMySQLDatabase(tb testing.TB, name string, edit func(*mysql.Config)) *sqlx.DB {
	cfg, err := mysql.ParseDSN(os.Getenv(MySQLDSNEnv))
	if err != nil {
		tb.Fatalf("%s: %v", MySQLDSNEnv, err)
	}
	cfg.DBName = name
	if edit != nil {
		edit(cfg)
	}
	db, err := sqlx.Open("mysql", cfg.FormatDSN())
	if err != nil {
		tb.Fatalf("open MySQL: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	return db
}

// databaseName returns a fresh database name, ilogs_ and 12 hex digits.
func databaseName() string {
	b := make([]byte, 6)
	rand.Read(b)
	return "ilogs_" + hex.EncodeToString(b)
}

// Run is a fixture row of the runs table. A zero ID lets the database
// choose it.
type Run struct {
	ID          int64
	InstanceID  int64
	Mode        runlog.Mode
	Status      runlog.RunStatus
	Debug       bool
	SummaryJSON *string
	StartedAt   *time.Time
	FinishedAt  *time.Time
}

// StageRow is a fixture row of the stage rows table. A zero ID lets the
// database choose it; a zero Attempt is written as 1. Nil pointers and
// slices are written as NULL.
type StageRow struct {
	ID           int64
	InstanceID   int64
	RunID        int64
	Stage        runlog.Stage
	Status       runlog.Status
	Attempt      int
	StartedAt    *time.Time
	FinishedAt   *time.Time
	ErrorSummary *string
	ErrorPayload []byte
	Metrics      []byte
}

// InsertRuns writes runs into the runs table of t (zero fields: defaults)
// with plain multi-row INSERTs in one transaction. Either every run has an
// ID or none has.
func InsertRuns(tb testing.TB, db *sqlx.DB, t sqlstore.Tables, runs ...Run) {
	tb.Helper()
	cols := []string{"instance_id", "mode", "status", "debug", "summary_json", "started_at", "finished_at"}
	rows := make([][]any, len(runs))
	for i, r := range runs {
		rows[i] = []any{r.InstanceID, string(r.Mode), string(r.Status), r.Debug, r.SummaryJSON, utc(r.StartedAt), utc(r.FinishedAt)}
	}
	insertRows(tb, db, tableOr(t.Runs, sqlstore.DefaultRunsTable), cols, rows, func(i int) int64 { return runs[i].ID })
}

// InsertStages writes rows into the stage rows table of t (zero fields:
// defaults) with plain multi-row INSERTs in one transaction, in order, so
// that generated IDs follow the slice. Either every row has an ID or none
// has.
func InsertStages(tb testing.TB, db *sqlx.DB, t sqlstore.Tables, stages ...StageRow) {
	tb.Helper()
	cols := []string{"instance_id", "run_id", "stage", "status", "attempt", "started_at", "finished_at",
		"error_summary", "error_payload", "metrics_json"}
	rows := make([][]any, len(stages))
	for i, s := range stages {
		attempt := s.Attempt
		if attempt == 0 {
			attempt = 1
		}
		rows[i] = []any{s.InstanceID, s.RunID, string(s.Stage), string(s.Status), attempt, utc(s.StartedAt), utc(s.FinishedAt),
			s.ErrorSummary, text(s.ErrorPayload), text(s.Metrics)}
	}
	insertRows(tb, db, tableOr(t.Stages, sqlstore.DefaultStagesTable), cols, rows, func(i int) int64 { return stages[i].ID })
}

// insertRows inserts rows of values for cols into table, with an id column
// first when the rows have IDs, in one transaction. A statement carries at
// most 500 rows and about 4 MiB of text, under MySQL's max_allowed_packet.
func insertRows(tb testing.TB, db *sqlx.DB, table string, cols []string, rows [][]any, id func(int) int64) {
	tb.Helper()
	if len(rows) == 0 {
		return
	}
	withIDs := id(0) != 0
	if withIDs {
		cols = append([]string{"id"}, cols...)
	}
	tx, err := db.Beginx()
	if err != nil {
		tb.Fatalf("insert into %s: %v", table, err)
	}
	defer tx.Rollback()
	const maxRows, maxBytes = 500, 4 << 20
	row := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	for start := 0; start < len(rows); {
		var args []any
		end, size := start, 0
		for ; end < len(rows) && end-start < maxRows && (end == start || size < maxBytes); end++ {
			if (id(end) != 0) != withIDs {
				tb.Fatalf("insert into %s: row %d: either every row has an ID or none has", table, end)
			}
			if withIDs {
				args = append(args, id(end))
			}
			for _, v := range rows[end] {
				if s, ok := v.(string); ok {
					size += len(s)
				}
			}
			args = append(args, rows[end]...)
		}
		query := "INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES " +
			strings.TrimSuffix(strings.Repeat(row+", ", end-start), ", ")
		if _, err := tx.Exec(tx.Rebind(query), args...); err != nil {
			tb.Fatalf("insert into %s: %v", table, err)
		}
		start = end
	}
	if err := tx.Commit(); err != nil {
		tb.Fatalf("insert into %s: %v", table, err)
	}
}

// SyncIDs advances PostgreSQL's identity sequences past explicitly given
// IDs, the statement the schema's comment documents; other dialects need
// nothing.
func SyncIDs(tb testing.TB, db *sqlx.DB, t sqlstore.Tables) {
	tb.Helper()
	if db.DriverName() != "pgx" {
		return
	}
	for _, table := range []string{tableOr(t.Runs, sqlstore.DefaultRunsTable), tableOr(t.Stages, sqlstore.DefaultStagesTable)} {
		q := fmt.Sprintf("SELECT setval(pg_get_serial_sequence('%s', 'id'), max(id)) FROM %s", table, table)
		if _, err := db.Exec(q); err != nil {
			tb.Fatalf("advance %s's sequence: %v", table, err)
		}
	}
}

func tableOr(name, def string) string {
	if name == "" {
		return def
	}
	return name
}

func utc(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UTC()
}

func text(b []byte) any {
	if b == nil {
		return nil
	}
	return string(b)
}

// History describes a generated history of one instance: Runs runs with IDs
// FirstRunID (default 1) upwards, alternating Full Sync (odd IDs: six stage
// rows, the last completed) and Sync Preview (even IDs: five, the last
// preview_ready). Every fifth run failed at its last stage, with an error
// summary; every third retried extract (attempt 2). Stage row i of run k
// started at Start (default 2025-01-01 UTC) + k minutes + i seconds and took
// 500 ms, except the newest run's last row, still running.
type History struct {
	InstanceID   int64
	FirstRunID   int64
	Runs         int
	Start        time.Time
	ErrorPayload []byte // written on every stage row when not nil
}

// Rows returns the runs and stage rows of h. Stage rows have no IDs.
func (h History) Rows() ([]Run, []StageRow) { return h.rows(0, h.Runs) }

// rows returns the runs from the from-th up to the to-th (excluded) and
// their stage rows.
func (h History) rows(from, to int) ([]Run, []StageRow) {
	if h.FirstRunID == 0 {
		h.FirstRunID = 1
	}
	if h.Start.IsZero() {
		h.Start = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	runs := make([]Run, 0, to-from)
	stages := make([]StageRow, 0, (to-from)*6)
	for k := from; k < to; k++ {
		id := h.FirstRunID + int64(k)
		run := Run{ID: id, InstanceID: h.InstanceID, Mode: runlog.ModeApply, Status: runlog.RunCompleted}
		last := runlog.StatusCompleted
		if id%2 == 0 {
			run.Mode, run.Status, last = runlog.ModePreview, runlog.RunPreviewReady, runlog.StatusPreviewReady
		}
		if id%5 == 0 {
			run.Status, last = runlog.RunFailed, runlog.StatusFailed
		}
		pipeline := runlog.Pipeline(run.Mode)
		runStart := h.Start.Add(time.Duration(id) * time.Minute)
		for i, stage := range pipeline {
			started := runStart.Add(time.Duration(i) * time.Second)
			finished := started.Add(500 * time.Millisecond)
			row := StageRow{
				InstanceID: h.InstanceID, RunID: id, Stage: stage, Status: runlog.StatusCompleted, Attempt: 1,
				StartedAt: &started, FinishedAt: &finished, ErrorPayload: h.ErrorPayload,
				Metrics: fmt.Appendf(nil, `{"records":%d,"duration_ms":500}`, 100+i),
			}
			if stage == runlog.StageExtract && id%3 == 0 {
				row.Attempt = 2
			}
			if i == len(pipeline)-1 {
				row.Status = last
				if last == runlog.StatusFailed {
					summary := fmt.Sprintf("run %d: %s failed: upstream returned 503", id, stage)
					row.ErrorSummary = &summary
				}
				if k == h.Runs-1 {
					row.Status, row.FinishedAt = runlog.StatusRunning, nil
					run.Status = runlog.RunRunning
				}
			}
			stages = append(stages, row)
		}
		runStarted := runStart
		run.StartedAt = &runStarted
		runs = append(runs, run)
	}
	return runs, stages
}

// Seed writes h into the default tables, a thousand runs a transaction so
// that a large history never sits in memory whole, and returns the number of
// stage rows written (11 for every two runs: 181,819 runs make 1,000,005).
func Seed(tb testing.TB, db *sqlx.DB, h History) int {
	tb.Helper()
	n := 0
	for from := 0; from < h.Runs; from += 1000 {
		runs, stages := h.rows(from, min(from+1000, h.Runs))
		InsertRuns(tb, db, sqlstore.Tables{}, runs...)
		InsertStages(tb, db, sqlstore.Tables{}, stages...)
		n += len(stages)
	}
	SyncIDs(tb, db, sqlstore.Tables{})
	return n
}

// OrderedIDs returns the IDs of instanceID's stage rows in list order, read
// with a plain ORDER BY: the oracle the paging tests compare against.
func OrderedIDs(tb testing.TB, db *sqlx.DB, instanceID int64) []int64 {
	tb.Helper()
	var ids []int64
	q := db.Rebind("SELECT id FROM " + sqlstore.DefaultStagesTable + " WHERE instance_id = ? ORDER BY run_id DESC, id ASC")
	if err := db.Select(&ids, q, instanceID); err != nil {
		tb.Fatalf("ordered IDs: %v", err)
	}
	return ids
}

// CountRows returns the number of rows of table matching where (with ?
// placeholders) and args.
func CountRows(tb testing.TB, db *sqlx.DB, table, where string, args ...any) int {
	tb.Helper()
	q := "SELECT COUNT(*) FROM " + table
	if where != "" {
		q += " WHERE " + where
	}
	var n int
	if err := db.Get(&n, db.Rebind(q), args...); err != nil {
		tb.Fatalf("count %s: %v", table, err)
	}
	return n
}
