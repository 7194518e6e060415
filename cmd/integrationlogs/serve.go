package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/opsync/integrationlogs/runlog/logshttp"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// dsnEnv holds the DSN when -dsn is not given.
const dsnEnv = "INTEGRATIONLOGS_DSN"

// serveConfig is what the serve command line asks for.
type serveConfig struct {
	db             database
	addr           string
	instance       int64
	instanceHeader string
	readOnly       bool
	prefix         string
	tables         sqlstore.Tables
}

// parseServe reads the flags of the serve command.
func parseServe(args []string, stderr io.Writer) (serveConfig, error) {
	fs := flag.NewFlagSet("integrationlogs serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg serveConfig
	dsn := fs.String("dsn", "", "the database: a SQLite file, file: or sqlite: URI, postgres:// URL or MySQL DSN (default $"+dsnEnv+")")
	fs.StringVar(&cfg.addr, "addr", "127.0.0.1:8080", "the address to listen on")
	fs.Int64Var(&cfg.instance, "instance", 0, "serve this one instance ID")
	fs.StringVar(&cfg.instanceHeader, "instance-header", "", "read each request's instance ID from this header, set by an authenticating proxy")
	fs.BoolVar(&cfg.readOnly, "read-only", false, "refuse purges, and hide the Purge Logs button")
	fs.StringVar(&cfg.prefix, "prefix", "/", "the path to serve the Logs tab under, such as /logs/")
	fs.StringVar(&cfg.tables.Runs, "runs-table", sqlstore.DefaultRunsTable, "the runs table")
	fs.StringVar(&cfg.tables.Stages, "stages-table", sqlstore.DefaultStagesTable, "the stage rows table")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), "Usage: integrationlogs serve -dsn DSN (-instance N | -instance-header NAME) [flags]\n\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return cfg, err
		}
		return cfg, errUsage
	}
	fail := func(format string, args ...any) (serveConfig, error) {
		fmt.Fprintf(stderr, "integrationlogs serve: "+format+"\n", args...)
		fs.Usage()
		return cfg, errUsage
	}
	if fs.NArg() > 0 {
		return fail("unexpected arguments %q", fs.Args())
	}
	if *dsn == "" {
		*dsn = os.Getenv(dsnEnv)
	}
	if *dsn == "" {
		return fail("-dsn is required (or set %s)", dsnEnv)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	switch {
	case set["instance"] && set["instance-header"]:
		return fail("give -instance or -instance-header, not both")
	case !set["instance"] && !set["instance-header"]:
		return fail("give -instance N, or -instance-header NAME behind an authenticating proxy")
	case set["instance"] && cfg.instance <= 0:
		return fail("-instance %d: want a positive instance ID", cfg.instance)
	case set["instance-header"] && !validHeaderName(cfg.instanceHeader):
		return fail("-instance-header %q: not a header name", cfg.instanceHeader)
	}
	if _, _, err := net.SplitHostPort(cfg.addr); err != nil {
		return fail("-addr %q: %v", cfg.addr, err)
	}
	if err := checkPrefix(cfg.prefix); err != nil {
		return fail("-prefix %q: %v", cfg.prefix, err)
	}
	db, err := parseDSN(*dsn)
	if err != nil {
		return fail("-dsn: %v", err)
	}
	cfg.db = db
	return cfg, nil
}

// checkPrefix says what is wrong with prefix as a mount point: it must be
// a clean absolute path ("/logs" or "/logs/"), of characters that a
// ServeMux pattern takes literally and that requests send as they are.
func checkPrefix(prefix string) error {
	if !strings.HasPrefix(prefix, "/") {
		return errors.New("want a path starting with /")
	}
	if c := path.Clean(prefix); c != strings.TrimSuffix(prefix, "/") && c != prefix {
		return fmt.Errorf("want a clean path, such as %s/", c)
	}
	for _, c := range []byte(prefix) {
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`{}%?#\`, c) >= 0 {
			return fmt.Errorf("%q is not allowed: use letters, digits and - . _ ~ between slashes", c)
		}
	}
	return nil
}

// validHeaderName reports whether s is an HTTP header name (an RFC 9110
// token).
func validHeaderName(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c <= ' ' || c >= 0x7f || strings.IndexByte(`"(),/:;<=>?@[\]{}`, c) >= 0 {
			return false
		}
	}
	return true
}

// serve runs the server until ctx ends, then shuts it down gracefully.
func serve(ctx context.Context, cfg serveConfig, stderr io.Writer, listening func(addr string)) error {
	log := slog.New(slog.NewTextHandler(stderr, nil))
	db, err := sqlx.Open(cfg.db.driver, cfg.db.dsn)
	if err != nil {
		return fmt.Errorf("open %s: %w", cfg.db.about, err)
	}
	defer db.Close()
	store, err := sqlstore.New(db, sqlstore.Config{Dialect: cfg.db.dialect, Tables: cfg.tables})
	if err != nil {
		return err
	}
	defer store.Close()
	if err := checkTables(ctx, db, store, cfg); err != nil {
		return err
	}

	mount := "/" + strings.Trim(cfg.prefix, "/") + "/"
	if mount == "//" {
		mount = "/"
	}
	opts := logshttp.Options{ReadOnly: cfg.readOnly, Logger: log, Prefix: mount}
	if cfg.instanceHeader != "" {
		opts.Instance = headerInstance(cfg.instanceHeader)
	} else {
		id := cfg.instance
		opts.Instance = func(*http.Request) (int64, error) { return id, nil }
	}
	logs, err := logshttp.New(store, opts)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.Handle(mount, logs)
	if mount != "/" {
		mux.Handle(strings.TrimSuffix(mount, "/"), logs) // redirected to the slash by the handler
		mux.Handle("GET /{$}", http.RedirectHandler(mount, http.StatusFound))
	}

	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      5 * time.Minute, // a purge of millions of rows takes a while
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	addr := ln.Addr().String()
	who := fmt.Sprintf("instance %d", cfg.instance)
	if cfg.instanceHeader != "" {
		who = "the instance in header " + cfg.instanceHeader
	}
	log.Info("serving the Logs tab", "url", "http://"+addr+mount, "database", cfg.db.about, "of", who, "read_only", cfg.readOnly)
	if !loopback(ln.Addr()) {
		log.Warn("listening beyond loopback: this server does no authentication; put it behind a proxy that does", "addr", addr)
	}
	if listening != nil {
		listening(addr)
	}

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down; finishing the requests in flight")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

// checkTables fails, saying what to do, unless the database answers and
// holds the tables with the columns a list page and a card read.
func checkTables(ctx context.Context, db *sqlx.DB, store *sqlstore.Store, cfg serveConfig) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	if err := db.PingContext(ctx); err != nil {
		return fmt.Errorf("connect to %s: %w", cfg.db.about, err)
	}
	_, err := store.List(ctx, 1, sqlstore.ListParams{Limit: 1})
	if err == nil {
		if _, err = store.Entry(ctx, 1, 1); errors.Is(err, sqlstore.ErrNotFound) {
			err = nil
		}
	}
	if err != nil {
		return fmt.Errorf("%s: cannot read the tables %s and %s: %w\n"+
			"this server reads an existing database: create the tables first, with your migrations "+
			"(sqlstore.Schema gives the DDL) or sqlstore's Store.Migrate, or name yours with -runs-table and -stages-table",
			cfg.db.about, cfg.tables.Runs, cfg.tables.Stages, err)
	}
	return nil
}

// headerInstance reads the instance ID from header name: exactly one
// value, a positive integer.
func headerInstance(name string) func(*http.Request) (int64, error) {
	return func(r *http.Request) (int64, error) {
		vs := r.Header.Values(name)
		if len(vs) != 1 {
			return 0, logshttp.StatusError(http.StatusBadRequest, "want one "+name+" header with the instance ID")
		}
		id, err := strconv.ParseInt(strings.TrimSpace(vs[0]), 10, 64)
		if err != nil || id <= 0 {
			return 0, logshttp.StatusError(http.StatusBadRequest, name+": want a positive integer instance ID")
		}
		return id, nil
	}
}

// loopback reports whether addr is a loopback address.
func loopback(addr net.Addr) bool {
	tcp, ok := addr.(*net.TCPAddr)
	return ok && tcp.IP.IsLoopback()
}
