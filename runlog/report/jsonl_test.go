package report_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/report"
)

// lines returns the lines of JSON Lines output, checking that each is a
// JSON object and that the output ends in a newline.
func lines(t *testing.T, data []byte) []map[string]json.RawMessage {
	t.Helper()
	if !utf8.Valid(data) {
		t.Errorf("output is not valid UTF-8")
	}
	if len(data) > 0 && data[len(data)-1] != '\n' {
		t.Errorf("output does not end in a newline")
	}
	var objs []map[string]json.RawMessage
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(nil, 1<<24)
	for sc.Scan() {
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(sc.Bytes(), &obj); err != nil {
			t.Fatalf("line %d is not a JSON object: %v\n%s", len(objs)+1, err, sc.Bytes())
		}
		objs = append(objs, obj)
	}
	return objs
}

func TestWriteJSONL_Golden(t *testing.T) {
	var b bytes.Buffer
	n, err := report.WriteJSONL(&b, seq(exportRows()...))
	if err != nil {
		t.Fatalf("WriteJSONL() error: %v", err)
	}
	if want := int64(len(exportRows())); n != want {
		t.Errorf("WriteJSONL() = %d rows, want %d", n, want)
	}
	if got := len(lines(t, b.Bytes())); got != len(exportRows()) {
		t.Errorf("wrote %d lines, want %d", got, len(exportRows()))
	}
	golden(t, "export.jsonl", b.Bytes())
}

func TestWriteJSONL_Object(t *testing.T) {
	finished := base.Add(1500 * time.Millisecond).In(time.FixedZone("CET", 3600))
	tests := []struct {
		name string
		edit func(*runlog.Entry)
		want string
	}{
		{
			name: "Full",
			edit: func(e *runlog.Entry) {
				e.StartedAt = base.In(time.FixedZone("CET", 3600))
				e.FinishedAt = &finished
				e.ErrorSummary = "<b>&</b>"
				e.ErrorPayload = json.RawMessage(" {\"type\": \"X\",\n \"message\": \"m\"} ")
			},
			want: `{"id":1,"instance_id":0,"run_id":1,"mode":"apply","run_status":"completed","stage":"extract",` +
				`"status":"completed","attempt":1,"started_at":"2026-11-20T09:00:00Z","finished_at":"2026-11-20T09:00:01.5Z",` +
				`"error_summary":"<b>&</b>","error_payload":{"type":"X","message":"m"},"metrics":{"a":[1,2],"b":"x"}}`,
		},
		{
			name: "Absent",
			edit: func(e *runlog.Entry) { e.Metrics = nil },
			want: `{"id":1,"instance_id":0,"run_id":1,"mode":"apply","run_status":"completed","stage":"extract",` +
				`"status":"completed","attempt":1,"started_at":null,"finished_at":null,` +
				`"error_summary":"","error_payload":null,"metrics":null}`,
		},
		{
			name: "NotJSON",
			edit: func(e *runlog.Entry) {
				e.Metrics = json.RawMessage("{\"a\": 1,\n")
				e.ErrorPayload = json.RawMessage("Traceback <x>\xff")
			},
			want: `{"id":1,"instance_id":0,"run_id":1,"mode":"apply","run_status":"completed","stage":"extract",` +
				`"status":"completed","attempt":1,"started_at":null,"finished_at":null,` +
				`"error_summary":"","error_payload":"Traceback <x>\ufffd","error_payload_invalid":true,` +
				`"metrics":"{\"a\": 1,\n","metrics_invalid":true}`,
		},
		{
			name: "InvalidUTF8",
			edit: func(e *runlog.Entry) {
				e.Metrics = json.RawMessage("{\"caf\xe9\": \"\xff\"}")
				e.Stage = "st\xffage"
				e.ErrorSummary = "a\x00b\u2028"
			},
			want: `{"id":1,"instance_id":0,"run_id":1,"mode":"apply","run_status":"completed","stage":"st\ufffdage",` +
				`"status":"completed","attempt":1,"started_at":null,"finished_at":null,` +
				`"error_summary":"a\u0000b\u2028","error_payload":null,"metrics":{"caf` + "\uFFFD" + `":"` + "\uFFFD" + `"}}`,
		},
		{
			name: "ClippedAndUnreadable",
			edit: func(e *runlog.Entry) {
				e.Clipped = true
				e.Unreadable = []runlog.Unreadable{{Field: "started_at", Stored: "yesterday", Reason: "not a time"}}
			},
			want: `{"id":1,"instance_id":0,"run_id":1,"mode":"apply","run_status":"completed","stage":"extract",` +
				`"status":"completed","attempt":1,"started_at":null,"finished_at":null,` +
				`"error_summary":"","error_payload":null,"metrics":{"a":[1,2],"b":"x"},"clipped":true,` +
				`"unreadable":[{"field":"started_at","stored":"yesterday","reason":"not a time"}]}`,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e := entry(1, runlog.StageExtract, "{\"a\": [1, 2],\n \"b\": \"x\"}")
			tc.edit(&e)
			var b bytes.Buffer
			if _, err := report.WriteJSONL(&b, seq(e)); err != nil {
				t.Fatalf("WriteJSONL() error: %v", err)
			}
			lines(t, b.Bytes())
			if diff := cmp.Diff(tc.want+"\n", b.String()); diff != "" {
				t.Errorf("line mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteJSONL_IteratorError(t *testing.T) {
	broken := errors.New("connection reset")
	var b bytes.Buffer
	rows := goodRun.entries(1)
	n, err := report.WriteJSONL(&b, failing(broken, rows...))
	if err != broken {
		t.Errorf("WriteJSONL() error = %v, want %v as it is", err, broken)
	}
	if n != int64(len(rows)) {
		t.Errorf("WriteJSONL() = %d rows, want %d", n, len(rows))
	}
	if got := len(lines(t, b.Bytes())); got != len(rows) {
		t.Errorf("wrote %d lines, want %d", got, len(rows))
	}
}

func TestWriteJSONL_WriteError(t *testing.T) {
	_, err := report.WriteJSONL(errWriter{}, seq(goodRun.entries(1)...))
	if err == nil || err.Error() != "report: write JSON Lines: disk full" {
		t.Errorf("WriteJSONL() error = %v, want report: write JSON Lines: disk full", err)
	}
}

// TestWriteJSONL_JSONTestSuite checks that every line is one JSON object
// whatever the stored metrics, and that metrics are embedded exactly when
// encoding/json accepts them.
func TestWriteJSONL_JSONTestSuite(t *testing.T) {
	for name, data := range suiteFiles(t) {
		t.Run(name, func(t *testing.T) {
			var b bytes.Buffer
			e := entry(1, runlog.StageExtract, string(data))
			e.ErrorPayload = json.RawMessage(data)
			if _, err := report.WriteJSONL(&b, seq(e)); err != nil {
				t.Fatalf("WriteJSONL() error: %v", err)
			}
			if bytes.Count(b.Bytes(), []byte("\n")) != 1 {
				t.Fatalf("output is not one line: %q", b.String())
			}
			obj := lines(t, b.Bytes())[0]
			trimmed := strings.Trim(string(data), " \t\r\n")
			_, invalid := obj["metrics_invalid"]
			if accepted := json.Valid(data); trimmed != "" && accepted == invalid {
				t.Errorf("encoding/json accepts it: %v; metrics_invalid: %v", accepted, invalid)
			}
		})
	}
}
