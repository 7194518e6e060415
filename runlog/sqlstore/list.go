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
	// Stages keeps the rows of any of these stages. Unknown stages are
	// refused with an error wrapping runlog.ErrUnknownValue.
	Stages []runlog.Stage
	// Statuses keeps the rows with any of these statuses. Unknown statuses
	// are refused with an error wrapping runlog.ErrUnknownValue.
	Statuses []runlog.Status
	// Mode keeps the rows of runs of that mode. An unknown mode is refused
	// with an error wrapping runlog.ErrUnknownValue.
	Mode runlog.Mode
	// StartedAfter keeps the rows started at or after this instant
	// (inclusive), and StartedBefore those started before it (exclusive):
	// consecutive windows neither overlap nor leave gaps. Rows not yet
	// started (NULL started_at) are left out by either filter.
	StartedAfter, StartedBefore time.Time
}

// ListResult is one page of stage rows.
type ListResult struct {
	// Entries are the page's rows: runs newest first (run_id descending),
	// and within a run the rows in the order they were recorded (id
	// ascending). Never nil. ErrorPayload is not read by List (it can be
	// large); get it from Entry.
	Entries []runlog.Entry `json:"entries"`
	// Next is the cursor of the following page; empty on the last page.
	Next string `json:"next"`
	// Prev is the cursor of the preceding page; empty on the first page.
	// Following it returns exactly the rows of that page, even when newer
	// rows were recorded since.
	Prev string `json:"prev"`
	// Partial reports that the page stopped at the bound on how much of
	// the index one page reads, before it was full: more rows that the
	// filters keep may follow, and Next continues from where it stopped.
	Partial bool `json:"partial"`
}

// List returns a page of instanceID's stage rows (see ListParams and
// ListResult). Pages are read by keyset, never by offset and never counted,
// so every page costs about the same however deep; rows recorded while a
// user pages cause neither duplicates nor skips.
//
// An instanceID of zero or below gives ErrInvalidInstance; a bad cursor
// ErrInvalidCursor; a negative limit ErrInvalidLimit; an unknown stage,
// status or mode runlog.ErrUnknownValue. Unknown values read from the
// database are returned as stored.
func (s *Store) List(ctx context.Context, instanceID int64, p ListParams) (ListResult, error) {
	pl, err := s.builder.plan(instanceID, p)
	if err != nil {
		return ListResult{}, err
	}
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
