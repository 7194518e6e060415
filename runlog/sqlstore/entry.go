package sqlstore

import (
	"context"
	"fmt"

	sq "github.com/Masterminds/squirrel"

	"github.com/opsync/integrationlogs/runlog"
)

// Entry returns the query of Store.Entry: one stage row with its run, the
// columns of a list page (see List) followed by error_payload. A stage row
// without its run has NULL mode and run_status.
func (b *Builder) Entry(instanceID, id int64) (string, []any, error) {
	if instanceID <= 0 {
		return "", nil, fmt.Errorf("%w: %d", ErrInvalidInstance, instanceID)
	}
	return b.entrySQL, []any{instanceID, id}, nil
}

func (b *Builder) buildEntry() (string, error) {
	columns := append(b.listColumns(), "s.error_payload AS error_payload")
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
// empty Mode and RunStatus.
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
