// Command integrationlogs serves the Logs tab of an existing integration
// logs database over HTTP: the page and the JSON API of package logshttp.
//
//	integrationlogs serve -dsn logs.db -instance 7
//	integrationlogs serve -dsn 'postgres://app@db/app' -instance-header X-Instance -addr 127.0.0.1:8080
//
// The server does no authentication. It listens on loopback by default;
// with -instance-header, put it behind a proxy that authenticates each
// user and sets the header to the one instance the user may see (and
// strips the header from what the client sent).
//
// The database driver follows from the DSN: a SQLite file path, or a
// file: or sqlite: URI (modernc.org/sqlite); postgres:// or postgresql://,
// or PostgreSQL's keyword/value form "host=db dbname=app user=app" (pgx);
// otherwise a MySQL DSN such as user:pass@tcp(host:3306)/db
// (go-sql-driver/mysql), optionally written mysql://user@tcp(host)/db.
// Messages describe the database without its password. -prefix is a clean
// path of plain characters (letters, digits, - . _ ~ and slashes).
// The DSN may come from the environment variable INTEGRATIONLOGS_DSN
// instead of -dsn, which keeps a password off the command line.
//
// The tables must exist already (see sqlstore.Schema): the server reads
// and purges rows, and never creates or alters tables. It stops gracefully
// on SIGINT or SIGTERM, finishing the requests in flight; a second signal
// ends it at once.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		// After the first signal, the next one ends the process at once,
		// as it would without the handler: a shutdown that waits for slow
		// requests can be cut short.
		<-ctx.Done()
		stop()
	}()
	err := run(ctx, os.Args[1:], os.Stderr, nil)
	switch {
	case err == nil:
	case errors.Is(err, flag.ErrHelp):
		os.Exit(0)
	case errors.Is(err, errUsage):
		os.Exit(2)
	default:
		fmt.Fprintln(os.Stderr, "integrationlogs:", err)
		os.Exit(1)
	}
}

// errUsage marks a command line that was refused; the message went to
// stderr already.
var errUsage = errors.New("usage")

const usage = `integrationlogs serves the Logs tab of an existing integration logs database.

Usage:
  integrationlogs serve -dsn DSN (-instance N | -instance-header NAME) [flags]

Run "integrationlogs serve -h" for the flags.
`

// run runs the command line args. listening, when not nil, is told the
// address the server listens on.
func run(ctx context.Context, args []string, stderr io.Writer, listening func(addr string)) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	switch args[0] {
	case "serve":
		cfg, err := parseServe(args[1:], stderr)
		if err != nil {
			return err
		}
		return serve(ctx, cfg, stderr, listening)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stderr, usage)
		return nil
	}
	fmt.Fprintf(stderr, "integrationlogs: unknown command %q\n\n%s", args[0], usage)
	return errUsage
}
