package sqlstore

import "errors"

// Sentinel errors. Test for them with errors.Is: the errors a Store or a
// Builder returns wrap them with details.
var (
	// ErrUnknownDialect: the dialect is not one of SQLite, PostgreSQL and
	// MySQL, or a driver name maps to none of them.
	ErrUnknownDialect = errors.New("sqlstore: unknown dialect")
	// ErrInvalidTableName: a configured table name is not a plain SQL
	// identifier (see Tables).
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
	// ErrNotFound: no stage row with that ID belongs to that instance.
	ErrNotFound = errors.New("sqlstore: entry not found")
)
