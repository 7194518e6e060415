package sqlstore_test

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"path/filepath"
	"sync/atomic"
	"testing"

	"github.com/jmoiron/sqlx"

	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// TestMigrate_BeginReportsCancel runs Migrate on SQLite through a driver
// that, once, reports a cancelled context for a BEGIN IMMEDIATE that took
// effect, as modernc.org/sqlite does when the context ends while the
// statement runs: the connection goes back to the pool out of the
// transaction, and the next Migrate completes.
func TestMigrate_BeginReportsCancel(t *testing.T) {
	dsn := sqliteDSN(filepath.Join(t.TempDir(), "logs.db"))
	plain, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer plain.Close()
	c := &beginCancelConnector{dsn: dsn, driver: plain.Driver()}
	c.armed.Store(true)
	db := sqlx.NewDb(sql.OpenDB(c), "sqlite")
	defer db.Close()
	db.SetMaxOpenConns(1)
	store, err := sqlstore.New(db, sqlstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()

	if err := store.Migrate(t.Context()); err == nil {
		t.Fatal("Migrate through a BEGIN that reports a cancel: got no error")
	}
	if err := store.Migrate(t.Context()); err != nil {
		t.Fatalf("the next Migrate: %v", err)
	}
}

// beginCancelConnector opens connections of driver whose first BEGIN
// IMMEDIATE, while armed, takes effect and then reports context.Canceled.
type beginCancelConnector struct {
	dsn    string
	driver driver.Driver
	armed  atomic.Bool
}

func (c *beginCancelConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.driver.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &beginCancelConn{Conn: conn, c: c}, nil
}

func (c *beginCancelConnector) Driver() driver.Driver { return c.driver }

// beginCancelConn passes every call on to the driver's connection.
type beginCancelConn struct {
	driver.Conn
	c *beginCancelConnector
}

func (c *beginCancelConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	res, err := c.Conn.(driver.ExecerContext).ExecContext(ctx, query, args)
	if err == nil && query == "BEGIN IMMEDIATE" && c.c.armed.CompareAndSwap(true, false) {
		return nil, context.Canceled
	}
	return res, err
}

func (c *beginCancelConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.Conn.(driver.QueryerContext).QueryContext(ctx, query, args)
}

func (c *beginCancelConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	return c.Conn.(driver.ConnPrepareContext).PrepareContext(ctx, query)
}

func (c *beginCancelConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	return c.Conn.(driver.ConnBeginTx).BeginTx(ctx, opts)
}
