package sqlstore

import (
	"database/sql/driver"
	"fmt"
	"reflect"

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

// driverPackages maps the packages of known database/sql drivers to their
// dialect. A *sql.DB has no driver name; its driver's type tells, without
// this package importing any driver.
var driverPackages = map[string]Dialect{
	"github.com/jackc/pgx/v5/stdlib":       PostgreSQL, // *stdlib.Driver
	"github.com/jackc/pgx/v4/stdlib":       PostgreSQL,
	"github.com/lib/pq":                    PostgreSQL, // *pq.Driver
	"github.com/go-sql-driver/mysql":       MySQL,      // *mysql.MySQLDriver
	"modernc.org/sqlite":                   SQLite,     // *sqlite.Driver
	"github.com/mattn/go-sqlite3":          SQLite,     // *sqlite3.SQLiteDriver
	"github.com/ncruces/go-sqlite3/driver": SQLite,
	"github.com/glebarez/go-sqlite":        SQLite,
}

// DialectOf returns the dialect of a database/sql driver, the value of
// (*sql.DB).Driver(), by the package that defines its type: pgx's stdlib
// (v4 and v5) and lib/pq are PostgreSQL, go-sql-driver/mysql is MySQL,
// modernc.org/sqlite, mattn/go-sqlite3, ncruces/go-sqlite3 and
// glebarez/go-sqlite are SQLite. Any other driver gives an error wrapping
// ErrUnknownDialect: set Config.Dialect.
func DialectOf(drv driver.Driver) (Dialect, error) {
	if drv == nil {
		return "", fmt.Errorf("%w: no driver (set Config.Dialect)", ErrUnknownDialect)
	}
	t := reflect.TypeOf(drv)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if d, ok := driverPackages[t.PkgPath()]; ok {
		return d, nil
	}
	return "", fmt.Errorf("%w: driver %T (set Config.Dialect)", ErrUnknownDialect, drv)
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
