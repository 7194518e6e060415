package sqlstore

import (
	"context"
	"fmt"
	"iter"
	"slices"

	sq "github.com/Masterminds/squirrel"

	"github.com/opsync/integrationlogs/runlog"
)

// entriesChunk is how many full rows Entries reads by one statement. The
// statement always names this many ids (padded with 0, which no row has),
// so that it has one shape.
const entriesChunk = 50

// Entries returns every stage row of instanceID that p's filters keep, in
// list order (newest run first), read page by page through the keyset as
// List reads them, p.Limit rows a page (0 means DefaultLimit), never all at
// once: for exports and reports over any number of rows. Rows are whole, as
// Entry returns them: summaries and metrics not clipped, payloads included.
// Pages cut short by the scan bound (ListResult.Partial) are followed, so
// every row is yielded.
//
// An error ends the sequence: it is yielded once, with a zero Entry. A row
// deleted between reading its page and reading it in full is left out.
func (s *Store) Entries(ctx context.Context, instanceID int64, p ListParams) iter.Seq2[runlog.Entry, error] {
	return func(yield func(runlog.Entry, error) bool) {
		p.Cursor = ""
		for {
			page, err := s.List(ctx, instanceID, p)
			if err != nil {
				yield(runlog.Entry{}, err)
				return
			}
			for chunk := range slices.Chunk(page.Entries, entriesChunk) {
				rows, err := s.fullRows(ctx, instanceID, chunk)
				if err != nil {
					yield(runlog.Entry{}, fmt.Errorf("sqlstore: entries: %w", err))
					return
				}
				for _, e := range rows {
					if !yield(e, nil) {
						return
					}
				}
			}
			if page.Next == "" {
				return
			}
			p.Cursor = page.Next
		}
	}
}

// fullRows reads the rows of listed in full, in listed's order.
func (s *Store) fullRows(ctx context.Context, instanceID int64, listed []runlog.Entry) ([]runlog.Entry, error) {
	args := make([]any, 0, 1+entriesChunk)
	for _, e := range listed {
		args = append(args, e.ID)
	}
	for len(args) < entriesChunk {
		args = append(args, int64(0))
	}
	args = append(args, instanceID)
	var rows []entryRow
	if err := s.query(ctx, &rows, s.builder.rec.fullRows, args); err != nil {
		return nil, err
	}
	byID := make(map[int64]runlog.Entry, len(rows))
	for i := range rows {
		byID[rows[i].ID] = rows[i].entry()
	}
	out := make([]runlog.Entry, 0, len(listed))
	for _, e := range listed {
		if full, ok := byID[e.ID]; ok {
			out = append(out, full)
		}
	}
	return out, nil
}

// buildFullRows builds the statement of fullRows: entriesChunk ids, then
// instance_id. The rows are found by their ids; the instance is checked on
// each. On SQLite the instance's column is written "+s.instance_id", which
// keeps the planner from reading the instance's whole range of the paging
// index instead of looking up the ids.
func (b *Builder) buildFullRows() (string, error) {
	ids := make([]any, entriesChunk)
	for i := range ids {
		ids[i] = int64(0)
	}
	instance := "s.instance_id = ?"
	if b.dialect == SQLite {
		instance = "+s.instance_id = ?"
	}
	query, _, err := b.sql().Select(b.fullColumns()...).
		From(b.names.stages+" AS s").
		Where(sq.Eq{"s.id": ids}).
		Where(instance, 0).
		ToSql()
	return query, err
}
