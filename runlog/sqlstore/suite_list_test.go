package sqlstore_test

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jmoiron/sqlx"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// walk pages with p from the first page to the last (following Next), then
// back to the first (following Prev), checks the pages and cursors on the
// way, and returns the pages read going forward.
func walk(t *testing.T, store *sqlstore.Store, instanceID int64, p sqlstore.ListParams) [][]runlog.Entry {
	t.Helper()
	ctx := t.Context()
	limit := p.Limit
	if limit == 0 {
		limit = sqlstore.DefaultLimit
	}
	p.Cursor = ""
	var pages [][]runlog.Entry
	var nexts, prevs []string
	for {
		res, err := store.List(ctx, instanceID, p)
		if err != nil {
			t.Fatalf("List(page %d) error: %v", len(pages), err)
		}
		if res.Entries == nil {
			t.Fatalf("List(page %d) Entries = nil, want a slice", len(pages))
		}
		if first := len(pages) == 0; first != (res.Prev == "") {
			t.Errorf("page %d: Prev = %q; want it empty exactly on the first page", len(pages), res.Prev)
		}
		pages = append(pages, res.Entries)
		nexts, prevs = append(nexts, res.Next), append(prevs, res.Prev)
		if res.Next == "" {
			break
		}
		if len(res.Entries) != limit {
			t.Errorf("page %d has %d entries and a Next cursor, want %d", len(pages)-1, len(res.Entries), limit)
		}
		if len(pages) > 100000 {
			t.Fatal("more than 100000 pages")
		}
		p.Cursor = res.Next
	}
	for i := len(pages) - 1; i > 0; i-- {
		p.Cursor = prevs[i]
		res, err := store.List(ctx, instanceID, p)
		if err != nil {
			t.Fatalf("List(Prev of page %d) error: %v", i, err)
		}
		if diff := cmp.Diff(pages[i-1], res.Entries); diff != "" {
			t.Fatalf("Prev of page %d mismatch with page %d (-want +got):\n%s", i, i-1, diff)
		}
		if res.Prev != prevs[i-1] || res.Next != nexts[i-1] {
			t.Errorf("Prev of page %d: cursors (%q, %q), want those of page %d (%q, %q)",
				i, res.Prev, res.Next, i-1, prevs[i-1], nexts[i-1])
		}
	}
	return pages
}

func flatten(pages [][]runlog.Entry) []runlog.Entry {
	var all []runlog.Entry
	for _, p := range pages {
		all = append(all, p...)
	}
	return all
}

func entryIDs(entries []runlog.Entry) []int64 {
	ids := make([]int64, len(entries))
	for i, e := range entries {
		ids[i] = e.ID
	}
	return ids
}

// fixtureEntries returns the entries of the fixture rows in list order, with
// the IDs the database gave them (ids, in list order). Stage rows must have
// been inserted in the order given, runs in ascending ID order.
func fixtureEntries(runs []Run, stages []StageRow, ids []int64, withPayload bool) []runlog.Entry {
	runByID := map[int64]Run{}
	for _, r := range runs {
		runByID[r.ID] = r
	}
	var out []runlog.Entry
	for k := len(runs) - 1; k >= 0; k-- {
		for _, s := range stages {
			if s.RunID != runs[k].ID {
				continue
			}
			run := runByID[s.RunID]
			e := runlog.Entry{
				InstanceID: s.InstanceID, RunID: s.RunID, Mode: run.Mode, RunStatus: run.Status,
				Stage: s.Stage, Status: s.Status, Attempt: s.Attempt, Metrics: s.Metrics,
			}
			if s.StartedAt != nil {
				e.StartedAt = s.StartedAt.UTC()
			}
			if s.FinishedAt != nil {
				f := s.FinishedAt.UTC()
				e.FinishedAt = &f
			}
			if s.ErrorSummary != nil {
				e.ErrorSummary = *s.ErrorSummary
			}
			if withPayload {
				e.ErrorPayload = s.ErrorPayload
			}
			out = append(out, e)
		}
	}
	for i := range out {
		out[i].ID = ids[i]
	}
	return out
}

func testListEmpty(t *testing.T, d sqlstore.Dialect) {
	store, _ := MustOpenStore(t, d)
	res, err := store.List(t.Context(), 1, sqlstore.ListParams{})
	if err != nil {
		t.Fatalf("List() error: %v", err)
	}
	if diff := cmp.Diff(sqlstore.ListResult{Entries: []runlog.Entry{}}, res); diff != "" {
		t.Errorf("List() on empty tables mismatch (-want +got):\n%s", diff)
	}
}

func testPageThreeRuns(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	h := History{InstanceID: 1, Runs: 3}
	runs, stages := h.Rows()
	InsertRuns(t, db, sqlstore.Tables{}, runs...)
	InsertStages(t, db, sqlstore.Tables{}, stages...)
	Seed(t, db, History{InstanceID: 2, FirstRunID: 10, Runs: 2})
	want := fixtureEntries(runs, stages, OrderedIDs(t, db, 1), false)
	if len(want) != 17 {
		t.Fatalf("fixture has %d rows, want 17", len(want))
	}
	for _, limit := range []int{1, 4, 6, 17, 50} {
		pages := walk(t, store, 1, sqlstore.ListParams{Limit: limit})
		if diff := cmp.Diff(want, flatten(pages)); diff != "" {
			t.Errorf("limit %d: pages mismatch (-want +got):\n%s", limit, diff)
		}
	}
}

func testPageThousandRuns(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	Seed(t, db, History{InstanceID: 1, Runs: 1000})
	Seed(t, db, History{InstanceID: 2, FirstRunID: 5000, Runs: 50})
	want := OrderedIDs(t, db, 1)
	for _, limit := range []int{50, 500} {
		got := entryIDs(flatten(walk(t, store, 1, sqlstore.ListParams{Limit: limit})))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("limit %d: IDs mismatch (-want +got):\n%s", limit, diff)
		}
	}
}

// insertHeadRun records a new run with two stage rows, as a pipeline would.
func insertHeadRun(db *sqlx.DB, instanceID, runID int64) error {
	tx, err := db.Beginx()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	started := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(runID) * time.Second)
	if _, err := tx.Exec(tx.Rebind("INSERT INTO integration_runs (id, instance_id, mode, status) VALUES (?, ?, ?, ?)"),
		runID, instanceID, "apply", "running"); err != nil {
		return err
	}
	for _, stage := range []string{"validate_setup", "extract"} {
		if _, err := tx.Exec(tx.Rebind("INSERT INTO integration_run_stages (instance_id, run_id, stage, status, started_at) VALUES (?, ?, ?, ?, ?)"),
			instanceID, runID, stage, "running", started); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func testConcurrentInserts(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	Seed(t, db, History{InstanceID: 1, Runs: 40})
	want := OrderedIDs(t, db, 1)

	ctx := t.Context()
	p := sqlstore.ListParams{Limit: 7}
	first, err := store.List(ctx, 1, p)
	if err != nil {
		t.Fatalf("List() error: %v", err)
	}
	pages, prevs := [][]runlog.Entry{first.Entries}, []string{first.Prev}

	// Once the first page is read, a writer records new runs at the head
	// while the other pages are read; the reader also records one between
	// pages, so that some always land.
	var nextRun atomic.Int64
	nextRun.Store(1000)
	// The two writers take turns: on SQLite, one that writes every
	// millisecond can keep the other from the write lock past busy_timeout
	// on a loaded machine, and what is tested here is the reader.
	var writeMu sync.Mutex
	insert := func() error {
		writeMu.Lock()
		defer writeMu.Unlock()
		return insertHeadRun(db, 1, nextRun.Add(1))
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var writeErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			if err := insert(); err != nil {
				writeErr = err
				return
			}
			time.Sleep(time.Millisecond)
		}
	}()

	for res := first; res.Next != ""; {
		if err := insert(); err != nil {
			t.Fatalf("insert between pages: %v", err)
		}
		p.Cursor = res.Next
		if res, err = store.List(ctx, 1, p); err != nil {
			t.Fatalf("List() error: %v", err)
		}
		pages, prevs = append(pages, res.Entries), append(prevs, res.Prev)
	}
	close(stop)
	wg.Wait()
	if writeErr != nil {
		t.Fatalf("concurrent insert: %v", writeErr)
	}
	if diff := cmp.Diff(want, entryIDs(flatten(pages))); diff != "" {
		t.Errorf("IDs read while runs were recorded mismatch (-want +got):\n%s", diff)
	}
	for i := len(pages) - 1; i > 0; i-- {
		p.Cursor = prevs[i]
		res, err := store.List(ctx, 1, p)
		if err != nil {
			t.Fatalf("List(Prev) error: %v", err)
		}
		if diff := cmp.Diff(pages[i-1], res.Entries); diff != "" {
			t.Fatalf("Prev of page %d mismatch (-want +got):\n%s", i, diff)
		}
		if i == 1 && res.Prev == "" {
			t.Errorf("back on the first page read, Prev is empty; want a cursor to the runs recorded since")
		}
	}
}

func testFilters(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	Seed(t, db, History{InstanceID: 1, Runs: 30})
	Seed(t, db, History{InstanceID: 2, FirstRunID: 100, Runs: 5})
	all := flatten(walk(t, store, 1, sqlstore.ListParams{Limit: 500}))
	t0, t1 := all[40].StartedAt, all[20].StartedAt
	ist := time.FixedZone("IST", 5*3600+1800)
	run10 := time.Date(2025, 1, 1, 0, 10, 0, 0, time.UTC) // see History

	tests := []struct {
		name string
		p    sqlstore.ListParams
		keep func(runlog.Entry) bool
	}{
		{"RunID", sqlstore.ListParams{RunID: 7}, func(e runlog.Entry) bool { return e.RunID == 7 }},
		{"RunIDOfOtherInstance", sqlstore.ListParams{RunID: 100}, func(runlog.Entry) bool { return false }},
		{"Stage", sqlstore.ListParams{Stages: []runlog.Stage{runlog.StageExtract}},
			func(e runlog.Entry) bool { return e.Stage == runlog.StageExtract }},
		{"StagesWithDuplicates", sqlstore.ListParams{Stages: []runlog.Stage{runlog.StageApply, runlog.StageExtract, runlog.StageApply}},
			func(e runlog.Entry) bool { return e.Stage == runlog.StageApply || e.Stage == runlog.StageExtract }},
		{"StageNeverRecorded", sqlstore.ListParams{Stages: []runlog.Stage{runlog.StagePreviewResults}},
			func(runlog.Entry) bool { return false }},
		{"Statuses", sqlstore.ListParams{Statuses: []runlog.Status{runlog.StatusFailed, runlog.StatusRunning}},
			func(e runlog.Entry) bool { return e.Status == runlog.StatusFailed || e.Status == runlog.StatusRunning }},
		{"ModePreview", sqlstore.ListParams{Mode: runlog.ModePreview},
			func(e runlog.Entry) bool { return e.Mode == runlog.ModePreview }},
		{"ModeStagesStatuses", sqlstore.ListParams{
			Mode:     runlog.ModeApply,
			Stages:   []runlog.Stage{runlog.StageApply, runlog.StageReconcile},
			Statuses: []runlog.Status{runlog.StatusCompleted},
		}, func(e runlog.Entry) bool {
			return e.Mode == runlog.ModeApply && (e.Stage == runlog.StageApply || e.Stage == runlog.StageReconcile) &&
				e.Status == runlog.StatusCompleted
		}},
		{"StartedAfterIsInclusive", sqlstore.ListParams{StartedAfter: t0},
			func(e runlog.Entry) bool { return !e.StartedAt.Before(t0) }},
		{"StartedAfterInAnotherZone", sqlstore.ListParams{StartedAfter: t0.In(ist)},
			func(e runlog.Entry) bool { return !e.StartedAt.Before(t0) }},
		{"StartedAfterByOneNanosecond", sqlstore.ListParams{StartedAfter: t0.Add(time.Nanosecond)},
			func(e runlog.Entry) bool { return e.StartedAt.After(t0) }},
		{"StartedBeforeIsExclusive", sqlstore.ListParams{StartedBefore: t0},
			func(e runlog.Entry) bool { return e.StartedAt.Before(t0) }},
		{"StartedBeforeByOneNanosecond", sqlstore.ListParams{StartedBefore: t0.Add(time.Nanosecond)},
			func(e runlog.Entry) bool { return !e.StartedAt.After(t0) }},
		{"Window", sqlstore.ListParams{StartedAfter: t0, StartedBefore: t1},
			func(e runlog.Entry) bool { return !e.StartedAt.Before(t0) && e.StartedAt.Before(t1) }},
		{"EmptyWindow", sqlstore.ListParams{StartedAfter: t1, StartedBefore: t0},
			func(runlog.Entry) bool { return false }},
		{"Everything", sqlstore.ListParams{
			RunID: 10, Mode: runlog.ModePreview, Stages: []runlog.Stage{runlog.StageDecide, runlog.StageExtract},
			Statuses: []runlog.Status{runlog.StatusFailed}, StartedAfter: run10, StartedBefore: run10.Add(5 * time.Second),
		}, func(e runlog.Entry) bool {
			return e.RunID == 10 && e.Stage == runlog.StageDecide && e.Status == runlog.StatusFailed
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []runlog.Entry
			for _, e := range all {
				if tt.keep(e) {
					want = append(want, e)
				}
			}
			if len(want) == len(all) {
				t.Fatalf("the filter keeps every row of the fixture; it tests nothing")
			}
			p := tt.p
			p.Limit = 4
			got := flatten(walk(t, store, 1, p))
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("List(%+v) mismatch (-want +got):\n%s", tt.p, diff)
			}
		})
	}
}

func testLimits(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	total := Seed(t, db, History{InstanceID: 1, Runs: 100})
	ctx := t.Context()
	tests := []struct {
		limit, want int
	}{
		{0, sqlstore.DefaultLimit},
		{10_000, sqlstore.MaxLimit},
		{sqlstore.MaxLimit + 1, sqlstore.MaxLimit},
		{1, 1},
	}
	for _, tt := range tests {
		res, err := store.List(ctx, 1, sqlstore.ListParams{Limit: tt.limit})
		if err != nil {
			t.Fatalf("List(Limit: %d) error: %v", tt.limit, err)
		}
		if len(res.Entries) != tt.want || res.Next == "" {
			t.Errorf("List(Limit: %d) = %d entries, Next %q; want %d and a Next cursor (of %d rows)",
				tt.limit, len(res.Entries), res.Next, tt.want, total)
		}
	}
	for _, limit := range []int{-1, -500} {
		if _, err := store.List(ctx, 1, sqlstore.ListParams{Limit: limit}); !errors.Is(err, sqlstore.ErrInvalidLimit) {
			t.Errorf("List(Limit: %d) error = %v, want ErrInvalidLimit", limit, err)
		}
	}
}

func testCursorBinding(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	Seed(t, db, History{InstanceID: 1, Runs: 10})
	Seed(t, db, History{InstanceID: 2, FirstRunID: 50, Runs: 10})
	ctx := t.Context()
	list := func(instanceID int64, p sqlstore.ListParams) sqlstore.ListResult {
		t.Helper()
		res, err := store.List(ctx, instanceID, p)
		if err != nil {
			t.Fatalf("List(%d, %+v) error: %v", instanceID, p, err)
		}
		return res
	}
	plain := list(1, sqlstore.ListParams{Limit: 5})
	second := list(1, sqlstore.ListParams{Limit: 5, Cursor: plain.Next})
	apply := list(1, sqlstore.ListParams{Limit: 3, Mode: runlog.ModeApply})
	stages := list(1, sqlstore.ListParams{Limit: 3, Stages: []runlog.Stage{runlog.StageExtract, runlog.StageApply}})

	refused := []struct {
		name     string
		instance int64
		p        sqlstore.ListParams
	}{
		{"NextOfOtherInstance", 2, sqlstore.ListParams{Limit: 5, Cursor: plain.Next}},
		{"PrevOfOtherInstance", 2, sqlstore.ListParams{Limit: 5, Cursor: second.Prev}},
		{"FilterAdded", 1, sqlstore.ListParams{Limit: 5, Cursor: plain.Next, Stages: []runlog.Stage{runlog.StageExtract}}},
		{"FilterRemoved", 1, sqlstore.ListParams{Limit: 3, Cursor: apply.Next}},
		{"FilterChanged", 1, sqlstore.ListParams{Limit: 3, Cursor: apply.Next, Mode: runlog.ModePreview}},
		{"TimeFilterAdded", 1, sqlstore.ListParams{Limit: 5, Cursor: plain.Next, StartedAfter: time.Unix(1, 0)}},
		{"RunFilterAdded", 1, sqlstore.ListParams{Limit: 5, Cursor: plain.Next, RunID: 3}},
	}
	for _, tt := range refused {
		if _, err := store.List(ctx, tt.instance, tt.p); !errors.Is(err, sqlstore.ErrInvalidCursor) {
			t.Errorf("%s: List() error = %v, want ErrInvalidCursor", tt.name, err)
		}
	}

	// The same filters written in another order, and another page size,
	// keep the cursor valid.
	reordered := list(1, sqlstore.ListParams{Limit: 3, Cursor: stages.Next,
		Stages: []runlog.Stage{runlog.StageApply, runlog.StageExtract, runlog.StageApply}})
	if len(reordered.Entries) != 3 {
		t.Errorf("with the stages reordered: %d entries, want 3", len(reordered.Entries))
	}
	wider := list(1, sqlstore.ListParams{Limit: 10, Cursor: plain.Next})
	if diff := cmp.Diff(second.Entries, wider.Entries[:5]); diff != "" {
		t.Errorf("page after the first with a larger limit mismatch (-want +got):\n%s", diff)
	}
}

func testTamperedCursors(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	Seed(t, db, History{InstanceID: 1, Runs: 10})
	ctx := t.Context()
	first, err := store.List(ctx, 1, sqlstore.ListParams{Limit: 5})
	if err != nil {
		t.Fatal(err)
	}
	second, err := store.List(ctx, 1, sqlstore.ListParams{Limit: 5, Cursor: first.Next})
	if err != nil {
		t.Fatal(err)
	}
	var bad []string
	for _, c := range []string{second.Next, second.Prev} {
		for i := range len(c) {
			bad = append(bad, c[:i]) // truncated
			repl := byte('A')
			if c[i] == repl {
				repl = 'B'
			}
			bad = append(bad, c[:i]+string(repl)+c[i+1:]) // one character changed
		}
		bad = append(bad, c+"A", c+"=", " "+c, c[1:])
	}
	bad = append(bad, "x", "%00", "not a cursor", "////", "😀", string(make([]byte, 10_000)))
	for _, c := range bad {
		if c == "" {
			continue // the first page
		}
		if _, err := store.List(ctx, 1, sqlstore.ListParams{Limit: 5, Cursor: c}); !errors.Is(err, sqlstore.ErrInvalidCursor) {
			t.Errorf("List(Cursor: %q) error = %v, want ErrInvalidCursor", c, err)
		}
	}
}

func testInvalidInstance(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	n := Seed(t, db, History{InstanceID: 1, Runs: 2})
	ctx := t.Context()
	for _, id := range []int64{0, -1} {
		if _, err := store.List(ctx, id, sqlstore.ListParams{}); !errors.Is(err, sqlstore.ErrInvalidInstance) {
			t.Errorf("List(%d) error = %v, want ErrInvalidInstance", id, err)
		}
		if _, err := store.Entry(ctx, id, 1); !errors.Is(err, sqlstore.ErrInvalidInstance) {
			t.Errorf("Entry(%d, 1) error = %v, want ErrInvalidInstance", id, err)
		}
		if res, err := store.Purge(ctx, id); !errors.Is(err, sqlstore.ErrInvalidInstance) || res.Deleted != 0 {
			t.Errorf("Purge(%d) = %+v, %v; want nothing deleted and ErrInvalidInstance", id, res, err)
		}
	}
	if got := CountRows(t, db, sqlstore.DefaultStagesTable, ""); got != n {
		t.Errorf("after refused purges: %d stage rows, want %d", got, n)
	}
}

func testCancelledContext(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	n := Seed(t, db, History{InstanceID: 1, Runs: 5})
	ids := OrderedIDs(t, db, 1)

	cancelled, cancel := context.WithCancel(t.Context())
	cancel()
	expired, cancel2 := context.WithDeadline(t.Context(), time.Now().Add(-time.Second))
	defer cancel2()
	for _, tc := range []struct {
		ctx  context.Context
		want error
	}{{cancelled, context.Canceled}, {expired, context.DeadlineExceeded}} {
		if _, err := store.List(tc.ctx, 1, sqlstore.ListParams{}); !errors.Is(err, tc.want) {
			t.Errorf("List() error = %v, want %v", err, tc.want)
		}
		if _, err := store.Entry(tc.ctx, 1, ids[0]); !errors.Is(err, tc.want) {
			t.Errorf("Entry() error = %v, want %v", err, tc.want)
		}
		res, err := store.Purge(tc.ctx, 1)
		if !errors.Is(err, tc.want) || res.Deleted != 0 {
			t.Errorf("Purge() = %+v, %v; want nothing deleted and %v", res, err, tc.want)
		}
	}
	if got := CountRows(t, db, sqlstore.DefaultStagesTable, ""); got != n {
		t.Errorf("after cancelled purges: %d stage rows, want %d", got, n)
	}
}
