package details

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/opsync/integrationlogs/runlog/redact"
)

// CopyJSON returns the card as one JSON document, indented by two spaces
// (up to IndentDepth levels), for pasting into a ticket:
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
// absent; all three are redacted (see below). metrics_error and
// payload_error, present only when set, are the text of Card.MetricsErr
// and Card.PayloadErr. unreadable, present only when the row has some,
// lists Entry.Unreadable: the field, the stored text and the reason of
// each value that could not be read.
//
// The document is always valid JSON and valid UTF-8, and safe to paste,
// whatever the card holds: control and bidirectional formatting characters
// in strings are written as \u escapes, invalid UTF-8 in stored JSON
// becomes U+FFFD, and stored text that
// is not valid JSON (or nests deeper than MaxDepth) is embedded as a JSON
// string, with metrics_error or payload_error saying why.
//
// A pasted card must not leak credentials, and rows written by other
// systems may hold them, so the document is redacted by redact.Default:
// the summary as text (redact.Redactor.String), the metrics and the payload,
// exception messages and traces included, as JSON (redact.Redactor.JSON),
// and each unreadable value as text, each secret replaced by redact.Marker. The card itself, and so
// Card.String, shows the row as stored.
//
// The error is that of encoding/json; it does not happen for any card.
func (c Card) CopyJSON() ([]byte, error) {
	e := c.Entry
	metrics, metricsErr := embed(e.Metrics, c.MetricsErr)
	payload, payloadErr := embed(e.ErrorPayload, c.PayloadErr)
	r := redact.Default()
	summary, _ := r.String(c.ErrorSummary)
	metrics, _ = r.JSON(metrics)
	payload, _ = r.JSON(payload)
	unreadable := e.Unreadable
	if len(unreadable) > 0 {
		unreadable = slices.Clone(unreadable)
		for i := range unreadable {
			unreadable[i].Stored, _ = r.String(unreadable[i].Stored)
		}
	}
	var started, finished *string
	if !e.StartedAt.IsZero() {
		started = timeJSON(e.StartedAt)
	}
	if e.FinishedAt != nil {
		finished = timeJSON(*e.FinishedAt)
	}
	fields := []struct {
		name  string
		value any // encoded by encoding/json, unless a json.RawMessage
	}{
		{"run", e.RunLabel()},
		{"id", e.ID},
		{"instance_id", e.InstanceID},
		{"run_id", e.RunID},
		{"mode", e.Mode},
		{"run_status", e.RunStatus},
		{"stage", e.Stage},
		{"status", e.Status},
		{"attempt", e.Attempt},
		{"started_at", started},
		{"finished_at", finished},
		{"summary", summary},
		{"metrics", metrics},
		{"metrics_error", metricsErr},
		{"payload", payload},
		{"payload_error", payloadErr},
		{"unreadable", unreadable},
	}

	// The document is written by hand, so that stored JSON keeps its order
	// and is indented only as deep as IndentDepth.
	w := writer{buf: make([]byte, 256+len(summary)+2*(len(metrics)+len(payload)))}
	w.reset(escaped, 0) // control and bidi characters in strings as \u escapes
	add(&w, "{")
	for i, f := range fields {
		if f.value == "" && strings.HasSuffix(f.name, "_error") || f.name == "unreadable" && len(e.Unreadable) == 0 {
			continue
		}
		if i > 0 {
			add(&w, ",")
		}
		newline(&w, 1)
		add(&w, `"`+f.name+`": `)
		raw, ok := f.value.(json.RawMessage)
		if !ok {
			var err error
			if raw, err = jsonText(f.value); err != nil {
				return nil, err
			}
		}
		pretty(&w, raw, 1)
	}
	newline(&w, 0)
	add(&w, "}")
	return w.text(), nil
}

// embed returns stored JSON ready to embed in a document (null when
// absent) and the text of what the card found wrong with it, found (empty
// when nothing). Stored text that is not valid JSON becomes a JSON string,
// and the error says why.
func embed(raw []byte, found error) (json.RawMessage, string) {
	if absent(raw) {
		return json.RawMessage("null"), errText(found)
	}
	if err := validate(raw); err != nil {
		s, _ := jsonText(clean(string(raw), exact))
		return s, err.Error()
	}
	return bytes.TrimSpace(raw), errText(found)
}

// jsonText returns v encoded by encoding/json, without escaping HTML.
func jsonText(v any) ([]byte, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), nil
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
