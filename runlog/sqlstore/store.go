package sqlstore

import (
	"context"
	"errors"
	"fmt"

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
}

// Store reads and purges stage rows in a SQL database. It is safe for
// concurrent use, except one made by WithTx, which is as safe as its
// transaction.
type Store struct {
	db        sqlx.ExtContext
	builder   *Builder
	batchSize int
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
	batch := cfg.PurgeBatchSize
	switch {
	case batch < 0:
		return nil, fmt.Errorf("%w: %d", ErrInvalidBatchSize, batch)
	case batch == 0:
		batch = DefaultPurgeBatchSize
	}
	return &Store{db: db, builder: b, batchSize: batch}, nil
}

// WithTx returns a Store like s whose methods run in tx, a transaction on
// the same database, so that they see and join the caller's uncommitted
// work. The caller commits or rolls back. Purge on it cannot release locks
// between batches (see Purge).
func (s *Store) WithTx(tx *sqlx.Tx) *Store {
	c := *s
	c.db = tx
	return &c
}

// Builder returns the Builder of s's dialect and tables.
func (s *Store) Builder() *Builder { return s.builder }

// Schema returns the DDL of s's dialect for its tables (see the package
// function Schema).
func (s *Store) Schema() string { return s.builder.Schema() }

// Migrate creates the tables and the index if they do not exist, running
// Schema's statements one by one. Running it again changes nothing. It does
// not alter tables that exist already. On MySQL each statement commits
// implicitly, even on a Store from WithTx.
func (s *Store) Migrate(ctx context.Context) error {
	for _, stmt := range statements(s.Schema()) {
		if _, err := s.db.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("sqlstore: migrate: %w", ctxErr(ctx, err))
		}
	}
	return nil
}

// query runs a SELECT into dest, a pointer to a slice of entryRow. When ctx
// ends during the query, the error is ctx's, for errors.Is.
func (s *Store) query(ctx context.Context, dest *[]entryRow, query string, args []any) error {
	if err := sqlx.SelectContext(ctx, s.db, dest, query, args...); err != nil {
		return ctxErr(ctx, err)
	}
	return nil
}

// exec runs a statement and returns the rows it affected.
func (s *Store) exec(ctx context.Context, query string, args []any) (int64, error) {
	r, err := s.db.ExecContext(ctx, query, args...)
	if err != nil {
		return 0, ctxErr(ctx, err)
	}
	n, err := r.RowsAffected()
	if err != nil {
		return 0, ctxErr(ctx, err)
	}
	return n, nil
}

// ctxErr returns ctx's error when ctx has ended (drivers report a cancelled
// query each in its own words), else err.
func ctxErr(ctx context.Context, err error) error {
	if cerr := ctx.Err(); cerr != nil {
		return cerr
	}
	return err
}
