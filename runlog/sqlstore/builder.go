package sqlstore

import (
	"fmt"
	"sync"
	"time"

	sq "github.com/Masterminds/squirrel"
)

// Builder builds the SQL of the Store's queries for one dialect and one pair
// of tables, for hosts that run queries through their own database access.
// Every value is a placeholder argument; the only text put into SQL is the
// validated, quoted table names. A Builder is safe for concurrent use.
type Builder struct {
	dialect Dialect
	names   tableNames

	// scanLimit bounds the index entries a filtered list page reads from
	// each range read: Config.ScanLimit, or DefaultScanLimit.
	scanLimit int

	// lists caches the list SQL by listShape: the text depends only on which
	// filters are present, so a call after the first of its shape only
	// assembles arguments.
	lists sync.Map

	entrySQL   string
	purgeSQL   string
	purgeRange purgeRange // Store.Purge's batches
	rec        recordSQL
}

// NewBuilder returns a Builder for dialect d and tables t (zero fields mean
// the default names). An unknown dialect gives an error wrapping
// ErrUnknownDialect, an invalid table name one wrapping ErrInvalidTableName.
func NewBuilder(d Dialect, t Tables) (*Builder, error) {
	if !d.Valid() {
		return nil, fmt.Errorf("%w: %q", ErrUnknownDialect, string(d))
	}
	names, err := t.resolve(d)
	if err != nil {
		return nil, err
	}
	b := &Builder{dialect: d, names: names, scanLimit: DefaultScanLimit}
	if b.entrySQL, err = b.buildEntry(); err != nil {
		return nil, err
	}
	if b.purgeSQL, err = b.buildPurge(); err != nil {
		return nil, err
	}
	if b.purgeRange, err = b.buildPurgeRange(); err != nil {
		return nil, err
	}
	if b.rec, err = b.buildRecord(); err != nil {
		return nil, err
	}
	return b, nil
}

// sql starts a squirrel statement with b's placeholders.
func (b *Builder) sql() sq.StatementBuilderType {
	return sq.StatementBuilder.PlaceholderFormat(b.dialect.placeholders())
}

// Dialect returns b's dialect.
func (b *Builder) Dialect() Dialect { return b.dialect }

// timeArg returns t as the argument that compares with stored times. On
// SQLite, stored times are text in any of the forms parseTime reads, and
// the queries compare a key computed from it (sqliteTimeKey; the schema
// keeps it as started_key for started_at): t goes as the same key, to the
// nanosecond. PostgreSQL and MySQL store
// microseconds: t is rounded up to the next microsecond, which keeps >= and
// < exact against stored values.
func (b *Builder) timeArg(t time.Time) any {
	t = t.UTC()
	if b.dialect == SQLite {
		return timeKey(t)
	}
	if r := t.Truncate(time.Microsecond); !r.Equal(t) {
		t = r.Add(time.Microsecond)
	}
	if b.dialect == MySQL {
		// DATETIME holds years 1 to 9999, and go-sql-driver/mysql refuses
		// to send others: a bound past either end compares as that end.
		switch {
		case t.Before(mysqlMinTime):
			t = mysqlMinTime
		case t.After(mysqlMaxTime):
			t = mysqlMaxTime
		}
	}
	return t
}

// The range of MySQL's DATETIME(6).
var (
	mysqlMinTime = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	mysqlMaxTime = time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC)
)

// startedOrCreated is the expression Stale compares with a timeArg: when
// the row started, or, not started, when it was written.
func (b *Builder) startedOrCreated() string {
	if b.dialect == SQLite {
		return "COALESCE(s.started_key, " + sqliteTimeKey("s.created_at") + ")"
	}
	return "COALESCE(s.started_at, s.created_at)"
}

// comparableTime returns column, a time column, in the form that compares
// with timeArg: on SQLite the key computed from its stored text.
func (b *Builder) comparableTime(column string) string {
	if b.dialect == SQLite {
		return sqliteTimeKey(column)
	}
	return column
}

// sqliteTimeFormat is the form of times stored in SQLite, in UTC.
const sqliteTimeFormat = "2006-01-02 15:04:05.999999999-07:00"

// writeTime returns t as the recorder writes it: in UTC, to the
// microsecond that PostgreSQL and MySQL store, and on SQLite as the text
// the schema describes.
func (b *Builder) writeTime(t time.Time) any {
	t = t.UTC().Truncate(time.Microsecond)
	if b.dialect == SQLite {
		return t.Format(sqliteTimeFormat)
	}
	return t
}
