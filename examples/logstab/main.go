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
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/opsync/integrationlogs/examples/internal/demodata"
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
	db, store, done, err := demodata.Open(ctx, path)
	if err != nil {
		return err
	}
	defer done()
	d := demo{ctx: ctx, db: db, store: store, w: w, color: color, pageSize: pageSize}
	return d.play()
}

// colorful reports whether f is a terminal that takes colours.
func colorful(f *os.File) bool {
	if os.Getenv("NO_COLOR") != "" || os.Getenv("TERM") == "dumb" {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
