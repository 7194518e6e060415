package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"embed"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	sq "github.com/Masterminds/squirrel"
)

//go:embed migrations/*/*.sql
var migrationFiles embed.FS

// Migration is one version of the schema: what Migrate applies, and what a
// host that runs its own migration tool (goose, golang-migrate, atlas) takes
// instead.
type Migration struct {
	// Version numbers the migrations from 1 up; they apply in that order.
	Version int
	// Name says what the version does, such as "tables".
	Name string
	// SQL is the version's statements for the dialect and tables it was
	// made for, each ending with a semicolon at the end of a line.
	SQL string
}

// migrationTemplates holds each dialect's migrations with the table names
// still as placeholders, read once from the embedded files.
var migrationTemplates = func() map[Dialect][]Migration {
	out := map[Dialect][]Migration{}
	for _, d := range Dialects() {
		dir := "migrations/" + string(d)
		files, err := fs.Glob(migrationFiles, dir+"/*.sql")
		if err != nil {
			panic(err)
		}
		slices.Sort(files)
		for i, f := range files {
			base := strings.TrimSuffix(path.Base(f), ".sql")
			num, name, _ := strings.Cut(base, "_")
			v, err := strconv.Atoi(num)
			if err != nil || v != i+1 {
				panic("sqlstore: migration file " + f + " is out of sequence")
			}
			raw, err := migrationFiles.ReadFile(f)
			if err != nil {
				panic(err)
			}
			out[d] = append(out[d], Migration{Version: v, Name: name, SQL: string(raw)})
		}
	}
	return out
}()

// Migrations returns the schema's versions for dialect d and the default
// table names, oldest first; nil for an unknown dialect. For configured
// table names, use (*Store).Migrations or (*Builder).Migrations.
func Migrations(d Dialect) []Migration {
	b, err := NewBuilder(d, Tables{})
	if err != nil {
		return nil
	}
	return b.Migrations()
}

// Migrations returns the schema's versions for b's dialect and tables,
// oldest first.
func (b *Builder) Migrations() []Migration {
	r := strings.NewReplacer(
		"{{runs}}", b.names.runs,
		"{{stages}}", b.names.stages,
		"{{stages_bare}}", b.names.stagesBare,
		"{{index_qualifier}}", b.names.qualifier,
		"{{stages_index}}", b.names.stagesIndex,
		"{{attempt_index}}", b.names.attemptIdx,
		"{{unfinished_index}}", b.names.unfinished,
		"{{list_insert}}", b.names.listInsert,
		"{{list_update}}", b.names.listUpdate,
	)
	ms := slices.Clone(migrationTemplates[b.dialect])
	for i := range ms {
		ms[i].SQL = r.Replace(ms[i].SQL)
	}
	return ms
}

// Migrations returns the schema's versions for s's dialect and tables (see
// (*Builder).Migrations).
func (s *Store) Migrations() []Migration { return s.builder.Migrations() }

// Migrate brings the database's schema to the newest version: it creates
// the tables on a new database, and upgrades in place, keeping every row, a
// database that an earlier version of this package created. It records the
// versions it applied in the migrations table (see Tables), and running it
// again changes nothing.
//
// Each version applies in a transaction of its own on SQLite and
// PostgreSQL, so that it applies whole or not at all. MySQL commits each
// statement of a version as it runs it: a version stopped halfway there (by
// a lost connection, or a trigger the server's privileges refused) is not
// recorded, and Migrate runs it again, passing over the statements whose
// column, index or trigger is there already.
//
// Many processes may call Migrate at once, as replicas do when they start:
// one applies the versions while the others wait for it, then find nothing
// left to do. The wait is a lock held for the whole migration (an advisory
// lock on PostgreSQL, GET_LOCK on MySQL) or, on SQLite, the write lock of
// each version's transaction; ctx bounds it.
//
// On a Store from WithTx, Migrate runs every version in the caller's
// transaction (where MySQL still commits each statement), under a lock
// that the transaction holds until it ends on PostgreSQL.
func (s *Store) Migrate(ctx context.Context) error {
	if err := s.migrate(ctx); err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", ctxErr(ctx, err))
	}
	return nil
}

func (s *Store) migrate(ctx context.Context) error {
	if s.err != nil {
		return s.err
	}
	if s.tx != nil {
		unlock, err := s.migrationLock(ctx, s.tx, true)
		if err != nil {
			return err
		}
		defer unlock()
		for _, m := range s.Migrations() {
			if err := s.applyMigration(ctx, s.tx, m); err != nil {
				return err
			}
		}
		return s.checkTables(ctx, s.tx)
	}
	// One connection holds the lock and runs every statement.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	unlock, err := s.migrationLock(ctx, conn, false)
	if err != nil {
		return err
	}
	defer unlock()
	for _, m := range s.Migrations() {
		if err := s.inMigrationTx(ctx, conn, func(q queryExecer) error {
			return s.applyMigration(ctx, q, m)
		}); err != nil {
			// A table of the host's under one of the names makes a
			// version fail: say so rather than how it failed.
			if cerr := s.checkTables(ctx, conn); cerr != nil && ctx.Err() == nil {
				return fmt.Errorf("%w (%w)", cerr, err)
			}
			return err
		}
	}
	return s.checkTables(ctx, conn)
}

// queryExecer is what migrations run on: a connection or a transaction.
type queryExecer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// applyMigration applies m on q unless the migrations table says it was.
func (s *Store) applyMigration(ctx context.Context, q queryExecer, m Migration) error {
	b := s.builder
	created := "CREATE TABLE IF NOT EXISTS " + b.names.migrations + ` (
    version    INTEGER      NOT NULL PRIMARY KEY,
    name       VARCHAR(100) NOT NULL,
    applied_at VARCHAR(40)  NOT NULL
)` // applied_at: RFC 3339 in UTC, the same text on every database
	if _, err := q.ExecContext(ctx, created); err != nil {
		return fmt.Errorf("create the migrations table: %w", err)
	}
	count, args, err := b.sql().Select("COUNT(*)").From(b.names.migrations).Where(sq.Eq{"version": m.Version}).ToSql()
	if err != nil {
		return err
	}
	var n int
	if err := q.QueryRowContext(ctx, count, args...).Scan(&n); err != nil {
		return fmt.Errorf("read the migrations table: %w", err)
	}
	if n > 0 {
		return nil
	}
	for _, stmt := range statements(m.SQL) {
		if _, err := q.ExecContext(ctx, stmt); err != nil {
			if b.dialect == MySQL && isMySQLError(err, mysqlExists...) {
				continue // done by an earlier run of the version that stopped halfway
			}
			return fmt.Errorf("version %d (%s): %w", m.Version, m.Name, err)
		}
	}
	applied := s.now().UTC().Format(time.RFC3339Nano)
	insert, args, err := b.sql().Insert(b.names.migrations).
		Columns("version", "name", "applied_at").Values(m.Version, m.Name, applied).ToSql()
	if err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, insert, args...); err != nil {
		return fmt.Errorf("record version %d: %w", m.Version, err)
	}
	return nil
}

// mysqlExists are the numbers of MySQL's errors for a column, an index or a
// trigger that exists already (ER_DUP_FIELDNAME, ER_DUP_KEYNAME,
// ER_TRG_ALREADY_EXISTS): the statement that makes it ran before, in a run
// of its version that stopped before the version was recorded. A MySQL
// statement applies whole or not at all, so the rest of its work is there
// too.
var mysqlExists = []uint64{1060, 1061, 1359}

// inMigrationTx runs f in a transaction on conn, or, on MySQL, where DDL
// commits by itself, directly on conn. On SQLite the transaction begins
// IMMEDIATE: it takes the write lock before it reads which versions are
// applied, so concurrent callers apply each version once.
func (s *Store) inMigrationTx(ctx context.Context, conn *sql.Conn, f func(queryExecer) error) error {
	switch s.builder.dialect {
	case MySQL:
		return f(conn)
	case SQLite:
		if _, err := conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
			// The driver reports a context that ended during the call even
			// when BEGIN took effect: roll back, so that the connection
			// does not go back to the pool inside a transaction.
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
			return err
		}
		if err := f(conn); err != nil {
			// The context may have ended: roll back regardless.
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
			return err
		}
		// The work is done: commit it whatever becomes of ctx, which
		// database/sql would otherwise not send COMMIT under, leaving the
		// connection in the transaction, with the write lock, in the pool.
		if _, err := conn.ExecContext(context.WithoutCancel(ctx), "COMMIT"); err != nil {
			_, _ = conn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
			return err
		}
		return nil
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if err := f(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// migrationLock takes the lock that serialises concurrent Migrate calls on
// q, a connection or (inTx) a transaction, and returns the function that
// releases it. SQLite needs none (see inMigrationTx); in a PostgreSQL
// transaction the lock lasts until the transaction ends.
func (s *Store) migrationLock(ctx context.Context, q queryExecer, inTx bool) (unlock func(), err error) {
	key := sha256.Sum256([]byte("integrationlogs/sqlstore migrate\x00" + s.builder.names.lockName))
	switch s.builder.dialect {
	case PostgreSQL:
		id := int64(binary.BigEndian.Uint64(key[:8]))
		if inTx {
			_, err := q.ExecContext(ctx, "SELECT pg_advisory_xact_lock($1)", id)
			return func() {}, err
		}
		if _, err := q.ExecContext(ctx, "SELECT pg_advisory_lock($1)", id); err != nil {
			return nil, err
		}
		return func() {
			_, _ = q.ExecContext(context.WithoutCancel(ctx), "SELECT pg_advisory_unlock($1)", id)
		}, nil
	case MySQL:
		name := "integrationlogs:" + hex.EncodeToString(key[:16])
		// GET_LOCK waits at most a second at a time, so that ctx is checked
		// between tries.
		for {
			var got sql.NullInt64
			if err := q.QueryRowContext(ctx, "SELECT GET_LOCK(?, 1)", name).Scan(&got); err != nil {
				return nil, err
			}
			if got.Valid && got.Int64 == 1 {
				break
			}
			if !got.Valid {
				return nil, errors.New("GET_LOCK failed")
			}
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		return func() {
			_, _ = q.ExecContext(context.WithoutCancel(ctx), "SELECT RELEASE_LOCK(?)", name)
		}, nil
	}
	return func() {}, nil
}
