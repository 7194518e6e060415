package sqlstore

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"reflect"
	"runtime"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/opsync/integrationlogs/runlog/redact"
)

// Config configures a Store. Its zero value is usable: the dialect from the
// driver, the default tables, the default purge batch size, prepared
// statements.
type Config struct {
	// Dialect is the database's SQL flavour. Empty means the dialect of
	// the driver: DialectFor the driver name of a *sqlx.DB, else
	// DialectOf the driver of the database (a *sql.DB has no driver name).
	Dialect Dialect
	// Tables names the tables; zero fields mean the defaults.
	Tables Tables
	// PurgeBatchSize is the number of rows one purge statement deletes: 0
	// means DefaultPurgeBatchSize at first, more while batches are quick
	// (see Store.Purge); below 0 is refused.
	PurgeBatchSize int
	// PurgePause is how long Purge waits between two batches, so that
	// other writers get in: 0 means a share of the time the batch before
	// took (see Store.Purge), below 0 no pause.
	PurgePause time.Duration
	// NoPrepare runs every statement unprepared: the Store keeps no
	// prepared statement, on the server or in the driver. Set it behind a
	// pooler that hands each transaction another server connection, such
	// as PgBouncer in transaction mode, where a statement prepared on one
	// connection is unknown on the next. (pgx caches statements of its own
	// too: there, also set default_query_exec_mode=exec or simple_protocol
	// in the DSN.)
	NoPrepare bool
	// Now returns the current time, which the recorder writes (and Stale
	// compares with); nil means time.Now. Tests and demos set a fixed clock.
	Now func() time.Time

	// SummaryLimit, PayloadLimit and MetricsLimit bound in bytes what the
	// recorder writes as a row's error_summary, error_payload and
	// metrics_json (and a run's summary_json): 0 means DefaultSummaryLimit
	// (4 KiB), DefaultPayloadLimit (256 KiB) and DefaultMetricsLimit (64 KiB);
	// below 256 is refused with ErrInvalidLimitConfig. What is longer is cut
	// as StageRecorder.Fail describes, and stays valid UTF-8 and valid JSON.
	SummaryLimit, PayloadLimit, MetricsLimit int

	// Redactor redacts secrets from everything the recorder writes: error
	// summaries, error payloads, metrics and run summaries; nil means
	// redact.Default(). A Redactor made from empty rules
	// (redact.New(redact.Rules{})) turns redaction off.
	Redactor *redact.Redactor

	// Logger, when set, logs every run and stage transition the recorder
	// writes (see StageRecorder). Nil logs nothing.
	Logger *slog.Logger

	// ScanLimit bounds how many index entries a filtered list page reads
	// from each of its range reads (see ListResult.Partial): 0 means
	// DefaultScanLimit; below 0 is refused with ErrInvalidLimitConfig.
	ScanLimit int
}

// limits are a Store's size limits, defaults applied.
type limits struct {
	summary, payload, metrics int
}

func (c Config) limits() (limits, error) {
	l := limits{summary: DefaultSummaryLimit, payload: DefaultPayloadLimit, metrics: DefaultMetricsLimit}
	for _, f := range []struct {
		name string
		set  int
		dst  *int
	}{
		{"SummaryLimit", c.SummaryLimit, &l.summary},
		{"PayloadLimit", c.PayloadLimit, &l.payload},
		{"MetricsLimit", c.MetricsLimit, &l.metrics},
	} {
		switch {
		case f.set == 0:
		case f.set < minLimit:
			return limits{}, fmt.Errorf("%w: %s %d (at least %d)", ErrInvalidLimitConfig, f.name, f.set, minLimit)
		default:
			*f.dst = f.set
		}
	}
	return l, nil
}

// DB is a database a Store runs on: a *sql.DB, a *sqlx.DB (which embeds
// one), or a host's type that wraps either with these methods.
type DB interface {
	Driver() driver.Driver
	Conn(ctx context.Context) (*sql.Conn, error)
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
	PrepareContext(ctx context.Context, query string) (*sql.Stmt, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Tx is a transaction a Store from WithTx runs in: a *sql.Tx or a *sqlx.Tx
// (which embeds one).
type Tx interface {
	StmtContext(ctx context.Context, stmt *sql.Stmt) *sql.Stmt
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// Store reads and purges stage rows in a SQL database. It is safe for
// concurrent use, except one made by WithTx, which is as safe as its
// transaction.
//
// A Store prepares the statements it runs and keeps the StatementCacheSize
// most recently used ones: preparing costs SQLite about as much as running
// a page, and MySQL a round trip. database/sql prepares a kept statement
// on each connection of the pool that runs it, so a Store holds at most
// StatementCacheSize times the pool's open connections on the server
// (MySQL's max_prepared_stmt_count, 16,382 by default, bounds the whole
// server). Config.NoPrepare turns preparing off. Close releases the
// statements; a Store dropped without Close releases them once the garbage
// collector has found it unreachable.
type Store struct {
	db        DB
	tx        Tx     // set by WithTx
	root      *Store // the Store WithTx was called on: kept reachable while this one is
	err       error  // set by WithTx(nil): every call fails with it
	stmts     *stmtCache
	noPrepare bool
	builder   *Builder
	batchSize int
	// adaptiveBatches: Config.PurgeBatchSize is 0 (see Purge)
	adaptiveBatches bool
	pause           time.Duration
	now             func() time.Time
	limits          limits
	logger          *slog.Logger
	redactor        *redact.Redactor
}

// New returns a Store on db, a *sqlx.DB or a *sql.DB (see DB). It checks
// the configuration but does not touch the database: call Migrate to create
// the tables, or apply Schema with your own migration tool.
//
// The dialect is Config.Dialect, or that of db's driver (see
// Config.Dialect); a driver it cannot tell gives an error wrapping
// ErrUnknownDialect. Table names that are invalid, or that would name the
// same table, give ErrInvalidTableName (see Tables).
func New(db DB, cfg Config) (*Store, error) {
	if isNil(db) {
		return nil, errors.New("sqlstore: nil database")
	}
	d := cfg.Dialect
	if d == "" {
		var err error
		if d, err = dialectOfDB(db); err != nil {
			return nil, err
		}
	}
	b, err := NewBuilder(d, cfg.Tables)
	if err != nil {
		return nil, err
	}
	if err := b.setScanLimit(cfg.ScanLimit); err != nil {
		return nil, err
	}
	batch := cfg.PurgeBatchSize
	switch {
	case batch < 0:
		return nil, fmt.Errorf("%w: %d", ErrInvalidBatchSize, batch)
	case batch == 0:
		batch = DefaultPurgeBatchSize
	}
	lim, err := cfg.limits()
	if err != nil {
		return nil, err
	}
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	red := cfg.Redactor
	if red == nil {
		red = redact.Default()
	}
	s := &Store{
		db: db, stmts: newStmtCache(db, StatementCacheSize), noPrepare: cfg.NoPrepare,
		builder: b, batchSize: batch, adaptiveBatches: cfg.PurgeBatchSize == 0, pause: cfg.PurgePause,
		now: now, limits: lim, logger: cfg.Logger, redactor: red,
	}
	// A Store dropped without Close must not keep its statements on the
	// server for ever. The cleanup holds the cache, never the Store.
	runtime.AddCleanup(s, func(c *stmtCache) { c.close() }, s.stmts)
	return s, nil
}

// dialectOfDB returns the dialect of db's driver: by driver name for a
// *sqlx.DB (or any DB with a DriverName method), else by the driver's type.
func dialectOfDB(db DB) (Dialect, error) {
	var name string
	if n, ok := db.(interface{ DriverName() string }); ok {
		name = n.DriverName()
		if d, err := DialectFor(name); err == nil {
			return d, nil
		}
	}
	// A *sqlx.DB made with sqlx.NewDb(nil, name) has no *sql.DB to ask.
	if x, ok := db.(*sqlx.DB); ok && x.DB == nil {
		return DialectFor(name)
	}
	return DialectOf(db.Driver())
}

// isNil reports whether v is nil or a nil pointer in an interface.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Map, reflect.Func, reflect.Chan, reflect.Slice:
		return rv.IsNil()
	}
	return false
}

// WithTx returns a Store like s whose methods run in tx, a transaction on
// s's database (a *sql.Tx or a *sqlx.Tx), so that they see and join the
// caller's uncommitted work. The caller commits or rolls back. Purge on it
// cannot release locks between batches (see Purge).
//
// It uses s's prepared statements, each prepared again on the
// transaction's connection when it has not been there (never on a second
// connection of the pool, which may have none to give: SQLite is often run
// with one). Its Close does nothing: close s.
//
// A nil tx is a mistake that would run every call outside any
// transaction: the Store returned then fails every call with an error
// wrapping ErrNilTx.
func (s *Store) WithTx(tx Tx) *Store {
	c := *s
	c.root = s.rootStore()
	if isNil(tx) {
		c.tx, c.err = nil, fmt.Errorf("%w: WithTx(nil)", ErrNilTx)
		return &c
	}
	c.tx = tx
	return &c
}

// rootStore returns the Store that New made, of which s may be a copy.
func (s *Store) rootStore() *Store {
	if s.root != nil {
		return s.root
	}
	return s
}

// Close releases the statements s prepared; it does not close the
// database. It is safe while other calls run: those finish on their
// statements, each closed when the last call using it ends. s stays
// usable: every later call runs its statement unprepared, as with
// Config.NoPrepare, so that nothing is prepared again. Close on a Store
// from WithTx does nothing.
func (s *Store) Close() error {
	if s.tx != nil || s.err != nil {
		return nil
	}
	return s.stmts.close()
}

// Builder returns the Builder of s's dialect and tables.
func (s *Store) Builder() *Builder { return s.builder }

// Schema returns the DDL of s's dialect for its tables (see the package
// function Schema).
func (s *Store) Schema() string { return s.builder.Schema() }

// runner runs unprepared statements: a database or a transaction.
type runner interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// ext returns what s runs unprepared statements on: its transaction, or its
// database.
func (s *Store) ext() runner {
	if s.tx != nil {
		return s.tx
	}
	return s.db
}

// prepared returns the prepared statement of query, or nil when it is to
// run unprepared (Config.NoPrepare, or a closed Store), and done, which
// releases it after use.
//
// In a transaction, a statement the cache holds is used on the
// transaction's connection (prepared there if it has not been); any other
// runs unprepared, which costs what preparing it for one use would:
// preparing on the database would take a second connection from the pool,
// which may have none to give.
func (s *Store) prepared(ctx context.Context, query string) (stmt *sql.Stmt, done func(), err error) {
	if s.noPrepare {
		return nil, func() {}, nil
	}
	if s.tx == nil {
		e, err := s.stmts.acquire(ctx, query)
		if err != nil || e == nil {
			return nil, func() {}, err
		}
		return e.stmt, func() { s.stmts.release(e) }, nil
	}
	e := s.stmts.lookup(query)
	if e == nil {
		return nil, func() {}, nil
	}
	stmt = s.tx.StmtContext(ctx, e.stmt)
	return stmt, func() {
		stmt.Close()
		s.stmts.release(e)
	}, nil
}

// query runs a SELECT into dest, a pointer to a slice of structs or
// values. When ctx ends during the query, the error wraps ctx's error and
// the driver's (see ctxErr).
func (s *Store) query(ctx context.Context, dest any, query string, args []any) error {
	if s.err != nil {
		return s.err
	}
	stmt, done, err := s.prepared(ctx, query)
	if err != nil {
		return ctxErr(ctx, err)
	}
	defer done()
	var rows *sql.Rows
	if stmt != nil {
		rows, err = stmt.QueryContext(ctx, args...)
	} else {
		rows, err = s.ext().QueryContext(ctx, query, args...)
	}
	if err != nil {
		return ctxErr(ctx, err)
	}
	if err := scanAll(rows, dest); err != nil {
		return ctxErr(ctx, err)
	}
	return nil
}

// execResult runs a statement and returns its result.
func (s *Store) execResult(ctx context.Context, query string, args []any) (sql.Result, error) {
	if s.err != nil {
		return nil, s.err
	}
	stmt, done, err := s.prepared(ctx, query)
	if err != nil {
		return nil, ctxErr(ctx, err)
	}
	defer done()
	var r sql.Result
	if stmt != nil {
		r, err = stmt.ExecContext(ctx, args...)
	} else {
		r, err = s.ext().ExecContext(ctx, query, args...)
	}
	if err != nil {
		return nil, ctxErr(ctx, err)
	}
	return r, nil
}

// exec runs a statement and returns the rows it affected.
func (s *Store) exec(ctx context.Context, query string, args []any) (int64, error) {
	r, err := s.execResult(ctx, query, args)
	if err != nil {
		return 0, err
	}
	n, err := r.RowsAffected()
	if err != nil {
		return 0, ctxErr(ctx, err)
	}
	return n, nil
}

// scanner is the interface of types that scan themselves from a column.
var scanner = reflect.TypeFor[sql.Scanner]()

// scanAll reads rows into dest, a pointer to a slice, and closes them: by
// sqlx's column mapping ("db" tags) for a slice of structs, else one
// column a row.
func scanAll(rows *sql.Rows, dest any) error {
	defer rows.Close()
	slice := reflect.ValueOf(dest).Elem()
	elem := slice.Type().Elem()
	if elem.Kind() == reflect.Struct && !reflect.PointerTo(elem).Implements(scanner) {
		return sqlx.StructScan(rows, dest)
	}
	for rows.Next() {
		v := reflect.New(elem)
		if err := rows.Scan(v.Interface()); err != nil {
			return err
		}
		slice.Set(reflect.Append(slice, v.Elem()))
	}
	return rows.Err()
}
