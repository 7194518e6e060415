package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

func TestParseServe(t *testing.T) {
	file := filepath.Join(t.TempDir(), "logs.db")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("Defaults", func(t *testing.T) {
		cfg, err := parseServe([]string{"-dsn", file, "-instance", "7"}, new(bytes.Buffer))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.addr != "127.0.0.1:8080" || cfg.instance != 7 || cfg.readOnly || cfg.prefix != "/" ||
			cfg.tables != sqlstore.DefaultTables() || cfg.db.driver != "sqlite" {
			t.Errorf("config = %+v", cfg)
		}
	})
	t.Run("Everything", func(t *testing.T) {
		cfg, err := parseServe([]string{"-dsn", file, "-instance-header", "X-Instance", "-addr", "127.0.0.1:0",
			"-read-only", "-prefix", "/logs/", "-runs-table", "runs", "-stages-table", "stages"}, new(bytes.Buffer))
		if err != nil {
			t.Fatal(err)
		}
		if cfg.instanceHeader != "X-Instance" || !cfg.readOnly || cfg.prefix != "/logs/" || cfg.tables != (sqlstore.Tables{Runs: "runs", Stages: "stages"}) {
			t.Errorf("config = %+v", cfg)
		}
	})
	t.Run("DSNFromEnvironment", func(t *testing.T) {
		t.Setenv(dsnEnv, file)
		if _, err := parseServe([]string{"-instance", "1"}, new(bytes.Buffer)); err != nil {
			t.Errorf("parseServe with $%s: %v", dsnEnv, err)
		}
	})

	tests := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"NoDSN", []string{"-instance", "1"}, "-dsn is required"},
		{"NoInstance", []string{"-dsn", file}, "give -instance N, or -instance-header"},
		{"BothInstances", []string{"-dsn", file, "-instance", "1", "-instance-header", "X-Instance"}, "not both"},
		{"ZeroInstance", []string{"-dsn", file, "-instance", "0"}, "want a positive instance ID"},
		{"NegativeInstance", []string{"-dsn", file, "-instance", "-3"}, "want a positive instance ID"},
		{"TextInstance", []string{"-dsn", file, "-instance", "seven"}, "invalid value"},
		{"EmptyHeader", []string{"-dsn", file, "-instance-header", ""}, "not a header name"},
		{"BadHeader", []string{"-dsn", file, "-instance-header", "X Instance"}, "not a header name"},
		{"BadAddr", []string{"-dsn", file, "-instance", "1", "-addr", "8080"}, "-addr"},
		{"MissingFile", []string{"-dsn", file + ".missing", "-instance", "1"}, "does not exist"},
		{"UnknownFlag", []string{"-dsn", file, "-instance", "1", "-migrate"}, "flag provided but not defined: -migrate"},
		{"Arguments", []string{"-dsn", file, "-instance", "1", "extra"}, "unexpected arguments"},
		{"PrefixRelative", []string{"-dsn", file, "-instance", "1", "-prefix", "logs"}, "want a path starting with /"},
		{"PrefixSpace", []string{"-dsn", file, "-instance", "1", "-prefix", "/a b/"}, "not allowed"},
		{"PrefixWildcard", []string{"-dsn", file, "-instance", "1", "-prefix", "/logs/{$}"}, "not allowed"},
		{"PrefixEscape", []string{"-dsn", file, "-instance", "1", "-prefix", "/x%41/"}, "not allowed"},
		{"PrefixUnclean", []string{"-dsn", file, "-instance", "1", "-prefix", "/a/../b"}, "want a clean path"},
		{"PrefixDoubleSlash", []string{"-dsn", file, "-instance", "1", "-prefix", "//logs"}, "want a clean path"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stderr bytes.Buffer
			_, err := parseServe(tt.args, &stderr)
			if !errors.Is(err, errUsage) {
				t.Errorf("error = %v, want the usage error", err)
			}
			if !strings.Contains(stderr.String(), tt.want) || !strings.Contains(stderr.String(), "Usage:") {
				t.Errorf("stderr = %q, want %q and the usage", stderr.String(), tt.want)
			}
		})
	}
	t.Run("Help", func(t *testing.T) {
		var stderr bytes.Buffer
		if _, err := parseServe([]string{"-h"}, &stderr); !errors.Is(err, flag.ErrHelp) || !strings.Contains(stderr.String(), "-instance-header") {
			t.Errorf("error = %v, stderr %q; want flag.ErrHelp and the flags", err, stderr.String())
		}
	})
}

func TestRun_Commands(t *testing.T) {
	for _, args := range [][]string{nil, {"serv"}, {"-dsn", "x"}} {
		var stderr bytes.Buffer
		if err := run(t.Context(), args, &stderr, nil); !errors.Is(err, errUsage) || !strings.Contains(stderr.String(), "Usage:") {
			t.Errorf("run(%q) = %v, stderr %q; want the usage", args, err, stderr.String())
		}
	}
	var stderr bytes.Buffer
	if err := run(t.Context(), []string{"help"}, &stderr, nil); err != nil || !strings.Contains(stderr.String(), "integrationlogs serve") {
		t.Errorf("run(help) = %v, %q", err, stderr.String())
	}
}

// newDatabase makes a SQLite file with the tables, a run and two stage
// rows of instance 7 and one of instance 8; migrate false leaves it empty.
func newDatabase(t *testing.T, migrate bool) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "logs.db")
	db, err := sqlx.Open("sqlite", "file:"+path+"?_time_format=sqlite")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.Ping(); err != nil {
		t.Fatal(err)
	}
	if !migrate {
		return path
	}
	store, err := sqlstore.New(db, sqlstore.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := store.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	db.MustExec(`INSERT INTO integration_runs (id, instance_id, mode, status, started_at) VALUES (42, 7, 'apply', 'failed', ?), (43, 8, 'apply', 'completed', ?)`, start, start)
	db.MustExec(`INSERT INTO integration_run_stages (instance_id, run_id, stage, status, started_at, error_summary) VALUES
		(7, 42, 'validate_setup', 'completed', ?, NULL), (7, 42, 'extract', 'failed', ?, 'upstream 503'), (8, 43, 'validate_setup', 'completed', ?, NULL)`,
		start, start, start)
	return path
}

// startServer runs the serve command with args until t ends, and returns
// its base URL.
func startServer(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	addr := make(chan string, 1)
	done := make(chan error, 1)
	var stderr syncBuffer
	go func() {
		done <- run(ctx, append([]string{"serve", "-addr", "127.0.0.1:0"}, args...), &stderr, func(a string) { addr <- a })
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve returned %v after SIGINT; want a graceful nil\n%s", err, stderr.String())
		}
		if !strings.Contains(stderr.String(), "shutting down") {
			t.Errorf("stderr = %q, want the shutdown logged", stderr.String())
		}
	})
	select {
	case a := <-addr:
		return "http://" + a
	case err := <-done:
		t.Fatalf("serve: %v\n%s", err, stderr.String())
	case <-time.After(20 * time.Second):
		t.Fatalf("serve did not start\n%s", stderr.String())
	}
	return ""
}

func TestServe(t *testing.T) {
	path := newDatabase(t, true)

	t.Run("InstanceHeader", func(t *testing.T) {
		base := startServer(t, "-dsn", path, "-instance-header", "X-Instance")
		rows := func(instance string) (int, int) {
			req, _ := http.NewRequest(http.MethodGet, base+"/api/entries", nil)
			if instance != "" {
				req.Header.Set("X-Instance", instance)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var page struct{ Entries []json.RawMessage }
			json.NewDecoder(res.Body).Decode(&page)
			return res.StatusCode, len(page.Entries)
		}
		for _, tt := range []struct {
			instance   string
			code, rows int
		}{{"7", 200, 2}, {"8", 200, 1}, {"9", 200, 0}, {"", 400, 0}, {"0", 400, 0}, {"x", 400, 0}} {
			if code, n := rows(tt.instance); code != tt.code || n != tt.rows {
				t.Errorf("X-Instance %q: status %d, %d rows; want %d, %d", tt.instance, code, n, tt.code, tt.rows)
			}
		}
		res, err := http.Get(base + "/")
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != 400 {
			t.Errorf("page without the header: status %d, want 400", res.StatusCode)
		}
	})

	t.Run("FixedInstanceReadOnlyPrefix", func(t *testing.T) {
		base := startServer(t, "-dsn", "sqlite:"+path, "-instance", "7", "-read-only", "-prefix", "/logs")
		client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		for _, tt := range []struct {
			method, path string
			code         int
		}{
			{"GET", "/logs/", 200},
			{"GET", "/logs/api/entries", 200},
			{"GET", "/logs", 301},
			{"GET", "/", 302},
			{"POST", "/logs/api/purge", 404},
			{"GET", "/api/entries", 404},
		} {
			req, _ := http.NewRequest(tt.method, base+tt.path, strings.NewReader(`{"confirm": true}`))
			req.Header.Set("Content-Type", "application/json")
			res, err := client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != tt.code {
				t.Errorf("%s %s: status %d, want %d", tt.method, tt.path, res.StatusCode, tt.code)
			}
		}
	})
}

func TestServe_RefusesMissingTables(t *testing.T) {
	path := newDatabase(t, false)
	var stderr bytes.Buffer
	err := run(t.Context(), []string{"serve", "-addr", "127.0.0.1:0", "-dsn", path, "-instance", "1"}, &stderr, func(string) {
		t.Error("the server started on a database without the tables")
	})
	if err == nil || !strings.Contains(err.Error(), "cannot read the tables integration_runs and integration_run_stages") ||
		!strings.Contains(err.Error(), "create the tables first") {
		t.Errorf("error = %v, want one saying the tables are missing and what to do", err)
	}
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
