package sqlstore_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// walkPartial pages with p from the first page to the last following Next,
// then from the last back to the first following Prev, and returns the
// rows read each way (going back, in list order) and how many pages were
// partial going forward. Pages may be partial, so the two walks need not
// cut the rows into the same pages; each must read every row once.
func walkPartial(t *testing.T, store *sqlstore.Store, instanceID int64, p sqlstore.ListParams) (forward, backward []int64, partial int) {
	t.Helper()
	ctx := t.Context()
	p.Cursor = ""
	var last sqlstore.ListResult
	for pages := 0; ; pages++ {
		res, err := store.List(ctx, instanceID, p)
		if err != nil {
			t.Fatalf("List(page %d) error: %v", pages, err)
		}
		if res.Partial {
			partial++
			if res.Next == "" {
				t.Fatalf("page %d is partial without a Next cursor", pages)
			}
		}
		if pages > 0 && res.Prev == "" {
			t.Fatalf("page %d has no Prev cursor", pages)
		}
		forward = append(forward, entryIDs(res.Entries)...)
		last = res
		if res.Next == "" {
			break
		}
		if pages > 10000 {
			t.Fatal("more than 10000 pages")
		}
		p.Cursor = res.Next
	}
	var back [][]int64
	back = append(back, entryIDs(last.Entries))
	for res := last; res.Prev != ""; {
		p.Cursor = res.Prev
		var err error
		if res, err = store.List(ctx, instanceID, p); err != nil {
			t.Fatalf("List(Prev) error: %v", err)
		}
		if res.Next == "" {
			t.Fatalf("a page read backwards has no Next cursor")
		}
		back = append(back, entryIDs(res.Entries))
		if len(back) > 10000 {
			t.Fatal("more than 10000 pages")
		}
	}
	for i := len(back) - 1; i >= 0; i-- {
		backward = append(backward, back[i]...)
	}
	return forward, backward, partial
}

// testPartialPages pages with a scan bound far below the rows, so that
// filtered pages stop early: every row the filters keep is read once, in
// order, going either way, and pages say when they are partial.
func testPartialPages(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStoreWith(t, d, sqlstore.Config{ScanLimit: 12})
	Seed(t, db, History{InstanceID: 1, Runs: 30})
	Seed(t, db, History{InstanceID: 2, FirstRunID: 100, Runs: 5})
	all := flatten(walk(t, store, 1, sqlstore.ListParams{Limit: 500}))
	tests := []struct {
		name    string
		p       sqlstore.ListParams
		keep    func(runlog.Entry) bool
		partial bool // some page is partial
	}{
		{"SparseStatus", sqlstore.ListParams{Limit: 4, Statuses: []runlog.Status{runlog.StatusFailed}},
			func(e runlog.Entry) bool { return e.Status == runlog.StatusFailed }, true},
		{"NoMatch", sqlstore.ListParams{Limit: 4, Statuses: []runlog.Status{runlog.StatusQueued}},
			func(runlog.Entry) bool { return false }, true},
		{"Stage", sqlstore.ListParams{Limit: 3, Stages: []runlog.Stage{runlog.StageExtract}},
			func(e runlog.Entry) bool { return e.Stage == runlog.StageExtract }, true},
		{"Mode", sqlstore.ListParams{Limit: 5, Mode: runlog.ModePreview},
			func(e runlog.Entry) bool { return e.Mode == runlog.ModePreview }, false},
		{"OldWindow", sqlstore.ListParams{Limit: 4, StartedBefore: all[len(all)-10].StartedAt},
			func(e runlog.Entry) bool { return e.StartedAt.Before(all[len(all)-10].StartedAt) }, true},
		{"RunAndStatus", sqlstore.ListParams{Limit: 2, RunID: 10, Statuses: []runlog.Status{runlog.StatusCompleted}},
			func(e runlog.Entry) bool { return e.RunID == 10 && e.Status == runlog.StatusCompleted }, false},
		{"LimitAboveScan", sqlstore.ListParams{Limit: 20, Statuses: []runlog.Status{runlog.StatusCompleted}},
			func(e runlog.Entry) bool { return e.Status == runlog.StatusCompleted }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var want []int64
			for _, e := range all {
				if tt.keep(e) {
					want = append(want, e.ID)
				}
			}
			forward, backward, partial := walkPartial(t, store, 1, tt.p)
			if diff := cmp.Diff(want, forward); diff != "" {
				t.Errorf("rows read following Next mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(want, backward); diff != "" {
				t.Errorf("rows read following Prev from the last page mismatch (-want +got):\n%s", diff)
			}
			if (partial > 0) != tt.partial {
				t.Errorf("%d partial pages, want some: %v", partial, tt.partial)
			}
		})
	}

	// A page that stopped short says so, and continues from where its scan
	// stopped, not from its last row.
	p := sqlstore.ListParams{Limit: 4, Statuses: []runlog.Status{runlog.StatusQueued}}
	first, err := store.List(t.Context(), 1, p)
	if err != nil {
		t.Fatal(err)
	}
	if !first.Partial || len(first.Entries) != 0 || first.Next == "" || first.Prev != "" {
		t.Errorf("first page matching nothing = %+v; want partial, empty, with Next only", first)
	}
}

// testEmptyPageAfterDeletion reads a page whose rows were deleted since its
// cursor was issued: it is empty, with a way back, and, read backwards,
// forth.
func testEmptyPageAfterDeletion(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	Seed(t, db, History{InstanceID: 1, Runs: 10})
	ctx := t.Context()
	p := sqlstore.ListParams{Limit: 5}
	list := func(cursor string) sqlstore.ListResult {
		t.Helper()
		q := p
		q.Cursor = cursor
		res, err := store.List(ctx, 1, q)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	first := list("")
	second := list(first.Next)
	last := second.Entries[len(second.Entries)-1]

	// Everything after the second page goes: its Next leads nowhere, and
	// back from there is the second page again.
	del := db.Rebind("DELETE FROM integration_run_stages WHERE instance_id = ? AND (run_id < ? OR (run_id = ? AND id > ?))")
	db.MustExec(del, 1, last.RunID, last.RunID, last.ID)
	gone := list(second.Next)
	if len(gone.Entries) != 0 || gone.Next != "" || gone.Prev == "" {
		t.Fatalf("page after deleted rows = %+v; want empty, with Prev only", gone)
	}
	back := list(gone.Prev)
	if diff := cmp.Diff(second.Entries, back.Entries); diff != "" {
		t.Errorf("back from the emptied page mismatch with the second page (-want +got):\n%s", diff)
	}
	if back.Prev == "" {
		t.Errorf("back from the emptied page: no Prev cursor")
	}

	// Everything before the second page goes: its Prev leads to an empty
	// page, and forth from there is the second page again.
	store2, db2 := MustOpenStore(t, d)
	Seed(t, db2, History{InstanceID: 1, Runs: 10})
	list2 := func(cursor string) sqlstore.ListResult {
		t.Helper()
		q := p
		q.Cursor = cursor
		res, err := store2.List(ctx, 1, q)
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	f := list2("")
	s := list2(f.Next)
	head := s.Entries[0]
	db2.MustExec(db2.Rebind("DELETE FROM integration_run_stages WHERE instance_id = ? AND (run_id > ? OR (run_id = ? AND id < ?))"),
		1, head.RunID, head.RunID, head.ID)
	empty := list2(s.Prev)
	if len(empty.Entries) != 0 || empty.Prev != "" || empty.Next == "" {
		t.Fatalf("page before deleted rows = %+v; want empty, with Next only", empty)
	}
	forth := list2(empty.Next)
	if diff := cmp.Diff(s.Entries, forth.Entries); diff != "" {
		t.Errorf("forth from the emptied page mismatch with the page it was read from (-want +got):\n%s", diff)
	}
}

// testPrevAfterRowJoinsRun pins what Prev returns when a row joins a run
// that the page before showed: that page as it is now, the new row in it,
// and its first row pushed to the page before, which Prev then reaches.
func testPrevAfterRowJoinsRun(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	Seed(t, db, History{InstanceID: 1, Runs: 4}) // the newest run, 4, has five rows
	ctx := t.Context()
	p := sqlstore.ListParams{Limit: 5}
	first, err := store.List(ctx, 1, p)
	if err != nil {
		t.Fatal(err)
	}
	p.Cursor = first.Next
	second, err := store.List(ctx, 1, p)
	if err != nil {
		t.Fatal(err)
	}
	// The newest run, whose rows are the first page, records a retry,
	// which sorts after its other rows: before the second page.
	InsertStages(t, db, sqlstore.Tables{}, StageRow{InstanceID: 1, RunID: 4, Stage: runlog.StageExtract,
		Status: runlog.StatusRunning, Attempt: 9})
	ids := OrderedIDs(t, db, 1)
	p.Cursor = second.Prev
	back, err := store.List(ctx, 1, p)
	if err != nil {
		t.Fatal(err)
	}
	// The five rows just before the second page: the first page's last
	// four and the retry.
	if diff := cmp.Diff(ids[1:6], entryIDs(back.Entries)); diff != "" {
		t.Errorf("Prev after a row joined the run mismatch (-want +got):\n%s", diff)
	}
	if back.Prev == "" {
		t.Fatalf("Prev after a row joined the run has no Prev; the first page's first row is lost")
	}
	p.Cursor = back.Prev
	top, err := store.List(ctx, 1, p)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(ids[:1], entryIDs(top.Entries)); diff != "" {
		t.Errorf("the page before mismatch (-want +got):\n%s", diff)
	}
}

// testFilterValues filters on a host's own stage, status and mode, and
// refuses values that could not be stored.
func testFilterValues(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	ctx := t.Context()
	InsertRuns(t, db, sqlstore.Tables{},
		Run{ID: 1, InstanceID: 1, Mode: "dry_run", Status: "reviewing"},
		Run{ID: 2, InstanceID: 1, Mode: runlog.ModeApply, Status: runlog.RunCompleted})
	InsertStages(t, db, sqlstore.Tables{},
		StageRow{InstanceID: 1, RunID: 1, Stage: "sync_images", Status: "skipped"},
		StageRow{InstanceID: 1, RunID: 1, Stage: runlog.StageExtract, Status: runlog.StatusCompleted},
		StageRow{InstanceID: 1, RunID: 2, Stage: "sync_images", Status: runlog.StatusCompleted},
		StageRow{InstanceID: 1, RunID: 2, Stage: "同期", Status: "skipped"})
	ids := OrderedIDs(t, db, 1) // run 2's rows first
	for _, tt := range []struct {
		name string
		p    sqlstore.ListParams
		want []int64
	}{
		{"Stage", sqlstore.ListParams{Stages: []runlog.Stage{"sync_images"}}, []int64{ids[0], ids[2]}},
		{"UnicodeStage", sqlstore.ListParams{Stages: []runlog.Stage{"同期"}}, []int64{ids[1]}},
		{"Status", sqlstore.ListParams{Statuses: []runlog.Status{"skipped"}}, []int64{ids[1], ids[2]}},
		{"Mode", sqlstore.ListParams{Mode: "dry_run"}, []int64{ids[2], ids[3]}},
		{"NeverStored", sqlstore.ListParams{Stages: []runlog.Stage{"other"}}, nil},
	} {
		res, err := store.List(ctx, 1, tt.p)
		if err != nil {
			t.Fatalf("%s: List() error: %v", tt.name, err)
		}
		if diff := cmp.Diff(tt.want, entryIDs(res.Entries), cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: List() IDs mismatch (-want +got):\n%s", tt.name, diff)
		}
	}

	tooMany := make([]runlog.Stage, sqlstore.MaxFilterValues+1)
	for i := range tooMany {
		tooMany[i] = runlog.Stage(fmt.Sprint("s", i))
	}
	for name, p := range map[string]sqlstore.ListParams{
		"EmptyStage":    {Stages: []runlog.Stage{runlog.StageExtract, ""}},
		"LongStatus":    {Statuses: []runlog.Status{runlog.Status(strings.Repeat("x", 65))}},
		"InvalidUTF8":   {Mode: "\xff"},
		"NUL":           {Stages: []runlog.Stage{"a\x00b"}},
		"TooManyStages": {Stages: tooMany},
	} {
		_, err := store.List(ctx, 1, p)
		if !errors.Is(err, sqlstore.ErrInvalidValue) || !errors.Is(err, runlog.ErrUnknownValue) {
			t.Errorf("%s: List() error = %v, want ErrInvalidValue and runlog.ErrUnknownValue", name, err)
		}
	}
	if _, err := store.List(ctx, 1, sqlstore.ListParams{Stages: tooMany[:sqlstore.MaxFilterValues]}); err != nil {
		t.Errorf("List(%d stages) error: %v", sqlstore.MaxFilterValues, err)
	}
}

// testClipped lists rows whose summary and metrics are longer than the
// Details cell needs: the page holds their start and says so; Entry holds
// them in full.
func testClipped(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	InsertRuns(t, db, sqlstore.Tables{}, Run{ID: 1, InstanceID: 1, Mode: runlog.ModeApply, Status: runlog.RunFailed})
	long := strings.Repeat("é🚀", 300_000) // 1.8 MB
	metrics := `{"note":"` + long + `","n":1}`
	exact := strings.Repeat("ü", sqlstore.ListSummaryChars)
	InsertStages(t, db, sqlstore.Tables{},
		StageRow{InstanceID: 1, RunID: 1, Stage: runlog.StageApply, Status: runlog.StatusFailed, ErrorSummary: &long, Metrics: []byte(metrics)},
		StageRow{InstanceID: 1, RunID: 1, Stage: runlog.StageDecide, Status: runlog.StatusFailed, ErrorSummary: &exact,
			Metrics: []byte(`{"a":1}`)})
	entries := listAll(t, store, 1)
	if len(entries) != 2 {
		t.Fatalf("List() = %d entries, want 2", len(entries))
	}
	runes := func(s string, n int) string { return string([]rune(s)[:n]) }
	got := entries[0]
	if !got.Clipped || got.ErrorSummary != runes(long, sqlstore.ListSummaryChars) || string(got.Metrics) != runes(metrics, sqlstore.ListMetricsChars) {
		t.Errorf("long row listed as Clipped %v, summary of %d characters, metrics %q...; want clipped to %d and %d characters",
			got.Clipped, len([]rune(got.ErrorSummary)), string(got.Metrics)[:20], sqlstore.ListSummaryChars, sqlstore.ListMetricsChars)
	}
	if e := entries[1]; e.Clipped || e.ErrorSummary != exact {
		t.Errorf("row of exactly %d characters listed as Clipped %v, summary of %d", sqlstore.ListSummaryChars, e.Clipped, len([]rune(e.ErrorSummary)))
	}
	full, err := store.Entry(t.Context(), 1, got.ID)
	if err != nil {
		t.Fatal(err)
	}
	if full.Clipped || full.ErrorSummary != long || string(full.Metrics) != metrics {
		t.Errorf("Entry() = Clipped %v, %d bytes of summary; want the whole row", full.Clipped, len(full.ErrorSummary))
	}
}

// storedTime is a start time as some writer stores it, and the instant it
// stands for.
type storedTime struct {
	name   string
	stored any // the value written, in an INSERT of its own
	at     time.Time
}

// storedTimes returns the forms of start times that drivers of dialect d
// write, each a distinct instant.
func storedTimes(d sqlstore.Dialect) []storedTime {
	ist := time.FixedZone("IST", 5*3600+1800)
	pst := time.FixedZone("PST", -8*3600)
	base := time.Date(2025, 3, 4, 4, 30, 0, 0, time.UTC)
	at := func(i int, ns int) time.Time { return base.Add(time.Duration(i)*time.Minute + time.Duration(ns)) }
	if d != sqlstore.SQLite {
		// The servers store instants: whatever zone a time.Time has, the
		// driver sends what compares right.
		return []storedTime{
			{"UTC", at(0, 0), at(0, 0)},
			{"Kolkata", at(1, 123456000).In(ist), at(1, 123456000)},
			{"PacificMicro", at(2, 1000).In(pst), at(2, 1000)},
			// A microsecond before MySQL's last, so that every bound is one
			// it holds (see timeArg).
			{"Year9999", time.Date(9999, 12, 31, 23, 59, 59, 999998000, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999998000, time.UTC)},
		}
	}
	return []storedTime{
		{"Schema", at(0, 0).Format("2006-01-02 15:04:05.999999999-07:00"), at(0, 0)},
		{"Offset", at(1, 0).In(ist).Format("2006-01-02 15:04:05-07:00"), at(1, 0)},
		{"OffsetNanos", at(2, 123456789).In(pst).Format("2006-01-02 15:04:05.999999999-07:00"), at(2, 123456789)},
		{"TimeString", at(3, 123000000).In(ist).String(), at(3, 123000000)},
		{"Monotonic", at(4, 1000).In(ist).String() + " m=+0.001000001", at(4, 1000)},
		{"RFC3339", at(5, 0).Format("2006-01-02T15:04:05Z07:00"), at(5, 0)},
		{"RFC3339Offset", at(6, 500).In(ist).Format(time.RFC3339Nano), at(6, 500)},
		{"NoZone", at(7, 2000).Format("2006-01-02 15:04:05.999999"), at(7, 2000)},
		{"SQLiteNow", at(8, 0).Format("2006-01-02 15:04:05"), at(8, 0)},
		{"Year10000", time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC).Format("2006-01-02 15:04:05.999999999-07:00"), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"Year12345Offset", time.Date(12345, 6, 7, 8, 9, 10, 11, ist).String(), time.Date(12345, 6, 7, 8, 9, 10, 11, ist)},
		// A driver's own: modernc.org/sqlite without _time_format, given
		// a time.Time (see testTimes).
	}
}

// testTimeForms writes start times in every form a driver writes, and
// checks that the time filters keep exactly the right rows at bounds
// around each, and that Stale compares them right too.
func testTimeForms(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	InsertRuns(t, db, sqlstore.Tables{}, Run{ID: 1, InstanceID: 1, Mode: runlog.ModeApply, Status: runlog.RunRunning})
	forms := storedTimes(d)
	insert := db.Rebind("INSERT INTO integration_run_stages (instance_id, run_id, stage, status, attempt, started_at) VALUES (?, ?, ?, ?, ?, ?)")
	for i, f := range forms {
		db.MustExec(insert, 1, 1, "extract", "running", i+1, f.stored)
	}
	byID := map[int64]time.Time{}
	for _, e := range listAll(t, store, 1) {
		f := forms[e.Attempt-1]
		if !e.StartedAt.Equal(f.at) || len(e.Unreadable) != 0 {
			t.Errorf("%s: StartedAt = %v (unreadable %v), want %v", f.name, e.StartedAt, e.Unreadable, f.at)
		}
		byID[e.ID] = f.at
	}
	steps := []time.Duration{-time.Microsecond, -time.Nanosecond, 0, time.Nanosecond, time.Microsecond}
	if d != sqlstore.SQLite {
		steps = []time.Duration{-time.Microsecond, 0, time.Microsecond} // the servers store microseconds
	}
	for _, f := range forms {
		for _, step := range steps {
			bound := f.at.Add(step)
			for _, c := range []struct {
				name string
				p    sqlstore.ListParams
				keep func(time.Time) bool
			}{
				{"After", sqlstore.ListParams{StartedAfter: bound}, func(s time.Time) bool { return !s.Before(bound) }},
				{"Before", sqlstore.ListParams{StartedBefore: bound.In(time.FixedZone("X", 3600))}, func(s time.Time) bool { return s.Before(bound) }},
			} {
				var want []int64
				for id, s := range byID {
					if c.keep(s) {
						want = append(want, id)
					}
				}
				slices.Sort(want)
				c.p.Limit = sqlstore.MaxLimit
				res, err := store.List(t.Context(), 1, c.p)
				if err != nil {
					t.Fatal(err)
				}
				got := entryIDs(res.Entries)
				slices.Sort(got)
				if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
					t.Errorf("%s %s %v: IDs mismatch (-want +got):\n%s", c.name, f.name, step, diff)
				}
			}
		}
	}

	// Stale compares the same way: a row started at the first form's time,
	// in another zone's text on SQLite, is stale just after it.
	for _, f := range forms[:2] {
		for _, tc := range []struct {
			now   time.Time
			stale bool
		}{{f.at.Add(time.Hour + time.Second), true}, {f.at.Add(time.Hour - time.Second), false}} {
			s2, err := sqlstore.New(db, sqlstore.Config{Now: func() time.Time { return tc.now }})
			if err != nil {
				t.Fatal(err)
			}
			rows, err := s2.Stale(t.Context(), 1, time.Hour)
			s2.Close()
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, r := range rows {
				found = found || byID[r.ID].Equal(f.at)
			}
			if found != tc.stale {
				t.Errorf("Stale at %v: row started %s (%v) returned %v, want %v", tc.now, f.name, f.at, found, tc.stale)
			}
		}
	}
}

// badTimes returns values of dialect d's time columns that no reader
// understands, each with what Unreadable.Stored should say, written with
// SQL of their own (exec runs it on one connection).
func badTimes(d sqlstore.Dialect) []struct{ sql, stored string } {
	switch d {
	case sqlstore.PostgreSQL:
		return []struct{ sql, stored string }{{"'infinity'", "infinity"}, {"'-infinity'", "-infinity"}}
	case sqlstore.MySQL:
		return []struct{ sql, stored string }{{"'0000-00-00 00:00:00'", "0000-00-00 00:00:00.000000"}}
	}
	return []struct{ sql, stored string }{
		{"1741082400", "1741082400"}, {"'yesterday'", "yesterday"}, {"'0000-00-00 00:00:00'", "0000-00-00 00:00:00"},
		{"'2025-03-04 10:00:00+25:00'", "2025-03-04 10:00:00+25:00"}, {"X'00ff'", "\uFFFD\uFFFD"},
	}
}

// testUnreadable stores times no reader understands in the newest run:
// every row stays reachable, the bad ones listed with the time zero and
// Unreadable saying what was stored; Entry returns them too; the time
// filters leave them out.
func testUnreadable(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	n := Seed(t, db, History{InstanceID: 1, Runs: 36}) // 200 rows
	bad := badTimes(d)
	conn, err := db.Connx(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if d == sqlstore.MySQL {
		if _, err := conn.ExecContext(t.Context(), "SET SESSION sql_mode = ''"); err != nil { // zero dates allowed
			t.Fatal(err)
		}
	}
	if _, err := conn.ExecContext(t.Context(), "INSERT INTO integration_runs (id, instance_id, mode, status) VALUES (1000, 1, 'apply', 'running')"); err != nil {
		t.Fatal(err)
	}
	for i, b := range bad {
		q := fmt.Sprintf("INSERT INTO integration_run_stages (instance_id, run_id, stage, status, attempt, started_at, finished_at) VALUES (1, 1000, 'extract', 'failed', %d, %s, %s)", i+1, b.sql, b.sql)
		if _, err := conn.ExecContext(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, limit := range []int{1, 7, 500} {
		var all []runlog.Entry
		p := sqlstore.ListParams{Limit: limit}
		for {
			res, err := store.List(t.Context(), 1, p)
			if err != nil {
				t.Fatalf("List(limit %d) error: %v", limit, err)
			}
			all = append(all, res.Entries...)
			if res.Next == "" {
				break
			}
			p.Cursor = res.Next
		}
		if len(all) != n+len(bad) {
			t.Fatalf("limit %d: %d rows reachable, want %d", limit, len(all), n+len(bad))
		}
		for i, b := range bad {
			e := all[i]
			if !e.StartedAt.IsZero() || e.FinishedAt != nil {
				t.Errorf("row stored with %s: StartedAt %v, FinishedAt %v; want zero and nil", b.sql, e.StartedAt, e.FinishedAt)
			}
			if len(e.Unreadable) != 2 || e.Unreadable[0].Field != "started_at" || e.Unreadable[1].Field != "finished_at" ||
				e.Unreadable[0].Stored != b.stored || e.Unreadable[0].Reason == "" {
				t.Errorf("row stored with %s: Unreadable = %+v; want started_at and finished_at, stored as %q", b.sql, e.Unreadable, b.stored)
			}
			for _, u := range e.Unreadable {
				if d != sqlstore.SQLite && strings.Contains(u.Reason, "+00:00") {
					t.Errorf("reason %q names the SQLite format", u.Reason)
				}
			}
			full, err := store.Entry(t.Context(), 1, e.ID)
			if err != nil {
				t.Fatalf("Entry() of the row stored with %s: %v", b.sql, err)
			}
			if diff := cmp.Diff(e.Unreadable, full.Unreadable); diff != "" {
				t.Errorf("Entry() of the row stored with %s: Unreadable mismatch with List's (-list +entry):\n%s", b.sql, diff)
			}
		}
	}
	for _, p := range []sqlstore.ListParams{
		{StartedAfter: time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC)},
		{StartedBefore: time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)},
	} {
		p.Limit = sqlstore.MaxLimit
		res, err := store.List(t.Context(), 1, p)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range res.Entries {
			if e.RunID == 1000 {
				t.Errorf("List(%+v) keeps a row whose start cannot be read: %+v", p, e)
			}
		}
		if len(res.Entries) != n {
			t.Errorf("List(%+v) = %d rows, want the %d readable ones", p, len(res.Entries), n)
		}
	}
}
