package sqlstore_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

func TestDialectFor(t *testing.T) {
	tests := []struct {
		driver string
		want   sqlstore.Dialect
	}{
		{"pgx", sqlstore.PostgreSQL},
		{"pgx/v5", sqlstore.PostgreSQL},
		{"postgres", sqlstore.PostgreSQL},
		{"mysql", sqlstore.MySQL},
		{"sqlite", sqlstore.SQLite},
		{"sqlite3", sqlstore.SQLite},
	}
	for _, tt := range tests {
		if got, err := sqlstore.DialectFor(tt.driver); err != nil || got != tt.want {
			t.Errorf("DialectFor(%q) = %q, %v; want %q", tt.driver, got, err, tt.want)
		}
	}
	for _, driver := range []string{"", "oracle", "MySQL", "sqlserver", "cockroach"} {
		if _, err := sqlstore.DialectFor(driver); !errors.Is(err, sqlstore.ErrUnknownDialect) {
			t.Errorf("DialectFor(%q) error = %v, want ErrUnknownDialect", driver, err)
		}
	}
}

func TestNew_Config(t *testing.T) {
	db := sqlx.NewDb(nil, "oracle")
	if _, err := sqlstore.New(db, sqlstore.Config{}); !errors.Is(err, sqlstore.ErrUnknownDialect) {
		t.Errorf("New() on driver oracle error = %v, want ErrUnknownDialect", err)
	}
	if _, err := sqlstore.New(db, sqlstore.Config{Dialect: "oracle"}); !errors.Is(err, sqlstore.ErrUnknownDialect) {
		t.Errorf("New(Dialect: oracle) error = %v, want ErrUnknownDialect", err)
	}
	store, err := sqlstore.New(db, sqlstore.Config{Dialect: sqlstore.PostgreSQL})
	if err != nil || store.Builder().Dialect() != sqlstore.PostgreSQL {
		t.Errorf("New(Dialect: postgres) on driver oracle = %v; want a PostgreSQL store", err)
	}
	if _, err := sqlstore.New(sqlx.NewDb(nil, "pgx"), sqlstore.Config{PurgeBatchSize: -1}); !errors.Is(err, sqlstore.ErrInvalidBatchSize) {
		t.Errorf("New(PurgeBatchSize: -1) error = %v, want ErrInvalidBatchSize", err)
	}
	if _, err := sqlstore.New(nil, sqlstore.Config{}); err == nil {
		t.Errorf("New(nil) error = nil, want an error")
	}
	if got := sqlstore.Schema("oracle"); got != "" {
		t.Errorf("Schema(oracle) = %q, want empty", got)
	}
}

func TestNewBuilder_Tables(t *testing.T) {
	valid := []sqlstore.Tables{
		{},
		{Runs: "runs"},
		{Stages: "Stage_Rows_2"},
		{Runs: "_r", Stages: "_s"},
		{Runs: "logs.runs", Stages: "logs.stages"},
		{Runs: "a.runs", Stages: "b.runs"},
		{Runs: strings.Repeat("r", 50), Stages: strings.Repeat("s", 50)},
	}
	for _, tables := range valid {
		for _, d := range sqlstore.Dialects() {
			if _, err := sqlstore.NewBuilder(d, tables); err != nil {
				t.Errorf("NewBuilder(%s, %+v) error: %v", d, tables, err)
			}
		}
	}
	invalid := []sqlstore.Tables{
		{Runs: "1runs"},
		{Runs: "runs-log"},
		{Runs: "runs log"},
		{Runs: `runs"; DROP TABLE x; --`},
		{Runs: "runs`"},
		{Runs: "a.b.c"},
		{Runs: ".runs"},
		{Runs: "runs."},
		{Runs: "rüns"},
		{Runs: "runs\x00"},
		{Runs: strings.Repeat("r", 51)},
		{Runs: strings.Repeat("q", 64) + ".runs"},
		{Runs: "same", Stages: "same"},
		{Stages: sqlstore.DefaultRunsTable},
	}
	for _, tables := range invalid {
		if _, err := sqlstore.NewBuilder(sqlstore.SQLite, tables); !errors.Is(err, sqlstore.ErrInvalidTableName) {
			t.Errorf("NewBuilder(%+v) error = %v, want ErrInvalidTableName", tables, err)
		}
	}
	if _, err := sqlstore.NewBuilder("oracle", sqlstore.Tables{}); !errors.Is(err, sqlstore.ErrUnknownDialect) {
		t.Errorf("NewBuilder(oracle) error = %v, want ErrUnknownDialect", err)
	}
}

func TestBuilder_QuotedTables(t *testing.T) {
	tables := sqlstore.Tables{Runs: "logs.Runs", Stages: "logs.Stages"}
	tests := []struct {
		d          sqlstore.Dialect
		list, ddl  string
		wantInList []string
		wantInDDL  []string
	}{
		{d: sqlstore.SQLite,
			wantInList: []string{`FROM "logs"."Stages" AS s`, `FROM "logs"."Runs" AS r`},
			wantInDDL:  []string{`CREATE TABLE IF NOT EXISTS "logs"."Runs"`, `CREATE INDEX IF NOT EXISTS "logs"."Stages_page_idx" ON "Stages"`}},
		{d: sqlstore.PostgreSQL,
			wantInList: []string{`FROM "logs"."Stages" AS s`, `FROM "logs"."Runs" AS r`},
			wantInDDL:  []string{`CREATE TABLE IF NOT EXISTS "logs"."Stages"`, `CREATE INDEX IF NOT EXISTS "Stages_page_idx" ON "logs"."Stages"`}},
		{d: sqlstore.MySQL,
			wantInList: []string{"FROM `logs`.`Stages` AS s", "FROM `logs`.`Runs` AS r"},
			wantInDDL:  []string{"CREATE TABLE IF NOT EXISTS `logs`.`Stages`", "INDEX `Stages_page_idx` (instance_id, run_id DESC, id ASC)"}},
	}
	for _, tt := range tests {
		b, err := sqlstore.NewBuilder(tt.d, tables)
		if err != nil {
			t.Fatal(err)
		}
		list, _, err := b.List(1, sqlstore.ListParams{})
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range tt.wantInList {
			if !strings.Contains(list, want) {
				t.Errorf("%s: List SQL lacks %s:\n%s", tt.d, want, list)
			}
		}
		for _, want := range tt.wantInDDL {
			if !strings.Contains(b.Schema(), want) {
				t.Errorf("%s: Schema lacks %s:\n%s", tt.d, want, b.Schema())
			}
		}
	}
}
