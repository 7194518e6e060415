package sqlstore_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/jmoiron/sqlx"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/details"
	"github.com/opsync/integrationlogs/runlog/redact"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// clock is a settable clock for Config.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// MustOpenStoreWith returns a migrated Store with cfg on a new database.
func MustOpenStoreWith(tb testing.TB, d sqlstore.Dialect, cfg sqlstore.Config) (*sqlstore.Store, *sqlx.DB) {
	tb.Helper()
	db := MustOpenDB(tb, d)
	store, err := sqlstore.New(db, cfg)
	if err != nil {
		tb.Fatalf("sqlstore.New: %v", err)
	}
	tb.Cleanup(func() { store.Close() })
	if err := store.Migrate(tb.Context()); err != nil {
		tb.Fatalf("Migrate: %v", err)
	}
	return store, db
}

// recordPipeline records a run of mode through every stage of its
// pipeline, each completed with small metrics, the decide stage with
// reason codes, and finishes it.
func recordPipeline(t testing.TB, store *sqlstore.Store, instanceID int64, mode runlog.Mode) runlog.Run {
	t.Helper()
	ctx := context.Background()
	run, err := store.StartRun(ctx, instanceID, mode, sqlstore.RunOptions{})
	if err != nil {
		t.Fatalf("StartRun: %v", err)
	}
	for i, stage := range runlog.Pipeline(mode) {
		rec, err := store.BeginStage(ctx, run.ID, stage)
		if err != nil {
			t.Fatalf("BeginStage(%s): %v", stage, err)
		}
		var m runlog.Metrics
		m.Set("processed", 100+i).Set("invalid", i)
		if stage == runlog.StageDecide {
			m.Set("decision_reason_codes", map[string]int{"LINK_FOUND_BY_EXTERNAL_ID": 90, "NO_MATCH_CREATE_CANDIDATE": 10})
		}
		if err := rec.Complete(ctx, &m); err != nil {
			t.Fatalf("Complete(%s): %v", stage, err)
		}
	}
	status := runlog.RunCompleted
	if mode == runlog.ModePreview {
		status = runlog.RunPreviewReady
	}
	if err := store.FinishRun(ctx, run.ID, status, map[string]int{"creates": 10, "updates": 90}); err != nil {
		t.Fatalf("FinishRun: %v", err)
	}
	return run
}

// runRecord reads a run row with plain SQL.
type runRecord struct {
	Status  string  `db:"status"`
	Summary *string `db:"summary_json"`
	Debug   bool    `db:"debug"`
}

func readRun(t *testing.T, db *sqlx.DB, id int64) runRecord {
	t.Helper()
	var r runRecord
	if err := db.Get(&r, db.Rebind("SELECT status, summary_json, debug FROM integration_runs WHERE id = ?"), id); err != nil {
		t.Fatalf("read run %d: %v", id, err)
	}
	return r
}

func testRecordPipeline(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	for _, mode := range []runlog.Mode{runlog.ModeApply, runlog.ModePreview} {
		t.Run(string(mode), func(t *testing.T) {
			run := recordPipeline(t, store, 1, mode)
			res, err := store.List(t.Context(), 1, sqlstore.ListParams{RunID: run.ID})
			if err != nil {
				t.Fatal(err)
			}
			var stages []runlog.Stage
			for _, e := range res.Entries {
				stages = append(stages, e.Stage)
				want := runlog.StatusCompleted
				if mode == runlog.ModePreview && e.Stage == runlog.StageDecide {
					want = runlog.StatusPreviewReady
				}
				if e.Status != want || e.Attempt != 1 || e.FinishedAt == nil || e.StartedAt.IsZero() || e.Mode != mode {
					t.Errorf("row %s = %s attempt %d started %v finished %v mode %q; want %s, 1, both times, %s",
						e.Stage, e.Status, e.Attempt, e.StartedAt, e.FinishedAt, e.Mode, want, mode)
				}
			}
			if diff := cmp.Diff(runlog.Pipeline(mode), stages); diff != "" {
				t.Errorf("rows of a %s run (-want +got):\n%s", mode, diff)
			}
			r := readRun(t, db, run.ID)
			want := `{"creates":10,"updates":90,"top_decision_reason_codes":[{"code":"LINK_FOUND_BY_EXTERNAL_ID","count":90},{"code":"NO_MATCH_CREATE_CANDIDATE","count":10}]}`
			if r.Summary == nil || *r.Summary != want {
				t.Errorf("summary_json = %v, want %s", r.Summary, want)
			}
			if sum := details.Summarize(res.Entries[0]); sum.String() != "processed: 100 · invalid: 0" {
				t.Errorf("Details cell of the first row = %q", sum.String())
			}
		})
	}
}

func testRecordAttempts(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	ctx := t.Context()
	run, err := store.StartRun(ctx, 1, runlog.ModeApply, sqlstore.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// 8 workers retry the same stage at once, each on a connection of its own.
	const workers = 8
	var wg sync.WaitGroup
	attempts := make([]int, workers)
	errs := make([]error, workers)
	start := make(chan struct{})
	for i := range workers {
		wg.Go(func() {
			<-start
			rec, err := store.BeginStage(ctx, run.ID, runlog.StageExtract)
			if err != nil {
				errs[i] = err
				return
			}
			attempts[i] = rec.Attempt()
			errs[i] = rec.Fail(ctx, fmt.Errorf("worker %d: upstream timeout", i), nil)
		})
	}
	close(start)
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("worker %d: %v", i, err)
		}
	}
	slices.Sort(attempts)
	if diff := cmp.Diff([]int{1, 2, 3, 4, 5, 6, 7, 8}, attempts); diff != "" {
		t.Errorf("attempts of 8 concurrent retries (-want +got):\n%s", diff)
	}
	var stored []int
	if err := db.Select(&stored, db.Rebind("SELECT attempt FROM integration_run_stages WHERE run_id = ? ORDER BY attempt"), run.ID); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{1, 2, 3, 4, 5, 6, 7, 8}, stored); diff != "" {
		t.Errorf("stored attempts (-want +got):\n%s", diff)
	}
	// Another stage starts at 1 again.
	rec, err := store.BeginStage(ctx, run.ID, runlog.StageCanonicalize)
	if err != nil || rec.Attempt() != 1 {
		t.Errorf("BeginStage(canonicalize) = attempt %v, %v; want 1", rec, err)
	}
}

func testRecordTransitions(t *testing.T, d sqlstore.Dialect) {
	clk := newClock()
	store, db := MustOpenStoreWith(t, d, sqlstore.Config{Now: clk.Now})
	ctx := t.Context()
	run, err := store.StartRun(ctx, 1, runlog.ModeApply, sqlstore.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}

	// Queued, then started.
	rec, err := store.QueueStage(ctx, run.ID, runlog.StageValidateSetup)
	if err != nil {
		t.Fatal(err)
	}
	e := mustEntry(t, store, rec.ID())
	if e.Status != runlog.StatusQueued || !e.StartedAt.IsZero() || e.FinishedAt != nil {
		t.Errorf("queued row = %s started %v finished %v; want queued, neither time", e.Status, e.StartedAt, e.FinishedAt)
	}
	clk.Advance(time.Second)
	if err := rec.Start(ctx); err != nil {
		t.Fatalf("Start: %v", err)
	}
	if err := rec.Start(ctx); !errors.Is(err, sqlstore.ErrStageFinished) {
		t.Errorf("Start() again error = %v, want ErrStageFinished", err)
	}
	clk.Advance(2 * time.Second)
	if err := rec.Complete(ctx, nil); err != nil {
		t.Fatal(err)
	}
	e = mustEntry(t, store, rec.ID())
	if e.Status != runlog.StatusCompleted || !e.StartedAt.Equal(clk.Now().Add(-2*time.Second)) ||
		e.FinishedAt == nil || !e.FinishedAt.Equal(clk.Now()) || e.Metrics != nil {
		t.Errorf("completed row = %+v", e)
	}
	if err := rec.Complete(ctx, nil); !errors.Is(err, sqlstore.ErrStageFinished) {
		t.Errorf("Complete() again error = %v, want ErrStageFinished", err)
	}

	// A soft error: the run goes on.
	rec, err = store.BeginStage(ctx, run.ID, runlog.StageCanonicalize)
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.SoftError(ctx, errors.New("2 records kept as-is"), map[string]int{"flagged": 2}); err != nil {
		t.Fatal(err)
	}
	if e := mustEntry(t, store, rec.ID()); e.Status != runlog.StatusError || e.ErrorSummary != "2 records kept as-is" {
		t.Errorf("soft error row = %s %q", e.Status, e.ErrorSummary)
	}
	if r := readRun(t, db, run.ID); r.Status != string(runlog.RunRunning) {
		t.Errorf("run after a soft error = %s, want running", r.Status)
	}

	// A failure: the run is failed at once.
	rec, err = store.BeginStage(ctx, run.ID, runlog.StageReconcile)
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.Fail(ctx, errors.New("reconcile: 3 ambiguous matches"), nil); err != nil {
		t.Fatal(err)
	}
	if r := readRun(t, db, run.ID); r.Status != string(runlog.RunFailed) {
		t.Errorf("run after a failure = %s, want failed", r.Status)
	}

	// Bad input.
	for _, tc := range []struct {
		name string
		err  error
		want error
	}{
		{"UnknownRun", errOf(store.BeginStage(ctx, 99999, runlog.StageExtract)), sqlstore.ErrNotFound},
		{"EmptyStage", errOf(store.BeginStage(ctx, run.ID, "")), sqlstore.ErrInvalidValue},
		{"InvalidUTF8Stage", errOf(store.BeginStage(ctx, run.ID, "\xff")), sqlstore.ErrInvalidValue},
		{"LongStage", errOf(store.BeginStage(ctx, run.ID, runlog.Stage(strings.Repeat("s", 65)))), sqlstore.ErrInvalidValue},
		{"EmptyMode", errOf(store.StartRun(ctx, 1, "", sqlstore.RunOptions{})), sqlstore.ErrInvalidValue},
		{"ZeroInstance", errOf(store.StartRun(ctx, 0, runlog.ModeApply, sqlstore.RunOptions{})), sqlstore.ErrInvalidInstance},
		{"FinishUnknownRun", store.FinishRun(ctx, 99999, runlog.RunCompleted, nil), sqlstore.ErrNotFound},
		{"FinishBadStatus", store.FinishRun(ctx, run.ID, "", nil), sqlstore.ErrInvalidValue},
		{"FinishUnencodable", store.FinishRun(ctx, run.ID, runlog.RunFailed, map[string]any{"c": make(chan int)}), sqlstore.ErrInvalidMetrics},
	} {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: error = %v, want %v", tc.name, tc.err, tc.want)
		}
	}

	// A host's own stage and mode are recorded as they are.
	own, err := store.StartRun(ctx, 1, "dry-run", sqlstore.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rec, err = store.BeginStage(ctx, own.ID, "enrich")
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.Complete(ctx, map[string]any{"bad": json.RawMessage(`{`)}); err == nil {
		t.Errorf("Complete(unencodable metrics) error = nil")
	} else if !errors.Is(err, sqlstore.ErrInvalidMetrics) {
		t.Errorf("Complete(unencodable metrics) error = %v, want ErrInvalidMetrics", err)
	}
	e = mustEntry(t, store, rec.ID())
	if e.Stage != "enrich" || e.Mode != "dry-run" || e.Status != runlog.StatusCompleted || !strings.Contains(string(e.Metrics), "metrics_error") {
		t.Errorf("host's own stage row = %+v", e)
	}
}

func errOf[T any](_ T, err error) error { return err }

func mustEntry(t *testing.T, store *sqlstore.Store, id int64) runlog.Entry {
	t.Helper()
	res, err := store.List(t.Context(), 1, sqlstore.ListParams{Limit: sqlstore.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range res.Entries {
		if e.ID == id {
			full, err := store.Entry(t.Context(), e.InstanceID, id)
			if err != nil {
				t.Fatal(err)
			}
			return full
		}
	}
	t.Fatalf("row %d not listed", id)
	return runlog.Entry{}
}

func testRecordPurged(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	ctx := t.Context()
	run, err := store.StartRun(ctx, 1, runlog.ModeApply, sqlstore.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	a, err := store.BeginStage(ctx, run.ID, runlog.StageExtract)
	if err != nil {
		t.Fatal(err)
	}
	b, err := store.QueueStage(ctx, run.ID, runlog.StageCanonicalize)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := store.Purge(ctx, 1); err != nil {
		t.Fatal(err)
	}
	if err := a.Fail(ctx, errors.New("boom"), nil); !errors.Is(err, sqlstore.ErrStageGone) {
		t.Errorf("Fail() after a purge error = %v, want ErrStageGone", err)
	}
	if err := a.Complete(ctx, map[string]int{"n": 1}); !errors.Is(err, sqlstore.ErrStageGone) {
		t.Errorf("Complete() after a purge error = %v, want ErrStageGone", err)
	}
	if err := b.Start(ctx); !errors.Is(err, sqlstore.ErrStageGone) {
		t.Errorf("Start() after a purge error = %v, want ErrStageGone", err)
	}
	if n := CountRows(t, db, sqlstore.DefaultStagesTable, ""); n != 0 {
		t.Errorf("%d stage rows after the purge, want 0: the recorder wrote one back", n)
	}
	if r := readRun(t, db, run.ID); r.Status != string(runlog.RunRunning) {
		t.Errorf("run = %s after a Fail that found no row, want it untouched (running)", r.Status)
	}
	// The run goes on recording.
	c, err := store.BeginStage(ctx, run.ID, runlog.StageExtract)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Complete(ctx, nil); err != nil {
		t.Errorf("Complete() of a stage begun after the purge: %v", err)
	}
}

func testStale(t *testing.T, d sqlstore.Dialect) {
	clk := newClock()
	store, db := MustOpenStoreWith(t, d, sqlstore.Config{Now: clk.Now})
	ctx := t.Context()
	run, err := store.StartRun(ctx, 1, runlog.ModeApply, sqlstore.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	other, err := store.StartRun(ctx, 2, runlog.ModeApply, sqlstore.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	old, err := store.BeginStage(ctx, run.ID, runlog.StageValidateSetup) // running, 2 h old
	if err != nil {
		t.Fatal(err)
	}
	queued, err := store.QueueStage(ctx, run.ID, runlog.StageExtract) // queued, 2 h old
	if err != nil {
		t.Fatal(err)
	}
	done, err := store.BeginStage(ctx, run.ID, runlog.StageCanonicalize)
	if err != nil {
		t.Fatal(err)
	}
	if err := done.Complete(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := store.BeginStage(ctx, other.ID, runlog.StageExtract); err != nil { // another instance's
		t.Fatal(err)
	}
	clk.Advance(90 * time.Minute)
	fresh, err := store.BeginStage(ctx, run.ID, runlog.StageReconcile) // 30 min old
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(30 * time.Minute)

	stale, err := store.Stale(ctx, 1, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int64{old.ID(), queued.ID()}, entryIDs(stale)); diff != "" {
		t.Errorf("Stale(1h) (-want +got):\n%s", diff)
	}
	if got, _ := store.Stale(ctx, 1, 10*time.Minute); len(got) != 3 {
		t.Errorf("Stale(10m) = %d rows, want 3", len(got))
	}
	for _, bad := range []time.Duration{0, -time.Second} {
		if _, err := store.Stale(ctx, 1, bad); !errors.Is(err, sqlstore.ErrInvalidDuration) {
			t.Errorf("Stale(%v) error = %v, want ErrInvalidDuration", bad, err)
		}
	}

	n, err := store.ExpireStale(ctx, 1, time.Hour)
	if err != nil || n != 2 {
		t.Fatalf("ExpireStale(1h) = %d, %v; want 2", n, err)
	}
	for _, id := range []int64{old.ID(), queued.ID()} {
		e := mustEntry(t, store, id)
		if e.Status != runlog.StatusFailed || e.FinishedAt == nil || !strings.HasPrefix(e.ErrorSummary, "timed out") {
			t.Errorf("expired row %d = %s finished %v summary %q", id, e.Status, e.FinishedAt, e.ErrorSummary)
		}
	}
	if r := readRun(t, db, run.ID); r.Status != string(runlog.RunFailed) {
		t.Errorf("run with expired rows = %s, want failed", r.Status)
	}
	if r := readRun(t, db, other.ID); r.Status != string(runlog.RunRunning) {
		t.Errorf("another instance's run = %s, want running", r.Status)
	}
	// The dead worker's recorder learns its row was expired.
	if err := old.Complete(ctx, nil); !errors.Is(err, sqlstore.ErrStageFinished) {
		t.Errorf("Complete() of an expired row error = %v, want ErrStageFinished", err)
	}
	if err := fresh.Complete(ctx, nil); err != nil {
		t.Errorf("Complete() of a row that was not stale: %v", err)
	}
	if n, err := store.ExpireStale(ctx, 1, time.Hour); err != nil || n != 0 {
		t.Errorf("ExpireStale() again = %d, %v; want 0", n, err)
	}
}

func testRecordText(t *testing.T, d sqlstore.Dialect) {
	store, _ := MustOpenStoreWith(t, d, sqlstore.Config{SummaryLimit: 512, MetricsLimit: 1024})
	ctx := t.Context()
	run, err := store.StartRun(ctx, 1, runlog.ModeApply, sqlstore.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	record := func(err error, metrics any) runlog.Entry {
		t.Helper()
		rec, berr := store.BeginStage(ctx, run.ID, runlog.StageExtract)
		if berr != nil {
			t.Fatal(berr)
		}
		if ferr := rec.SoftError(ctx, err, metrics); ferr != nil {
			t.Fatal(ferr)
		}
		return mustEntry(t, store, rec.ID())
	}

	// NUL and invalid UTF-8 become U+FFFD, the same on every database.
	e := record(errors.New("serial \"AB-12\x00\" is \xff\xfe bad\nsecond line"), map[string]string{"serial": "AB\x00\xff"})
	if want := "serial \"AB-12\uFFFD\" is \uFFFD\uFFFD bad second line"; e.ErrorSummary != want {
		t.Errorf("summary = %q, want %q", e.ErrorSummary, want)
	}
	var p details.Payload
	if err := json.Unmarshal(e.ErrorPayload, &p); err != nil {
		t.Fatalf("payload %s: %v", e.ErrorPayload, err)
	}
	if want := "serial \"AB-12\uFFFD\" is \uFFFD\uFFFD bad\nsecond line"; p.Message != want {
		t.Errorf("payload message = %q, want %q", p.Message, want)
	}
	var m map[string]string
	if err := json.Unmarshal(e.Metrics, &m); err != nil || m["serial"] != "AB\u0000\uFFFD" {
		t.Errorf("metrics %s: %v", e.Metrics, err)
	}

	// Over the limits: cut, still valid UTF-8 and JSON, the size recorded.
	long := strings.Repeat("é", 2000) // 4000 bytes
	big := map[string]string{"a": "first", "b": strings.Repeat("x", 2000), "c": "never"}
	e = record(errors.New(long), big)
	if len(e.ErrorSummary) > 512 || !strings.HasSuffix(e.ErrorSummary, "… (cut from 4000 bytes)") || !utf8.ValidString(e.ErrorSummary) {
		t.Errorf("cut summary: %d bytes, ends %q", len(e.ErrorSummary), e.ErrorSummary[max(0, len(e.ErrorSummary)-40):])
	}
	if want := `{"a":"first","_truncated":{"original_size":2032,"members_omitted":2}}`; string(e.Metrics) != want {
		t.Errorf("cut metrics = %s, want %s", e.Metrics, want)
	}
}

func testRecordLogging(t *testing.T, d sqlstore.Dialect) {
	var buf bytes.Buffer
	var mu sync.Mutex
	logger := slog.New(slog.NewJSONHandler(lockedWriter{&mu, &buf}, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey || a.Key == "duration" {
				return slog.Attr{}
			}
			return a
		},
	}))
	store, _ := MustOpenStoreWith(t, d, sqlstore.Config{Logger: logger})
	ctx := t.Context()
	run, err := store.StartRun(ctx, 1, runlog.ModeApply, sqlstore.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := store.BeginStage(ctx, run.ID, runlog.StageExtract)
	if err != nil {
		t.Fatal(err)
	}
	if err := rec.Fail(ctx, errors.New("upstream\nreturned 503"), nil); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	got := strings.ReplaceAll(buf.String(), fmt.Sprintf(`"run_id":%d`, run.ID), `"run_id":R`)
	mu.Unlock()
	want := `{"level":"INFO","msg":"run started","run_id":R,"instance_id":1,"mode":"apply","debug":false}
{"level":"INFO","msg":"stage running","run_id":R,"instance_id":1,"stage":"extract","attempt":1,"status":"running"}
{"level":"ERROR","msg":"stage failed","run_id":R,"instance_id":1,"stage":"extract","attempt":1,"status":"failed","error_summary":"upstream returned 503"}
`
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("log (-want +got):\n%s", diff)
	}
}

type lockedWriter struct {
	mu *sync.Mutex
	w  *bytes.Buffer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// testRecordLoad: 8 goroutines record 200 runs each, alternating between
// two instances, while one goroutine pages instance 1 and another purges
// it. Afterwards instance 2 has every row it recorded, and no page of
// instance 1 ever held a row of instance 2.
func testRecordLoad(t *testing.T, d sqlstore.Dialect) {
	if testing.Short() {
		t.Skip("a load test; skipped with -short")
	}
	store, db := MustOpenStore(t, d)
	if d == sqlstore.SQLite {
		db.SetMaxOpenConns(1)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 3*time.Minute)
	defer cancel()
	const writers, runsEach = 8, 200
	var recorded2 atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, writers+2)
	for w := range writers {
		wg.Go(func() {
			for i := range runsEach {
				instance := int64(1 + (w+i)%2)
				mode := runlog.ModeApply
				if i%3 == 0 {
					mode = runlog.ModePreview
				}
				run, err := store.StartRun(ctx, instance, mode, sqlstore.RunOptions{})
				if err != nil {
					errs <- err
					return
				}
				for _, stage := range runlog.Pipeline(mode) {
					rec, err := store.BeginStage(ctx, run.ID, stage)
					if err != nil {
						errs <- err
						return
					}
					if instance == 2 {
						recorded2.Add(1)
					}
					err = rec.Complete(ctx, map[string]int{"processed": i})
					if err != nil && !(instance == 1 && errors.Is(err, sqlstore.ErrStageGone)) {
						errs <- err
						return
					}
				}
				if err := store.FinishRun(ctx, run.ID, runlog.RunCompleted, nil); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	done := make(chan struct{})
	var pages, purges atomic.Int64
	var bg sync.WaitGroup
	bg.Go(func() {
		p := sqlstore.ListParams{Limit: 20}
		for {
			select {
			case <-done:
				return
			default:
			}
			res, err := store.List(ctx, 1, p)
			if err != nil {
				errs <- fmt.Errorf("page: %w", err)
				return
			}
			pages.Add(1)
			for _, e := range res.Entries {
				if e.InstanceID != 1 {
					errs <- fmt.Errorf("a page of instance 1 held row %d of instance %d", e.ID, e.InstanceID)
					return
				}
			}
			p.Cursor = res.Next
		}
	})
	bg.Go(func() {
		for {
			select {
			case <-done:
				return
			case <-time.After(50 * time.Millisecond):
			}
			if _, err := store.Purge(ctx, 1); err != nil {
				errs <- fmt.Errorf("purge: %w", err)
				return
			}
			purges.Add(1)
		}
	})
	wg.Wait()
	close(done)
	bg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if got, want := CountRows(t, db, sqlstore.DefaultStagesTable, "instance_id = ?", 2), int(recorded2.Load()); got != want {
		t.Errorf("instance 2 has %d stage rows, want the %d it recorded", got, want)
	}
	t.Logf("%d stage rows of instance 2, %d pages and %d purges of instance 1", recorded2.Load(), pages.Load(), purges.Load())
}

// chain returns an error wrapping depth errors below it: "level 0" wraps
// "level 1" ... down to "level <depth>".
func chain(depth int) error {
	err := fmt.Errorf("level %d", depth)
	for i := depth - 1; i >= 0; i-- {
		err = fmt.Errorf("level %d: %w", i, err)
	}
	return err
}

func testRecordChain(t *testing.T, d sqlstore.Dialect) {
	store, _ := MustOpenStoreWith(t, d, sqlstore.Config{PayloadLimit: 4096})
	ctx := t.Context()
	for _, debug := range []bool{false, true} {
		t.Run(fmt.Sprintf("debug=%v", debug), func(t *testing.T) {
			run, err := store.StartRun(ctx, 1, runlog.ModeApply, sqlstore.RunOptions{Debug: debug})
			if err != nil {
				t.Fatal(err)
			}
			rec, err := store.BeginStage(ctx, run.ID, runlog.StageReconcile)
			if err != nil {
				t.Fatal(err)
			}
			// The thrown error and 6 causes: five are shown, one counted.
			if err := rec.Fail(ctx, chain(6), nil); err != nil {
				t.Fatal(err)
			}
			e := mustEntry(t, store, rec.ID())
			card := details.Expand(e)
			if card.PayloadErr != nil {
				t.Fatalf("PayloadErr = %v; payload %s", card.PayloadErr, e.ErrorPayload)
			}
			var got []string
			for _, ex := range card.Exceptions {
				got = append(got, ex.Message)
				if (ex.Trace != "") != debug {
					t.Errorf("exception %q trace = %q; want one exactly in a debug run", ex.Message, ex.Trace)
				}
				if debug && !strings.Contains(ex.Trace, "testRecordChain") {
					t.Errorf("trace of %q does not show where Fail was called:\n%s", ex.Message, ex.Trace)
				}
			}
			want := []string{
				"level 0: level 1: level 2: level 3: level 4: level 5: level 6",
				"level 1: level 2: level 3: level 4: level 5: level 6",
				"level 2: level 3: level 4: level 5: level 6",
				"level 3: level 4: level 5: level 6",
				"level 4: level 5: level 6",
				"level 5: level 6",
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("exception chain (-want +got):\n%s", diff)
			}
			if card.MoreExceptions != 1 {
				t.Errorf("MoreExceptions = %d, want 1", card.MoreExceptions)
			}
			if s := card.String(); !strings.Contains(s, "… and 1 more previous exception") {
				t.Errorf("card does not count the omitted cause:\n%s", s)
			}
			if len(e.ErrorPayload) > 4096 || !json.Valid(e.ErrorPayload) {
				t.Errorf("payload of %d bytes (limit 4096), valid %v", len(e.ErrorPayload), json.Valid(e.ErrorPayload))
			}
		})
	}

	// A payload over the limit: cut, valid, its first size recorded, the
	// chain still readable.
	run, err := store.StartRun(ctx, 1, runlog.ModeApply, sqlstore.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := store.BeginStage(ctx, run.ID, runlog.StageExtract)
	if err != nil {
		t.Fatal(err)
	}
	huge := fmt.Errorf("upstream said: %s: %w", strings.Repeat("ü", 20000), errors.New("root cause"))
	if err := rec.Fail(ctx, huge, nil); err != nil {
		t.Fatal(err)
	}
	e := mustEntry(t, store, rec.ID())
	var p details.Payload
	if err := json.Unmarshal(e.ErrorPayload, &p); err != nil {
		t.Fatalf("cut payload: %v", err)
	}
	if len(e.ErrorPayload) > 4096 || p.OriginalSize < 40000 || !utf8.ValidString(p.Message) {
		t.Errorf("cut payload: %d bytes, original_size %d, message valid UTF-8 %v", len(e.ErrorPayload), p.OriginalSize, utf8.ValidString(p.Message))
	}
	if card := details.Expand(e); len(card.Exceptions) != 2 || card.Exceptions[1].Message != "root cause" {
		t.Errorf("cut payload's chain = %+v, want the thrown error and its cause, whole", card.Exceptions)
	}
}

// testRecordTimes checks that the run StartRun returns is the run stored:
// its times are those the database holds, to the microsecond, though the
// clock gives nanoseconds.
func testRecordTimes(t *testing.T, d sqlstore.Dialect) {
	now := time.Date(2026, 11, 20, 9, 0, 0, 123456789, time.FixedZone("CET", 3600))
	store, _ := MustOpenStoreWith(t, d, sqlstore.Config{Now: func() time.Time { return now }})
	ctx := t.Context()
	run, err := store.StartRun(ctx, 1, runlog.ModeApply, sqlstore.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	stored, _, err := store.Run(ctx, 1, run.ID)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(stored, run); diff != "" {
		t.Errorf("StartRun's run differs from the stored one (-stored +returned):\n%s", diff)
	}
	if want := now.UTC().Truncate(time.Microsecond); !run.CreatedAt.Equal(want) || run.CreatedAt.Location() != time.UTC {
		t.Errorf("CreatedAt = %v, want %v", run.CreatedAt, want)
	}
}

// testRecordSmallLimit records failures at the smallest payload limit a
// Config may set: texts whose JSON is longer than they are (escapes), and a
// debug chain of traces, all cut to fit.
func testRecordSmallLimit(t *testing.T, d sqlstore.Dialect) {
	const limit = 256
	store, _ := MustOpenStoreWith(t, d, sqlstore.Config{PayloadLimit: limit})
	ctx := t.Context()
	for _, tc := range []struct {
		name  string
		debug bool
		err   error
	}{
		{"escaped", false, errors.New("upstream said: " + strings.Repeat("<", 300))},
		{"debug chain", true, chain(6)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			run, err := store.StartRun(ctx, 1, runlog.ModeApply, sqlstore.RunOptions{Debug: tc.debug})
			if err != nil {
				t.Fatal(err)
			}
			rec, err := store.BeginStage(ctx, run.ID, runlog.StageReconcile)
			if err != nil {
				t.Fatal(err)
			}
			if err := rec.Fail(ctx, tc.err, nil); err != nil {
				t.Fatal(err)
			}
			e := mustEntry(t, store, rec.ID())
			var p details.Payload
			if err := json.Unmarshal(e.ErrorPayload, &p); err != nil || len(e.ErrorPayload) > limit {
				t.Fatalf("payload of %d bytes (limit %d), %v:\n%s", len(e.ErrorPayload), limit, err, e.ErrorPayload)
			}
			if p.OriginalSize <= limit {
				t.Errorf("OriginalSize = %d, want the size before the cut", p.OriginalSize)
			}
		})
	}
}

func testRecordRedaction(t *testing.T, d sqlstore.Dialect) {
	ctx := t.Context()
	const pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7bq3\n-----END RSA PRIVATE KEY-----"
	const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U"
	secrets := []string{"hunter2", "tok-9f8e7d6c5b4a", jwt, "MIIEowIBAAKCAQEA7bq3", "s3cr3t-key", "xyzzy-token"}
	cause := fmt.Errorf("call https://bot:hunter2@api.example.com/v1 with Authorization: Bearer tok-9f8e7d6c5b4a: %w",
		fmt.Errorf("refreshing %s failed; key on disk:\n%s", jwt, pem))
	metrics := map[string]any{"api_key": "s3cr3t-key", "nested": map[string]string{"X-Auth-Token": "xyzzy-token"},
		"tokens_processed": 1200, "author": "ops"}

	for _, tc := range []struct {
		name   string
		cfg    sqlstore.Config
		redact bool
	}{
		{"Default", sqlstore.Config{}, true},
		{"Off", sqlstore.Config{Redactor: mustRedactor(t, redact.Rules{})}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			store, _ := MustOpenStoreWith(t, d, tc.cfg)
			run, err := store.StartRun(ctx, 1, runlog.ModeApply, sqlstore.RunOptions{})
			if err != nil {
				t.Fatal(err)
			}
			rec, err := store.BeginStage(ctx, run.ID, runlog.StageExtract)
			if err != nil {
				t.Fatal(err)
			}
			if err := rec.Fail(ctx, cause, metrics); err != nil {
				t.Fatal(err)
			}
			e := mustEntry(t, store, rec.ID())
			stored := e.ErrorSummary + string(e.ErrorPayload) + string(e.Metrics)
			for _, s := range secrets {
				if strings.Contains(stored, s) == tc.redact {
					t.Errorf("secret %q stored: %v, want %v", s, !tc.redact, !tc.redact)
				}
			}
			var p details.Payload
			if err := json.Unmarshal(e.ErrorPayload, &p); err != nil {
				t.Fatal(err)
			}
			var m map[string]any
			if err := json.Unmarshal(e.Metrics, &m); err != nil {
				t.Fatal(err)
			}
			if !tc.redact {
				if p.Redacted != 0 || e.ErrorSummary != strings.ReplaceAll(cause.Error(), "\n", " ") {
					t.Errorf("with redaction off: redacted %d, summary %q", p.Redacted, e.ErrorSummary)
				}
				return
			}
			// Summary: the userinfo password, the Bearer token, the JWT and
			// the key block; payload: the same in its two messages; metrics:
			// two keys. Nothing else changed.
			wantSummary := "call https://bot:[REDACTED]@api.example.com/v1 with Authorization: Bearer [REDACTED]: refreshing [REDACTED] failed; key on disk: [REDACTED]"
			if e.ErrorSummary != wantSummary {
				t.Errorf("summary = %q\nwant      %q", e.ErrorSummary, wantSummary)
			}
			if p.Redacted < 8 {
				t.Errorf("payload says %d values redacted, want at least 8", p.Redacted)
			}
			wantMetrics := map[string]any{"api_key": "[REDACTED]", "nested": map[string]any{"X-Auth-Token": "[REDACTED]"},
				"tokens_processed": 1200.0, "author": "ops"}
			if diff := cmp.Diff(wantMetrics, m); diff != "" {
				t.Errorf("metrics (-want +got):\n%s", diff)
			}
			if !strings.Contains(details.Expand(e).String(), "values redacted") {
				t.Errorf("the card does not say values were redacted")
			}
		})
	}
}

func mustRedactor(t *testing.T, rules redact.Rules) *redact.Redactor {
	t.Helper()
	r, err := redact.New(rules)
	if err != nil {
		t.Fatal(err)
	}
	return r
}
