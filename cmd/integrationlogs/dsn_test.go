package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

func TestParseDSN(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "logs.db")
	odd := filepath.Join(dir, "odd?name#1%.db")
	for _, p := range []string{file, odd} {
		if err := os.WriteFile(p, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		dsn  string
		want database // about is checked to hold no password
		err  string
	}{
		{"SQLitePath", file, database{driver: "sqlite", dialect: sqlstore.SQLite, dsn: "file:" + file + "?" + sqlitePragmas}, ""},
		{"SQLitePathEscaped", odd, database{driver: "sqlite", dialect: sqlstore.SQLite,
			dsn: "file:" + filepath.Join(dir, "odd%3Fname%231%25.db") + "?" + sqlitePragmas}, ""},
		{"SQLiteScheme", "sqlite:" + file, database{driver: "sqlite", dialect: sqlstore.SQLite, dsn: "file:" + file + "?" + sqlitePragmas}, ""},
		{"SQLiteURLScheme", "sqlite://" + file, database{driver: "sqlite", dialect: sqlstore.SQLite, dsn: "file:" + file + "?" + sqlitePragmas}, ""},
		{"FileURI", "file:" + file, database{driver: "sqlite", dialect: sqlstore.SQLite, dsn: "file:" + file + "?" + sqlitePragmas}, ""},
		{"FileURIWithQuery", "file:" + file + "?mode=ro", database{driver: "sqlite", dialect: sqlstore.SQLite, dsn: "file:" + file + "?mode=ro&" + sqlitePragmas}, ""},
		{"FileURIOwnPragmas", "file:" + file + "?_pragma=busy_timeout(100)", database{driver: "sqlite", dialect: sqlstore.SQLite, dsn: "file:" + file + "?_pragma=busy_timeout(100)"}, ""},
		{"Postgres", "postgres://app:s3cret@db.internal:5432/app?sslmode=disable",
			database{driver: "pgx", dialect: sqlstore.PostgreSQL, dsn: "postgres://app:s3cret@db.internal:5432/app?sslmode=disable"}, ""},
		{"PostgreSQL", "postgresql://app@localhost/app", database{driver: "pgx", dialect: sqlstore.PostgreSQL, dsn: "postgresql://app@localhost/app"}, ""},
		{"PostgresPasswordParameter", "postgres://app@db.internal/app?password=s3cret&sslpassword=s3cret",
			database{driver: "pgx", dialect: sqlstore.PostgreSQL, dsn: "postgres://app@db.internal/app?password=s3cret&sslpassword=s3cret"}, ""},
		{"PostgresUpperCase", "POSTGRES://app:s3cret@db.internal/app", database{driver: "pgx", dialect: sqlstore.PostgreSQL, dsn: "postgres://app:s3cret@db.internal/app"}, ""},
		{"PostgresKeywords", "host=db.internal user=app password=s3cret dbname=app",
			database{driver: "pgx", dialect: sqlstore.PostgreSQL, dsn: "host=db.internal user=app password=s3cret dbname=app"}, ""},
		{"MySQL", "root:s3cret@tcp(127.0.0.1:3306)/test", database{driver: "mysql", dialect: sqlstore.MySQL, dsn: "root:s3cret@tcp(127.0.0.1:3306)/test"}, ""},
		{"MySQLScheme", "mysql://root@tcp(127.0.0.1:3306)/test?parseTime=true",
			database{driver: "mysql", dialect: sqlstore.MySQL, dsn: "root@tcp(127.0.0.1:3306)/test?parseTime=true"}, ""},
		{"MySQLLocalhost", "app@/logs", database{driver: "mysql", dialect: sqlstore.MySQL, dsn: "app@tcp(127.0.0.1:3306)/logs"}, ""},
		{"MySQLSocket", "app@unix(/run/mysqld/mysqld.sock)/logs", database{driver: "mysql", dialect: sqlstore.MySQL, dsn: "app@unix(/run/mysqld/mysqld.sock)/logs"}, ""},

		{"Empty", "", database{}, "empty DSN"},
		{"Blank", "  ", database{}, "empty DSN"},
		{"MissingFile", filepath.Join(dir, "missing.db"), database{}, "does not exist"},
		{"MissingFileURI", "file:" + filepath.Join(dir, "missing.db") + "?mode=ro", database{}, "does not exist"},
		{"Directory", dir, database{}, "is a directory"},
		{"UnknownScheme", "mongodb://localhost/logs", database{}, `unknown DSN scheme "mongodb"`},
		{"BadPostgres", "postgres://app@localhost:notaport/app", database{}, "PostgreSQL DSN"},
		{"BadPostgresKeywords", "host=db password=s3cret port=notaport dbname=app", database{}, "PostgreSQL DSN"},
		{"MySQLNoDatabase", "root@tcp(127.0.0.1:3306)/", database{}, "names no database"},
		{"BadMySQL", "root@tcp(127.0.0.1:3306", database{}, "MySQL DSN"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseDSN(tt.dsn)
			if err != nil && strings.Contains(err.Error(), "s3cret") {
				t.Errorf("parseDSN(%q) error = %v: it shows the password", tt.dsn, err)
			}
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("parseDSN(%q) error = %v, want one containing %q", tt.dsn, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("parseDSN(%q) error = %v", tt.dsn, err)
			}
			if got.about == "" || strings.Contains(got.about, "s3cret") {
				t.Errorf("about = %q: want a description without the password", got.about)
			}
			got.about = ""
			if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(database{})); diff != "" {
				t.Errorf("parseDSN(%q) mismatch (-want +got):\n%s", tt.dsn, diff)
			}
		})
	}
}
