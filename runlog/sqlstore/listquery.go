package sqlstore

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	sq "github.com/Masterminds/squirrel"

	"github.com/opsync/integrationlogs/runlog"
)

// listColumns returns the columns of a list page, in order: those of the
// stage row (alias s), but error_payload, which may be large and which the
// page does not show, and the mode and status of its run.
//
// The run is read by a scalar subquery, which every database evaluates as a
// primary key lookup for each row returned. Joined, PostgreSQL may choose a
// hash join over a scan of the whole runs table, for every page. The
// subquery matches the instance too, so that a stage row never shows
// another instance's run; a row without its run gets NULL.
func (b *Builder) listColumns() []string {
	return []string{
		"s.id AS id",
		"s.instance_id AS instance_id",
		"s.run_id AS run_id",
		b.runColumn("mode") + " AS mode",
		b.runColumn("status") + " AS run_status",
		"s.stage AS stage",
		"s.status AS status",
		"s.attempt AS attempt",
		"s.started_at AS started_at",
		"s.finished_at AS finished_at",
		"s.error_summary AS error_summary",
		"s.metrics_json AS metrics_json",
	}
}

// runColumn returns a scalar subquery reading a column of the run of the
// stage row s.
func (b *Builder) runColumn(column string) string {
	return "(SELECT r." + column + " FROM " + b.names.runs + " AS r WHERE r.id = s.run_id AND r.instance_id = s.instance_id)"
}

// List returns the query of a list page. Its rows, in no set order, are
// those of the page and a few more: Page sorts them, keeps the page and
// learns from the rest whether a further page exists. The columns are, in
// order: id, instance_id, run_id, mode, run_status, stage, status, attempt,
// started_at, finished_at, error_summary, metrics_json; mode and run_status
// are NULL for a stage row without its run. Run the query, scan its rows
// into Entries, and pass them to Page with the same instanceID and
// ListParams.
//
// The errors are those of (*Store).List for bad arguments.
func (b *Builder) List(instanceID int64, p ListParams) (string, []any, error) {
	pl, err := b.plan(instanceID, p)
	if err != nil {
		return "", nil, err
	}
	return b.listQuery(pl)
}

// Page turns the rows fetched with the query of List(instanceID, p) into the
// page: it sorts them in display order, keeps the page's and makes the
// cursors. It sorts fetched in place, and the returned Entries share its
// storage.
func (b *Builder) Page(instanceID int64, p ListParams, fetched []runlog.Entry) (ListResult, error) {
	pl, err := b.plan(instanceID, p)
	if err != nil {
		return ListResult{}, err
	}
	return pl.result(fetched), nil
}

// listPlan is a validated, normalised list request.
type listPlan struct {
	instanceID int64
	limit      int
	cur        cursor // cur.dir is dirFirst when there is no cursor

	runID         int64
	stages        []string // sorted, without duplicates
	statuses      []string // sorted, without duplicates
	mode          string
	after, before time.Time // zero: no filter

	afterArg, beforeArg any // after and before as query arguments

	fingerprint []byte // of the filters, for the cursors
}

// plan validates and normalises a list request and decodes its cursor.
func (b *Builder) plan(instanceID int64, p ListParams) (*listPlan, error) {
	if instanceID <= 0 {
		return nil, fmt.Errorf("%w: %d", ErrInvalidInstance, instanceID)
	}
	pl := &listPlan{
		instanceID: instanceID,
		limit:      p.Limit,
		runID:      p.RunID,
		mode:       string(p.Mode),
		after:      p.StartedAfter,
		before:     p.StartedBefore,
	}
	switch {
	case p.Limit < 0:
		return nil, fmt.Errorf("%w: %d (want 0 for the default, or more)", ErrInvalidLimit, p.Limit)
	case p.Limit == 0:
		pl.limit = DefaultLimit
	case p.Limit > MaxLimit:
		pl.limit = MaxLimit
	}
	var err error
	if pl.stages, err = sortedValues(p.Stages, runlog.ParseStage); err != nil {
		return nil, fmt.Errorf("sqlstore: list filter: %w", err)
	}
	if pl.statuses, err = sortedValues(p.Statuses, runlog.ParseStatus); err != nil {
		return nil, fmt.Errorf("sqlstore: list filter: %w", err)
	}
	if p.Mode != "" {
		if _, err := runlog.ParseMode(pl.mode); err != nil {
			return nil, fmt.Errorf("sqlstore: list filter: %w", err)
		}
	}
	if !pl.after.IsZero() {
		pl.afterArg = b.timeArg(pl.after)
	}
	if !pl.before.IsZero() {
		pl.beforeArg = b.timeArg(pl.before)
	}
	pl.fingerprint = pl.appendFingerprint(make([]byte, 0, 64))
	if p.Cursor != "" {
		if pl.cur, err = decodeCursor(p.Cursor, instanceID, pl.fingerprint); err != nil {
			return nil, err
		}
	}
	return pl, nil
}

// sortedValues checks every value with parse and returns them as strings,
// sorted and without duplicates, so that equal filters look the same.
func sortedValues[T ~string](vs []T, parse func(string) (T, error)) ([]string, error) {
	if len(vs) == 0 {
		return nil, nil
	}
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		if _, err := parse(string(v)); err != nil {
			return nil, err
		}
		if !slices.Contains(out, string(v)) {
			out = append(out, string(v))
		}
	}
	slices.Sort(out)
	return out, nil
}

// appendFingerprint appends an unambiguous encoding of the filters.
func (pl *listPlan) appendFingerprint(buf []byte) []byte {
	buf = binary.AppendVarint(buf, pl.runID)
	for _, list := range [][]string{pl.stages, pl.statuses, {pl.mode}} {
		buf = binary.AppendUvarint(buf, uint64(len(list)))
		for _, s := range list {
			buf = binary.AppendUvarint(buf, uint64(len(s)))
			buf = append(buf, s...)
		}
	}
	for _, t := range []time.Time{pl.after, pl.before} {
		if t.IsZero() {
			buf = append(buf, 0)
			continue
		}
		buf = append(buf, 1)
		buf = binary.AppendVarint(buf, t.Unix())
		buf = binary.AppendUvarint(buf, uint64(t.Nanosecond()))
	}
	return buf
}

// listShape is what the list SQL text depends on.
type listShape struct {
	dir                        direction
	runID, mode, after, before bool
	stages, statuses           int
}

func (pl *listPlan) shape() listShape {
	return listShape{
		dir:      pl.cur.dir,
		runID:    pl.runID != 0,
		mode:     pl.mode != "",
		after:    !pl.after.IsZero(),
		before:   !pl.before.IsZero(),
		stages:   len(pl.stages),
		statuses: len(pl.statuses),
	}
}

// listQuery returns the SQL and arguments of pl, the SQL from the cache when
// a request of the same shape was built before.
func (b *Builder) listQuery(pl *listPlan) (string, []any, error) {
	shape := pl.shape()
	if query, ok := b.lists.Load(shape); ok {
		return query.(string), b.listArgs(pl), nil
	}
	query, args, err := b.buildList(pl)
	if err != nil {
		return "", nil, err
	}
	b.lists.Store(shape, query)
	return query, args, nil
}

// buildList builds the list query with squirrel.
//
// Rows are ordered by run_id descending, then id ascending. With that mixed
// order, the keyset condition "run_id < ? OR (run_id = ? AND id > ?)" is
// planned like an offset. Instead, a page after a cursor (R, I) is the union
// of two range reads of the index (instance_id, run_id DESC, id ASC), each
// with its own limit: the rest of run R (run_id = R AND id > I, by id) and
// the runs after it (run_id < R, in index order). A page before the cursor
// mirrors both reads. The first page is one read.
//
// The union has no ORDER BY or LIMIT of its own: Page sorts its few rows
// and keeps the page's. Sorting them in SQL made MariaDB write the union to
// a temporary table, which doubled the cost of a page.
func (b *Builder) buildList(pl *listPlan) (string, []any, error) {
	var q sq.Sqlizer
	switch pl.cur.dir {
	case dirFirst:
		q = b.listBranch(pl, "s.run_id DESC, s.id ASC")
	case dirNext:
		q = b.union(
			b.listBranch(pl, "s.id ASC", sq.Eq{"s.run_id": pl.cur.runID}, sq.Gt{"s.id": pl.cur.id}),
			b.listBranch(pl, "s.run_id DESC, s.id ASC", sq.Lt{"s.run_id": pl.cur.runID}))
	case dirPrev:
		q = b.union(
			b.listBranch(pl, "s.id DESC", sq.Eq{"s.run_id": pl.cur.runID}, sq.Lt{"s.id": pl.cur.id}),
			b.listBranch(pl, "s.run_id ASC, s.id DESC", sq.Gt{"s.run_id": pl.cur.runID}))
	default:
		return "", nil, fmt.Errorf("%w: direction %d", ErrInvalidCursor, pl.cur.dir)
	}
	query, args, err := q.ToSql()
	if err == nil {
		query, err = b.dialect.placeholders().ReplacePlaceholders(query)
	}
	if err != nil {
		return "", nil, fmt.Errorf("sqlstore: build list query: %w", err)
	}
	return query, args, nil
}

// union returns "(first) UNION ALL (second)": PostgreSQL and MySQL take each
// branch, with its own ORDER BY and LIMIT, in parentheses. SQLite takes no
// parentheses around the members of a UNION, so there each branch is a
// derived table (which MySQL would write to a temporary table).
func (b *Builder) union(first, second sq.SelectBuilder) sq.Sqlizer {
	if b.dialect == SQLite {
		return sq.ConcatExpr("SELECT * FROM (", first, ") AS a UNION ALL SELECT * FROM (", second, ") AS b")
	}
	return sq.ConcatExpr("(", first, ") UNION ALL (", second, ")")
}

// listBranch selects the instance's stage rows matching the keyset
// conditions and the filters, in the given order, limit+1 of them. The limit
// is an argument, not text, so that the SQL does not depend on it.
//
// The mode filter reads the run through a scalar subquery too (see
// listColumns), evaluated row by row as the index is read; as a join or
// EXISTS it may be planned as a merge or hash join over all the instance's
// runs.
//
// On MySQL the branch names the paging index: MariaDB otherwise reads it by
// instance_id alone, from the instance's newest row down to the cursor,
// which grows with depth (about 50 ms at depth 900,000), rather than as a
// range on (instance_id, run_id).
func (b *Builder) listBranch(pl *listPlan, order string, keyset ...sq.Sqlizer) sq.SelectBuilder {
	from := b.names.stages + " AS s"
	if b.dialect == MySQL {
		from += " FORCE INDEX (" + b.names.stagesIndex + ")"
	}
	q := sq.Select(b.listColumns()...).From(from).Where(sq.Eq{"s.instance_id": pl.instanceID})
	for _, k := range keyset {
		q = q.Where(k)
	}
	if pl.runID != 0 {
		q = q.Where(sq.Eq{"s.run_id": pl.runID})
	}
	if len(pl.stages) > 0 {
		q = q.Where(sq.Eq{"s.stage": pl.stages})
	}
	if len(pl.statuses) > 0 {
		q = q.Where(sq.Eq{"s.status": pl.statuses})
	}
	if pl.mode != "" {
		q = q.Where(b.runColumn("mode")+" = ?", pl.mode)
	}
	if !pl.after.IsZero() {
		q = q.Where(sq.GtOrEq{"s.started_at": pl.afterArg})
	}
	if !pl.before.IsZero() {
		q = q.Where(sq.Lt{"s.started_at": pl.beforeArg})
	}
	return q.OrderBy(order).Suffix("LIMIT ?", pl.limit+1)
}

// maxRows returns how many rows pl's query returns at most: limit+1 from
// each read.
func (pl *listPlan) maxRows() int {
	if pl.cur.dir == dirFirst {
		return pl.limit + 1
	}
	return 2 * (pl.limit + 1)
}

// listArgs returns the arguments of pl's query without squirrel, in the
// order buildList places them (a test holds the two together).
func (b *Builder) listArgs(pl *listPlan) []any {
	if pl.cur.dir == dirFirst {
		return b.appendBranchArgs(make([]any, 0, 8+len(pl.stages)+len(pl.statuses)), pl)
	}
	args := make([]any, 0, 2*(8+len(pl.stages)+len(pl.statuses)))
	args = b.appendBranchArgs(args, pl, pl.cur.runID, pl.cur.id)
	return b.appendBranchArgs(args, pl, pl.cur.runID)
}

func (b *Builder) appendBranchArgs(args []any, pl *listPlan, keyset ...any) []any {
	args = append(args, pl.instanceID)
	args = append(args, keyset...)
	if pl.runID != 0 {
		args = append(args, pl.runID)
	}
	for _, s := range pl.stages {
		args = append(args, s)
	}
	for _, s := range pl.statuses {
		args = append(args, s)
	}
	if pl.mode != "" {
		args = append(args, pl.mode)
	}
	if !pl.after.IsZero() {
		args = append(args, pl.afterArg)
	}
	if !pl.before.IsZero() {
		args = append(args, pl.beforeArg)
	}
	return append(args, pl.limit+1)
}

// result makes the page from the rows fetched by pl's query, in any order.
func (pl *listPlan) result(rows []runlog.Entry) ListResult {
	slices.SortFunc(rows, func(a, b runlog.Entry) int {
		if c := cmp.Compare(b.RunID, a.RunID); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	// The page is the rows nearest the cursor: the first ones after it, the
	// last ones before it.
	more := len(rows) > pl.limit
	if more && pl.cur.dir == dirPrev {
		rows = rows[len(rows)-pl.limit:]
	} else if more {
		rows = rows[:pl.limit]
	}
	if rows == nil {
		rows = []runlog.Entry{}
	}
	res := ListResult{Entries: rows}
	if len(rows) == 0 {
		// Only rows deleted since the cursor was issued leave a page empty;
		// there is nothing to move from.
		return res
	}
	first, last := rows[0], rows[len(rows)-1]
	next := cursor{dir: dirNext, runID: last.RunID, id: last.ID}
	prev := cursor{dir: dirPrev, runID: first.RunID, id: first.ID}
	switch pl.cur.dir {
	case dirFirst:
		if more {
			res.Next = encodeCursor(next, pl.instanceID, pl.fingerprint)
		}
	case dirNext:
		if more {
			res.Next = encodeCursor(next, pl.instanceID, pl.fingerprint)
		}
		res.Prev = encodeCursor(prev, pl.instanceID, pl.fingerprint)
	case dirPrev:
		res.Next = encodeCursor(next, pl.instanceID, pl.fingerprint)
		if more {
			res.Prev = encodeCursor(prev, pl.instanceID, pl.fingerprint)
		}
	}
	return res
}
