package report

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/redact"
)

// BenchmarkExportRow measures what the exports spend on one row before
// writing it, with and without redaction, side by side: the share of
// redact.Default in an export's cost. The row is that of the export
// benchmarks: a 150-byte summary, 150 bytes of metrics, a 390-byte payload,
// none holding a secret.
func BenchmarkExportRow(b *testing.B) {
	start := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	done := start.Add(1500 * time.Millisecond)
	e := runlog.Entry{
		ID: 1, InstanceID: 7, RunID: 1, Mode: runlog.ModeApply, RunStatus: runlog.RunFailed,
		Stage: runlog.StageReconcile, Status: runlog.StatusFailed, Attempt: 1, StartedAt: start, FinishedAt: &done,
		ErrorSummary: "Reconcile stopped: record 1 matched more than one local device, " +
			"and the device lock could not be taken (deadlock detected). No changes were applied.",
		Metrics: json.RawMessage(`{"matched": 1, "unmatched": 96, "ambiguous": 3, ` +
			`"dropped": {"missing_serial": 2, "bad_vendor": 0}, "match_rate": 0.9224, "host": "db-1"}`),
		ErrorPayload: json.RawMessage(`{"type":"ReconcileError","message":"reconcile: record 1` +
			` matched more than one local device","trace":"reconcile.(*Matcher).Run\n\tmatcher.go:88\n` +
			`sync.(*Pipeline).Step\n\tpipeline.go:141","previous":[{"type":"*pgconn.PgError",` +
			`"message":"ERROR: deadlock detected (SQLSTATE 40P01)","trace":"store.(*Devices).Lock\n\tdevices.go:52"}]}`),
	}
	record := make([]string, len(csvHeader))
	r := redact.Default()
	b.Run("CSVFields", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			csvRecord(record, e)
		}
	})
	b.Run("CSVFieldsRedacted", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			csvRecord(record, redacted(r, e))
		}
	})
	b.Run("Redact", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			_ = redacted(r, e)
		}
	})
}
