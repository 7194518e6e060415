package report_test

import (
	"context"
	"io"
	"path/filepath"
	"testing"

	"github.com/jmoiron/sqlx"
	_ "modernc.org/sqlite"

	"github.com/opsync/integrationlogs/runlog/report"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// storeRows is how many stage rows BenchmarkExportCSV exports.
const storeRows = 100_000

// seedExport makes a SQLite store with storeRows stage rows of instance 7
// (six a run; every tenth failed, with an error summary and payload), which
// the database generates itself.
func seedExport(b *testing.B) *sqlstore.Store {
	b.Helper()
	dsn := "file:" + filepath.Join(b.TempDir(), "export.db") + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_time_format=sqlite"
	db, err := sqlx.Open("sqlite", dsn)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	store, err := sqlstore.New(db, sqlstore.Config{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { store.Close() })
	ctx := context.Background()
	if err := store.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{
		`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ? / 6 + 1)
		INSERT INTO integration_runs (id, instance_id, mode, status, debug, created_at, started_at, finished_at)
		SELECT i, 7, 'apply', CASE WHEN i % 10 = 0 THEN 'failed' ELSE 'completed' END, 0,
			strftime('%Y-%m-%d %H:%M:%f+00:00', '2025-01-01', '+' || (i * 60) || ' seconds'),
			strftime('%Y-%m-%d %H:%M:%f+00:00', '2025-01-01', '+' || (i * 60) || ' seconds'),
			strftime('%Y-%m-%d %H:%M:%f+00:00', '2025-01-01', '+' || (i * 60 + 50) || ' seconds')
		FROM n`,
		`WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < ? - 1)
		INSERT INTO integration_run_stages (instance_id, run_id, mode, stage, status, attempt, created_at, started_at, finished_at,
			error_summary, metrics_json, error_payload)
		SELECT 7, i / 6 + 1, 'apply',
			CASE i % 6 WHEN 0 THEN 'validate_setup' WHEN 1 THEN 'extract' WHEN 2 THEN 'canonicalize'
				WHEN 3 THEN 'reconcile' WHEN 4 THEN 'decide' ELSE 'apply' END,
			CASE WHEN i % 60 = 57 THEN 'failed' ELSE 'completed' END, 1,
			strftime('%Y-%m-%d %H:%M:%f+00:00', '2025-01-01', '+' || (i * 10) || ' seconds'),
			strftime('%Y-%m-%d %H:%M:%f+00:00', '2025-01-01', '+' || (i * 10) || ' seconds'),
			strftime('%Y-%m-%d %H:%M:%f+00:00', '2025-01-01', '+' || (i * 10 + 8) || ' seconds'),
			CASE WHEN i % 60 = 57 THEN 'Reconcile stopped: record ' || i || ' matched more than one local device, and the device lock could not be taken.' END,
			'{"processed": ' || i || ', "valid": ' || (i - i % 7) || ', "invalid": ' || (i % 7) || ', "dropped": {"missing_serial": 2}}',
			CASE WHEN i % 60 = 57 THEN '{"type":"ReconcileError","message":"reconcile: record ' || i ||
				' matched more than one local device","previous":[{"type":"*pgconn.PgError","message":"ERROR: deadlock detected (SQLSTATE 40P01)"}]}' END
		FROM n`,
	} {
		if _, err := db.ExecContext(ctx, q, storeRows); err != nil {
			b.Fatal(err)
		}
	}
	return store
}

// BenchmarkExportCSV exports 100,000 SQLite rows as CSV through
// Store.Entries ("csv"), beside paging the same rows with Store.List and no
// output ("list", the baseline), and reading them whole with Store.Entries
// and no output ("entries", what an export must read), in the same run.
//
//	go test ./runlog/report -run '^$' -bench BenchmarkExportCSV -benchtime 3x -count 3
func BenchmarkExportCSV(b *testing.B) {
	store := seedExport(b)
	ctx := context.Background()
	b.Run("list", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			p := sqlstore.ListParams{Limit: sqlstore.DefaultLimit}
			for {
				page, err := store.List(ctx, 7, p)
				if err != nil {
					b.Fatal(err)
				}
				n += len(page.Entries)
				if page.Next == "" {
					break
				}
				p.Cursor = page.Next
			}
			if n != storeRows {
				b.Fatalf("paged %d rows, want %d", n, storeRows)
			}
		}
	})
	b.Run("entries", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n := 0
			for _, err := range store.Entries(ctx, 7, sqlstore.ListParams{}) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
			if n != storeRows {
				b.Fatalf("read %d rows, want %d", n, storeRows)
			}
		}
	})
	b.Run("csv", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			n, err := report.WriteCSV(io.Discard, store.Entries(ctx, 7, sqlstore.ListParams{}))
			if err != nil || n != storeRows {
				b.Fatalf("WriteCSV = %d, %v; want %d rows", n, err, storeRows)
			}
		}
	})
}
