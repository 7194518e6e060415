package sqlstore_test

import (
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"slices"
	"testing"

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

// payloadSize is the error payload of every row of instance 1 in the
// payload dataset.
const payloadSize = 1 << 20

// payloadHistory is 148 stage rows (25 runs) of instance 1, to be written
// with a payload of 1 MiB each, 148 MiB in all: enough for full pages, small
// enough for any test machine's disk. payloadTwin is the same history without
// payloads, for instance 2.
var (
	payloadHistory = history{first: 1, last: 25, instance: 1, perInsert: 2}
	payloadTwin    = history{first: 26, last: 50, instance: 2, perInsert: 25}
)

// payloadDataset is payloadHistory and payloadTwin, with the ID of a row of
// each.
type payloadDataset struct {
	store             *sqlstore.Store
	withID, withoutID int64 // the first row of instance 1's and of instance 2's first page
}

// newPayloadDataset writes the payload dataset. The payload is a JSON
// document of random base64 text, which no database can compress: it takes
// its full size on disk and must be read in full by whoever reads it.
func newPayloadDataset(tb testing.TB, d sqlstore.Dialect) *payloadDataset {
	tb.Helper()
	store, db := MustOpenStore(tb, d)
	random := make([]byte, payloadSize)
	rand.Read(random)
	payload := `{"error":"` + base64.RawURLEncoding.EncodeToString(random)[:payloadSize-len(`{"error":""}`)] + `"}`
	with := payloadHistory
	with.payload = payload
	timed(tb, "seeded 148 stage rows with 1 MiB payloads and 148 without", func() {
		seedHistory(tb, db, d, with)
		seedHistory(tb, db, d, payloadTwin)
		settle(tb, db, d)
	})
	ds := &payloadDataset{store: store}
	for _, c := range []struct {
		instance int64
		id       *int64
		payload  int
	}{{1, &ds.withID, payloadSize}, {2, &ds.withoutID, 0}} {
		page, err := store.List(tb.Context(), c.instance, sqlstore.ListParams{Limit: pageSize})
		if err != nil || len(page.Entries) != pageSize {
			tb.Fatalf("List(%d) = %d rows, %v; want %d rows", c.instance, len(page.Entries), err, pageSize)
		}
		for _, e := range page.Entries {
			if e.ErrorPayload != nil {
				tb.Fatalf("List(%d) read the payload of row %d", c.instance, e.ID)
			}
		}
		*c.id = page.Entries[0].ID
		e, err := store.Entry(tb.Context(), c.instance, *c.id)
		if err != nil || len(e.ErrorPayload) != c.payload {
			tb.Fatalf("Entry(%d, %d) = %d bytes of payload, %v; want %d", c.instance, *c.id, len(e.ErrorPayload), err, c.payload)
		}
	}
	return ds
}

// BenchmarkListPayloads measures the first page of 50 rows of an instance
// whose every row carries a 1 MiB error payload (payload=1MiB) and of the
// same rows without payloads (payload=none); x-none is the time of a
// payload=1MiB page over that of payload=none in the same run. A page does
// not read payloads, so the two should take about the same time. Entry reads
// one row in full, payload included, for reference.
//
// The dataset takes about 150 MiB and is written once per test binary and
// database:
//
//	go test ./runlog/sqlstore -run '^$' -bench 'BenchmarkListPayloads' -count 5
func BenchmarkListPayloads(b *testing.B) {
	for _, d := range sqlstore.Dialects() {
		b.Run(string(d), func(b *testing.B) {
			SkipUnlessAvailable(b, d)
			ds := keep(b, "payloads/"+string(d), func(tb testing.TB) *payloadDataset { return newPayloadDataset(tb, d) })
			var none float64 // ns per page without payloads
			for _, c := range []struct {
				name     string
				instance int64
			}{{"page/payload=none", 2}, {"page/payload=1MiB", 1}} {
				b.Run(c.name, func(b *testing.B) {
					ctx := b.Context()
					b.ReportAllocs()
					for b.Loop() {
						if _, err := ds.store.List(ctx, c.instance, sqlstore.ListParams{Limit: pageSize}); err != nil {
							b.Fatal(err)
						}
					}
					if c.instance == 2 {
						none = perOp(b)
					} else {
						reportRatio(b, none, "x-none")
					}
				})
			}
			for _, c := range []struct {
				name         string
				instance, id int64
			}{{"entry/payload=none", 2, ds.withoutID}, {"entry/payload=1MiB", 1, ds.withID}} {
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
