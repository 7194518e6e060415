package sqlstore

import (
	"context"
	"fmt"
	"strings"
)

// Default table names.
const (
	DefaultRunsTable   = "integration_runs"
	DefaultStagesTable = "integration_run_stages"
)

// maxTableName bounds a table name so that the names derived from it (its
// indexes, name + "_unfinished_idx", its triggers, name + "_list_insert",
// and its migrations table, name + "_migrations") stay within PostgreSQL's
// 63 and MySQL's 64 characters.
const maxTableName = 50

// Tables names the two tables. An empty field means its default
// (DefaultRunsTable, DefaultStagesTable), so the zero value is the defaults.
// Migrate records the schema versions it applied in a third table, named
// after the stages table with "_migrations" appended
// (integration_run_stages_migrations by default).
//
// A name is an identifier, never a value: letters, digits and underscores,
// not starting with a digit, at most 50 characters, optionally qualified by
// a schema (PostgreSQL), database (MySQL) or attached database (SQLite)
// written the same way, as in "logs.integration_runs". Names are quoted in
// SQL, so they are case-sensitive on PostgreSQL. Any other name is refused
// with an error wrapping ErrInvalidTableName.
//
// Names that may name the same table are refused too: New and NewBuilder
// refuse a runs name equal to the stages name, its migrations table or
// (PostgreSQL, SQLite) one of its indexes, where a name without a qualifier
// matches the same name with any qualifier ("public.x" and "x" may be one
// table), and on MySQL and SQLite regardless of case ("Runs" and "runs").
// Migrate then checks in the database that each table has its own columns,
// which catches what names alone cannot tell.
type Tables struct {
	Runs   string // the runs table
	Stages string // the stage rows table
}

// DefaultTables returns the default table names.
func DefaultTables() Tables {
	return Tables{Runs: DefaultRunsTable, Stages: DefaultStagesTable}
}

// withDefaults returns t with its empty fields set to the defaults.
func (t Tables) withDefaults() Tables {
	if t.Runs == "" {
		t.Runs = DefaultRunsTable
	}
	if t.Stages == "" {
		t.Stages = DefaultStagesTable
	}
	return t
}

// tableNames holds the quoted forms of the configured tables that the SQL
// needs.
type tableNames struct {
	runs        string // quoted, qualified when configured so
	stages      string // quoted, qualified when configured so
	stagesBare  string // the stages table quoted without its qualifier
	qualifier   string // the quoted qualifier followed by ".", or ""
	stagesIndex string // the paging index, quoted, unqualified
	attemptIdx  string // the unique key on run, stage and attempt, quoted, unqualified
	unfinished  string // the index of unfinished rows, quoted, unqualified
	listInsert  string // the triggers that keep what a list page reads, quoted, unqualified
	listUpdate  string
	migrations  string // the migrations table, quoted, qualified as stages is
	lockName    string // names Migrate's lock: the stages table, unquoted, qualified as configured
}

// resolve validates t (after defaults) and quotes it for d.
func (t Tables) resolve(d Dialect) (tableNames, error) {
	t = t.withDefaults()
	runQual, runName, err := splitTable(t.Runs)
	if err != nil {
		return tableNames{}, err
	}
	stageQual, stageName, err := splitTable(t.Stages)
	if err != nil {
		return tableNames{}, err
	}
	if err := checkAliases(d, t, runQual, runName, stageQual, stageName); err != nil {
		return tableNames{}, err
	}
	n := tableNames{
		runs:        qualified(d, runQual, runName),
		stages:      qualified(d, stageQual, stageName),
		stagesBare:  d.quote(stageName),
		stagesIndex: d.quote(stageName + "_page_idx"),
		attemptIdx:  d.quote(stageName + "_attempt_idx"),
		unfinished:  d.quote(stageName + "_unfinished_idx"),
		listInsert:  d.quote(stageName + "_list_insert"),
		listUpdate:  d.quote(stageName + "_list_update"),
		migrations:  qualified(d, stageQual, stageName+"_migrations"),
		lockName:    t.Stages,
	}
	if stageQual != "" {
		n.qualifier = d.quote(stageQual) + "."
	}
	return n, nil
}

// checkAliases refuses runs and stages names that may name the same
// object as each other or as what the stages table brings along (its
// migrations table, and on PostgreSQL and SQLite, where indexes share the
// tables' namespace, its indexes). Two names may alias when, compared as
// d compares them, their tables are equal and so are their qualifiers, or
// one of them has none: an unqualified name is in the current schema
// (search_path, the connection's database, SQLite's main), which may well
// be the one the other names. MySQL and SQLite compare as case-insensitive:
// SQLite always does, and MySQL does for table and database names where
// lower_case_table_names is 1 or 2 (Windows and macOS by default), so a
// schema that relies on case would not move between servers.
//
// This is all that can be checked without the database; Migrate checks
// that each table has the other's columns too (see checkTables).
func checkAliases(d Dialect, t Tables, runQual, runName, stageQual, stageName string) error {
	fold := func(s string) string { return s }
	if d != PostgreSQL {
		fold = strings.ToLower
	}
	type object struct{ what, qual, name string }
	owned := []object{
		{"the stages table", stageQual, stageName},
		{"the migrations table of stages", stageQual, stageName + "_migrations"},
	}
	if d != MySQL {
		for _, idx := range []string{"_page_idx", "_attempt_idx", "_unfinished_idx"} {
			owned = append(owned, object{"an index of stages", stageQual, stageName + idx})
		}
	}
	for _, o := range owned {
		sameQual := fold(o.qual) == fold(runQual) || o.qual == "" || runQual == ""
		if sameQual && fold(o.name) == fold(runName) {
			return fmt.Errorf("%w: runs %q may name %s (%q) on %s", ErrInvalidTableName, t.Runs, o.what, t.Stages, d)
		}
	}
	return nil
}

func qualified(d Dialect, qual, name string) string {
	if qual == "" {
		return d.quote(name)
	}
	return d.quote(qual) + "." + d.quote(name)
}

// splitTable splits "qualifier.name" or "name" and validates both parts.
func splitTable(s string) (qual, name string, err error) {
	qual, name, found := strings.Cut(s, ".")
	if !found {
		qual, name = "", s
	}
	if found && !validIdent(qual, 63) || !validIdent(name, maxTableName) {
		return "", "", fmt.Errorf("%w: %q (want letters, digits and _, optionally qualified as schema.table)", ErrInvalidTableName, s)
	}
	return qual, name, nil
}

// validIdent reports whether s matches ^[A-Za-z_][A-Za-z0-9_]*$ and has at
// most max bytes.
func validIdent(s string, max int) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_', 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z':
		case '0' <= c && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// runsColumns and stagesColumns are the columns of the runs and stages
// tables since version 1. The runs table has debug and summary_json, the
// stages table run_id, stage and attempt, which the other lacks.
var (
	runsColumns   = []string{"id", "instance_id", "mode", "status", "debug", "summary_json", "created_at", "started_at", "finished_at"}
	stagesColumns = []string{"id", "instance_id", "run_id", "stage", "status", "attempt", "started_at", "finished_at",
		"error_summary", "metrics_json", "error_payload"}
)

// checkTables checks, after Migrate (or after a version failed), that the
// runs and stages tables are what their names say: each has its columns. A runs name that resolves to the stages table, or to a
// host's table of that name, fails here rather than in every later call,
// whatever made the names alias (a qualifier that is the current schema, a
// case-insensitive server, a synonym).
func (s *Store) checkTables(ctx context.Context, q queryExecer) error {
	n := s.builder.names
	for _, t := range []struct {
		what, table string
		columns     []string
	}{
		{"runs", n.runs, runsColumns},
		{"stages", n.stages, stagesColumns},
	} {
		probe := "SELECT " + strings.Join(t.columns, ", ") + " FROM " + t.table + " WHERE 1 = 0"
		rows, err := q.QueryContext(ctx, probe)
		if err == nil {
			err = rows.Close()
		}
		if err != nil {
			if ctx.Err() != nil {
				return err
			}
			return fmt.Errorf("%w: the %s table %s lacks its columns (does the name alias another table?): %w",
				ErrInvalidTableName, t.what, t.table, err)
		}
	}
	return nil
}
