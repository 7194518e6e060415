package logshttp_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/logshttp"
	"github.com/opsync/integrationlogs/runlog/reason"
	"github.com/opsync/integrationlogs/runlog/redact"
)

func TestHandler_Card(t *testing.T) {
	store, db := openStore(t)
	ids := seed(t, db, fixture)
	catalog, err := reason.NewCatalog(reason.Info{
		Code: "HOST_ARCHIVED_SKIP", Meaning: "The device is archived here; apply leaves it alone.", Outcome: reason.OutcomeSkip,
	})
	if err != nil {
		t.Fatal(err)
	}
	h := newHandler(t, store, logshttp.Options{Catalog: catalog}, nil)
	reconcile, decide, laravel, otherRow := ids[15], ids[10], ids[12], ids[19]

	t.Run("FailedReconcile", func(t *testing.T) {
		var c cardJSON
		decode(t, serve(h, request{target: fmt.Sprintf("/api/entries/%d", reconcile)}), &c)
		if c.Entry.ID != reconcile || c.Entry.Status.Value != "failed" || c.Entry.Details.Text == "" {
			t.Errorf("entry = %+v, want the failed reconcile row with its Details cell", c.Entry)
		}
		if c.Entry.Stage.Meaning == "" || c.Entry.Status.Meaning != "The stage failed and the run stopped here." {
			t.Errorf("card badges %+v, %+v: want their meanings", c.Entry.Stage, c.Entry.Status)
		}
		if c.Summary != reconcileSummary {
			t.Errorf("summary = %q, want the whole summary", c.Summary)
		}
		wantMetrics := []metricJSON{
			{Key: "matched", Value: "1201"},
			{Key: "ambiguous", Value: "3"},
			{Key: "unmatched", Value: "96"},
			{Key: "conflicts", Value: "{\n  \"serials\": [\n    \"A1\",\n    \"B2\"\n  ]\n}"},
		}
		if diff := cmp.Diff(wantMetrics, c.Metrics); diff != "" {
			t.Errorf("metrics mismatch (-want +got):\n%s", diff)
		}
		wantChain := []exceptionJSON{
			{Type: "ReconcileError", Message: "reconcile: 3 records matched more than one local device", Trace: "reconcile.(*Matcher).Run\n\tmatcher.go:88"},
			{Type: "*pgconn.PgError", Message: "ERROR: deadlock detected (SQLSTATE 40P01)", Trace: "store.(*Devices).Lock\n\tdevices.go:52"},
			{Type: "*net.OpError", Message: "read tcp 10.0.0.7:5432: i/o timeout"},
		}
		if diff := cmp.Diff(wantChain, c.Exceptions); diff != "" {
			t.Errorf("exceptions mismatch (-want +got):\n%s", diff)
		}
		started := base.Add(3*time.Hour + 104*time.Second).Format(time.RFC3339Nano)
		finished := base.Add(3*time.Hour + 164*time.Second).Format(time.RFC3339Nano)
		wantRaw := rawJSON{
			ID: reconcile, InstanceID: instanceID, RunID: 103, Mode: "apply", RunStatus: "failed",
			Stage: "reconcile", Status: "failed", Attempt: 1, StartedAt: &started, FinishedAt: &finished,
			ErrorSummary: ptr(reconcileSummary),
			MetricsJSON:  ptr(`{"matched": 1201, "ambiguous": 3, "unmatched": 96, "conflicts": {"serials": ["A1", "B2"]}}`),
			ErrorPayload: ptr(chainPayload),
		}
		if diff := cmp.Diff(wantRaw, c.Raw); diff != "" {
			t.Errorf("raw mismatch (-want +got):\n%s", diff)
		}
		if c.MoreExceptions != 0 || c.MetricsError != "" || c.PayloadError != "" || len(c.Reasons) != 0 || c.ReasonsError != "" {
			t.Errorf("card = %+v, want no more exceptions, errors or reasons", c)
		}
		var doc map[string]any
		if err := json.Unmarshal([]byte(c.Copy), &doc); err != nil {
			t.Fatalf("copy is not JSON: %v\n%s", err, c.Copy)
		}
		if doc["id"] != float64(reconcile) || doc["summary"] != reconcileSummary || doc["payload"] == nil {
			t.Errorf("copy = %s, want the card of the row", c.Copy)
		}
	})

	t.Run("Reasons", func(t *testing.T) {
		var c cardJSON
		decode(t, serve(h, request{target: fmt.Sprintf("/api/entries/%d", decide)}), &c)
		link, _ := reason.Lookup(runlog.ReasonLinkFoundByExternalID)
		review, _ := reason.Lookup(runlog.ReasonMediumMatchRequiresReview)
		want := []reasonJSON{
			{Code: "LINK_FOUND_BY_EXTERNAL_ID", Count: 1185, Known: true, Meaning: link.Meaning, Outcome: "update", Writes: true},
			{Code: "MEDIUM_MATCH_REQUIRES_REVIEW", Count: 12, Known: true, Meaning: review.Meaning, Outcome: "conflict", NeedsReview: true},
			{Code: "HOST_ARCHIVED_SKIP", Count: 7, Known: true, Meaning: "The device is archived here; apply leaves it alone.", Outcome: "skip"},
		}
		if diff := cmp.Diff(want, c.Reasons); diff != "" {
			t.Errorf("reasons mismatch (-want +got):\n%s", diff)
		}

		// Without the host's catalogue its code is shown, unexplained.
		plain := newHandler(t, store, logshttp.Options{}, nil)
		decode(t, serve(plain, request{target: fmt.Sprintf("/api/entries/%d", decide)}), &c)
		if got := c.Reasons[2]; got != (reasonJSON{Code: "HOST_ARCHIVED_SKIP", Count: 7}) {
			t.Errorf("unknown code = %+v, want it unexplained", got)
		}
	})

	t.Run("LaravelPayload", func(t *testing.T) {
		var c cardJSON
		decode(t, serve(h, request{target: fmt.Sprintf("/api/entries/%d", laravel)}), &c)
		want := []exceptionJSON{{Type: `GuzzleHttp\Exception\ConnectException`, Message: "cURL error 28", Trace: "/app/Client.php:114"}}
		if diff := cmp.Diff(want, c.Exceptions); diff != "" {
			t.Errorf("exceptions mismatch (-want +got):\n%s", diff)
		}
		if c.Raw.MetricsJSON != nil || c.Metrics == nil || len(c.Metrics) != 0 {
			t.Errorf("metrics = %v, raw %v; want [] and null", c.Metrics, c.Raw.MetricsJSON)
		}
	})

	t.Run("BadJSON", func(t *testing.T) {
		id := insertStage(t, db, instanceID, 101, base, stageRow{
			stage: "apply", status: "error", attempt: 2, summary: "x",
			metrics: `{"ok": 1, "broken": `, payload: `{"type": "X", "message": "unterminated`,
		})
		var c cardJSON
		decode(t, serve(h, request{target: fmt.Sprintf("/api/entries/%d", id)}), &c)
		if c.MetricsError == "" || c.PayloadError == "" || c.ReasonsError != "" {
			t.Errorf("metrics_error %q, payload_error %q, reasons_error %q; want the first two set", c.MetricsError, c.PayloadError, c.ReasonsError)
		}
		if diff := cmp.Diff([]metricJSON{{Key: "ok", Value: "1"}}, c.Metrics); diff != "" {
			t.Errorf("metrics mismatch (-want +got):\n%s", diff)
		}
		if !json.Valid([]byte(c.Copy)) {
			t.Errorf("copy is not valid JSON: %s", c.Copy)
		}
	})

	t.Run("NotFound", func(t *testing.T) {
		for _, id := range []int64{otherRow, 999999} {
			w := serve(h, request{target: fmt.Sprintf("/api/entries/%d", id)})
			var e errorJSON
			decode(t, w, &e)
			if w.Code != 404 || e.Error != "entry not found" {
				t.Errorf("entry %d: status %d, %+v; want 404 entry not found", id, w.Code, e)
			}
			if strings.Contains(w.Body.String(), "instance 2") {
				t.Errorf("entry %d: the answer shows another instance's data: %s", id, w.Body)
			}
		}
		// Its own instance sees it.
		if w := serve(h, request{target: fmt.Sprintf("/api/entries/%d", otherRow), header: map[string]string{"X-Instance": "2"}}); w.Code != 200 {
			t.Errorf("instance 2's own row: status %d, want 200", w.Code)
		}
	})

	t.Run("BadID", func(t *testing.T) {
		for _, id := range []string{"0", "-1", "abc", "1.5", "9223372036854775808", "%20", "1e3", "0x10"} {
			w := serve(h, request{target: "/api/entries/" + id})
			var e errorJSON
			decode(t, w, &e)
			if w.Code != 400 || e.Param != "id" {
				t.Errorf("id %q: status %d, %+v; want 400 with param id", id, w.Code, e)
			}
		}
	})
}

// TestHandler_CardRedacts: a row written by another system, with secrets
// the recorder would have removed, is shown and copied redacted.
func TestHandler_CardRedacts(t *testing.T) {
	store, db := openStore(t)
	seed(t, db, fixture)
	id := insertStage(t, db, 1, 101, base, stageRow{
		stage: "extract", status: "failed", attempt: 9,
		summary: "GET https://bot:hunter2@api.example.com/v1 failed (Authorization: Bearer tok-9f8e7d6c5b4a)",
		metrics: `{"api_key": "s3cr3t-key", "pages": 3}`,
		payload: `{"type":"E","message":"login as bot with password=hunter2 refused"}`,
	})
	h := newHandler(t, store, logshttp.Options{}, nil)
	w := serve(h, request{target: fmt.Sprintf("/api/entries/%d", id)})
	if w.Code != 200 {
		t.Fatalf("status = %d: %s", w.Code, w.Body)
	}
	body := w.Body.String()
	for _, secret := range []string{"hunter2", "tok-9f8e7d6c5b4a", "s3cr3t-key"} {
		if strings.Contains(body, secret) {
			t.Errorf("the card holds %q:\n%s", secret, body)
		}
	}
	var c cardJSON
	decode(t, w, &c)
	if !strings.Contains(c.Summary, "[REDACTED]") || c.Raw.ErrorSummary == nil || !strings.Contains(*c.Raw.ErrorSummary, "[REDACTED]") {
		t.Errorf("summary %q and raw %v: want both redacted", c.Summary, c.Raw.ErrorSummary)
	}
}

// TestHandler_ListRedacts checks that the rows of a page show their cells
// redacted, as the card is: the start of the summary, the metrics, keys
// included, and unreadable stored values.
func TestHandler_ListRedacts(t *testing.T) {
	store, db := openStore(t)
	seed(t, db, fixture)
	insertStage(t, db, 1, 101, base, stageRow{
		stage: "extract", status: "failed", attempt: 9,
		summary: "GET https://bot:hunter2@api.example.com/v1 failed (Authorization: Bearer tok-9f8e7d6c5b4a)",
		metrics: `{"api_key": "s3cr3t-key", "https://ci:pw-77@git.example/r": 1, "pages": 3}`,
	})
	db.MustExec(`UPDATE integration_run_stages SET finished_at = 'password=hunter3' WHERE attempt = 9`)
	h := newHandler(t, store, logshttp.Options{}, nil)
	w := serve(h, request{target: "/api/entries?run_id=101"})
	if w.Code != 200 {
		t.Fatalf("status = %d: %s", w.Code, w.Body)
	}
	body := w.Body.String()
	for _, secret := range []string{"hunter2", "tok-9f8e7d6c5b4a", "s3cr3t-key", "pw-77", "hunter3"} {
		if strings.Contains(body, secret) {
			t.Errorf("the page holds %q:\n%s", secret, body)
		}
	}
	if n := strings.Count(body, redact.Marker); n < 5 {
		t.Errorf("the page holds %d markers, want one for each of the 5 secrets:\n%s", n, body)
	}
}
