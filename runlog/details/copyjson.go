package details

import (
	"bytes"
	"encoding/json"
	"time"
)

// ticket is the document CopyJSON writes; its fields are in the order
// they are written.
type ticket struct {
	Run          string          `json:"run"`
	ID           int64           `json:"id"`
	InstanceID   int64           `json:"instance_id"`
	RunID        int64           `json:"run_id"`
	Mode         string          `json:"mode"`
	RunStatus    string          `json:"run_status"`
	Stage        string          `json:"stage"`
	Status       string          `json:"status"`
	Attempt      int             `json:"attempt"`
	StartedAt    *string         `json:"started_at"`
	FinishedAt   *string         `json:"finished_at"`
	Summary      string          `json:"summary"`
	Metrics      json.RawMessage `json:"metrics"`
	MetricsError string          `json:"metrics_error,omitempty"`
	Payload      json.RawMessage `json:"payload"`
	PayloadError string          `json:"payload_error,omitempty"`
}

// CopyJSON returns the card as one JSON document, indented by two spaces,
// for pasting into a ticket:
//
//	{
//	  "run": "#42 · apply / failed",
//	  "id": 1001,
//	  "instance_id": 7,
//	  "run_id": 42,
//	  "mode": "apply",
//	  "run_status": "failed",
//	  "stage": "reconcile",
//	  "status": "failed",
//	  "attempt": 2,
//	  "started_at": "2026-11-20T09:00:00Z",
//	  "finished_at": "2026-11-20T09:00:03Z",
//	  "summary": "reconcile: 3 records matched more than one local device",
//	  "metrics": {"matched": 1187, ...},
//	  "payload": {"type": "ReconcileError", ...}
//	}
//
// Times are RFC 3339 with fractional seconds when there are any; a zero
// start time and an unfinished stage's finish time are null. summary is
// Card.ErrorSummary. metrics and payload are Entry.Metrics and
// Entry.ErrorPayload as stored, members in document order, or null when
// absent; metrics_error and payload_error, present only when set, are the
// text of Card.MetricsErr and Card.PayloadErr.
//
// The document is always valid JSON and valid UTF-8, whatever the card
// holds: invalid UTF-8 in stored JSON becomes U+FFFD, and stored text that
// is not valid JSON (or nests deeper than MaxDepth) is embedded as a JSON
// string, with metrics_error or payload_error saying why.
//
// The error is that of encoding/json; it does not happen for any card.
func (c Card) CopyJSON() ([]byte, error) {
	e := c.Entry
	t := ticket{
		Run: e.RunLabel(), ID: e.ID, InstanceID: e.InstanceID, RunID: e.RunID,
		Mode: string(e.Mode), RunStatus: string(e.RunStatus),
		Stage: string(e.Stage), Status: string(e.Status), Attempt: e.Attempt,
		Summary: c.ErrorSummary,
	}
	if !e.StartedAt.IsZero() {
		t.StartedAt = timeJSON(e.StartedAt)
	}
	if e.FinishedAt != nil {
		t.FinishedAt = timeJSON(*e.FinishedAt)
	}
	t.Metrics, t.MetricsError = embed(e.Metrics, c.MetricsErr)
	t.Payload, t.PayloadError = embed(e.ErrorPayload, c.PayloadErr)

	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(t); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
}

// embed returns stored JSON ready to embed in a document (compact, valid
// UTF-8, or null when absent) and the text of what the card found wrong
// with it, found (empty when nothing). Stored text that is not valid JSON
// becomes a JSON string, and the error says why.
func embed(raw []byte, found error) (json.RawMessage, string) {
	if absent(raw) {
		return json.RawMessage("null"), errText(found)
	}
	if err := validate(raw); err != nil {
		s, _ := json.Marshal(clean(string(raw), exact))
		return s, err.Error()
	}
	s := scanner{data: raw}
	s.space()
	return json.RawMessage(compact(raw[s.pos:])), errText(found)
}

// errText returns err's text, or "" for nil.
func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// timeJSON returns t for a JSON document.
func timeJSON(t time.Time) *string {
	s := t.Format(time.RFC3339Nano)
	return &s
}
