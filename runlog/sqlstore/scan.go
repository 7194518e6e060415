package sqlstore

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/opsync/integrationlogs/runlog"
)

// entryRow is a stage row joined with its run as the queries return it.
type entryRow struct {
	ID           int64          `db:"id"`
	InstanceID   int64          `db:"instance_id"`
	RunID        int64          `db:"run_id"`
	Mode         sql.NullString `db:"mode"`       // NULL without a run row
	RunStatus    sql.NullString `db:"run_status"` // NULL without a run row
	Stage        string         `db:"stage"`
	Status       string         `db:"status"`
	Attempt      int            `db:"attempt"`
	StartedAt    nullTime       `db:"started_at"`
	FinishedAt   nullTime       `db:"finished_at"`
	ErrorSummary sql.NullString `db:"error_summary"`
	ErrorPayload []byte         `db:"error_payload"` // only read by Entry
	Metrics      []byte         `db:"metrics_json"`
}

// entry converts r. Values are kept as stored: unknown stages or statuses,
// invalid JSON. NULL times, payloads and metrics become nil.
func (r *entryRow) entry() runlog.Entry {
	e := runlog.Entry{
		ID:           r.ID,
		InstanceID:   r.InstanceID,
		RunID:        r.RunID,
		Mode:         runlog.Mode(r.Mode.String),
		RunStatus:    runlog.RunStatus(r.RunStatus.String),
		Stage:        runlog.Stage(r.Stage),
		Status:       runlog.Status(r.Status),
		Attempt:      r.Attempt,
		StartedAt:    r.StartedAt.Time,
		ErrorSummary: r.ErrorSummary.String,
		ErrorPayload: json.RawMessage(r.ErrorPayload),
		Metrics:      json.RawMessage(r.Metrics),
	}
	if r.FinishedAt.Valid {
		t := r.FinishedAt.Time
		e.FinishedAt = &t
	}
	return e
}

// nullTime scans a nullable time from any of the supported drivers: a
// time.Time (pgx; go-sql-driver/mysql with parseTime=true; modernc.org/sqlite
// on DATETIME columns), or text (SQLite; go-sql-driver/mysql without
// parseTime). Text without a zone is UTC. Times come back in UTC.
type nullTime struct {
	Time  time.Time
	Valid bool
}

// Scan implements sql.Scanner.
func (n *nullTime) Scan(src any) error {
	*n = nullTime{}
	var err error
	switch v := src.(type) {
	case nil:
		return nil
	case time.Time:
		n.Time = v
	case string:
		n.Time, err = parseTime(v)
	case []byte:
		n.Time, err = parseTime(string(v))
	default:
		return fmt.Errorf("sqlstore: cannot read a time from %T (store times as the schema says)", src)
	}
	if err != nil {
		return err
	}
	n.Time, n.Valid = n.Time.UTC(), true
	return nil
}

// timeLayouts are the text forms of times that drivers write: SQLite's
// (modernc.org/sqlite with _time_format=sqlite, mattn/go-sqlite3, the schema's
// default), RFC 3339, MySQL's DATETIME without a zone.
var timeLayouts = []string{
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02 15:04:05.999999999 -0700 MST", // time.Time.String, modernc.org/sqlite's default
}

// parseTime parses a stored time in any of timeLayouts.
func parseTime(s string) (time.Time, error) {
	// time.Time.String may end with the monotonic clock reading " m=+1.5".
	if i := strings.Index(s, " m="); i > 0 {
		s = s[:i]
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("sqlstore: cannot read time %q (want UTC as %q)", s, sqliteTimeFormat)
}
