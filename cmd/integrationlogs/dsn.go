package main

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" driver
	_ "modernc.org/sqlite"             // the "sqlite" driver

	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// database is where a DSN points: the database/sql driver, the DSN it
// takes, and a description for messages, without the password.
type database struct {
	driver  string
	dialect sqlstore.Dialect
	dsn     string
	about   string
}

// sqlitePragmas are added to a SQLite DSN that sets none of its own: wait
// for a writer rather than fail at once, and write times as the schema
// says.
const sqlitePragmas = "_pragma=busy_timeout(5000)&_time_format=sqlite"

// parseDSN chooses the driver for dsn (see the package documentation).
func parseDSN(dsn string) (database, error) {
	switch {
	case strings.TrimSpace(dsn) == "":
		return database{}, errors.New("empty DSN")
	case hasPrefixFold(dsn, "postgres://"), hasPrefixFold(dsn, "postgresql://"):
		scheme, rest, _ := strings.Cut(dsn, "://")
		return parsePostgres(strings.ToLower(scheme) + "://" + rest)
	case hasPrefixFold(dsn, "mysql://"):
		return parseMySQL(dsn[len("mysql://"):])
	case hasPrefixFold(dsn, "sqlite://"):
		return parseSQLite(dsn[len("sqlite://"):])
	case hasPrefixFold(dsn, "sqlite:"):
		return parseSQLite(dsn[len("sqlite:"):])
	case hasPrefixFold(dsn, "file:"):
		return parseSQLiteURI(dsn)
	case strings.Contains(dsn, "@tcp(") || strings.Contains(dsn, "@unix(") ||
		strings.HasPrefix(dsn, "tcp(") || strings.HasPrefix(dsn, "unix("):
		return parseMySQL(dsn)
	case strings.Contains(dsn, "://"):
		scheme, _, _ := strings.Cut(dsn, "://")
		return database{}, fmt.Errorf("unknown DSN scheme %q: want a SQLite file, file:, sqlite:, postgres://, postgresql:// or a MySQL DSN", scheme)
	}
	if _, err := os.Stat(dsn); err != nil {
		switch {
		case isKeywordDSN(dsn):
			return parsePostgres(dsn) // host=db dbname=app: PostgreSQL's keyword/value form
		case strings.Contains(dsn, "@"):
			return parseMySQL(dsn) // user@/dbname: MySQL on localhost
		}
	}
	return parseSQLite(dsn)
}

// parsePostgres reads a PostgreSQL URL or keyword/value DSN, as pgx does.
// Its description names the server, database and user, never a password
// (which the URL's userinfo, its password or sslpassword parameter, or a
// keyword may hold).
func parsePostgres(dsn string) (database, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		// pgx's errors do not repeat the DSN.
		return database{}, fmt.Errorf("PostgreSQL DSN: %w", err)
	}
	about := fmt.Sprintf("PostgreSQL %s:%d database %s user %s", cfg.Host, cfg.Port, cfg.Database, cfg.User)
	return database{driver: "pgx", dialect: sqlstore.PostgreSQL, dsn: dsn, about: about}, nil
}

// isKeywordDSN reports whether dsn looks like PostgreSQL's keyword/value
// form: words key=value, one of them host, dbname or user.
func isKeywordDSN(dsn string) bool {
	for f := range strings.FieldsSeq(dsn) {
		k, _, ok := strings.Cut(f, "=")
		if ok && (k == "host" || k == "dbname" || k == "user") {
			return true
		}
	}
	return false
}

// parseMySQL reads a go-sql-driver/mysql DSN.
func parseMySQL(dsn string) (database, error) {
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		return database{}, fmt.Errorf("MySQL DSN: %w", err)
	}
	if cfg.DBName == "" {
		return database{}, errors.New("MySQL DSN names no database: want user@tcp(host:3306)/dbname")
	}
	shown := cfg.Clone()
	if shown.Passwd != "" {
		shown.Passwd = "xxxxx"
	}
	return database{driver: "mysql", dialect: sqlstore.MySQL, dsn: cfg.FormatDSN(), about: "MySQL " + shown.FormatDSN()}, nil
}

// parseSQLite reads a SQLite file path, which must name an existing file.
func parseSQLite(path string) (database, error) {
	if err := existingFile(path); err != nil {
		return database{}, err
	}
	escaped := strings.NewReplacer("%", "%25", "?", "%3F", "#", "%23").Replace(path)
	return database{driver: "sqlite", dialect: sqlstore.SQLite, dsn: "file:" + escaped + "?" + sqlitePragmas, about: "SQLite " + path}, nil
}

// parseSQLiteURI reads a SQLite file: URI, whose file must exist; the
// pragmas are added unless it sets its own.
func parseSQLiteURI(uri string) (database, error) {
	rest := uri[len("file:"):]
	path, query, _ := strings.Cut(rest, "?")
	if unescaped, err := url.PathUnescape(path); err == nil {
		path = unescaped
	}
	if path != ":memory:" && !strings.Contains(query, "mode=memory") {
		if err := existingFile(path); err != nil {
			return database{}, err
		}
	}
	dsn := uri
	if !strings.Contains(query, "_pragma=") && !strings.Contains(query, "_time_format=") {
		if query == "" {
			dsn += "?" + sqlitePragmas
		} else {
			dsn += "&" + sqlitePragmas
		}
	}
	return database{driver: "sqlite", dialect: sqlstore.SQLite, dsn: dsn, about: "SQLite " + path}, nil
}

// existingFile fails unless path names a file: the server reads an
// existing database, and opening a missing one would create it empty.
func existingFile(path string) error {
	fi, err := os.Stat(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return fmt.Errorf("SQLite database %s does not exist (this server reads an existing database)", path)
	case err != nil:
		return fmt.Errorf("SQLite database: %w", err)
	case fi.IsDir():
		return fmt.Errorf("SQLite database %s is a directory", path)
	}
	return nil
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
