package sqlstore_test

import (
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"slices"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// largeHistory is 1,000,000 stage rows of instance 1 and, on every eleventh
// run, 99,996 of instance 2, interleaved as they would be recorded.
var largeHistory = history{first: 1, last: 183_333, instance: 1, every11th: 2, perInsert: 20_000}

const (
	largeRows = 1_000_000 // instance 1's stage rows in largeHistory
	deepRows  = 900_000   // the depth of the deep page
	pageSize  = 50

	// onePercentStatus is the status of one row in a hundred of instance 1
	// in the list dataset (a host's own value).
	onePercentStatus = runlog.Status("skipped")
)

// listDataset is largeHistory with the cursor of the page at depth 900,000.
type listDataset struct {
	db    *sqlx.DB
	store *sqlstore.Store
	deep  string // ListResult.Next of the page ending at depth 900,000
	// offset reads a page by LIMIT and OFFSET, with the columns and order of
	// a list page; its arguments are the instance, the limit and the offset.
	offset *sqlx.Stmt
}

// offsetQuery is the page query a keyset replaces: the same columns, order
// and runs subqueries as the Builder's, positioned by OFFSET.
const offsetQuery = `SELECT s.id, s.instance_id, s.run_id,
	(SELECT r.mode FROM integration_runs AS r WHERE r.id = s.run_id AND r.instance_id = s.instance_id) AS mode,
	(SELECT r.status FROM integration_runs AS r WHERE r.id = s.run_id AND r.instance_id = s.instance_id) AS run_status,
	s.stage, s.status, s.attempt, s.started_at, s.finished_at, s.error_summary, s.metrics_json
FROM integration_run_stages AS s
WHERE s.instance_id = ?
ORDER BY s.run_id DESC, s.id ASC
LIMIT ? OFFSET ?`

// offsetRow is a row of offsetQuery. Times are read as text, which every
// driver can give.
type offsetRow struct {
	ID           int64          `db:"id"`
	InstanceID   int64          `db:"instance_id"`
	RunID        int64          `db:"run_id"`
	Mode         sql.NullString `db:"mode"`
	RunStatus    sql.NullString `db:"run_status"`
	Stage        string         `db:"stage"`
	Status       string         `db:"status"`
	Attempt      int            `db:"attempt"`
	StartedAt    sql.NullString `db:"started_at"`
	FinishedAt   sql.NullString `db:"finished_at"`
	ErrorSummary sql.NullString `db:"error_summary"`
	Metrics      []byte         `db:"metrics_json"`
}

// readOffset reads the page of instance 1 at depth.
func (ds *listDataset) readOffset(tb testing.TB, depth int) []offsetRow {
	tb.Helper()
	rows := make([]offsetRow, 0, pageSize)
	if err := ds.offset.Select(&rows, 1, pageSize, depth); err != nil {
		tb.Fatalf("offset page at %d: %v", depth, err)
	}
	return rows
}

// listPage reads a page of instance 1.
func (ds *listDataset) listPage(tb testing.TB, p sqlstore.ListParams) sqlstore.ListResult {
	tb.Helper()
	res, err := ds.store.List(tb.Context(), 1, p)
	if err != nil {
		tb.Fatalf("List(%+v): %v", p, err)
	}
	return res
}

// newListDataset seeds largeHistory and pages to depth 900,000, 500 rows a
// page, then checks the deep page and the one before it against OFFSET.
func newListDataset(tb testing.TB, d sqlstore.Dialect) *listDataset {
	tb.Helper()
	store, db := MustOpenStore(tb, d)
	timed(tb, "seeded 1,099,996 stage rows and 183,333 runs", func() {
		seedHistory(tb, db, d, largeHistory)
		// One row in a hundred of instance 1 gets a host's own status,
		// which BenchmarkListFiltered filters on.
		db.MustExec(db.Rebind("UPDATE integration_run_stages SET status = ? WHERE instance_id = ? AND id % 100 = 7"), onePercentStatus, 1)
		settle(tb, db, d)
	})
	offset, err := db.Preparex(db.Rebind(offsetQuery))
	if err != nil {
		tb.Fatalf("prepare the offset query: %v", err)
	}
	tb.Cleanup(func() { offset.Close() })
	ds := &listDataset{db: db, store: store, offset: offset}

	timed(tb, "paged to depth 900,000 by 500 rows", func() {
		p := sqlstore.ListParams{Limit: sqlstore.MaxLimit}
		for range deepRows / sqlstore.MaxLimit {
			p.Cursor = ds.listPage(tb, p).Next
		}
		ds.deep = p.Cursor
	})
	deep := ds.listPage(tb, sqlstore.ListParams{Limit: pageSize, Cursor: ds.deep})
	prev := ds.listPage(tb, sqlstore.ListParams{Limit: pageSize, Cursor: deep.Prev})
	for _, c := range []struct {
		what  string
		depth int
		got   []runlog.Entry
	}{
		{"the page at depth 900,000", deepRows, deep.Entries},
		{"the page before it", deepRows - pageSize, prev.Entries},
	} {
		var want []int64
		for _, r := range ds.readOffset(tb, c.depth) {
			want = append(want, r.ID)
		}
		var got []int64
		for _, e := range c.got {
			got = append(got, e.ID)
		}
		if !slices.Equal(got, want) {
			tb.Fatalf("%s has IDs %v, OFFSET %d gives %v", c.what, got, c.depth, want)
		}
	}
	return ds
}

// BenchmarkList measures a page of 50 rows of an instance with 1,000,000
// stage rows, beside 99,996 rows of another: the first page (depth=0); the
// second, read with the first's Next cursor (depth=50), which tells the cost
// of a cursor from that of depth; the page at depth 900,000, read with the
// cursor of the page before it; the page before that one, read with its Prev
// cursor (prev); and the same deep page read by LIMIT and OFFSET
// (offset=900000), as a keyset replaces. The x-depth0 metric is the time of a
// page over that of depth=0 in the same run.
//
// The dataset is seeded and paged once per test binary and database (tens of
// seconds), then kept: use -count to repeat, for example
//
//	go test ./runlog/sqlstore -run '^$' -bench 'BenchmarkList$' -count 5 -timeout 60m
func BenchmarkList(b *testing.B) {
	for _, d := range sqlstore.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			SkipUnlessAvailable(b, d)
			ds := keep(b, "list/"+string(d), func(tb testing.TB) *listDataset { return newListDataset(tb, d) })
			second := ds.listPage(b, sqlstore.ListParams{Limit: pageSize}).Next
			deep := ds.listPage(b, sqlstore.ListParams{Limit: pageSize, Cursor: ds.deep})

			var first float64 // ns per page of depth=0
			b.Run("depth=0", func(b *testing.B) {
				benchList(b, ds, sqlstore.ListParams{Limit: pageSize})
				first = perOp(b)
			})
			b.Run("depth=50", func(b *testing.B) {
				benchList(b, ds, sqlstore.ListParams{Limit: pageSize, Cursor: second})
				reportRatio(b, first, "x-depth0")
			})
			b.Run("depth=900000", func(b *testing.B) {
				benchList(b, ds, sqlstore.ListParams{Limit: pageSize, Cursor: ds.deep})
				reportRatio(b, first, "x-depth0")
			})
			b.Run("prev", func(b *testing.B) {
				benchList(b, ds, sqlstore.ListParams{Limit: pageSize, Cursor: deep.Prev})
				reportRatio(b, first, "x-depth0")
			})
			b.Run("offset=900000", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if rows := ds.readOffset(b, deepRows); len(rows) != pageSize {
						b.Fatalf("offset page has %d rows, want %d", len(rows), pageSize)
					}
				}
				reportRatio(b, first, "x-depth0")
			})
		})
	}
}

// benchList measures ds.store.List of instance 1 with p.
func benchList(b *testing.B, ds *listDataset, p sqlstore.ListParams) {
	b.Helper()
	ctx := b.Context()
	b.ReportAllocs()
	for b.Loop() {
		res, err := ds.store.List(ctx, 1, p)
		if err != nil {
			b.Fatal(err)
		}
		if len(res.Entries) != p.Limit {
			b.Fatalf("page has %d rows, want %d", len(res.Entries), p.Limit)
		}
	}
}

// perOp returns the nanoseconds per operation of a finished benchmark.
func perOp(b *testing.B) float64 {
	return float64(b.Elapsed().Nanoseconds()) / float64(b.N)
}

// reportRatio reports b's time per operation over base, when base was
// measured.
func reportRatio(b *testing.B, base float64, unit string) {
	if base > 0 {
		b.ReportMetric(perOp(b)/base, unit)
	}
}

// payloadSize is the size of the error summary, the metrics and the error
// payload of every row of instance 1 in the payload dataset.
const payloadSize = 1 << 20

// payloadHistory is 148 stage rows (25 runs) of instance 1, to be written
// with a summary, metrics and a payload of 1 MiB each, 444 MiB in all:
// enough for two full pages, small enough for any test machine's disk.
// payloadTwin is the same history with small values, for instance 2.
var (
	payloadHistory = history{first: 1, last: 25, instance: 1, perInsert: 2}
	payloadTwin    = history{first: 26, last: 50, instance: 2, perInsert: 25}
)

// payloadDataset is payloadHistory and payloadTwin, with the ID of a row of
// each and the Next cursors of their first pages.
type payloadDataset struct {
	store             *sqlstore.Store
	withID, withoutID int64  // the first row of instance 1's and of instance 2's first page
	withNext, noNext  string // Next of instance 1's and of instance 2's first page
}

// newPayloadDataset writes the payload dataset. The large values are random
// base64 text, which no database can compress: they take their full size
// on disk and must be read in full by whoever reads them. The summaries
// and metrics are written over the seeded rows, the metrics as a JSON
// object whose second member is the large text.
func newPayloadDataset(tb testing.TB, d sqlstore.Dialect) *payloadDataset {
	tb.Helper()
	store, db := MustOpenStore(tb, d)
	random := make([]byte, payloadSize)
	rand.Read(random)
	text := base64.RawURLEncoding.EncodeToString(random)[:payloadSize]
	payload := `{"error":"` + text[:payloadSize-len(`{"error":""}`)] + `"}`
	metrics := `{"records":120,"note":"` + text[:payloadSize-len(`{"records":120,"note":""}`)] + `"}`
	with := payloadHistory
	with.payload = payload
	timed(tb, "seeded 148 stage rows with 1 MiB summaries, metrics and payloads, and 148 without", func() {
		seedHistory(tb, db, d, with)
		seedHistory(tb, db, d, payloadTwin)
		// A statement a run, under MySQL's max_allowed_packet.
		for r := payloadHistory.first; r <= payloadHistory.last; r++ {
			db.MustExec(db.Rebind("UPDATE integration_run_stages SET error_summary = ?, metrics_json = ? WHERE instance_id = ? AND run_id = ?"),
				text, metrics, 1, r)
		}
		settle(tb, db, d)
	})
	ds := &payloadDataset{store: store}
	for _, c := range []struct {
		instance int64
		id       *int64
		next     *string
		size     int
	}{{1, &ds.withID, &ds.withNext, payloadSize}, {2, &ds.withoutID, &ds.noNext, 0}} {
		page, err := store.List(tb.Context(), c.instance, sqlstore.ListParams{Limit: pageSize})
		if err != nil || len(page.Entries) != pageSize {
			tb.Fatalf("List(%d) = %d rows, %v; want %d rows", c.instance, len(page.Entries), err, pageSize)
		}
		for _, e := range page.Entries {
			if e.ErrorPayload != nil || len(e.ErrorSummary) > 4*sqlstore.ListSummaryChars || len(e.Metrics) > 4*sqlstore.ListMetricsChars ||
				e.Clipped != (c.size > 0) {
				tb.Fatalf("List(%d) row %d: %d bytes of payload, %d of summary, %d of metrics, clipped %v",
					c.instance, e.ID, len(e.ErrorPayload), len(e.ErrorSummary), len(e.Metrics), e.Clipped)
			}
		}
		*c.id, *c.next = page.Entries[0].ID, page.Next
		e, err := store.Entry(tb.Context(), c.instance, *c.id)
		if err != nil || len(e.ErrorPayload) != c.size || (c.size > 0 && (len(e.ErrorSummary) != c.size || len(e.Metrics) != c.size)) {
			tb.Fatalf("Entry(%d, %d) = %d bytes of payload, %d of summary, %v; want %d", c.instance, *c.id,
				len(e.ErrorPayload), len(e.ErrorSummary), err, c.size)
		}
	}
	return ds
}

// BenchmarkListPayloads measures the second page of 50 rows (read with the
// first page's Next cursor) of an instance whose every row has a 1 MiB
// error summary, 1 MiB of metrics and a 1 MiB error payload (page/1MiB),
// and the same page over rows with small values (page/small); x-small is
// the time of page/1MiB over that of page/small in the same run. A page
// reads neither payloads nor more of a summary or metrics than
// ListSummaryChars and ListMetricsChars, so the two should cost about the
// same, and allocate about the same. Entry reads one row in full, for
// reference.
//
// The dataset takes about 450 MiB and is written once per test binary and
// database:
//
//	go test ./runlog/sqlstore -run '^$' -bench 'BenchmarkListPayloads' -benchmem -count 5
func BenchmarkListPayloads(b *testing.B) {
	for _, d := range sqlstore.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			SkipUnlessAvailable(b, d)
			ds := keep(b, "payloads/"+string(d), func(tb testing.TB) *payloadDataset { return newPayloadDataset(tb, d) })
			var small float64 // ns per page over small rows
			for _, c := range []struct {
				name     string
				instance int64
				cursor   string
			}{{"page/small", 2, ds.noNext}, {"page/1MiB", 1, ds.withNext}} {
				b.Run(c.name, func(b *testing.B) {
					ctx := b.Context()
					p := sqlstore.ListParams{Limit: pageSize, Cursor: c.cursor}
					b.ReportAllocs()
					for b.Loop() {
						res, err := ds.store.List(ctx, c.instance, p)
						if err != nil {
							b.Fatal(err)
						}
						if len(res.Entries) != pageSize {
							b.Fatalf("page has %d rows, want %d", len(res.Entries), pageSize)
						}
					}
					if c.instance == 2 {
						small = perOp(b)
					} else {
						reportRatio(b, small, "x-small")
					}
				})
			}
			for _, c := range []struct {
				name         string
				instance, id int64
			}{{"entry/small", 2, ds.withoutID}, {"entry/1MiB", 1, ds.withID}} {
				b.Run(c.name, func(b *testing.B) {
					ctx := b.Context()
					b.ReportAllocs()
					for b.Loop() {
						if _, err := ds.store.Entry(ctx, c.instance, c.id); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		})
	}
}

// BenchmarkListFiltered measures filtered first pages of 50 rows of the
// list dataset (1,000,000 stage rows of instance 1, see BenchmarkList),
// each beside the unfiltered first page (first) in the same run: a status
// no row has (status=none), a host's own status one row in a hundred has
// (status=1pct), one stage (stage=decide, one row in six), one mode
// (mode=preview, about half the rows), and the runs of all but the last
// week (before=week). x-first is a page's time over that of first; rows is
// how many rows the page holds: a filter that keeps few rows gives a page
// cut short at Config.ScanLimit index entries (ListResult.Partial), with
// the rows it found.
//
//	go test ./runlog/sqlstore -run '^$' -bench 'BenchmarkListFiltered' -benchmem -count 3 -timeout 60m
func BenchmarkListFiltered(b *testing.B) {
	for _, d := range sqlstore.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			SkipUnlessAvailable(b, d)
			ds := keep(b, "list/"+string(d), func(tb testing.TB) *listDataset { return newListDataset(tb, d) })
			newest := ds.listPage(b, sqlstore.ListParams{Limit: 1}).Entries[0].StartedAt
			var first float64
			for _, c := range []struct {
				name string
				p    sqlstore.ListParams
			}{
				{"first", sqlstore.ListParams{}},
				{"status=none", sqlstore.ListParams{Statuses: []runlog.Status{runlog.StatusQueued}}},
				{"status=1pct", sqlstore.ListParams{Statuses: []runlog.Status{onePercentStatus}}},
				{"stage=decide", sqlstore.ListParams{Stages: []runlog.Stage{runlog.StageDecide}}},
				{"mode=preview", sqlstore.ListParams{Mode: runlog.ModePreview}},
				{"before=week", sqlstore.ListParams{StartedBefore: newest.Add(-7 * 24 * time.Hour)}},
			} {
				b.Run(c.name, func(b *testing.B) {
					ctx := b.Context()
					p := c.p
					p.Limit = pageSize
					rows := 0
					b.ReportAllocs()
					for b.Loop() {
						res, err := ds.store.List(ctx, 1, p)
						if err != nil {
							b.Fatal(err)
						}
						if res.Next == "" {
							b.Fatalf("page of %d rows without a Next cursor", len(res.Entries))
						}
						rows = len(res.Entries)
					}
					b.ReportMetric(float64(rows), "rows")
					if c.name == "first" {
						first = perOp(b)
					} else {
						reportRatio(b, first, "x-first")
					}
				})
			}
		})
	}
}
