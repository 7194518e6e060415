package logshttp_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"
	_ "modernc.org/sqlite"

	"github.com/opsync/integrationlogs/runlog/logshttp"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// exampleStore opens a migrated store on a temporary SQLite database with
// a failed run of instance 7; the returned function removes it.
func exampleStore() (*sqlstore.Store, func()) {
	dir, err := os.MkdirTemp("", "logshttp-example")
	if err != nil {
		log.Fatal(err)
	}
	db, err := sqlx.Open("sqlite", "file:"+filepath.Join(dir, "logs.db")+"?_pragma=busy_timeout(5000)&_time_format=sqlite")
	if err != nil {
		log.Fatal(err)
	}
	store, err := sqlstore.New(db, sqlstore.Config{})
	if err != nil {
		log.Fatal(err)
	}
	if err := store.Migrate(context.Background()); err != nil {
		log.Fatal(err)
	}
	db.MustExec(`INSERT INTO integration_runs (id, instance_id, mode, status, started_at) VALUES (42, 7, 'apply', 'failed', '2026-11-20 09:00:00+00:00')`)
	db.MustExec(`INSERT INTO integration_run_stages (instance_id, run_id, stage, status, started_at, finished_at, error_summary, metrics_json)
		VALUES (7, 42, 'reconcile', 'failed', '2026-11-20 09:01:00+00:00', '2026-11-20 09:02:00+00:00',
		'3 records matched more than one local device', '{"matched": 1201, "ambiguous": 3}')`)
	return store, func() {
		store.Close()
		db.Close()
		os.RemoveAll(dir)
	}
}

// A host mounts the Logs tab under its own router, behind its own
// authentication: here a bearer token names the user, and users see only
// the instances they own.
func ExampleNew() {
	store, cleanup := exampleStore()
	defer cleanup()

	owners := map[string][]int64{"token-alice": {7}} // the host's sessions
	logs, err := logshttp.New(store, logshttp.Options{
		Instance: func(r *http.Request) (int64, error) {
			owned, ok := owners[strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")]
			if !ok {
				return 0, logshttp.StatusError(http.StatusUnauthorized, "sign in to see the logs")
			}
			id, err := strconv.ParseInt(r.PathValue("instance"), 10, 64)
			if err != nil || !contains(owned, id) {
				return 0, errors.New("not this user's integration") // 403
			}
			return id, nil
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/integrations/{instance}/logs/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.StripPrefix("/integrations/"+r.PathValue("instance")+"/logs", logs).ServeHTTP(w, r)
	}))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	get := func(path, token string) {
		req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			log.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		fmt.Println(res.StatusCode, res.Header.Get("Content-Type"))
		if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			var page struct {
				Entries []struct {
					RunLabel string `json:"run_label"`
					Status   struct {
						Label, Tone string
					} `json:"status"`
					Details struct{ Text string } `json:"details"`
				} `json:"entries"`
				Error string `json:"error"`
			}
			if err := json.Unmarshal(body, &page); err != nil {
				log.Fatal(err)
			}
			for _, e := range page.Entries {
				fmt.Printf("  %s  %s (%s)  %s\n", e.RunLabel, e.Status.Label, e.Status.Tone, e.Details.Text)
			}
			if page.Error != "" {
				fmt.Println("  error:", page.Error)
			}
		}
	}
	get("/integrations/7/logs/", "token-alice")            // the page
	get("/integrations/7/logs/api/entries", "token-alice") // its rows
	get("/integrations/8/logs/api/entries", "token-alice") // not hers
	get("/integrations/7/logs/api/entries", "")            // not signed in
	// Output:
	// 200 text/html; charset=utf-8
	// 200 application/json; charset=utf-8
	//   #42 · apply / failed  failed (danger)  3 records matched more than one local device
	// 403 application/json; charset=utf-8
	//   error: forbidden
	// 401 application/json; charset=utf-8
	//   error: sign in to see the logs
}

func contains(ids []int64, id int64) bool {
	for _, v := range ids {
		if v == id {
			return true
		}
	}
	return false
}

// With a fixed mount point, Options.Prefix lets the host mount the handler
// without http.StripPrefix.
func ExampleOptions_prefix() {
	store, cleanup := exampleStore()
	defer cleanup()
	logs, err := logshttp.New(store, logshttp.Options{
		Prefix:   "/admin/logs",
		ReadOnly: true, // no purge route, no Purge Logs button
		Instance: func(*http.Request) (int64, error) { return 7, nil },
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/admin/logs/", logs)

	for _, req := range []*http.Request{
		httptest.NewRequest(http.MethodGet, "/admin/logs/api/entries?status=failed", nil),
		httptest.NewRequest(http.MethodGet, "/admin/logs/api/entries?status=fail%00ed", nil),
		httptest.NewRequest(http.MethodPost, "/admin/logs/api/purge", strings.NewReader(`{"confirm": true}`)),
	} {
		w := httptest.NewRecorder()
		mux.ServeHTTP(w, req)
		var body struct {
			Entries []json.RawMessage `json:"entries"`
			Error   string            `json:"error"`
			Param   string            `json:"param"`
		}
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s %s: %d, %d entries %q %q\n", req.Method, req.URL, w.Code, len(body.Entries), body.Param, body.Error)
	}
	// Output:
	// GET /admin/logs/api/entries?status=failed: 200, 1 entries "" ""
	// GET /admin/logs/api/entries?status=fail%00ed: 400, 0 entries "status" "want a value of at most 64 bytes of UTF-8 text"
	// POST /admin/logs/api/purge: 404, 0 entries "" "not found"
}
