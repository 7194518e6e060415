package main

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"os"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/jmoiron/sqlx"

	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// TestServe_Servers starts the server on PostgreSQL and MariaDB, each a new
// database made through the DSN in the environment (as the store's tests
// do) and dropped after; without the DSN the server is skipped.
func TestServe_Servers(t *testing.T) {
	servers := []struct {
		name, env string
		driver    string
		dsnFor    func(t *testing.T, dsn, db string) string
	}{
		{"PostgreSQL", "INTEGRATIONLOGS_POSTGRES_DSN", "pgx", func(t *testing.T, dsn, db string) string {
			u, err := url.Parse(dsn)
			if err != nil {
				t.Fatal(err)
			}
			u.Path = "/" + db
			return u.String()
		}},
		{"MySQL", "INTEGRATIONLOGS_MYSQL_DSN", "mysql", func(t *testing.T, dsn, db string) string {
			cfg, err := mysql.ParseDSN(dsn)
			if err != nil {
				t.Fatal(err)
			}
			cfg.DBName = db
			return cfg.FormatDSN()
		}},
	}
	for _, s := range servers {
		t.Run(s.name, func(t *testing.T) {
			admin := os.Getenv(s.env)
			if admin == "" {
				t.Skip(s.env + " not set; skipping " + s.name)
			}
			adminDB, err := sqlx.Open(s.driver, admin)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { adminDB.Close() }) // after the drop below
			b := make([]byte, 6)
			rand.Read(b)
			name := "ilogs_" + hex.EncodeToString(b)
			if _, err := adminDB.Exec("CREATE DATABASE " + name); err != nil {
				t.Fatalf("create database: %v", err)
			}
			dsn := s.dsnFor(t, admin, name)
			db, err := sqlx.Open(s.driver, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() {
				db.Close()
				drop := "DROP DATABASE IF EXISTS " + name
				if s.driver == "pgx" {
					drop += " WITH (FORCE)"
				}
				if _, err := adminDB.Exec(drop); err != nil {
					t.Errorf("drop database %s: %v", name, err)
				}
			})

			// Without the tables the server refuses to start.
			if err := run(t.Context(), []string{"serve", "-addr", "127.0.0.1:0", "-dsn", dsn, "-instance", "1"}, new(syncBuffer), nil); err == nil {
				t.Fatal("the server started on a database without the tables")
			}
			store, err := sqlstore.New(db, sqlstore.Config{})
			if err != nil {
				t.Fatal(err)
			}
			defer store.Close()
			if err := store.Migrate(t.Context()); err != nil {
				t.Fatal(err)
			}
			db.MustExec(db.Rebind(`INSERT INTO integration_runs (id, instance_id, mode, status) VALUES (1, 7, 'apply', 'running')`))
			db.MustExec(db.Rebind(`INSERT INTO integration_run_stages (instance_id, run_id, stage, status) VALUES (7, 1, 'extract', 'running')`))

			base := startServer(t, "-dsn", dsn, "-instance", "7")
			res, err := http.Get(base + "/api/entries")
			if err != nil {
				t.Fatal(err)
			}
			res.Body.Close()
			if res.StatusCode != 200 {
				t.Errorf("GET api/entries on %s: status %d", s.name, res.StatusCode)
			}
		})
	}
}
