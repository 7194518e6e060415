package sqlstore_test

import (
	"database/sql/driver"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/DATA-DOG/go-sqlmock"
	"github.com/google/go-cmp/cmp"
	"github.com/jmoiron/sqlx"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

// The queries are pinned two ways: golden files under testdata/<dialect>
// hold the exact SQL of each (with its arguments, for reading), and the
// sqlmock tests below expect that SQL, prepared once, with arguments written
// out by hand.

// mockFilters are the filters of the pinned list queries: every filter,
// with values that show normalisation (unsorted, duplicated, a time with
// nanoseconds, a time in another zone).
var mockFilters = sqlstore.ListParams{
	Limit:         2,
	RunID:         5,
	Stages:        []runlog.Stage{runlog.StageExtract, runlog.StageApply, runlog.StageExtract},
	Statuses:      []runlog.Status{runlog.StatusFailed},
	Mode:          runlog.ModeApply,
	StartedAfter:  time.Date(2025, 1, 2, 3, 4, 5, 500, time.UTC),
	StartedBefore: time.Date(2025, 1, 3, 0, 0, 0, 0, time.FixedZone("CET", 3600)),
}

// mockTimeArgs are the arguments mockFilters' times become for dialect d.
func mockTimeArgs(d sqlstore.Dialect) (after, before any) {
	if d == sqlstore.SQLite {
		// The comparable keys of the schema's started_key column.
		return "000000101735787045.000000500", "000000101735858800.000000000"
	}
	return time.Date(2025, 1, 2, 3, 4, 5, 1000, time.UTC), time.Date(2025, 1, 2, 23, 0, 0, 0, time.UTC)
}

// cursorsFor returns, for params p, a Next cursor at (run 5, id 12) and a
// Prev cursor at (run 4, id 13), made by Builder.Page from fetched rows.
func cursorsFor(t *testing.T, b *sqlstore.Builder, p sqlstore.ListParams) (next, prev string) {
	t.Helper()
	p.Limit, p.Cursor = 2, ""
	first, err := b.Page(7, p, []runlog.Entry{{ID: 11, InstanceID: 7, RunID: 5}, {ID: 12, InstanceID: 7, RunID: 5}, {ID: 13, InstanceID: 7, RunID: 4}})
	if err != nil {
		t.Fatal(err)
	}
	p.Cursor = first.Next
	second, err := b.Page(7, p, []runlog.Entry{{ID: 13, InstanceID: 7, RunID: 4}})
	if err != nil {
		t.Fatal(err)
	}
	return first.Next, second.Prev
}

type queryCase struct {
	name string
	sql  string
	args []any
}

// pinnedQueries returns the queries the golden files hold for dialect d.
func pinnedQueries(t *testing.T, d sqlstore.Dialect) []queryCase {
	t.Helper()
	b, err := sqlstore.NewBuilder(d, sqlstore.Tables{})
	if err != nil {
		t.Fatal(err)
	}
	next, prev := cursorsFor(t, b, mockFilters)
	filteredNext, filteredPrev := mockFilters, mockFilters
	filteredNext.Cursor, filteredPrev.Cursor = next, prev
	var cases []queryCase
	add := func(name string, q string, args []any, err error) {
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		cases = append(cases, queryCase{name, q, args})
	}
	q, a, err := b.List(7, sqlstore.ListParams{})
	add("list_first", q, a, err)
	q, a, err = b.List(7, mockFilters)
	add("list_first_filtered", q, a, err)
	q, a, err = b.List(7, filteredNext)
	add("list_next_filtered", q, a, err)
	q, a, err = b.List(7, filteredPrev)
	add("list_prev_filtered", q, a, err)
	q, a, err = b.Entry(7, 12)
	add("entry", q, a, err)
	q, a, err = b.Purge(7, 5000)
	add("purge", q, a, err)
	last, del, rest := sqlstore.PurgeRangeSQL(b)
	add("purge_range_last", last, []any{int64(7), int64(math.MaxInt64), 4999}, nil)
	add("purge_range_delete", del, []any{int64(7), int64(math.MaxInt64), int64(9), int64(9), int64(20)}, nil)
	add("purge_range_rest", rest, []any{int64(7), int64(8)}, nil)
	return cases
}

func formatArgs(args []any) string {
	parts := make([]string, len(args))
	for i, a := range args {
		if tm, ok := a.(time.Time); ok {
			a = tm.Format(time.RFC3339Nano)
		}
		parts[i] = fmt.Sprintf("%T(%v)", args[i], a)
	}
	return strings.Join(parts, ", ")
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), got); diff != "" {
		t.Errorf("%s mismatch (-want +got):\n%s", path, diff)
	}
}

// goldenSQL returns the SQL held by testdata/<d>/<name>.sql.
func goldenSQL(t *testing.T, d sqlstore.Dialect, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", string(d), name+".sql"))
	if err != nil {
		t.Fatal(err)
	}
	q, _, _ := strings.Cut(string(b), "\n-- args:")
	return q
}

func TestBuilder_Golden(t *testing.T) {
	for _, d := range sqlstore.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			for _, c := range pinnedQueries(t, d) {
				golden(t, filepath.Join(string(d), c.name+".sql"), c.sql+"\n-- args: "+formatArgs(c.args)+"\n")
			}
			golden(t, filepath.Join(string(d), "schema.sql"), sqlstore.Schema(d))
		})
	}
}

// driverNames gives each dialect the driver name the Store derives it from.
var driverNames = map[sqlstore.Dialect]string{
	sqlstore.SQLite:     "sqlite",
	sqlstore.PostgreSQL: "pgx",
	sqlstore.MySQL:      "mysql",
}

// mockTime returns t as dialect d's driver hands it over: text on SQLite,
// DATETIME bytes on MySQL without parseTime, time.Time on PostgreSQL.
func mockTime(d sqlstore.Dialect, t time.Time) any {
	switch d {
	case sqlstore.SQLite:
		return t.Format("2006-01-02 15:04:05.999999999-07:00")
	case sqlstore.MySQL:
		return []byte(t.Format("2006-01-02 15:04:05.000000"))
	}
	return t
}

var mockColumns = []string{"id", "instance_id", "run_id", "mode", "run_status", "stage", "status", "attempt",
	"started_at", "finished_at", "started_at_text", "finished_at_text", "error_summary", "metrics_json"}

func TestStore_SQLMock(t *testing.T) {
	started := time.Date(2025, 1, 2, 10, 0, 0, 250000000, time.UTC)
	finished := started.Add(time.Second)
	entry := func(id, runID int64) runlog.Entry {
		f := finished
		return runlog.Entry{ID: id, InstanceID: 7, RunID: runID, Mode: runlog.ModeApply, RunStatus: runlog.RunFailed,
			Stage: runlog.StageExtract, Status: runlog.StatusFailed, Attempt: 2, StartedAt: started, FinishedAt: &f,
			ErrorSummary: "boom", Metrics: []byte(`{"b":1,"a":2}`)}
	}
	for _, d := range sqlstore.Dialects() {
		t.Run(string(d), func(t *testing.T) {
			mockDB, mock, err := sqlmock.New(sqlmock.QueryMatcherOption(sqlmock.QueryMatcherEqual))
			if err != nil {
				t.Fatal(err)
			}
			defer mockDB.Close()
			store, err := sqlstore.New(sqlx.NewDb(mockDB, driverNames[d]), sqlstore.Config{PurgeBatchSize: 2})
			if err != nil {
				t.Fatal(err)
			}
			ctx := t.Context()
			rows := func(ids ...[2]int64) *sqlmock.Rows {
				r := sqlmock.NewRows(mockColumns)
				for _, id := range ids {
					r.AddRow(id[0], 7, id[1], "apply", "failed", "extract", "failed", 2,
						mockTime(d, started), mockTime(d, finished), nil, nil, "boom", []byte(`{"b":1,"a":2}`))
				}
				return r
			}
			after, before := mockTimeArgs(d)
			// Each range read: the instance, the keyset, the run, the scan
			// bound, the filters and limit+1; then the reads that find where
			// each scan ends.
			filters := []driver.Value{"apply", "extract", "failed", "apply", after, before}
			branch := func(keyset ...driver.Value) []driver.Value {
				args := append(append([]driver.Value{int64(7)}, keyset...), int64(5), sqlstore.DefaultScanLimit)
				return append(append(args, filters...), 3)
			}
			scanEnd := func(keyset ...driver.Value) []driver.Value {
				return append(append([]driver.Value{int64(7)}, keyset...), int64(5), sqlstore.DefaultScanLimit-1)
			}
			concat := func(parts ...[]driver.Value) []driver.Value {
				var out []driver.Value
				for _, p := range parts {
					out = append(out, p...)
				}
				return out
			}

			// First page: two rows and the one that says more follow.
			mock.ExpectPrepare(goldenSQL(t, d, "list_first_filtered")).ExpectQuery().
				WithArgs(concat(branch(), scanEnd())...).
				WillReturnRows(rows([2]int64{11, 5}, [2]int64{12, 5}, [2]int64{13, 4}))
			first, err := store.List(ctx, 7, mockFilters)
			if err != nil {
				t.Fatalf("List(first) error: %v", err)
			}
			if diff := cmp.Diff([]runlog.Entry{entry(11, 5), entry(12, 5)}, first.Entries); diff != "" {
				t.Errorf("List(first) mismatch (-want +got):\n%s", diff)
			}
			if first.Next == "" || first.Prev != "" {
				t.Errorf("List(first) cursors = (%q, %q), want a Next only", first.Next, first.Prev)
			}

			// Next page: the last row.
			p := mockFilters
			p.Cursor = first.Next
			mock.ExpectPrepare(goldenSQL(t, d, "list_next_filtered")).ExpectQuery().
				WithArgs(concat(branch(int64(5), int64(12)), branch(int64(5)), []driver.Value{3},
					scanEnd(int64(5), int64(12)), scanEnd(int64(5)))...).
				WillReturnRows(rows([2]int64{13, 4}))
			second, err := store.List(ctx, 7, p)
			if err != nil {
				t.Fatalf("List(next) error: %v", err)
			}
			if diff := cmp.Diff([]runlog.Entry{entry(13, 4)}, second.Entries); diff != "" {
				t.Errorf("List(next) mismatch (-want +got):\n%s", diff)
			}
			if second.Next != "" || second.Prev == "" {
				t.Errorf("List(next) cursors = (%q, %q), want a Prev only", second.Next, second.Prev)
			}

			// Back: the rows come in any order (here the mirrored reads').
			p.Cursor = second.Prev
			mock.ExpectPrepare(goldenSQL(t, d, "list_prev_filtered")).ExpectQuery().
				WithArgs(concat(branch(int64(4), int64(13)), branch(int64(4)), []driver.Value{3},
					scanEnd(int64(4), int64(13)), scanEnd(int64(4)))...).
				WillReturnRows(rows([2]int64{12, 5}, [2]int64{11, 5}))
			back, err := store.List(ctx, 7, p)
			if err != nil {
				t.Fatalf("List(prev) error: %v", err)
			}
			if diff := cmp.Diff(first, back); diff != "" {
				t.Errorf("List(prev) mismatch with the first page (-want +got):\n%s", diff)
			}

			// Without filters, the default limit; a row whose every column
			// but its ids is NULL, or a time of a type no driver hands over
			// for a time, is listed all the same.
			mock.ExpectPrepare(goldenSQL(t, d, "list_first")).ExpectQuery().
				WithArgs(int64(7), 51).
				WillReturnRows(sqlmock.NewRows(mockColumns).
					AddRow(20, 7, 6, nil, nil, nil, nil, nil, int64(1741082400), 1.5, nil, nil, nil, nil))
			res, err := store.List(ctx, 7, sqlstore.ListParams{})
			if err != nil {
				t.Fatalf("List(unfiltered) error: %v", err)
			}
			wantOdd := []runlog.Entry{{ID: 20, InstanceID: 7, RunID: 6, Unreadable: []runlog.Unreadable{
				{Field: "started_at", Stored: "1741082400", Reason: "stored as int64, not as a time or its text"},
				{Field: "finished_at", Stored: "1.5", Reason: "stored as float64, not as a time or its text"},
			}}}
			if diff := cmp.Diff(wantOdd, res.Entries); diff != "" {
				t.Errorf("List(unfiltered) mismatch (-want +got):\n%s", diff)
			}

			// Entry, with its payload; then one that does not exist, through
			// the statement prepared for the first.
			entryStmt := mock.ExpectPrepare(goldenSQL(t, d, "entry"))
			entryStmt.ExpectQuery().
				WithArgs(int64(7), int64(12)).
				WillReturnRows(sqlmock.NewRows(append(mockColumns, "error_payload")).
					AddRow(12, 7, 5, nil, nil, "extract", "failed", 2, mockTime(d, started), nil, nil, nil, nil, nil, `{"x":1}`))
			got, err := store.Entry(ctx, 7, 12)
			if err != nil {
				t.Fatalf("Entry() error: %v", err)
			}
			want := runlog.Entry{ID: 12, InstanceID: 7, RunID: 5, Stage: runlog.StageExtract, Status: runlog.StatusFailed,
				Attempt: 2, StartedAt: started, ErrorPayload: []byte(`{"x":1}`)}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("Entry() mismatch (-want +got):\n%s", diff)
			}
			entryStmt.ExpectQuery().
				WithArgs(int64(7), int64(13)).
				WillReturnRows(sqlmock.NewRows(append(mockColumns, "error_payload")))
			if _, err := store.Entry(ctx, 7, 13); !errors.Is(err, sqlstore.ErrNotFound) {
				t.Errorf("Entry(missing) error = %v, want ErrNotFound", err)
			}

			// Purge in batches of 2, each the range from where the one
			// before ended down to its last row, until none is left.
			last := mock.ExpectPrepare(goldenSQL(t, d, "purge_range_last"))
			last.ExpectQuery().WithArgs(int64(7), int64(math.MaxInt64), 1).
				WillReturnRows(sqlmock.NewRows([]string{"run_id", "id"}).AddRow(9, 20))
			del := mock.ExpectPrepare(goldenSQL(t, d, "purge_range_delete"))
			del.ExpectExec().WithArgs(int64(7), int64(math.MaxInt64), int64(9), int64(9), int64(20)).
				WillReturnResult(sqlmock.NewResult(0, 2))
			last.ExpectQuery().WithArgs(int64(7), int64(9), 1).
				WillReturnRows(sqlmock.NewRows([]string{"run_id", "id"}).AddRow(8, 15))
			del.ExpectExec().WithArgs(int64(7), int64(9), int64(8), int64(8), int64(15)).
				WillReturnResult(sqlmock.NewResult(0, 2))
			last.ExpectQuery().WithArgs(int64(7), int64(8), 1).
				WillReturnRows(sqlmock.NewRows([]string{"run_id", "id"}))
			rest := mock.ExpectPrepare(goldenSQL(t, d, "purge_range_rest"))
			rest.ExpectExec().WithArgs(int64(7), int64(8)).WillReturnResult(sqlmock.NewResult(0, 1))
			if res, err := store.Purge(ctx, 7); err != nil || res.Deleted != 5 {
				t.Errorf("Purge() = %+v, %v; want 5 deleted", res, err)
			}

			// Close releases the prepared statements.
			for _, e := range []*sqlmock.ExpectedPrepare{entryStmt, last, del, rest} {
				e.WillBeClosed()
			}
			if err := store.Close(); err != nil {
				t.Errorf("Close() error: %v", err)
			}
			if err := mock.ExpectationsWereMet(); err != nil {
				t.Error(err)
			}
		})
	}
}
