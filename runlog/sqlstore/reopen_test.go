package sqlstore_test

import (
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/jmoiron/sqlx"

	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// MustReopenDB returns a second connection pool to the database of db, a
// dialect d database from MustOpenDB, as another process or a host's other
// component would open it; it is closed when tb ends. On SQLite its DSN is
// MustOpenDB's with synchronous(NORMAL), the setting WAL makes safe (a
// commit does not wait for the disk; the last ones may be lost on a power
// failure, never the database). On PostgreSQL, edit, if not nil, changes
// pgx's configuration first.
func MustReopenDB(tb testing.TB, db *sqlx.DB, d sqlstore.Dialect, edit func(*pgx.ConnConfig)) *sqlx.DB {
	tb.Helper()
	var other *sqlx.DB
	switch d {
	case sqlstore.SQLite:
		var rows []struct {
			Seq  int    `db:"seq"`
			Name string `db:"name"`
			File string `db:"file"`
		}
		if err := db.Select(&rows, "PRAGMA database_list"); err != nil || len(rows) == 0 {
			tb.Fatalf("reopen SQLite: %v", err)
		}
		dsn := "file:" + rows[0].File + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_time_format=sqlite"
		var err error
		if other, err = sqlx.Open("sqlite", dsn); err != nil {
			tb.Fatalf("reopen SQLite: %v", err)
		}
	case sqlstore.PostgreSQL:
		var name string
		if err := db.Get(&name, "SELECT current_database()"); err != nil {
			tb.Fatalf("reopen PostgreSQL: %v", err)
		}
		cfg, err := pgx.ParseConfig(os.Getenv(PostgresDSNEnv))
		if err != nil {
			tb.Fatalf("%s: %v", PostgresDSNEnv, err)
		}
		cfg.Database = name
		if edit != nil {
			edit(cfg)
		}
		other = sqlx.NewDb(stdlib.OpenDB(*cfg), "pgx")
	case sqlstore.MySQL:
		var name string
		if err := db.Get(&name, "SELECT DATABASE()"); err != nil {
			tb.Fatalf("reopen MySQL: %v", err)
		}
		return openMySQLDatabase(tb, name, nil)
	default:
		tb.Fatalf("MustReopenDB: unknown dialect %q", d)
	}
	tb.Cleanup(func() { other.Close() })
	return other
}
