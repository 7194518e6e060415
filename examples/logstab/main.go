// Command logstab shows the Logs tab of an integration instance on an embedded
// SQLite database: it writes a realistic run history, prints the table page by
// page (Next, then Prev), opens the full card of the failed row, and purges
// the instance's stage rows, showing what the purge leaves alone.
//
//	go run ./examples/logstab            # a database in a temporary directory
//	go run ./examples/logstab -db logs.db  # a database file of your own, kept afterwards
//	go run ./examples/logstab -http 127.0.0.1:8080  # the Logs tab in a browser (package logshttp)
//
// Badges are coloured on a terminal; set NO_COLOR or pipe the output for
// plain text.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/jmoiron/sqlx"
	_ "modernc.org/sqlite" // the embedded, pure Go SQLite driver

	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

func main() {
	path := flag.String("db", "", "SQLite database file to create (default: one in a temporary directory, removed afterwards)")
	pageSize := flag.Int("page", 8, "rows per page")
	addr := flag.String("http", "", "serve the Logs tab of the demo history on this address, such as 127.0.0.1:8080, instead of printing it")
	flag.Parse()

	if *addr != "" {
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		defer stop()
		if err := serveHTTP(ctx, *path, *addr, os.Stderr, nil); err != nil {
			fmt.Fprintln(os.Stderr, "logstab:", err)
			os.Exit(1)
		}
		return
	}

	if err := run(*path, *pageSize, os.Stdout, colorful(os.Stdout)); err != nil {
		fmt.Fprintln(os.Stderr, "logstab:", err)
		os.Exit(1)
	}
}

// run creates the database at path (a temporary one when empty) and plays the
// demo on it, writing to w.
func run(path string, pageSize int, w io.Writer, color bool) error {
	ctx := context.Background()
	db, store, done, err := openDemo(ctx, path)
	if err != nil {
		return err
	}
	defer done()
	d := demo{ctx: ctx, db: db, store: store, w: w, color: color, pageSize: pageSize}
	return d.play()
}

// openDemo creates the database at path (a temporary one when empty),
// migrates it and records the demo history into it. done closes the store
// and the database, and removes a temporary database.
func openDemo(ctx context.Context, path string) (db *sqlx.DB, store *sqlstore.Store, done func(), err error) {
	var cleanup []func()
	closeAll := func() {
		for i := len(cleanup) - 1; i >= 0; i-- {
			cleanup[i]()
		}
	}
	defer func() {
		if err != nil {
			closeAll()
		}
	}()
	if path == "" {
		dir, err := os.MkdirTemp("", "logstab-")
		if err != nil {
			return nil, nil, nil, err
		}
		cleanup = append(cleanup, func() { os.RemoveAll(dir) })
		path = filepath.Join(dir, "logstab.db")
	} else if _, err := os.Stat(path); err == nil {
		return nil, nil, nil, fmt.Errorf("%s exists already; name a new file", path)
	}
	if db, err = openSQLite(path); err != nil {
		return nil, nil, nil, err
	}
	cleanup = append(cleanup, func() { db.Close() })
	clk := &demoClock{t: base}
	if store, err = sqlstore.New(db, sqlstore.Config{Now: clk.Now}); err != nil {
		return nil, nil, nil, err
	}
	cleanup = append(cleanup, func() { store.Close() })
	if err := store.Migrate(ctx); err != nil {
		return nil, nil, nil, err
	}
	if err := writeHistory(ctx, store, clk, history()); err != nil {
		return nil, nil, nil, err
	}
	return db, store, closeAll, nil
}

// openSQLite opens the database file with the settings sqlstore expects on
// SQLite: times written as SQLite text, WAL, a busy timeout, and one
// connection, so that a writer queues behind a purge batch instead of
// waiting out the whole purge (see package sqlstore).
func openSQLite(path string) (*sqlx.DB, error) {
	dsn := "file:" + path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_time_format=sqlite"
	db, err := sqlx.Open("sqlite", dsn)
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if err := db.Ping(); err != nil {
		db.Close()
		return nil, errors.Join(fmt.Errorf("open %s", path), err)
	}
	return db, nil
}

// colorful reports whether f is a terminal that takes colours.
func colorful(f *os.File) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
