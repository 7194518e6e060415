package sqlstore_test

import (
	"database/sql"
	"errors"
	"testing"

	"github.com/DATA-DOG/go-sqlmock"
	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	"github.com/jmoiron/sqlx"
	_ "modernc.org/sqlite"

	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

func TestNewBuilder_Aliases(t *testing.T) {
	all := sqlstore.Dialects()
	tests := []struct {
		name     string
		tables   sqlstore.Tables
		refusing []sqlstore.Dialect // the dialects that refuse them; the others accept them
	}{
		{"QualifiedAndBare", sqlstore.Tables{Runs: "test." + sqlstore.DefaultStagesTable}, all},
		{"BareAndQualified", sqlstore.Tables{Runs: "x", Stages: "public.x"}, all},
		{"SameQualified", sqlstore.Tables{Runs: "logs.x", Stages: "logs.x"}, all},
		{"OtherQualifiers", sqlstore.Tables{Runs: "a.x", Stages: "b.x"}, nil},
		{"CaseOnly", sqlstore.Tables{Runs: "Integration_Run_Stages"}, []sqlstore.Dialect{sqlstore.SQLite, sqlstore.MySQL}},
		{"QualifierCase", sqlstore.Tables{Runs: "Logs.x", Stages: "logs.x"}, []sqlstore.Dialect{sqlstore.SQLite, sqlstore.MySQL}},
		{"MigrationsTable", sqlstore.Tables{Runs: "logs.integration_run_stages_migrations", Stages: "integration_run_stages"}, all},
		{"MigrationsTableCase", sqlstore.Tables{Runs: "S_MIGRATIONS", Stages: "s"}, []sqlstore.Dialect{sqlstore.SQLite, sqlstore.MySQL}},
		{"IndexName", sqlstore.Tables{Runs: "integration_run_stages_page_idx"}, []sqlstore.Dialect{sqlstore.SQLite, sqlstore.PostgreSQL}},
		{"Distinct", sqlstore.Tables{Runs: "runs", Stages: "stages"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, d := range all {
				refuse := false
				for _, r := range tt.refusing {
					refuse = refuse || r == d
				}
				_, err := sqlstore.NewBuilder(d, tt.tables)
				switch {
				case refuse && !errors.Is(err, sqlstore.ErrInvalidTableName):
					t.Errorf("NewBuilder(%s, %+v) error = %v, want ErrInvalidTableName", d, tt.tables, err)
				case !refuse && err != nil:
					t.Errorf("NewBuilder(%s, %+v) error = %v, want none", d, tt.tables, err)
				}
			}
		})
	}
}

// TestNew_SQLDB checks New on a plain *sql.DB: the dialect from the
// driver's type, or the Config for a driver it does not know.
func TestNew_SQLDB(t *testing.T) {
	for _, tt := range []struct {
		driverName string
		want       sqlstore.Dialect
	}{
		{"pgx", sqlstore.PostgreSQL},
		{"mysql", sqlstore.MySQL},
		{"sqlite", sqlstore.SQLite},
	} {
		db, err := sql.Open(tt.driverName, "")
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if got, err := sqlstore.DialectOf(db.Driver()); err != nil || got != tt.want {
			t.Errorf("DialectOf(%T) = %q, %v; want %q", db.Driver(), got, err, tt.want)
		}
		store, err := sqlstore.New(db, sqlstore.Config{})
		if err != nil || store.Builder().Dialect() != tt.want {
			t.Errorf("New(*sql.DB of %T) = %v; want a %s store", db.Driver(), err, tt.want)
		}
	}
	mockDB, _, err := sqlmock.New()
	if err != nil {
		t.Fatal(err)
	}
	defer mockDB.Close()
	if _, err := sqlstore.New(mockDB, sqlstore.Config{}); !errors.Is(err, sqlstore.ErrUnknownDialect) {
		t.Errorf("New(*sql.DB of sqlmock) error = %v, want ErrUnknownDialect", err)
	}
	if _, err := sqlstore.DialectOf(nil); !errors.Is(err, sqlstore.ErrUnknownDialect) {
		t.Errorf("DialectOf(nil) error = %v, want ErrUnknownDialect", err)
	}
	if store, err := sqlstore.New(mockDB, sqlstore.Config{Dialect: sqlstore.MySQL}); err != nil || store.Builder().Dialect() != sqlstore.MySQL {
		t.Errorf("New(*sql.DB of sqlmock, Dialect: mysql) = %v; want a MySQL store", err)
	}
	// A *sqlx.DB whose driver name is unknown falls back to its driver.
	x := sqlx.NewDb(mockDB, "instrumented")
	if _, err := sqlstore.New(x, sqlstore.Config{}); !errors.Is(err, sqlstore.ErrUnknownDialect) {
		t.Errorf("New(*sqlx.DB named instrumented over sqlmock) error = %v, want ErrUnknownDialect", err)
	}
	pg, err := sql.Open("pgx", "")
	if err != nil {
		t.Fatal(err)
	}
	defer pg.Close()
	if store, err := sqlstore.New(sqlx.NewDb(pg, "instrumented"), sqlstore.Config{}); err != nil || store.Builder().Dialect() != sqlstore.PostgreSQL {
		t.Errorf("New(*sqlx.DB named instrumented over pgx) = %v; want a PostgreSQL store", err)
	}
	for _, db := range []sqlstore.DB{nil, (*sql.DB)(nil), (*sqlx.DB)(nil)} {
		if _, err := sqlstore.New(db, sqlstore.Config{}); err == nil {
			t.Errorf("New(%T nil) error = nil, want an error", db)
		}
	}
}
