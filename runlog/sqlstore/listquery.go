package sqlstore

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	sq "github.com/Masterminds/squirrel"

	"github.com/opsync/integrationlogs/runlog"
)

// rowColumns returns the columns of a stage row (alias s) as List and Entry
// read them, in order, with summary and metrics as the expressions of
// error_summary and metrics_json, and the mode and status of its run.
//
// The run is read by a scalar subquery, which every database evaluates as a
// primary key lookup for each row returned. Joined, PostgreSQL may choose a
// hash join over a scan of the whole runs table, for every page. The
// subquery matches the instance too, so that a stage row never shows
// another instance's run; a row without its run gets NULL.
//
// pgx cannot hand PostgreSQL's infinity and -infinity over as a time and
// would fail the whole page: those come as NULL times, with their text in
// started_at_text and finished_at_text (NULL elsewhere).
func (b *Builder) rowColumns(summary, metrics string) []string {
	started, finished := "s.started_at", "s.finished_at"
	startedText, finishedText := "NULL", "NULL"
	if b.dialect == PostgreSQL {
		started = "CASE WHEN isfinite(s.started_at) THEN s.started_at END"
		finished = "CASE WHEN isfinite(s.finished_at) THEN s.finished_at END"
		startedText = "CASE WHEN NOT isfinite(s.started_at) THEN CAST(s.started_at AS TEXT) END"
		finishedText = "CASE WHEN NOT isfinite(s.finished_at) THEN CAST(s.finished_at AS TEXT) END"
	}
	return []string{
		"s.id AS id",
		"s.instance_id AS instance_id",
		"s.run_id AS run_id",
		b.runColumn("mode", "s") + " AS mode",
		b.runColumn("status", "s") + " AS run_status",
		"s.stage AS stage",
		"s.status AS status",
		"s.attempt AS attempt",
		started + " AS started_at",
		finished + " AS finished_at",
		startedText + " AS started_at_text",
		finishedText + " AS finished_at_text",
		summary + " AS error_summary",
		metrics + " AS metrics_json",
	}
}

// scanEndColumns are the columns of a row that marks where the scan of a
// filtered page stopped (see List): its run_id and id, instance_id 0, and
// the other columns empty (never NULL where a stage row has a value).
const scanEndColumns = "e.id, 0, e.run_id, NULL, NULL, '', '', 0, NULL, NULL, NULL, NULL, NULL, NULL"

// runColumn returns a scalar subquery reading a column of the run of the
// stage row alias.
func (b *Builder) runColumn(column, alias string) string {
	return "(SELECT r." + column + " FROM " + b.names.runs + " AS r WHERE r.id = " + alias + ".run_id AND r.instance_id = " + alias + ".instance_id)"
}

// What a list page reads of a row's error summary and metrics, in
// characters (runes). The Details cell shows at most 120 characters of the
// summary and the first two metrics; a page reads a little more, so that
// the cell is right for summaries that start with white space and for
// metrics of the usual size. Longer texts are cut to these lengths in the
// database, and their entries have Clipped set. Entry reads rows in full.
const (
	ListSummaryChars = 256
	ListMetricsChars = 512
)

// List returns the query of a list page. Run it, scan its rows into
// Entries, and pass them all, in any order, to Page with the same
// instanceID and ListParams, which sorts them, keeps the page's and makes
// the cursors.
//
// The columns are, in order: id, instance_id, run_id, mode, run_status,
// stage, status, attempt, started_at, finished_at, started_at_text,
// finished_at_text, error_summary, metrics_json. mode and run_status are
// NULL for a stage row without its run. started_at_text and
// finished_at_text are NULL but on PostgreSQL, where they hold the text of
// a time that is not finite (infinity), which then comes as a NULL time
// (Page does not read them: set Entry.Unreadable from them if you like).
// error_summary and metrics_json hold at most ListSummaryChars+1 and
// ListMetricsChars+1 characters: Page cuts a longer one to
// ListSummaryChars or ListMetricsChars and sets Clipped.
//
// A filtered page (Stages, Statuses, Mode, StartedAfter or StartedBefore
// set) may return, besides the stage rows, up to two rows that mark where
// its scan of the index stopped: their instance_id is 0, their run_id and
// id those of the row the scan stopped at, and their other columns NULL,
// 0 or empty. Page needs them to continue from there.
//
// The query returns at most limit+1 stage rows. The errors are those of
// (*Store).List for bad arguments.
func (b *Builder) List(instanceID int64, p ListParams) (string, []any, error) {
	pl, err := b.plan(instanceID, p)
	if err != nil {
		return "", nil, err
	}
	return b.listQuery(pl)
}

// Page turns the rows fetched with the query of List(instanceID, p) into the
// page: it sorts them in display order, keeps the page's, cuts long
// summaries and metrics (see List) and makes the cursors. It sorts fetched
// in place, and the returned Entries share its storage.
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
	scan       int    // index entries a filtered page reads at most, from each keyset read
	cur        cursor // cur.dir is dirFirst when there is no cursor

	runID         int64
	stages        []string // sorted, without duplicates
	statuses      []string // sorted, without duplicates
	mode          string
	after, before time.Time // zero: no filter

	afterArg, beforeArg any // after and before as query arguments

	fingerprint []byte // of the filters, for the cursors

	full bool // read rows whole, error payload included (Store.Entries)
}

// MaxFilterValues is the most values one filter (ListParams.Stages or
// ListParams.Statuses) may hold.
const MaxFilterValues = 32

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
	pl.scan = max(b.scanLimit, pl.limit+1)
	var err error
	if pl.stages, err = filterValues("stage", p.Stages); err != nil {
		return nil, err
	}
	if pl.statuses, err = filterValues("status", p.Statuses); err != nil {
		return nil, err
	}
	if p.Mode != "" {
		if err := checkFilterValue("mode", pl.mode); err != nil {
			return nil, err
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

// filterValues checks the values of a filter and returns them as strings,
// sorted and without duplicates, so that equal filters look the same.
func filterValues[T ~string](kind string, vs []T) ([]string, error) {
	if len(vs) == 0 {
		return nil, nil
	}
	if len(vs) > MaxFilterValues {
		return nil, fmt.Errorf("sqlstore: list filter: %w: %d %s values (at most %d) (%w)", ErrInvalidValue, len(vs), kind, MaxFilterValues, runlog.ErrUnknownValue)
	}
	out := make([]string, 0, len(vs))
	for _, v := range vs {
		if err := checkFilterValue(kind, string(v)); err != nil {
			return nil, err
		}
		if !slices.Contains(out, string(v)) {
			out = append(out, string(v))
		}
	}
	slices.Sort(out)
	return out, nil
}

// checkFilterValue checks a filter value as the recorder checks a value it
// writes: a host's own stages, statuses and modes are accepted. The error
// wraps ErrInvalidValue and, for callers written when only the known
// values were accepted, runlog.ErrUnknownValue.
func checkFilterValue(kind, v string) error {
	if err := checkValue(kind, v); err != nil {
		return fmt.Errorf("sqlstore: list filter: %w (%w)", err, runlog.ErrUnknownValue)
	}
	return nil
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

// filtered reports whether pl has filters that rows are checked against as
// the index is read (all but RunID, which the index seeks to).
func (pl *listPlan) filtered() bool {
	return len(pl.stages) > 0 || len(pl.statuses) > 0 || pl.mode != "" || !pl.after.IsZero() || !pl.before.IsZero()
}

// listShape is what the list SQL text depends on.
type listShape struct {
	dir                        direction
	incl                       bool
	runID, mode, after, before bool
	stages, statuses           int
	full                       bool
}

func (pl *listPlan) shape() listShape {
	return listShape{
		dir:      pl.cur.dir,
		incl:     pl.cur.incl,
		runID:    pl.runID != 0,
		mode:     pl.mode != "",
		after:    !pl.after.IsZero(),
		before:   !pl.before.IsZero(),
		stages:   len(pl.stages),
		statuses: len(pl.statuses),
		full:     pl.full,
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

// keysetRead is one range read of the paging index from a cursor: its
// keyset conditions and its order.
type keysetRead struct {
	keyset []sq.Sqlizer
	order  []string // without alias, such as "run_id DESC"
}

// orderBy returns r's order for the columns of alias.
func (r keysetRead) orderBy(alias string) string {
	return alias + "." + strings.Join(r.order, ", "+alias+".")
}

// reads returns the range reads of pl's page, in the order their rows come
// in the page's reading direction.
//
// Rows are ordered by run_id descending, then id ascending. With that mixed
// order, the keyset condition "run_id < ? OR (run_id = ? AND id > ?)" is
// planned like an offset. Instead, a page after a cursor (R, I) reads two
// ranges of the index (instance_id, run_id DESC, id ASC, ...), each with
// its own limit: the rest of run R (run_id = R AND id > I, by id) and the
// runs after it (run_id < R, in index order). A page before the cursor
// mirrors both reads. The first page is one read. Both reads of a page are
// in the page's order (run_id is constant in the first), so that a
// database can merge them without sorting.
func (pl *listPlan) reads() []keysetRead {
	col := func(c string) string { return "s." + c }
	c := pl.cur
	switch c.dir {
	case dirNext:
		rest := sq.Sqlizer(sq.Gt{col("id"): c.id})
		if c.incl {
			rest = sq.GtOrEq{col("id"): c.id}
		}
		return []keysetRead{
			{[]sq.Sqlizer{sq.Eq{col("run_id"): c.runID}, rest}, []string{"run_id DESC", "id ASC"}},
			{[]sq.Sqlizer{sq.Lt{col("run_id"): c.runID}}, []string{"run_id DESC", "id ASC"}},
		}
	case dirPrev:
		rest := sq.Sqlizer(sq.Lt{col("id"): c.id})
		if c.incl {
			rest = sq.LtOrEq{col("id"): c.id}
		}
		return []keysetRead{
			{[]sq.Sqlizer{sq.Eq{col("run_id"): c.runID}, rest}, []string{"run_id ASC", "id DESC"}},
			{[]sq.Sqlizer{sq.Gt{col("run_id"): c.runID}}, []string{"run_id ASC", "id DESC"}},
		}
	}
	return []keysetRead{{nil, []string{"run_id DESC", "id ASC"}}}
}

// pageOrder returns the order of the rows nearest the cursor first.
func (pl *listPlan) pageOrder() string {
	if pl.cur.dir == dirPrev {
		return "run_id ASC, id DESC"
	}
	return "run_id DESC, id ASC"
}

// buildList builds the list query with squirrel:
//
//	SELECT <row columns> FROM (<page>) AS p JOIN stages AS s ON s.id = p.id
//	[UNION ALL SELECT <scan end> FROM (<scan end of each read>) AS e]
//
// where <page> selects the id and run_id of the page's rows, limit+1 at
// most, by range reads of the index (see reads), and, on SQLite, their cut
// summary and metrics, which the index holds (see the schema). The rows'
// other columns are read for those rows only.
//
// Unfiltered, each range read takes limit+1 rows, and <page> the limit+1 of
// them nearest the cursor. Filtered, each read first takes the next scan
// rows of the index in order ("scan", at most Config.ScanLimit), keeps
// those that pass the filters, which the index holds too, and stops at
// limit+1 of them; <page> takes the nearest limit+1 again. Beside it, each
// read finds the row its scan ends at (LIMIT 1 OFFSET scan-1): when there
// is one, the scan may have stopped before the page filled, and Page
// continues from there.
func (b *Builder) buildList(pl *listPlan) (string, []any, error) {
	reads := pl.reads()
	parts := make([]sq.Sqlizer, len(reads))
	for i, r := range reads {
		if pl.filtered() {
			parts[i] = b.filteredRead(pl, r)
		} else {
			parts[i] = b.scanFrom(pl, r, b.pageColumns("s", b.sqliteHeads("s"))...).OrderBy(r.orderBy("s")).Suffix("LIMIT ?", pl.limit+1)
		}
	}
	page := parts[0]
	if len(parts) > 1 {
		page = sq.ConcatExpr(b.union(parts...), sq.Expr(" ORDER BY "+pl.pageOrder()+" LIMIT ?", pl.limit+1))
	}
	summary, metrics := "s.summary_head", "s.metrics_head"
	if b.dialect == SQLite {
		summary, metrics = "p.summary_head", "p.metrics_head"
	}
	columns, endColumns := b.rowColumns(summary, metrics), scanEndColumns
	if pl.full {
		columns, endColumns = b.fullColumns(), scanEndColumns+", NULL"
	}
	members := []any{
		"SELECT " + strings.Join(columns, ", ") + " FROM (", page,
		") AS p JOIN " + b.names.stages + " AS s ON s.id = p.id",
	}
	if pl.filtered() {
		for _, r := range reads {
			end := b.scanFrom(pl, r, "s.id AS id", "s.run_id AS run_id").OrderBy(r.orderBy("s")).Suffix("LIMIT 1 OFFSET ?", pl.scan-1)
			members = append(members, " UNION ALL SELECT "+endColumns+" FROM (", end, ") AS e")
		}
	}
	query, args, err := sq.ConcatExpr(members...).ToSql()
	if err == nil {
		query, err = b.dialect.placeholders().ReplacePlaceholders(query)
	}
	if err != nil {
		return "", nil, fmt.Errorf("sqlstore: build list query: %w", err)
	}
	return query, args, nil
}

// pageColumns are the columns of <page> read from alias: id, run_id and,
// on SQLite, the cut summary and metrics, heads (see sqliteHeads).
func (b *Builder) pageColumns(alias string, heads []string) []string {
	cols := []string{alias + ".id AS id", alias + ".run_id AS run_id"}
	if b.dialect == SQLite {
		cols = append(cols, heads[0]+" AS summary_head", heads[1]+" AS metrics_head")
	}
	return cols
}

// sqliteHeads returns, on SQLite, the expressions of the cut summary and
// metrics of alias as the paging index holds them, and nothing elsewhere,
// where they are the stored columns summary_head and metrics_head.
func (b *Builder) sqliteHeads(alias string) []string {
	if b.dialect != SQLite {
		return nil
	}
	return []string{
		fmt.Sprintf("substr(CAST(%s.error_summary AS TEXT), 1, %d)", alias, ListSummaryChars+1),
		fmt.Sprintf("substr(CAST(%s.metrics_json AS TEXT), 1, %d)", alias, ListMetricsChars+1),
	}
}

// scanFrom selects columns from the instance's index entries of read r (and
// of pl's run, when RunID is set).
//
// On MySQL the read names the paging index (FORCE INDEX): without it,
// MariaDB 10.11 reads a page before a cursor deep in the list (run_id > R,
// ascending) by another plan, 34 times the cost of the first page at depth
// 900,000, against 1.1 times with it. A host's index cannot help a page
// anyway: what it reads is what the paging index holds.
func (b *Builder) scanFrom(pl *listPlan, r keysetRead, columns ...string) sq.SelectBuilder {
	from := b.names.stages + " AS s"
	if b.dialect == MySQL {
		from += " FORCE INDEX (" + b.names.stagesIndex + ")"
	}
	q := sq.Select(columns...).From(from).Where(sq.Eq{"s.instance_id": pl.instanceID})
	for _, k := range r.keyset {
		q = q.Where(k)
	}
	if pl.runID != 0 {
		q = q.Where(sq.Eq{"s.run_id": pl.runID})
	}
	return q
}

// filteredRead returns the rows of read r that pass pl's filters among the
// next pl.scan index entries, limit+1 at most.
//
// Every filter is checked on what the index holds: stage, status, mode (the
// run's, which the recorder copies into the stage row; for a row written
// without it, the run's by a scalar subquery) and the start time (on
// SQLite, its comparable key started_key, see sqliteTimeKey).
func (b *Builder) filteredRead(pl *listPlan, r keysetRead) sq.SelectBuilder {
	// Only the columns the filters check: SQLite drops unused columns of a
	// subquery, and then (3.54) no longer reads the indexed expressions
	// beside them from the index.
	cols := []string{"s.id AS id", "s.run_id AS run_id"}
	if len(pl.stages) > 0 {
		cols = append(cols, "s.stage AS stage")
	}
	if len(pl.statuses) > 0 {
		cols = append(cols, "s.status AS status")
	}
	if pl.mode != "" {
		cols = append(cols, "s.instance_id AS instance_id", "s.mode AS mode")
	}
	if !pl.after.IsZero() || !pl.before.IsZero() {
		started := "s.started_at"
		if b.dialect == SQLite {
			started = "s.started_key"
		}
		cols = append(cols, started+" AS started")
	}
	if heads := b.sqliteHeads("s"); heads != nil {
		cols = append(cols, heads[0]+" AS summary_head", heads[1]+" AS metrics_head")
	}
	scan := b.scanFrom(pl, r, cols...).OrderBy(r.orderBy("s")).Suffix("LIMIT ?", pl.scan)
	q := sq.Select(b.pageColumns("x", []string{"x.summary_head", "x.metrics_head"})...).FromSelect(scan, "x")
	if len(pl.stages) > 0 {
		q = q.Where(sq.Eq{"x.stage": pl.stages})
	}
	if len(pl.statuses) > 0 {
		q = q.Where(sq.Eq{"x.status": pl.statuses})
	}
	if pl.mode != "" {
		q = q.Where("COALESCE(x.mode, "+b.runColumn("mode", "x")+") = ?", pl.mode)
	}
	if !pl.after.IsZero() {
		q = q.Where(sq.GtOrEq{"x.started": pl.afterArg})
	}
	if !pl.before.IsZero() {
		q = q.Where(sq.Lt{"x.started": pl.beforeArg})
	}
	if !pl.after.IsZero() || !pl.before.IsZero() {
		// Times no reader understands are left out, as they are on SQLite
		// (whose key is NULL for them): PostgreSQL's infinities, MySQL's
		// zero dates.
		switch b.dialect {
		case PostgreSQL:
			q = q.Where("isfinite(x.started)")
		case MySQL:
			q = q.Where("x.started >= '0001-01-01'")
		}
	}
	return q.OrderBy(r.orderBy("x")).Suffix("LIMIT ?", pl.limit+1)
}

// joinSQL interleaves parts with sep.
func joinSQL(parts []sq.Sqlizer, sep string) []any {
	out := make([]any, 0, 2*len(parts))
	for i, p := range parts {
		if i > 0 {
			out = append(out, sep)
		}
		out = append(out, p)
	}
	return out
}

// union returns the UNION ALL of selects that have their own ORDER BY and
// LIMIT: PostgreSQL and MySQL take each in parentheses. SQLite takes no
// parentheses around the members of a UNION, so there each is a derived
// table.
func (b *Builder) union(parts ...sq.Sqlizer) sq.Sqlizer {
	members := make([]sq.Sqlizer, len(parts))
	for i, p := range parts {
		if b.dialect == SQLite {
			members[i] = sq.ConcatExpr("SELECT * FROM (", p, ") AS u"+string(rune('0'+i)))
		} else {
			members[i] = sq.ConcatExpr("(", p, ")")
		}
	}
	return sq.ConcatExpr(joinSQL(members, " UNION ALL ")...)
}

// maxRows returns how many rows pl's query returns at most: limit+1 stage
// rows and, filtered, a scan end for each range read.
func (pl *listPlan) maxRows() int {
	n := pl.limit + 1
	if pl.filtered() {
		n += len(pl.reads())
	}
	return n
}

// listArgs returns the arguments of pl's query without squirrel, in the
// order buildList places them (a test holds the two together).
func (b *Builder) listArgs(pl *listPlan) []any {
	var keysets [][]any
	switch pl.cur.dir {
	case dirFirst:
		keysets = [][]any{nil}
	default:
		keysets = [][]any{{pl.cur.runID, pl.cur.id}, {pl.cur.runID}}
	}
	args := make([]any, 0, 3*(8+len(pl.stages)+len(pl.statuses)))
	scanArgs := func(keyset []any) {
		args = append(args, pl.instanceID)
		args = append(args, keyset...)
		if pl.runID != 0 {
			args = append(args, pl.runID)
		}
	}
	for _, k := range keysets {
		scanArgs(k)
		if pl.filtered() {
			args = append(args, pl.scan)
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
		}
		args = append(args, pl.limit+1)
	}
	if len(keysets) > 1 {
		args = append(args, pl.limit+1)
	}
	if pl.filtered() {
		for _, k := range keysets {
			scanArgs(k)
			args = append(args, pl.scan-1)
		}
	}
	return args
}

// displayOrder compares rows in list order: run_id descending, then id
// ascending.
func displayOrder(aRun, aID, bRun, bID int64) int {
	if c := cmp.Compare(bRun, aRun); c != 0 {
		return c
	}
	return cmp.Compare(aID, bID)
}

// result makes the page from the rows fetched by pl's query, in any order.
func (pl *listPlan) result(rows []runlog.Entry) ListResult {
	// Scan ends (instance_id 0) apart, entries in display order.
	var ends []cursor
	entries := rows[:0]
	for _, e := range rows {
		if e.InstanceID == 0 {
			ends = append(ends, cursor{runID: e.RunID, id: e.ID})
			continue
		}
		entries = append(entries, e)
	}
	slices.SortFunc(entries, func(a, b runlog.Entry) int { return displayOrder(a.RunID, a.ID, b.RunID, b.ID) })
	forward := pl.cur.dir != dirPrev

	// The scan stopped at the first end it met in its direction: rows past
	// it were read by a range read that should not have been.
	var end *cursor
	for i := range ends {
		e := &ends[i]
		if end == nil {
			end = e
		} else if c := displayOrder(e.runID, e.id, end.runID, end.id); (forward && c < 0) || (!forward && c > 0) {
			end = e
		}
	}
	if end != nil {
		entries = slices.DeleteFunc(entries, func(e runlog.Entry) bool {
			c := displayOrder(e.RunID, e.ID, end.runID, end.id)
			return (forward && c > 0) || (!forward && c < 0)
		})
	}

	// The page is the rows nearest the cursor: the first ones after it, the
	// last ones before it.
	more := len(entries) > pl.limit
	if more && !forward {
		entries = entries[len(entries)-pl.limit:]
	} else if more {
		entries = entries[:pl.limit]
	}
	if entries == nil {
		entries = []runlog.Entry{}
	}
	if !pl.full {
		for i := range entries {
			clip(&entries[i])
		}
	}
	res := ListResult{Entries: entries}
	stopped := end != nil && !more // the scan stopped before the page filled
	res.Partial = stopped && len(entries) < pl.limit
	enc := func(c cursor) string { return encodeCursor(c, pl.instanceID, pl.fingerprint) }

	// Onward: from the last row shown, or from where the scan stopped.
	// Back: from the first row shown or, on a page without rows, from the
	// cursor's position, the cursor's row included when it left it out.
	var onward, back string
	switch {
	case more:
		if forward {
			last := entries[len(entries)-1]
			onward = enc(cursor{dir: dirNext, runID: last.RunID, id: last.ID})
		} else {
			first := entries[0]
			onward = enc(cursor{dir: dirPrev, runID: first.RunID, id: first.ID})
		}
	case stopped:
		d := dirNext
		if !forward {
			d = dirPrev
		}
		onward = enc(cursor{dir: d, runID: end.runID, id: end.id})
	}
	switch {
	case len(entries) > 0 && forward && pl.cur.dir != dirFirst:
		back = enc(cursor{dir: dirPrev, runID: entries[0].RunID, id: entries[0].ID})
	case len(entries) > 0 && !forward:
		last := entries[len(entries)-1]
		back = enc(cursor{dir: dirNext, runID: last.RunID, id: last.ID})
	case len(entries) == 0 && pl.cur.dir != dirFirst:
		d := dirPrev
		if !forward {
			d = dirNext
		}
		back = enc(cursor{dir: d, runID: pl.cur.runID, id: pl.cur.id, incl: !pl.cur.incl})
	}
	if forward {
		res.Next, res.Prev = onward, back
	} else {
		res.Prev, res.Next = onward, back
	}
	return res
}

// clip cuts a listed row's summary and metrics to ListSummaryChars and
// ListMetricsChars characters; the query reads one more to tell.
func clip(e *runlog.Entry) {
	if s, ok := cutRunes(e.ErrorSummary, ListSummaryChars); ok {
		e.ErrorSummary, e.Clipped = s, true
	}
	if m, ok := cutRunes(string(e.Metrics), ListMetricsChars); ok {
		e.Metrics, e.Clipped = []byte(m), true
	}
}

// cutRunes returns the first n runes of s and true when s has more.
func cutRunes(s string, n int) (string, bool) {
	if len(s) <= n {
		return s, false
	}
	i := 0
	for k := 0; k < n && i < len(s); k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	if i >= len(s) {
		return s, false
	}
	return s[:i], true
}
