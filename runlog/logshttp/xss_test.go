package logshttp_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/jmoiron/sqlx"

	"github.com/opsync/integrationlogs/runlog/logshttp"
)

// xss is markup that runs script wherever it is inserted as HTML; the page
// must show it as text.
// It is short enough for the Details cell to show a metric key or value
// with it whole.
const xss = `<img src=x onerror="__xss=1"><script>__xss=2</script>'&`

// seedXSS writes a run and a stage row with xss in every text field, and
// returns the row's id.
func seedXSS(tb testing.TB, db *sqlx.DB, instance, runID int64) int64 {
	tb.Helper()
	db.MustExec(`INSERT INTO integration_runs (id, instance_id, mode, status, started_at) VALUES (?, ?, ?, ?, ?)`,
		runID, instance, "m"+xss, "s"+xss, base)
	metrics := rawJSONText(map[string]string{"k" + xss: "v" + xss})
	payload := rawJSONText(map[string]any{
		"type": "T" + xss, "message": "M" + xss, "trace": "F" + xss,
		"previous": []map[string]string{{"type": "PT" + xss, "message": "PM" + xss, "trace": "PF" + xss}},
	})
	return insertStage(tb, db, instance, runID, base, stageRow{
		stage: "stage" + xss, status: "status" + xss, took: 1, summary: "summary" + xss,
		metrics: metrics, payload: payload,
	})
}

// rawJSONText encodes v without escaping markup, as a host's encoder may.
func rawJSONText(v any) string {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(err)
	}
	return b.String()
}

// TestHandler_XSS checks that markup in stored text comes back JSON-escaped,
// in JSON, and intact.
func TestHandler_XSS(t *testing.T) {
	store, db := openStore(t)
	id := seedXSS(t, db, instanceID, 900)
	h := newHandler(t, store, logshttp.Options{}, nil)

	for _, target := range []string{"/api/entries", fmt.Sprintf("/api/entries/%d", id)} {
		w := serve(h, request{target: target})
		if w.Code != 200 {
			t.Fatalf("GET %s: status %d", target, w.Code)
		}
		if ct := w.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Errorf("GET %s: Content-Type %q", target, ct)
		}
		if body := w.Body.Bytes(); bytes.ContainsAny(body, "<>") || bytes.Contains(body, []byte("&")) {
			t.Errorf("GET %s: body holds <, > or & unescaped:\n%s", target, body)
		}
	}

	var page listJSON
	decode(t, serve(h, request{target: "/api/entries"}), &page)
	e := page.Entries[0]
	got := []string{e.Stage.Value, e.Stage.Label, e.Status.Value, e.Status.Label, e.RunLabel, e.Details.Text,
		e.Details.Metrics[0].Key, e.Details.Metrics[0].Value}
	want := []string{"stage" + xss, "stage" + xss, "status" + xss, "status" + xss, "#900 · m" + xss + " / s" + xss, "summary" + xss,
		"k" + xss, "v" + xss}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("list entry text mismatch (-want +got):\n%s", diff)
	}
	if e.Stage.Tone != "neutral" || e.Status.Tone != "neutral" {
		t.Errorf("unknown stage and status tones = %q, %q; want neutral", e.Stage.Tone, e.Status.Tone)
	}

	var c cardJSON
	decode(t, serve(h, request{target: fmt.Sprintf("/api/entries/%d", id)}), &c)
	got = []string{c.Summary, c.Metrics[0].Key, c.Metrics[0].Value}
	for _, x := range c.Exceptions {
		got = append(got, x.Type, x.Message, x.Trace)
	}
	want = []string{"summary" + xss, "k" + xss, "v" + xss, "T" + xss, "M" + xss, "F" + xss, "PT" + xss, "PM" + xss, "PF" + xss}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("card text mismatch (-want +got):\n%s", diff)
	}
	var doc struct {
		Summary string            `json:"summary"`
		Metrics map[string]string `json:"metrics"`
	}
	if err := json.Unmarshal([]byte(c.Copy), &doc); err != nil || doc.Summary != "summary"+xss || doc.Metrics["k"+xss] != "v"+xss {
		t.Errorf("copy lacks the summary or metrics as stored (%v):\n%s", err, c.Copy)
	}
}
