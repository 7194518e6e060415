package logshttp_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	_ "modernc.org/sqlite"

	"github.com/opsync/integrationlogs/runlog/logshttp"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// openStore returns a migrated Store on a new SQLite file in tb's temporary
// directory (WAL, a busy timeout, times in the schema's text form), and its
// database.
func openStore(tb testing.TB) (*sqlstore.Store, *sqlx.DB) {
	tb.Helper()
	dsn := "file:" + filepath.Join(tb.TempDir(), "logs.db") +
		"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_time_format=sqlite"
	db, err := sqlx.Open("sqlite", dsn)
	if err != nil {
		tb.Fatalf("open SQLite: %v", err)
	}
	tb.Cleanup(func() { db.Close() })
	store, err := sqlstore.New(db, sqlstore.Config{})
	if err != nil {
		tb.Fatalf("sqlstore.New: %v", err)
	}
	tb.Cleanup(func() { store.Close() })
	if err := store.Migrate(tb.Context()); err != nil {
		tb.Fatalf("Migrate: %v", err)
	}
	return store, db
}

// The fixture's instances: the one whose tab the tests read, and another
// whose rows must never show nor be purged.
const (
	instanceID = 1
	otherID    = 2
)

// base is the fixture's clock.
var base = time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)

// run is a fixture run and its stage rows.
type run struct {
	id, instance int64
	mode, status string
	stages       []stageRow
}

// stageRow is a fixture stage row. started and took count from base plus
// the run's hour; started < 0 leaves started_at NULL, took 0 finished_at.
type stageRow struct {
	stage, status string
	attempt       int
	started, took time.Duration
	summary       string
	payload       string
	metrics       string
}

// chainPayload is an error payload with a trace and two previous exceptions.
const chainPayload = `{"type":"ReconcileError","message":"reconcile: 3 records matched more than one local device","trace":"reconcile.(*Matcher).Run\n\tmatcher.go:88","previous":[{"type":"*pgconn.PgError","message":"ERROR: deadlock detected (SQLSTATE 40P01)","trace":"store.(*Devices).Lock\n\tdevices.go:52"},{"type":"*net.OpError","message":"read tcp 10.0.0.7:5432: i/o timeout"}]}`

// reconcileSummary is the failed reconcile row's error summary, longer than
// the Details cell shows.
const reconcileSummary = "Reconcile stopped: 3 upstream records matched more than one local device, and the device lock could not be taken (deadlock detected). No changes were applied."

// fixture is the tests' history: 19 rows of instance 1 in four runs, and
// 2 rows of instance 2.
var fixture = []run{
	{id: 101, instance: instanceID, mode: "apply", status: "completed", stages: []stageRow{
		{stage: "validate_setup", status: "completed", took: 2 * time.Second, metrics: `{"checks": 4, "credentials": "ok"}`},
		{stage: "extract", status: "completed", started: 2 * time.Second, took: time.Minute, metrics: `{"records_pulled": 1284, "pages": 13}`},
		{stage: "canonicalize", status: "completed", started: 62 * time.Second, took: 9 * time.Second, metrics: `{"records_in": 1284, "dropped": {"missing_serial": 5}}`},
		{stage: "reconcile", status: "completed", started: 71 * time.Second, took: 40 * time.Second, metrics: `{"matched": 1190, "unmatched": 89}`},
		{stage: "decide", status: "completed", started: 111 * time.Second, took: 6 * time.Second, metrics: `{"decisions": 1279, "decision_reason_codes": {"LINK_FOUND_BY_EXTERNAL_ID": 1181, "NO_MATCH_CREATE_CANDIDATE": 89}}`},
		{stage: "apply", status: "completed", started: 117 * time.Second, took: 2 * time.Minute, metrics: `{"updated": 1181, "created": 89}`},
	}},
	{id: 102, instance: instanceID, mode: "preview", status: "preview_ready", stages: []stageRow{
		{stage: "validate_setup", status: "completed", took: 2 * time.Second},
		{stage: "extract", status: "completed", started: 2 * time.Second, took: time.Minute},
		{stage: "canonicalize", status: "error", started: 62 * time.Second, took: 10 * time.Second,
			summary: "2 records carried a serial number with invalid characters.", metrics: `{"flagged": 2}`},
		{stage: "reconcile", status: "completed", started: 72 * time.Second, took: 40 * time.Second},
		{stage: "decide", status: "preview_ready", started: 112 * time.Second, took: 7 * time.Second,
			metrics: `{"decisions": 1291, "decision_reason_codes": {"LINK_FOUND_BY_EXTERNAL_ID": 1185, "HOST_ARCHIVED_SKIP": 7, "MEDIUM_MATCH_REQUIRES_REVIEW": 12}}`},
	}},
	{id: 103, instance: instanceID, mode: "apply", status: "failed", stages: []stageRow{
		{stage: "validate_setup", status: "completed", took: 2 * time.Second},
		{stage: "extract", status: "failed", attempt: 1, started: 2 * time.Second, took: 30 * time.Second,
			summary: "Upstream inventory API timed out after 30 s.",
			payload: `{"message":"cURL error 28","exception":"GuzzleHttp\\Exception\\ConnectException","trace":[{"file":"/app/Client.php","line":114}]}`},
		{stage: "extract", status: "completed", attempt: 2, started: 35 * time.Second, took: time.Minute},
		{stage: "canonicalize", status: "completed", started: 95 * time.Second, took: 9 * time.Second},
		{stage: "reconcile", status: "failed", started: 104 * time.Second, took: time.Minute,
			summary: reconcileSummary, payload: chainPayload,
			metrics: `{"matched": 1201, "ambiguous": 3, "unmatched": 96, "conflicts": {"serials": ["A1", "B2"]}}`},
	}},
	{id: 104, instance: instanceID, mode: "apply", status: "running", stages: []stageRow{
		{stage: "validate_setup", status: "completed", took: 2 * time.Second},
		{stage: "extract", status: "running", started: 2 * time.Second},
		{stage: "canonicalize", status: "queued", started: -1},
	}},
	{id: 201, instance: otherID, mode: "apply", status: "completed", stages: []stageRow{
		{stage: "validate_setup", status: "completed", took: time.Second},
		{stage: "extract", status: "failed", started: time.Second, took: 3 * time.Second, summary: "instance 2's own failure"},
	}},
}

// fixtureRows is how many stage rows of instanceID the fixture holds.
const fixtureRows = 19

// seed writes runs with plain INSERTs, as a host's pipeline does, and
// returns the ids of their stage rows in order.
func seed(tb testing.TB, db *sqlx.DB, runs []run) []int64 {
	tb.Helper()
	var ids []int64
	for _, r := range runs {
		started := base.Add(time.Duration(r.id%100) * time.Hour)
		db.MustExec(`INSERT INTO integration_runs (id, instance_id, mode, status, started_at) VALUES (?, ?, ?, ?, ?)`,
			r.id, r.instance, r.mode, r.status, started)
		for _, s := range r.stages {
			ids = append(ids, insertStage(tb, db, r.instance, r.id, started, s))
		}
	}
	return ids
}

// insertStage writes one stage row of run runID, which started at
// runStart, and returns its id.
func insertStage(tb testing.TB, db *sqlx.DB, instance, runID int64, runStart time.Time, s stageRow) int64 {
	tb.Helper()
	var startedAt, finishedAt any
	if s.started >= 0 {
		t := runStart.Add(s.started)
		startedAt = t
		if s.took > 0 {
			finishedAt = t.Add(s.took)
		}
	}
	res, err := db.Exec(`INSERT INTO integration_run_stages
		(instance_id, run_id, stage, status, attempt, started_at, finished_at, error_summary, metrics_json, error_payload)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		instance, runID, s.stage, s.status, max(s.attempt, 1), startedAt, finishedAt,
		nullable(s.summary), nullable(s.metrics), nullable(s.payload))
	if err != nil {
		tb.Fatalf("insert stage row: %v", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		tb.Fatalf("insert stage row: %v", err)
	}
	return id
}

// nullable maps "" to SQL NULL.
func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// headerInstance resolves the instance from the X-Instance header, as a
// trusted proxy would set it; requests without it are instance 1.
func headerInstance(r *http.Request) (int64, error) {
	v := r.Header.Get("X-Instance")
	if v == "" {
		return instanceID, nil
	}
	id, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, logshttp.StatusError(http.StatusBadRequest, "X-Instance: want an integer")
	}
	return id, nil
}

// newHandler returns a handler on store with opts; a nil opts.Instance is
// headerInstance and a nil Logger logs to log (when not nil).
func newHandler(tb testing.TB, store *sqlstore.Store, opts logshttp.Options, log *logBuffer) http.Handler {
	tb.Helper()
	if opts.Instance == nil {
		opts.Instance = headerInstance
	}
	if opts.Logger == nil && log != nil {
		opts.Logger = slog.New(slog.NewJSONHandler(log, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	h, err := logshttp.New(store, opts)
	if err != nil {
		tb.Fatalf("logshttp.New: %v", err)
	}
	return h
}

// request is one request to a handler.
type request struct {
	method, target string
	body           string
	header         map[string]string
}

// serve runs req through h.
func serve(h http.Handler, req request) *httptest.ResponseRecorder {
	var body io.Reader
	if req.body != "" {
		body = strings.NewReader(req.body)
	}
	r := httptest.NewRequest(cmpOr(req.method, http.MethodGet), req.target, body)
	for k, v := range req.header {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// decode reads a JSON response body into v, failing tb unless the response
// is JSON.
func decode(tb testing.TB, w *httptest.ResponseRecorder, v any) {
	tb.Helper()
	if ct := w.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		tb.Fatalf("Content-Type = %q, want application/json; charset=utf-8 (body %q)", ct, w.Body.String())
	}
	dec := json.NewDecoder(bytes.NewReader(w.Body.Bytes()))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		tb.Fatalf("decode %q: %v", w.Body.String(), err)
	}
}

// logBuffer collects a handler's JSON log lines; it is safe for concurrent
// use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// records returns the log records at level or above.
func (l *logBuffer) records(tb testing.TB, level slog.Level) []map[string]any {
	tb.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []map[string]any
	for line := range strings.Lines(l.buf.String()) {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			tb.Fatalf("log line %q: %v", line, err)
		}
		var lv slog.Level
		if err := lv.UnmarshalText([]byte(rec["level"].(string))); err != nil {
			tb.Fatal(err)
		}
		if lv >= level {
			out = append(out, rec)
		}
	}
	return out
}

// serveCancelled runs GET target through h with a context cancelled
// already, as when the client has gone.
func serveCancelled(h http.Handler, target string) *httptest.ResponseRecorder {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := httptest.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
