package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	sq "github.com/Masterminds/squirrel"

	"github.com/opsync/integrationlogs/runlog"
)

// Entry returns the query of Store.Entry: one stage row with its run, the
// columns of a list page (see List) followed by error_payload, with
// error_summary and metrics_json in full. A stage row without its run has
// NULL mode and run_status.
func (b *Builder) Entry(instanceID, id int64) (string, []any, error) {
	if instanceID <= 0 {
		return "", nil, fmt.Errorf("%w: %d", ErrInvalidInstance, instanceID)
	}
	return b.entrySQL, []any{instanceID, id}, nil
}

// fullColumns returns the columns of a whole stage row with its run: those
// of a list page (rowColumns), nothing cut, then error_payload.
func (b *Builder) fullColumns() []string {
	return append(b.rowColumns("s.error_summary", "s.metrics_json"), "s.error_payload AS error_payload")
}

func (b *Builder) buildEntry() (string, error) {
	columns := b.fullColumns()
	query, _, err := sq.Select(columns...).
		From(b.names.stages + " AS s").
		Where(sq.Eq{"s.instance_id": 0}).
		Where(sq.Eq{"s.id": 0}).
		PlaceholderFormat(b.dialect.placeholders()).
		ToSql()
	if err != nil {
		return "", fmt.Errorf("sqlstore: build entry query: %w", err)
	}
	return query, nil
}

// Entry returns the stage row id of instanceID in full, error payload
// included, for a "View full" card. A row that does not exist, or belongs to
// another instance, gives ErrNotFound. A stage row without its run has an
// empty Mode and RunStatus. A time that cannot be read is left zero (nil)
// and described in Entry.Unreadable, as List does.
func (s *Store) Entry(ctx context.Context, instanceID, id int64) (runlog.Entry, error) {
	query, args, err := s.builder.Entry(instanceID, id)
	if err != nil {
		return runlog.Entry{}, err
	}
	var rows []entryRow
	if err := s.query(ctx, &rows, query, args); err != nil {
		return runlog.Entry{}, fmt.Errorf("sqlstore: entry: %w", err)
	}
	if len(rows) == 0 {
		return runlog.Entry{}, fmt.Errorf("%w: instance %d, id %d", ErrNotFound, instanceID, id)
	}
	return rows[0].entry(), nil
}

// entryRow is a stage row joined with its run as the queries return it.
// Every column may be NULL, so that no stored value fails a page.
type entryRow struct {
	ID           int64          `db:"id"`
	InstanceID   int64          `db:"instance_id"`
	RunID        int64          `db:"run_id"`
	Mode         sql.NullString `db:"mode"`       // NULL without a run row
	RunStatus    sql.NullString `db:"run_status"` // NULL without a run row
	Stage        sql.NullString `db:"stage"`
	Status       sql.NullString `db:"status"`
	Attempt      sql.NullInt64  `db:"attempt"`
	StartedAt    nullTime       `db:"started_at"`
	FinishedAt   nullTime       `db:"finished_at"`
	StartedText  sql.NullString `db:"started_at_text"`  // PostgreSQL: a time pgx cannot hand over
	FinishedText sql.NullString `db:"finished_at_text"` // likewise
	ErrorSummary sql.NullString `db:"error_summary"`
	ErrorPayload []byte         `db:"error_payload"` // only read by Entry and Stale
	Metrics      []byte         `db:"metrics_json"`
}

// entry converts r. Values are kept as stored: unknown stages or statuses,
// invalid JSON. NULL times, payloads and metrics become nil; a time that
// cannot be read is left zero and listed in Unreadable.
func (r *entryRow) entry() runlog.Entry {
	e := runlog.Entry{
		ID:           r.ID,
		InstanceID:   r.InstanceID,
		RunID:        r.RunID,
		Mode:         runlog.Mode(r.Mode.String),
		RunStatus:    runlog.RunStatus(r.RunStatus.String),
		Stage:        runlog.Stage(r.Stage.String),
		Status:       runlog.Status(r.Status.String),
		Attempt:      int(r.Attempt.Int64),
		StartedAt:    r.StartedAt.Time,
		ErrorSummary: r.ErrorSummary.String,
		ErrorPayload: json.RawMessage(r.ErrorPayload),
		Metrics:      json.RawMessage(r.Metrics),
	}
	if r.FinishedAt.Valid {
		t := r.FinishedAt.Time
		e.FinishedAt = &t
	}
	for _, f := range []struct {
		name string
		t    *nullTime
		text sql.NullString
	}{{"started_at", &r.StartedAt, r.StartedText}, {"finished_at", &r.FinishedAt, r.FinishedText}} {
		if f.text.Valid {
			e.Unreadable = append(e.Unreadable, runlog.Unreadable{Field: f.name, Stored: storedText(f.text.String),
				Reason: "not a finite time"})
		} else if u := f.t.unreadable(f.name); u != nil {
			e.Unreadable = append(e.Unreadable, *u)
		}
	}
	return e
}
