package report_test

import (
	"bytes"
	"encoding/json"
	"io"
	"iter"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/redact"
	"github.com/opsync/integrationlogs/runlog/report"
)

// secrets are credentials as rows written by other systems hold them.
var secrets = []string{"hunter2-sekrit", "tok_9f8e7d6c5b4a", "s3cr3t-dsn-pass", "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "stored-unreadable-pw"}

// secretRow holds each of secrets in its summary, metrics, payload or
// unreadable values.
func secretRow() runlog.Entry {
	e := entry(7, runlog.StageExtract, `{"api_token": "tok_9f8e7d6c5b4a", "records_pulled": 12}`)
	e.ErrorSummary = "login failed: password=hunter2-sekrit for upstream"
	e.ErrorPayload = json.RawMessage(`{"type":"DialError","message":"dial postgres://sync:s3cr3t-dsn-pass@db:5432/app failed",` +
		`"trace":"client.go:12 Authorization: token ghp_abcdefghijklmnopqrstuvwxyz0123456789"}`)
	e.Unreadable = []runlog.Unreadable{{Field: "finished_at", Stored: "password=stored-unreadable-pw", Reason: "not a time"}}
	return e
}

func TestExport_Redacts(t *testing.T) {
	exports := []struct {
		name  string
		write func(io.Writer, iter.Seq2[runlog.Entry, error]) (int64, error)
	}{
		{"CSV", report.WriteCSV},
		{"JSONL", report.WriteJSONL},
	}
	for _, x := range exports {
		for _, invalid := range []bool{false, true} {
			name := x.name
			if invalid {
				name += "/NotJSON" // redacted as text
			}
			t.Run(name, func(t *testing.T) {
				e := secretRow()
				if invalid {
					e.Metrics = append(bytes.Clone(e.Metrics), ',')
					e.ErrorPayload = append(bytes.Clone(e.ErrorPayload), '}')
				}
				before := secretRow()
				var b bytes.Buffer
				if _, err := x.write(&b, seq(e)); err != nil {
					t.Fatalf("%s() error: %v", x.name, err)
				}
				for _, s := range secrets {
					if strings.Contains(b.String(), s) {
						t.Errorf("output holds the secret %q:\n%s", s, b.String())
					}
				}
				if n := strings.Count(b.String(), redact.Marker); n < len(secrets) {
					t.Errorf("output holds %d markers, want at least %d:\n%s", n, len(secrets), b.String())
				}
				// What is not secret stays, and the row given is not changed.
				for _, keep := range []string{"records_pulled", "login failed", "DialError"} {
					if !strings.Contains(b.String(), keep) {
						t.Errorf("output lacks %q:\n%s", keep, b.String())
					}
				}
				if !invalid {
					if diff := cmp.Diff(before, e); diff != "" {
						t.Errorf("the row was changed (-before +after):\n%s", diff)
					}
				}
			})
		}
	}
}

func TestWriteJSONL_DecodesToEntry(t *testing.T) {
	// Each line decodes into the row it was written from, redacted, times
	// in UTC.
	rows := append(exportRows(), secretRow())
	var b bytes.Buffer
	if _, err := report.WriteJSONL(&b, seq(rows...)); err != nil {
		t.Fatalf("WriteJSONL() error: %v", err)
	}
	dec := json.NewDecoder(&b)
	for i, want := range rows {
		var got runlog.Entry
		if err := dec.Decode(&got); err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		// As Entry's own encoding gives it back: compacted stored JSON,
		// stored text that is not JSON as a JSON string, UTC times.
		js, err := json.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		var back runlog.Entry
		if err := json.Unmarshal(js, &back); err != nil {
			t.Fatal(err)
		}
		r := redact.Default()
		back.ErrorSummary, _ = r.String(back.ErrorSummary)
		back.Metrics, _ = r.JSON(back.Metrics)
		back.ErrorPayload, _ = r.JSON(back.ErrorPayload)
		for j := range back.Unreadable {
			back.Unreadable[j].Stored, _ = r.String(back.Unreadable[j].Stored)
		}
		if diff := cmp.Diff(back, got, cmp.Comparer(func(a, b json.RawMessage) bool { return bytes.Equal(a, b) })); diff != "" {
			t.Errorf("line %d mismatch (-want +got):\n%s", i+1, diff)
		}
	}
}
