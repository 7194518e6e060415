package sqlstore

import (
	"encoding/binary"
	"fmt"
	"slices"
	"time"

	sq "github.com/Masterminds/squirrel"

	"github.com/opsync/integrationlogs/runlog"
)

// pageColumns are the stage row columns a list page reads. error_payload is
// not among them: it may be large, and the page does not show it.
var pageColumns = []string{
	"s.id", "s.instance_id", "s.run_id", "s.stage", "s.status", "s.attempt",
	"s.started_at", "s.finished_at", "s.error_summary", "s.metrics_json",
}

// listColumns returns the columns of a list page, in order: those of the
// stage rows picked (alias p) and the mode and status of their runs.
//
// The run is read by a scalar subquery per row picked, which every database
// evaluates as a primary key lookup. Joined, PostgreSQL may choose a hash
// join over a scan of the whole runs table, for every page.
func (b *Builder) listColumns() []string {
	run := func(column string) string {
		return "(SELECT r." + column + " FROM " + b.names.runs + " AS r" +
			" WHERE r.id = p.run_id AND r.instance_id = p.instance_id)"
	}
	return []string{
		"p.id AS id",
		"p.instance_id AS instance_id",
		"p.run_id AS run_id",
		run("mode") + " AS mode",
		run("status") + " AS run_status",
		"p.stage AS stage",
		"p.status AS status",
		"p.attempt AS attempt",
		"p.started_at AS started_at",
		"p.finished_at AS finished_at",
		"p.error_summary AS error_summary",
		"p.metrics_json AS metrics_json",
	}
}

// List returns the query of a list page: its rows are those of the page plus
// at most one more, which tells Page whether a further page exists. The
// columns are, in order: id, instance_id, run_id, mode, run_status, stage,
// status, attempt, started_at, finished_at, error_summary, metrics_json;
// mode and run_status are NULL for a stage row without its run. Run the
// query, scan its rows into Entries in the order they come, and pass them to
// Page with the same instanceID and ListParams.
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
// page: it drops the extra row, puts the rows in display order and makes the
// cursors. The returned Entries use fetched's storage.
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
// mirrors both reads, and Page reverses its rows.
//
// The reads touch the stage rows only; the runs are read afterwards for the
// few rows picked (see listColumns), and an outer ORDER BY sorts those.
func (b *Builder) buildList(pl *listPlan) (string, []any, error) {
	var picked sq.SelectBuilder
	runOrder, idOrder := "DESC", "ASC"
	switch pl.cur.dir {
	case dirFirst:
		picked = b.listBranch(pl, "s.run_id DESC, s.id ASC")
	case dirNext:
		picked = union(
			b.listBranch(pl, "s.id ASC", sq.Eq{"s.run_id": pl.cur.runID}, sq.Gt{"s.id": pl.cur.id}),
			b.listBranch(pl, "s.run_id DESC, s.id ASC", sq.Lt{"s.run_id": pl.cur.runID}))
	case dirPrev:
		picked = union(
			b.listBranch(pl, "s.id DESC", sq.Eq{"s.run_id": pl.cur.runID}, sq.Lt{"s.id": pl.cur.id}),
			b.listBranch(pl, "s.run_id ASC, s.id DESC", sq.Gt{"s.run_id": pl.cur.runID}))
		runOrder, idOrder = "ASC", "DESC"
	default:
		return "", nil, fmt.Errorf("%w: direction %d", ErrInvalidCursor, pl.cur.dir)
	}
	query, args, err := sq.Select(b.listColumns()...).
		FromSelect(picked, "p").
		OrderBy("p.run_id "+runOrder, "p.id "+idOrder).
		Suffix("LIMIT ?", pl.limit+1).
		PlaceholderFormat(b.dialect.placeholders()).
		ToSql()
	if err != nil {
		return "", nil, fmt.Errorf("sqlstore: build list query: %w", err)
	}
	return query, args, nil
}

// union returns "SELECT * FROM (a) AS a UNION ALL SELECT * FROM (b) AS b", a
// form SQLite, PostgreSQL and MySQL all accept: each branch keeps its own
// ORDER BY and LIMIT inside a derived table.
func union(a, b sq.SelectBuilder) sq.SelectBuilder {
	return sq.Select("*").FromSelect(a, "a").
		Suffix("UNION ALL").
		SuffixExpr(sq.Select("*").FromSelect(b, "b"))
}

// listBranch selects the instance's stage rows matching the keyset
// conditions and the filters, in the given order, limit+1 of them. The limit
// is an argument, not text, so that the SQL does not depend on it.
//
// The mode filter reads the run through a scalar subquery too, evaluated row
// by row as the index is read; as a join or EXISTS it may be planned as a
// merge or hash join over all the instance's runs.
func (b *Builder) listBranch(pl *listPlan, order string, keyset ...sq.Sqlizer) sq.SelectBuilder {
	q := sq.Select(pageColumns...).From(b.names.stages + " AS s").Where(sq.Eq{"s.instance_id": pl.instanceID})
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
		q = q.Where("(SELECT r.mode FROM "+b.names.runs+" AS r WHERE r.id = s.run_id AND r.instance_id = s.instance_id) = ?", pl.mode)
	}
	if !pl.after.IsZero() {
		q = q.Where(sq.GtOrEq{"s.started_at": pl.afterArg})
	}
	if !pl.before.IsZero() {
		q = q.Where(sq.Lt{"s.started_at": pl.beforeArg})
	}
	return q.OrderBy(order).Suffix("LIMIT ?", pl.limit+1)
}

// listArgs returns the arguments of pl's query without squirrel, in the
// order buildList places them (a test holds the two together).
func (b *Builder) listArgs(pl *listPlan) []any {
	n := 1 + 2 + 1 + len(pl.stages) + len(pl.statuses) + 3 + 1 // one branch at most
	args := make([]any, 0, 2*n+1)
	if pl.cur.dir == dirFirst {
		args = b.appendBranchArgs(args, pl)
	} else {
		args = b.appendBranchArgs(args, pl, pl.cur.runID, pl.cur.id)
		args = b.appendBranchArgs(args, pl, pl.cur.runID)
	}
	return append(args, pl.limit+1)
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

// result makes the page from the rows fetched by pl's query, in query order.
func (pl *listPlan) result(rows []runlog.Entry) ListResult {
	more := len(rows) > pl.limit
	if more {
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
	if pl.cur.dir == dirPrev {
		slices.Reverse(rows)
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
