package sqlstore

import (
	"context"
	"fmt"
	"time"

	"github.com/opsync/integrationlogs/runlog"
)

// Page sizes.
const (
	DefaultLimit = 50  // the page size when ListParams.Limit is 0
	MaxLimit     = 500 // larger limits are lowered to this
)

// DefaultScanLimit is how many index entries a filtered list page reads at
// most from each of its range reads when Config.ScanLimit is 0. It was
// measured to keep the costliest filtered page within about three times an
// unfiltered one at 1,000,000 rows on every database (see the package doc).
const DefaultScanLimit = 1000

// setScanLimit sets the bound from Config.ScanLimit.
func (b *Builder) setScanLimit(n int) error {
	switch {
	case n < 0:
		return fmt.Errorf("%w: ScanLimit %d (0 for the default, or more)", ErrInvalidLimitConfig, n)
	case n > 0:
		b.scanLimit = n
	}
	return nil
}

// ListParams selects a page of stage rows. Its zero value asks for the first
// page of DefaultLimit rows with no filter.
//
// Every filter narrows the list; a zero field is no filter. A cursor is
// bound to the filters it was issued with: change a filter and start again
// from the first page (an empty Cursor), or List returns ErrInvalidCursor.
// Limit may change from one page to the next.
type ListParams struct {
	// Limit is the page size: 0 means DefaultLimit, above MaxLimit means
	// MaxLimit, and a negative value is refused with ErrInvalidLimit.
	Limit int
	// Cursor is ListResult.Next or ListResult.Prev of an earlier page, or
	// empty for the first page.
	Cursor string

	// RunID keeps the rows of that run.
	RunID int64
	// Stages keeps the rows of any of these stages, at most
	// MaxFilterValues of them. A host's own stages are accepted: any value
	// the recorder would write (not empty, at most 64 bytes of valid UTF-8
	// without NUL); others are refused with an error wrapping
	// ErrInvalidValue (and runlog.ErrUnknownValue, which earlier versions
	// returned for unknown values).
	Stages []runlog.Stage
	// Statuses keeps the rows with any of these statuses, checked as
	// Stages are.
	Statuses []runlog.Status
	// Mode keeps the rows of runs of that mode, checked as Stages are.
	Mode runlog.Mode
	// StartedAfter keeps the rows started at or after this instant
	// (inclusive), and StartedBefore those started before it (exclusive):
	// consecutive windows neither overlap nor leave gaps. Rows not yet
	// started (NULL started_at), and rows whose start time cannot be read
	// (see runlog.Entry.Unreadable), are left out by either filter. They
	// compare with what is stored to the microsecond on PostgreSQL and
	// MySQL, and to the nanosecond on SQLite, whatever form a driver wrote
	// the time in (see the package doc).
	StartedAfter, StartedBefore time.Time
}

// ListResult is one page of stage rows.
type ListResult struct {
	// Entries are the page's rows: runs newest first (run_id descending),
	// and within a run the rows in the order they were recorded (id
	// ascending). Never nil. ErrorPayload is not read by List (it can be
	// large), and ErrorSummary and Metrics only up to ListSummaryChars and
	// ListMetricsChars characters (Entry.Clipped tells); get the whole row
	// from Entry.
	Entries []runlog.Entry `json:"entries"`
	// Next is the cursor of the following page; empty on the last page.
	Next string `json:"next"`
	// Prev is the cursor of the preceding page; empty on the first page.
	// Following it returns the Limit rows (that the filters keep) just
	// before this page's first row, as they are then: the rows of the page
	// before when none was recorded or deleted among them since. Runs
	// recorded since at the head of the list do not change it; they are
	// reached by following Prev from the first page read, whose Prev is
	// then set. A row added since to a run that page showed (a new
	// attempt, say) is in it, and pushes the page's first row back to the
	// page before it.
	Prev string `json:"prev"`
	// Partial reports that the page stopped at the bound on how much of
	// the index one page reads (Config.ScanLimit), before it found Limit
	// rows that the filters keep: it holds those it found, maybe none,
	// and Next continues from the row where the scan stopped (Prev, on a
	// page read backwards), so that no row is skipped or shown twice.
	// Only filtered pages are ever partial, and a partial page always has
	// a Next: a scan that stops on the list's very last row cannot tell
	// that no row follows, so its Next leads to an empty page, the end.
	Partial bool `json:"partial"`
}

// List returns a page of instanceID's stage rows (see ListParams and
// ListResult). Pages are read by keyset, never by offset and never counted,
// and a filtered page reads a bounded part of the index, so every page
// costs about the same however deep and whatever the filters; rows recorded
// while a user pages cause neither duplicates nor skips. A page whose
// cursor's rows were deleted since is empty, with a cursor back (and, read
// backwards, forth) from where it started.
//
// An instanceID of zero or below gives ErrInvalidInstance; a bad cursor
// ErrInvalidCursor; a negative limit ErrInvalidLimit; a stage, status or
// mode that could not be stored ErrInvalidValue. Values read from the
// database are returned as stored, unknown ones included, and a stored
// value that cannot be read (a time, say) never fails the page: it is left
// zero and described in Entry.Unreadable.
func (s *Store) List(ctx context.Context, instanceID int64, p ListParams) (ListResult, error) {
	return s.list(ctx, instanceID, p, false)
}

// list reads a page as List does, or, with full, its rows whole, error
// payloads included, as Entries yields them.
func (s *Store) list(ctx context.Context, instanceID int64, p ListParams, full bool) (ListResult, error) {
	pl, err := s.builder.plan(instanceID, p)
	if err != nil {
		return ListResult{}, err
	}
	pl.full = full
	query, args, err := s.builder.listQuery(pl)
	if err != nil {
		return ListResult{}, err
	}
	rows := make([]entryRow, 0, pl.maxRows())
	if err := s.query(ctx, &rows, query, args); err != nil {
		return ListResult{}, fmt.Errorf("sqlstore: list: %w", err)
	}
	entries := make([]runlog.Entry, len(rows))
	for i := range rows {
		entries[i] = rows[i].entry()
	}
	return pl.result(entries), nil
}
