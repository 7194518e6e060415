package sqlstore

import (
	"fmt"

	sq "github.com/Masterminds/squirrel"
)

// Dialect is the SQL flavour of a database.
type Dialect string

// The supported dialects.
const (
	// SQLite is SQLite 3.35 or later (modernc.org/sqlite, mattn/go-sqlite3).
	SQLite Dialect = "sqlite"
	// PostgreSQL is PostgreSQL 12 or later.
	PostgreSQL Dialect = "postgres"
	// MySQL is MySQL 8.0.13 or later, or MariaDB 10.8 or later: the
	// descending index that paging reads needs those versions.
	MySQL Dialect = "mysql"
)

// Dialects returns every supported dialect.
func Dialects() []Dialect { return []Dialect{SQLite, PostgreSQL, MySQL} }

// Valid reports whether d is a supported dialect.
func (d Dialect) Valid() bool {
	switch d {
	case SQLite, PostgreSQL, MySQL:
		return true
	}
	return false
}

// DialectFor returns the dialect of a database/sql driver name: "pgx",
// "pgx/v5" and "postgres" are PostgreSQL, "mysql" is MySQL (and MariaDB),
// "sqlite" and "sqlite3" are SQLite. Any other name gives an error wrapping
// ErrUnknownDialect.
func DialectFor(driverName string) (Dialect, error) {
	switch driverName {
	case "pgx", "pgx/v5", "postgres":
		return PostgreSQL, nil
	case "mysql":
		return MySQL, nil
	case "sqlite", "sqlite3":
		return SQLite, nil
	}
	return "", fmt.Errorf("%w: driver %q (set Config.Dialect)", ErrUnknownDialect, driverName)
}

// placeholders returns the placeholder format of d's drivers.
func (d Dialect) placeholders() sq.PlaceholderFormat {
	if d == PostgreSQL {
		return sq.Dollar
	}
	return sq.Question
}

// quote returns the identifier part quoted for d. It is only called on parts
// that validIdent accepted, which contain no quote characters.
func (d Dialect) quote(part string) string {
	if d == MySQL {
		return "`" + part + "`"
	}
	return `"` + part + `"`
}
