package logshttp_test

import (
	"time"

	"github.com/opsync/integrationlogs/runlog"
)

// The API's JSON, as a client reads it; decode refuses unknown fields, so
// these types pin the shape of every response.

type badgeJSON struct {
	Value   string `json:"value"`
	Label   string `json:"label"`
	Tone    string `json:"tone"`
	Meaning string `json:"meaning"`
}

type metricJSON struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

type detailsJSON struct {
	Text         string       `json:"text"`
	Truncated    bool         `json:"truncated"`
	Metrics      []metricJSON `json:"metrics"`
	MetricsError string       `json:"metrics_error"`
}

type entryJSON struct {
	ID         int64               `json:"id"`
	RunID      int64               `json:"run_id"`
	RunLabel   string              `json:"run_label"`
	Mode       string              `json:"mode"`
	RunStatus  string              `json:"run_status"`
	Stage      badgeJSON           `json:"stage"`
	Status     badgeJSON           `json:"status"`
	Attempt    int                 `json:"attempt"`
	Retried    bool                `json:"retried"`
	StartedAt  *time.Time          `json:"started_at"`
	FinishedAt *time.Time          `json:"finished_at"`
	Details    detailsJSON         `json:"details"`
	Unreadable []runlog.Unreadable `json:"unreadable"`
}

type listJSON struct {
	Entries []entryJSON `json:"entries"`
	Next    string      `json:"next"`
	Prev    string      `json:"prev"`
	Partial bool        `json:"partial"`
}

type exceptionJSON struct {
	Type    string `json:"type"`
	Message string `json:"message"`
	Trace   string `json:"trace"`
}

type reasonJSON struct {
	Code        string `json:"code"`
	Count       int    `json:"count"`
	Known       bool   `json:"known"`
	Meaning     string `json:"meaning"`
	Outcome     string `json:"outcome"`
	Writes      bool   `json:"writes"`
	NeedsReview bool   `json:"needs_review"`
}

type rawJSON struct {
	ID           int64   `json:"id"`
	InstanceID   int64   `json:"instance_id"`
	RunID        int64   `json:"run_id"`
	Mode         string  `json:"mode"`
	RunStatus    string  `json:"run_status"`
	Stage        string  `json:"stage"`
	Status       string  `json:"status"`
	Attempt      int     `json:"attempt"`
	StartedAt    *string `json:"started_at"`
	FinishedAt   *string `json:"finished_at"`
	ErrorSummary *string `json:"error_summary"`
	MetricsJSON  *string `json:"metrics_json"`
	ErrorPayload *string `json:"error_payload"`
}

type cardJSON struct {
	Entry          entryJSON       `json:"entry"`
	Summary        string          `json:"summary"`
	Metrics        []metricJSON    `json:"metrics"`
	MetricsError   string          `json:"metrics_error"`
	Exceptions     []exceptionJSON `json:"exceptions"`
	MoreExceptions int             `json:"more_exceptions"`
	PayloadError   string          `json:"payload_error"`
	Reasons        []reasonJSON    `json:"reasons"`
	ReasonsError   string          `json:"reasons_error"`
	Raw            rawJSON         `json:"raw"`
	Copy           string          `json:"copy"`
}

type errorJSON struct {
	Error string `json:"error"`
	Param string `json:"param"`
}

type purgeJSON struct {
	Deleted int64 `json:"deleted"`
}

func ptr[T any](v T) *T { return &v }
