package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
)

// Config configures a Store. Its zero value is usable: the dialect from the
// driver name, the default tables, the default purge batch size.
type Config struct {
	// Dialect is the database's SQL flavour; empty means DialectFor the
	// driver name of the *sqlx.DB.
	Dialect Dialect
	// Tables names the tables; zero fields mean the defaults.
	Tables Tables
	// PurgeBatchSize is the number of rows one purge statement deletes:
	// 0 means DefaultPurgeBatchSize; below 0 is refused.
	PurgeBatchSize int
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

// Store reads and purges stage rows in a SQL database. It is safe for
// concurrent use, except one made by WithTx, which is as safe as its
// transaction.
//
// A Store prepares each statement once and keeps it (there are a few dozen
// at most): preparing costs SQLite about as much as running a page, and
// MySQL a round trip. Close releases them.
type Store struct {
	db        *sqlx.DB
	tx        *sqlx.Tx // set by WithTx
	stmts     *stmtCache
	builder   *Builder
	batchSize int
	now       func() time.Time
	limits    limits
	logger    *slog.Logger
}

// New returns a Store on db. It checks the configuration but does not touch
// the database: call Migrate to create the tables, or apply Schema with your
// own migration tool.
func New(db *sqlx.DB, cfg Config) (*Store, error) {
	if db == nil {
		return nil, errors.New("sqlstore: nil *sqlx.DB")
	}
	d := cfg.Dialect
	if d == "" {
		var err error
		if d, err = DialectFor(db.DriverName()); err != nil {
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
	return &Store{
		db: db, stmts: &stmtCache{db: db}, builder: b, batchSize: batch,
		now: now, limits: lim, logger: cfg.Logger,
	}, nil
}

// WithTx returns a Store like s whose methods run in tx, a transaction on
// s's database, so that they see and join the caller's uncommitted work.
// The caller commits or rolls back. Purge on it cannot release locks between
// batches (see Purge). It shares s's prepared statements: close s, not it.
func (s *Store) WithTx(tx *sqlx.Tx) *Store {
	c := *s
	c.tx = tx
	return &c
}

// Close releases the statements s prepared. It does not close the database.
// A closed Store prepares them again if used.
func (s *Store) Close() error { return s.stmts.close() }

// Builder returns the Builder of s's dialect and tables.
func (s *Store) Builder() *Builder { return s.builder }

// Schema returns the DDL of s's dialect for its tables (see the package
// function Schema).
func (s *Store) Schema() string { return s.builder.Schema() }

// ext returns what s runs statements on: its transaction, or its database.
func (s *Store) ext() sqlx.ExtContext {
	if s.tx != nil {
		return s.tx
	}
	return s.db
}

// prepared returns the prepared statement of query, and done, which
// releases it after use.
//
// In a transaction, the statement is prepared on the transaction's
// connection (reusing one prepared on the database, if any): preparing on
// the database would take a second connection from the pool, which may have
// none to give (SQLite is often run with one).
func (s *Store) prepared(ctx context.Context, query string) (stmt *sqlx.Stmt, done func(), err error) {
	if s.tx == nil {
		stmt, err = s.stmts.get(ctx, query)
		return stmt, func() {}, err
	}
	if cached, ok := s.stmts.lookup(query); ok {
		stmt = s.tx.StmtxContext(ctx, cached)
	} else if stmt, err = s.tx.PreparexContext(ctx, query); err != nil {
		return nil, nil, err
	}
	return stmt, func() { stmt.Close() }, nil
}

// query runs a SELECT into dest, a pointer to a slice of structs or
// values. When ctx ends during the query, the error is ctx's, for errors.Is.
func (s *Store) query(ctx context.Context, dest any, query string, args []any) error {
	stmt, done, err := s.prepared(ctx, query)
	if err != nil {
		return ctxErr(ctx, err)
	}
	defer done()
	if err := stmt.SelectContext(ctx, dest, args...); err != nil {
		return ctxErr(ctx, err)
	}
	return nil
}

// execResult runs a statement and returns its result.
func (s *Store) execResult(ctx context.Context, query string, args []any) (sql.Result, error) {
	stmt, done, err := s.prepared(ctx, query)
	if err != nil {
		return nil, ctxErr(ctx, err)
	}
	defer done()
	r, err := stmt.ExecContext(ctx, args...)
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

// stmtCache keeps prepared statements by SQL text. The Builder makes a
// bounded number of texts (one per shape of list request, one entry, one
// purge), so it needs no eviction.
type stmtCache struct {
	db    *sqlx.DB
	stmts sync.Map // SQL text -> *sqlx.Stmt
}

// lookup returns the statement of query if it is prepared.
func (c *stmtCache) lookup(query string) (*sqlx.Stmt, bool) {
	stmt, ok := c.stmts.Load(query)
	if !ok {
		return nil, false
	}
	return stmt.(*sqlx.Stmt), true
}

// get returns the statement of query, prepared on the database.
func (c *stmtCache) get(ctx context.Context, query string) (*sqlx.Stmt, error) {
	if stmt, ok := c.lookup(query); ok {
		return stmt, nil
	}
	stmt, err := c.db.PreparexContext(ctx, query)
	if err != nil {
		return nil, err
	}
	if other, loaded := c.stmts.LoadOrStore(query, stmt); loaded {
		stmt.Close()
		return other.(*sqlx.Stmt), nil
	}
	return stmt, nil
}

func (c *stmtCache) close() error {
	var errs []error
	c.stmts.Range(func(query, stmt any) bool {
		c.stmts.Delete(query)
		errs = append(errs, stmt.(*sqlx.Stmt).Close())
		return true
	})
	return errors.Join(errs...)
}

// ctxErr returns ctx's error when ctx has ended (drivers report a cancelled
// query each in its own words), else err.
func ctxErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	return err
}
