package sqlstore

import (
	"testing"
	"time"

	"github.com/opsync/integrationlogs/runlog"
)

// BenchmarkBuilderList measures building a list query: validating the
// parameters, checking the cursor and assembling the arguments, with the SQL
// text from the cache ("cached") or built by squirrel each time ("squirrel",
// what every call would cost without the cache).
func BenchmarkBuilderList(b *testing.B) {
	builder, err := NewBuilder(SQLite, Tables{})
	if err != nil {
		b.Fatal(err)
	}
	filtered := ListParams{
		Limit:        50,
		Stages:       []runlog.Stage{runlog.StageExtract, runlog.StageReconcile},
		Statuses:     []runlog.Status{runlog.StatusFailed, runlog.StatusError},
		Mode:         runlog.ModeApply,
		StartedAfter: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
	}
	fetched := make([]runlog.Entry, 51)
	for i := range fetched {
		fetched[i] = runlog.Entry{ID: int64(900_000 + i), RunID: int64(150_000 - i/6)}
	}
	page, err := builder.Page(7, filtered, fetched)
	if err != nil {
		b.Fatal(err)
	}
	next := filtered
	next.Cursor = page.Next
	for _, bc := range []struct {
		name string
		p    ListParams
	}{
		{"first", ListParams{Limit: 50}},
		{"next-filtered", next},
	} {
		b.Run("cached/"+bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, _, err := builder.List(7, bc.p); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run("squirrel/"+bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				pl, err := builder.plan(7, bc.p)
				if err != nil {
					b.Fatal(err)
				}
				if _, _, err := builder.buildList(pl); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBuilderPage measures turning 51 fetched rows into a page with
// both cursors.
func BenchmarkBuilderPage(b *testing.B) {
	builder, err := NewBuilder(SQLite, Tables{})
	if err != nil {
		b.Fatal(err)
	}
	fetched := make([]runlog.Entry, 51)
	for i := range fetched {
		fetched[i] = runlog.Entry{ID: int64(900_000 + i), RunID: int64(150_000 - i/6)}
	}
	first, err := builder.Page(7, ListParams{}, fetched)
	if err != nil {
		b.Fatal(err)
	}
	p := ListParams{Cursor: first.Next}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := builder.Page(7, p, fetched); err != nil {
			b.Fatal(err)
		}
	}
}
