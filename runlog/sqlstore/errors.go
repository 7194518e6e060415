package sqlstore

import "errors"

// Sentinel errors. Test for them with errors.Is: the errors a Store or a
// Builder returns wrap them with details.
var (
	// ErrUnknownDialect: the dialect is not one of SQLite, PostgreSQL and
	// MySQL, or a driver (by name or type) maps to none of them.
	ErrUnknownDialect = errors.New("sqlstore: unknown dialect")
	// ErrInvalidTableName: a configured table name is not a plain SQL
	// identifier, or two names would name the same table (see Tables).
	ErrInvalidTableName = errors.New("sqlstore: invalid table name")
	// ErrInvalidInstance: an instance ID of zero or below.
	ErrInvalidInstance = errors.New("sqlstore: instance ID must be positive")
	// ErrInvalidLimit: a negative page size (zero means the default).
	ErrInvalidLimit = errors.New("sqlstore: invalid page size")
	// ErrInvalidBatchSize: a purge batch size of zero or below.
	ErrInvalidBatchSize = errors.New("sqlstore: invalid purge batch size")
	// ErrInvalidCursor: a cursor that is malformed, truncated, tampered with,
	// or that was issued for another instance or other filters.
	ErrInvalidCursor = errors.New("sqlstore: invalid cursor")
	// ErrNotFound: no stage row (or run) with that ID belongs to that
	// instance, or, for the recorder, no run has that ID.
	ErrNotFound = errors.New("sqlstore: not found")
	// ErrInvalidValue: a stage, status or mode that cannot be stored: empty,
	// longer than 64 bytes, or not valid UTF-8 (NUL included).
	ErrInvalidValue = errors.New("sqlstore: invalid value")
	// ErrInvalidLimitConfig: a size limit in the Config below 256 bytes.
	ErrInvalidLimitConfig = errors.New("sqlstore: invalid size limit")
	// ErrInvalidDuration: a duration of zero or below where one is needed
	// (Stale, ExpireStale).
	ErrInvalidDuration = errors.New("sqlstore: invalid duration")
	// ErrStageGone: the recorder's stage row no longer exists (a purge
	// removed it while the stage ran). Nothing was written.
	ErrStageGone = errors.New("sqlstore: stage row no longer exists")
	// ErrStageFinished: the recorder's stage row has finished already
	// (recorded by this recorder, or expired by ExpireStale), or, for
	// Start, it is no longer queued. Nothing was written.
	ErrStageFinished = errors.New("sqlstore: stage row already finished")
	// ErrNilTx: WithTx was given a nil transaction. Every call of the
	// Store it returned fails with it, rather than run outside any
	// transaction.
	ErrNilTx = errors.New("sqlstore: nil transaction")
	// ErrInvalidMetrics: metrics that encoding/json cannot encode. The row
	// is written with a note of the error in place of the metrics.
	ErrInvalidMetrics = errors.New("sqlstore: invalid metrics")
)
