package sqlstore

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/opsync/integrationlogs/runlog"
)

// listRequests returns requests of every shape: each direction, with and
// without each filter, with one and several stages and statuses.
func listRequests() []ListParams {
	var out []ListParams
	at := time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC)
	for mask := range 1 << 6 {
		p := ListParams{Limit: 10 + mask}
		if mask&1 != 0 {
			p.RunID = 9
		}
		if mask&2 != 0 {
			p.Stages = []runlog.Stage{runlog.StageDecide}
			if mask&8 != 0 {
				p.Stages = append(p.Stages, runlog.StageApply, runlog.StageExtract)
			}
		}
		if mask&4 != 0 {
			p.Statuses = []runlog.Status{runlog.StatusError, runlog.StatusFailed}
		}
		if mask&16 != 0 {
			p.Mode = runlog.ModePreview
		}
		if mask&32 != 0 {
			p.StartedAfter, p.StartedBefore = at, at.Add(time.Hour)
		}
		out = append(out, p)
	}
	return out
}

func TestBuilder_ListArgs(t *testing.T) {
	for _, d := range Dialects() {
		b, err := NewBuilder(d, Tables{})
		if err != nil {
			t.Fatal(err)
		}
		for i, p := range listRequests() {
			for _, dir := range []direction{dirFirst, dirNext, dirPrev} {
				t.Run(fmt.Sprintf("%s/%d/%c", d, i, max(dir, '0')), func(t *testing.T) {
					pl, err := b.plan(3, p)
					if err != nil {
						t.Fatal(err)
					}
					pl.cur = cursor{dir: dir, runID: 40, id: 400}
					if dir == dirFirst {
						pl.cur = cursor{}
					}
					wantSQL, wantArgs, err := b.buildList(pl)
					if err != nil {
						t.Fatal(err)
					}
					if diff := cmp.Diff(wantArgs, b.listArgs(pl)); diff != "" {
						t.Errorf("listArgs() mismatch with squirrel's (-want +got):\n%s", diff)
					}
					// Twice: the first call fills the cache, the second reads it.
					for range 2 {
						gotSQL, gotArgs, err := b.listQuery(pl)
						if err != nil {
							t.Fatal(err)
						}
						if gotSQL != wantSQL {
							t.Errorf("listQuery() SQL = %q, want %q", gotSQL, wantSQL)
						}
						if diff := cmp.Diff(wantArgs, gotArgs); diff != "" {
							t.Errorf("listQuery() args mismatch (-want +got):\n%s", diff)
						}
					}
				})
			}
		}
	}
}

func TestBuilder_ListShapesDiffer(t *testing.T) {
	b, err := NewBuilder(PostgreSQL, Tables{})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]listShape{}
	for _, p := range listRequests() {
		pl, err := b.plan(3, p)
		if err != nil {
			t.Fatal(err)
		}
		q, _, err := b.buildList(pl)
		if err != nil {
			t.Fatal(err)
		}
		if other, ok := seen[q]; ok && other != pl.shape() {
			t.Errorf("shapes %+v and %+v build the same SQL", other, pl.shape())
		}
		seen[q] = pl.shape()
	}
}

func TestBuilder_Page(t *testing.T) {
	b, err := NewBuilder(SQLite, Tables{})
	if err != nil {
		t.Fatal(err)
	}
	rows := func(ids ...int64) []runlog.Entry {
		out := make([]runlog.Entry, len(ids))
		for i, id := range ids {
			out[i] = runlog.Entry{ID: id, InstanceID: 1, RunID: id / 10}
		}
		return out
	}
	// end is the row of a scan end at id.
	end := func(id int64) runlog.Entry { return runlog.Entry{ID: id, RunID: id / 10} }
	with := func(entries []runlog.Entry, more ...runlog.Entry) []runlog.Entry { return append(entries, more...) }
	unfiltered := ListParams{Limit: 2}
	filtered := ListParams{Limit: 2, Statuses: []runlog.Status{"failed"}}
	cur := func(p ListParams, dir direction, id int64, incl bool) string {
		return encodeCursor(cursor{dir: dir, runID: id / 10, id: id, incl: incl}, 1, mustPlan(t, b, p).fingerprint)
	}
	next := func(p ListParams, id int64) string { return cur(p, dirNext, id, false) }
	prev := func(p ListParams, id int64) string { return cur(p, dirPrev, id, false) }
	tests := []struct {
		name    string
		p       ListParams
		cursor  string
		fetched []runlog.Entry
		want    ListResult
	}{
		{"FirstEmpty", unfiltered, "", nil, ListResult{Entries: []runlog.Entry{}}},
		{"FirstOnly", unfiltered, "", rows(51, 52), ListResult{Entries: rows(51, 52)}},
		{"FirstMore", unfiltered, "", rows(51, 52, 41), ListResult{Entries: rows(51, 52), Next: next(unfiltered, 52)}},
		{"NextLast", unfiltered, next(unfiltered, 52), rows(41), ListResult{Entries: rows(41), Prev: prev(unfiltered, 41)}},
		{"NextMore", unfiltered, next(unfiltered, 52), rows(41, 42, 31), ListResult{Entries: rows(41, 42), Next: next(unfiltered, 42), Prev: prev(unfiltered, 41)}},
		{"NextInAnyOrder", unfiltered, next(unfiltered, 52), rows(31, 42, 41), ListResult{Entries: rows(41, 42), Next: next(unfiltered, 42), Prev: prev(unfiltered, 41)}},
		// Rows deleted since: back through the cursor's row, which the
		// page left out.
		{"NextGone", unfiltered, next(unfiltered, 52), nil, ListResult{Entries: []runlog.Entry{}, Prev: cur(unfiltered, dirPrev, 52, true)}},
		{"PrevFirst", unfiltered, prev(unfiltered, 41), rows(52, 51), ListResult{Entries: rows(51, 52), Next: next(unfiltered, 52)}},
		{"PrevInAnyOrder", unfiltered, prev(unfiltered, 41), rows(51, 52), ListResult{Entries: rows(51, 52), Next: next(unfiltered, 52)}},
		{"PrevMore", unfiltered, prev(unfiltered, 41), rows(52, 51, 62), ListResult{Entries: rows(51, 52), Next: next(unfiltered, 52), Prev: prev(unfiltered, 51)}},
		{"PrevGone", unfiltered, prev(unfiltered, 41), nil, ListResult{Entries: []runlog.Entry{}, Next: cur(unfiltered, dirNext, 41, true)}},
		{"InclusiveGone", unfiltered, cur(unfiltered, dirPrev, 52, true), nil, ListResult{Entries: []runlog.Entry{}, Next: next(unfiltered, 52)}},

		// Filtered pages whose scan stopped (a row of instance_id 0).
		{"FirstFull", filtered, "", with(rows(91, 81, 71), end(11)), ListResult{Entries: rows(91, 81), Next: next(filtered, 81)}},
		{"FirstPartial", filtered, "", with(rows(91), end(71)), ListResult{Entries: rows(91), Next: next(filtered, 71), Partial: true}},
		{"FirstNone", filtered, "", with(nil, end(71)), ListResult{Entries: []runlog.Entry{}, Next: next(filtered, 71), Partial: true}},
		{"FirstFullAtEnd", filtered, "", with(rows(91, 81), end(71)), ListResult{Entries: rows(91, 81), Next: next(filtered, 71)}},
		{"NextNone", filtered, next(filtered, 95), with(nil, end(71)),
			ListResult{Entries: []runlog.Entry{}, Next: next(filtered, 71), Prev: cur(filtered, dirPrev, 95, true), Partial: true}},
		// The rest of run 9 stopped at 97: what the runs after it found
		// is dropped.
		{"NextStoppedInRun", filtered, next(filtered, 95), with(rows(96, 81), end(97), end(61)),
			ListResult{Entries: rows(96), Next: next(filtered, 97), Prev: prev(filtered, 96), Partial: true}},
		{"PrevPartial", filtered, prev(filtered, 41), with(rows(61), end(71)),
			ListResult{Entries: rows(61), Next: next(filtered, 61), Prev: prev(filtered, 71), Partial: true}},
		{"PrevNone", filtered, prev(filtered, 41), with(nil, end(71)),
			ListResult{Entries: []runlog.Entry{}, Next: cur(filtered, dirNext, 41, true), Prev: prev(filtered, 71), Partial: true}},
		{"PrevStoppedInRun", filtered, prev(filtered, 45), with(rows(43, 61), end(42), end(81)),
			ListResult{Entries: rows(43), Next: next(filtered, 43), Prev: prev(filtered, 42), Partial: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := tt.p
			q.Cursor = tt.cursor
			got, err := b.Page(1, q, tt.fetched)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Page() mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestBuilder_PageClips(t *testing.T) {
	b, err := NewBuilder(PostgreSQL, Tables{})
	if err != nil {
		t.Fatal(err)
	}
	long := strings.Repeat("é", ListSummaryChars+1)
	longMetrics := `{"k":"` + strings.Repeat("😀", ListMetricsChars) + `"}`
	fetched := []runlog.Entry{
		{ID: 1, InstanceID: 1, RunID: 1, ErrorSummary: long, Metrics: []byte(`{"a":1}`)},
		{ID: 2, InstanceID: 1, RunID: 1, ErrorSummary: long[:len(long)-2], Metrics: []byte(longMetrics)},
		{ID: 3, InstanceID: 1, RunID: 1, ErrorSummary: "short", Metrics: []byte(longMetrics[:ListMetricsChars])},
	}
	res, err := b.Page(1, ListParams{}, fetched)
	if err != nil {
		t.Fatal(err)
	}
	want := []runlog.Entry{
		{ID: 1, InstanceID: 1, RunID: 1, ErrorSummary: long[:len(long)-2], Metrics: []byte(`{"a":1}`), Clipped: true},
		{ID: 2, InstanceID: 1, RunID: 1, ErrorSummary: long[:len(long)-2], Metrics: []byte(string([]rune(longMetrics)[:ListMetricsChars])), Clipped: true},
		{ID: 3, InstanceID: 1, RunID: 1, ErrorSummary: "short", Metrics: []byte(longMetrics[:ListMetricsChars])},
	}
	if diff := cmp.Diff(want, res.Entries); diff != "" {
		t.Errorf("Page() entries mismatch (-want +got):\n%s", diff)
	}
}

func mustPlan(t *testing.T, b *Builder, p ListParams) *listPlan {
	t.Helper()
	pl, err := b.plan(1, p)
	if err != nil {
		t.Fatal(err)
	}
	return pl
}

func TestBuilder_Errors(t *testing.T) {
	b, err := NewBuilder(MySQL, Tables{})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := b.Purge(1, 0); !errors.Is(err, ErrInvalidBatchSize) {
		t.Errorf("Purge(1, 0) error = %v, want ErrInvalidBatchSize", err)
	}
	if _, _, err := b.Purge(0, 10); !errors.Is(err, ErrInvalidInstance) {
		t.Errorf("Purge(0, 10) error = %v, want ErrInvalidInstance", err)
	}
	if _, _, err := b.Entry(-1, 10); !errors.Is(err, ErrInvalidInstance) {
		t.Errorf("Entry(-1, 10) error = %v, want ErrInvalidInstance", err)
	}
	if _, err := b.Page(1, ListParams{Cursor: "garbage"}, nil); !errors.Is(err, ErrInvalidCursor) {
		t.Errorf("Page(garbage cursor) error = %v, want ErrInvalidCursor", err)
	}
}

func TestStatements(t *testing.T) {
	// The statements of each version: tables and an index (MySQL declares
	// it in its table), then the attempt key's renumbering, columns,
	// backfill and indexes.
	want := map[Dialect][]int{SQLite: {3, 6, 6}, PostgreSQL: {3, 5, 3}, MySQL: {2, 3, 4}}
	for _, d := range Dialects() {
		for i, m := range Migrations(d) {
			stmts := statements(m.SQL)
			if len(stmts) != want[d][i] {
				t.Errorf("%s version %d: %d statements, want %d", d, m.Version, len(stmts), want[d][i])
			}
			for _, s := range stmts {
				// A comment line ending with a semicolon would split a
				// statement: each piece must be comments, then one statement,
				// whose first word starts its first line and no other.
				var code []string
				for _, line := range strings.Split(s, "\n") {
					if !strings.HasPrefix(line, "--") {
						code = append(code, line)
					}
				}
				starts := 0
				for _, line := range code {
					for _, kw := range []string{"CREATE ", "ALTER ", "UPDATE ", "DROP "} {
						if strings.HasPrefix(line, kw) {
							starts++
						}
					}
				}
				if len(code) == 0 || starts != 1 || strings.HasPrefix(code[0], " ") {
					t.Errorf("%s version %d: piece is not one statement:\n%s", d, m.Version, s)
				}
			}
		}
	}
}
