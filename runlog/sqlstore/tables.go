package sqlstore

import (
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
	if runQual == stageQual && runName == stageName {
		return tableNames{}, fmt.Errorf("%w: runs and stages are both %q", ErrInvalidTableName, t.Runs)
	}
	if runQual == stageQual && runName == stageName+"_migrations" {
		return tableNames{}, fmt.Errorf("%w: runs %q is the migrations table of stages %q", ErrInvalidTableName, t.Runs, t.Stages)
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
