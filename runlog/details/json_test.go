package details_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/details"
)

func TestSummary_MarshalJSON(t *testing.T) {
	for _, tc := range []struct {
		name, why string
		e         runlog.Entry
		want      string
	}{
		{"Empty", "no metrics are [], no error is left out", runlog.Entry{},
			`{"text":"","truncated":false,"metrics":[]}`},
		{"Metrics", "metrics as key and value", runlog.Entry{ErrorSummary: "boom <x>", Metrics: json.RawMessage(`{"rows": 12, "o": {"a": "b"}}`)},
			`{"text":"boom \u003cx\u003e","truncated":false,"metrics":[{"key":"rows","value":"12"},{"key":"o","value":"{\"a\":\"b\"}"}]}`},
		{"Error", "the error as its text", runlog.Entry{Metrics: json.RawMessage(`{"rows": 12, "b": [`)},
			`{"text":"","truncated":false,"metrics":[{"key":"rows","value":"12"}],"metrics_error":"details: malformed JSON"}`},
		{"NotObject", "every error", runlog.Entry{Metrics: json.RawMessage(`[1]`)},
			`{"text":"","truncated":false,"metrics":[],"metrics_error":"details: metrics are not a JSON object"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := details.Summarize(tc.e)
			got, err := json.Marshal(s)
			if err != nil {
				t.Fatalf("Marshal() error: %v", err)
			}
			if diff := cmp.Diff(tc.want, string(got)); diff != "" {
				t.Errorf("%s: Marshal() mismatch (-want +got):\n%s", tc.why, diff)
			}
			// Decoding gives back all but the error.
			var back details.Summary
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatal(err)
			}
			s.MetricsErr = nil
			if s.Metrics == nil {
				s.Metrics = []details.Metric{}
			}
			if diff := cmp.Diff(s, back); diff != "" {
				t.Errorf("decoded Summary mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCard_MarshalJSON(t *testing.T) {
	e := runlog.Entry{ID: 5, RunID: 42, Mode: runlog.ModeApply, Status: runlog.StatusFailed, Attempt: 1,
		ErrorSummary: "boom", Metrics: json.RawMessage(`{"rows": 1`),
		ErrorPayload: json.RawMessage(`{"type":"E","message":"m","previous":[{"message":"p"}],"previous_omitted":2,"redacted":3,"original_size":9000}`)}
	got, err := json.Marshal(details.Expand(e))
	if err != nil {
		t.Fatalf("Marshal() error: %v", err)
	}
	want := `{"entry":{"id":5,"instance_id":0,"run_id":42,"mode":"apply","run_status":"","stage":"","status":"failed","attempt":1,` +
		`"started_at":null,"finished_at":null,"error_summary":"boom",` +
		`"error_payload":{"type":"E","message":"m","previous":[{"message":"p"}],"previous_omitted":2,"redacted":3,"original_size":9000},"metrics":"{\"rows\": 1"},` +
		`"error_summary":"boom","metrics":[{"key":"rows","value":"1"}],"metrics_error":"details: malformed JSON at byte 10",` +
		`"exceptions":[{"type":"E","message":"m"},{"type":"","message":"p"}],"more_exceptions":2,"redacted":3,"original_size":9000}`
	if diff := cmp.Diff(want, string(got)); diff != "" {
		t.Errorf("Marshal() mismatch (-want +got):\n%s", diff)
	}

	bad := details.Expand(runlog.Entry{ErrorPayload: json.RawMessage("{\"message\": \"\xff"), Stage: "\xfe"})
	got, err = json.Marshal(bad)
	if err != nil {
		t.Fatalf("Marshal() of a bad row error: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal(got, &m); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(map[string]any{
		"payload_error": "details: malformed JSON at byte 14", "exceptions": []any{}, "metrics": []any{},
	}, map[string]any{"payload_error": m["payload_error"], "exceptions": m["exceptions"], "metrics": m["metrics"]}); diff != "" {
		t.Errorf("bad row mismatch (-want +got):\n%s", diff)
	}
}
