package logshttp

import (
	"slices"
	"time"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/badge"
	"github.com/opsync/integrationlogs/runlog/details"
	"github.com/opsync/integrationlogs/runlog/redact"
)

// entryJSON is one row of the table as the API gives it.
type entryJSON struct {
	ID        int64       `json:"id"`
	RunID     int64       `json:"run_id"`
	RunLabel  string      `json:"run_label"`
	Mode      string      `json:"mode"`       // the run's
	RunStatus string      `json:"run_status"` // the run's
	Stage     badgeJSON   `json:"stage"`
	Status    badgeJSON   `json:"status"`
	Attempt   int         `json:"attempt"`
	Retried   bool        `json:"retried"`
	Started   *string     `json:"started_at"`  // RFC 3339 UTC; null when not started, or unreadable
	Finished  *string     `json:"finished_at"` // null while unfinished
	Details   detailsJSON `json:"details"`
	// Unreadable lists stored values that could not be read.
	Unreadable []runlog.Unreadable `json:"unreadable,omitempty"`
}

// badgeJSON is a stage or status: the stored value and its badge.
// encoding/json turns invalid UTF-8 in any text into U+FFFD.
type badgeJSON struct {
	Value string      `json:"value"`
	Label string      `json:"label"`
	Tone  runlog.Tone `json:"tone"`
	// Meaning is the badge's one-line meaning, in a card only: a page of
	// rows leaves it out, as it would repeat the same sentences on every
	// row.
	Meaning string `json:"meaning,omitempty"`
}

// detailsJSON is the Details cell.
type detailsJSON struct {
	Text      string       `json:"text"`
	Truncated bool         `json:"truncated"`
	Metrics   []metricJSON `json:"metrics"`
	// MetricsError says why the metrics could not be read; absent when
	// they could.
	MetricsError string `json:"metrics_error,omitempty"`
}

// metricJSON is one metric as text.
type metricJSON struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// newEntryJSON returns the API form of e.
func newEntryJSON(e *runlog.Entry) entryJSON {
	sum := details.Summarize(*e)
	out := entryJSON{
		ID:         e.ID,
		RunID:      e.RunID,
		RunLabel:   e.RunLabel(),
		Mode:       string(e.Mode),
		RunStatus:  string(e.RunStatus),
		Stage:      newBadgeJSON(string(e.Stage), badge.ForStage(e.Stage)),
		Status:     newBadgeJSON(string(e.Status), badge.ForStatus(e.Status)),
		Attempt:    e.Attempt,
		Retried:    e.Retried(),
		Details:    detailsJSON{Text: sum.Text, Truncated: sum.Truncated, Metrics: metricsJSON(sum.Metrics), MetricsError: errText(sum.MetricsErr)},
		Unreadable: e.Unreadable,
	}
	if !e.StartedAt.IsZero() {
		out.Started = instantText(e.StartedAt)
	}
	if e.FinishedAt != nil {
		out.Finished = instantText(*e.FinishedAt)
	}
	return out
}

// instantText returns t in RFC 3339 with as many fractional digits as it
// needs, in UTC. Formatting here, rather than through time.Time's
// MarshalJSON, spares encoding/json re-reading every time it writes.
func instantText(t time.Time) *string {
	s := t.UTC().Format(time.RFC3339Nano)
	return &s
}

// newBadgeJSON returns the API form of a value and its badge, without its
// meaning.
func newBadgeJSON(value string, b badge.Badge) badgeJSON {
	return badgeJSON{Value: value, Label: b.Label, Tone: b.Tone}
}

// metricsJSON returns metrics in their API form, never nil.
func metricsJSON(ms []details.Metric) []metricJSON {
	out := make([]metricJSON, len(ms))
	for i, m := range ms {
		out[i] = metricJSON{Key: m.Key, Value: m.Value}
	}
	return out
}

// errText returns err's text, or "" for nil.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// redact redacts what the row shows with r, as the card is redacted: rows
// written by other systems may hold secrets the recorder would have
// removed. It redacts the cell's parts rather than the stored texts, which
// costs a fraction: the summary's start as text, each metric's key and
// value as text, and the value of a key that names a secret whole.
func (e *entryJSON) redact(r *redact.Redactor) {
	e.Details.Text, _ = r.String(e.Details.Text)
	for i := range e.Details.Metrics {
		m := &e.Details.Metrics[i]
		switch {
		case r.SecretKey(m.Key) && m.Value != "" && m.Value != "null":
			m.Value = redact.Marker
		case !plainValue(m.Value):
			m.Value, _ = r.String(m.Value)
		}
		m.Key, _ = r.String(m.Key)
	}
	if len(e.Unreadable) > 0 {
		e.Unreadable = slices.Clone(e.Unreadable)
		for i := range e.Unreadable {
			e.Unreadable[i].Stored, _ = r.String(e.Unreadable[i].Stored)
		}
	}
}

// plainValue reports whether v is a number, true, false or null, which no
// redaction rule matches: most metrics are counts.
func plainValue(v string) bool {
	switch v {
	case "", "true", "false", "null":
		return true
	}
	for i := range len(v) {
		switch c := v[i]; {
		case '0' <= c && c <= '9', c == '.', c == 'e', c == 'E', c == '+', c == '-':
		default:
			return false
		}
	}
	return true
}
