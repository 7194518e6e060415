package logshttp

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/badge"
	"github.com/opsync/integrationlogs/runlog/details"
	"github.com/opsync/integrationlogs/runlog/reason"
	"github.com/opsync/integrationlogs/runlog/redact"
)

// cardResponse is the body of GET api/entries/{id}: the row's full card.
type cardResponse struct {
	Entry entryJSON `json:"entry"`
	// Summary is the whole error summary.
	Summary string `json:"summary"`
	// Metrics are every metric in document order, objects and arrays
	// indented.
	Metrics      []metricJSON `json:"metrics"`
	MetricsError string       `json:"metrics_error,omitempty"`
	// Exceptions is the exception chain, thrown first.
	Exceptions     []details.Exception `json:"exceptions"`
	MoreExceptions int                 `json:"more_exceptions"`
	PayloadError   string              `json:"payload_error,omitempty"`
	// Reasons explain the reason codes the metrics count, most frequent
	// first; empty for rows that count none.
	Reasons      []reasonJSON `json:"reasons"`
	ReasonsError string       `json:"reasons_error,omitempty"`
	// Raw is the row as stored, redacted.
	Raw rawJSON `json:"raw"`
	// Copy is the card as one JSON document for a ticket
	// (details.Card.CopyJSON).
	Copy string `json:"copy"`
}

// reasonJSON is one reason code of a decide row, explained.
type reasonJSON struct {
	Code  runlog.ReasonCode `json:"code"`
	Count int               `json:"count"`
	// Known reports whether the catalogue holds the code; the other fields
	// are empty when it does not.
	Known       bool           `json:"known"`
	Meaning     string         `json:"meaning"`
	Outcome     reason.Outcome `json:"outcome"`
	Writes      bool           `json:"writes"`
	NeedsReview bool           `json:"needs_review"`
}

// rawJSON is a stage row as stored: the columns of the stage table and the
// run's mode and status, NULLs as null. Stored JSON is given as the text
// it was stored as, valid or not.
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

// serveCard answers GET api/entries/{id}.
func (h *handler) serveCard(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id < 1 {
		h.fail(w, r, badParam("id", "want a positive integer entry ID"))
		return
	}
	e, err := h.store.Entry(r.Context(), instanceOf(r), id)
	if err != nil {
		h.fail(w, r, err)
		return
	}
	card, err := h.card(e)
	h.respond(w, r, card, err)
}

// card returns the full card of e, redacted: rows written by other
// systems may hold secrets the recorder would have removed, and a card on
// screen ends up in screenshots and tickets.
func (h *handler) card(e runlog.Entry) (cardResponse, error) {
	e, _ = redact.Default().Entry(e)
	c := details.Expand(e)
	doc, err := c.CopyJSON()
	if err != nil {
		return cardResponse{}, fmt.Errorf("logshttp: copy JSON of entry %d: %w", e.ID, err)
	}
	entry := newEntryJSON(&e)
	entry.Stage.Meaning = badge.ForStage(e.Stage).Meaning
	entry.Status.Meaning = badge.ForStatus(e.Status).Meaning
	out := cardResponse{
		Entry:          entry,
		Summary:        c.ErrorSummary,
		Metrics:        metricsJSON(c.Metrics),
		MetricsError:   errText(c.MetricsErr),
		Exceptions:     c.Exceptions,
		MoreExceptions: c.MoreExceptions,
		PayloadError:   errText(c.PayloadErr),
		Reasons:        []reasonJSON{},
		Raw:            newRawJSON(&e),
		Copy:           string(doc),
	}
	if out.Exceptions == nil {
		out.Exceptions = []details.Exception{}
	}
	counts, err := reason.FromMetrics(e.Metrics)
	if err != nil {
		// Metrics that are not an object are reported once, as
		// metrics_error; only a malformed count is news here.
		if c.MetricsErr == nil {
			out.ReasonsError = err.Error()
		}
		return out, nil
	}
	for _, n := range reason.Top(counts, len(counts)) {
		rj := reasonJSON{Code: n.Code, Count: n.Count}
		if info, ok := h.catalog.Lookup(n.Code); ok {
			rj.Known, rj.Meaning, rj.Outcome, rj.Writes, rj.NeedsReview = true, info.Meaning, info.Outcome, info.Writes, info.NeedsReview
		}
		out.Reasons = append(out.Reasons, rj)
	}
	return out, nil
}

// newRawJSON returns e as stored.
func newRawJSON(e *runlog.Entry) rawJSON {
	raw := rawJSON{
		ID: e.ID, InstanceID: e.InstanceID, RunID: e.RunID,
		Mode: string(e.Mode), RunStatus: string(e.RunStatus),
		Stage: string(e.Stage), Status: string(e.Status), Attempt: e.Attempt,
		MetricsJSON:  nullText(e.Metrics),
		ErrorPayload: nullText(e.ErrorPayload),
	}
	if !e.StartedAt.IsZero() {
		raw.StartedAt = instantText(e.StartedAt)
	}
	if e.FinishedAt != nil {
		raw.FinishedAt = instantText(*e.FinishedAt)
	}
	if e.ErrorSummary != "" {
		raw.ErrorSummary = &e.ErrorSummary
	}
	return raw
}

// nullText returns stored bytes as text, or nil for NULL.
func nullText(b []byte) *string {
	if b == nil {
		return nil
	}
	s := string(b)
	return &s
}
