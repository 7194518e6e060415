package sqlstore_test

import (
	"strings"
	"testing"
	"time"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// planNode is a row of SQLite's EXPLAIN QUERY PLAN.
type planNode struct {
	ID     int    `db:"id"`
	Parent int    `db:"parent"`
	Unused int    `db:"notused"`
	Detail string `db:"detail"`
}

// TestSQLitePlan checks that SQLite reads every list page and purge batch
// through the paging index, and list pages through it alone (a covering
// index: a filtered page checks its filters there, and the rows' cut
// summary and metrics come from there), never scanning the stage table nor
// sorting what it reads from the index. The only sorts are those of the
// limit+1 rows of each of a page's two range reads, which SQLite sorts to
// merge them.
func TestSQLitePlan(t *testing.T) {
	store, db := MustOpenStore(t, sqlstore.SQLite)
	Seed(t, db, History{InstanceID: 1, Runs: 20})
	ctx := t.Context()
	filters := sqlstore.ListParams{Limit: 5, Stages: []runlog.Stage{runlog.StageExtract, runlog.StageDecide}, Mode: runlog.ModeApply}
	times := sqlstore.ListParams{Limit: 2, Statuses: []runlog.Status{runlog.StatusCompleted},
		StartedAfter: time.Date(2025, 1, 1, 0, 3, 0, 0, time.UTC), StartedBefore: time.Date(2025, 1, 1, 0, 15, 0, 0, time.UTC)}
	var requests []sqlstore.ListParams
	for _, p := range []sqlstore.ListParams{{Limit: 5}, filters, times} {
		first, err := store.List(ctx, 1, p)
		if err != nil {
			t.Fatal(err)
		}
		next := p
		next.Cursor = first.Next
		second, err := store.List(ctx, 1, next)
		if err != nil {
			t.Fatal(err)
		}
		prev := p
		prev.Cursor = second.Prev
		requests = append(requests, p, next, prev)
	}
	b := store.Builder()
	type query struct {
		name string
		sql  string
		args []any
	}
	var queries []query
	for _, p := range requests {
		q, args, err := b.List(1, p)
		if err != nil {
			t.Fatal(err)
		}
		queries = append(queries, query{"List", q, args})
	}
	q, args, err := b.Purge(1, 5000)
	if err != nil {
		t.Fatal(err)
	}
	queries = append(queries, query{"Purge", q, args})

	for _, q := range queries {
		var plan []planNode
		if err := db.Select(&plan, "EXPLAIN QUERY PLAN "+q.sql, q.args...); err != nil {
			t.Fatalf("explain %s: %v", q.name, err)
		}
		var lines []string
		searches := 0
		for _, n := range plan {
			lines = append(lines, n.Detail)
		}
		text := strings.Join(lines, "\n")
		for i, n := range plan {
			d := n.Detail
			if strings.Contains(d, "INDEX integration_run_stages_page_idx") {
				searches++
				if q.name == "List" && !strings.Contains(d, "COVERING INDEX") {
					t.Errorf("%s reads the stage table for the rows it scans:\n%s\n%s", q.name, text, q.sql)
				}
			}
			if strings.HasPrefix(d, "SCAN ") && (strings.Contains(d, "integration_run_stages") || d == "SCAN s") {
				t.Errorf("%s scans the stage table:\n%s\n%s", q.name, text, q.sql)
			}
			if strings.HasPrefix(d, "USE TEMP B-TREE") && (i == 0 || !strings.HasPrefix(plan[i-1].Detail, "SCAN u")) {
				t.Errorf("%s sorts more than a range read's limit+1 rows:\n%s\n%s", q.name, text, q.sql)
			}
		}
		if searches == 0 {
			t.Errorf("%s does not read integration_run_stages_page_idx:\n%s", q.name, text)
		}
	}
}
