package logshttp_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/opsync/integrationlogs/runlog/logshttp"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// BenchmarkHandlerList measures a 50-row GET api/entries through the handler
// (routing, parameters, Details cells, badges, JSON) beside the bare
// Store.List of the same page, on the same SQLite database: the difference
// is what the HTTP layer costs.
//
//	go test ./runlog/logshttp -run '^$' -bench BenchmarkHandlerList -benchmem -count 5
func BenchmarkHandlerList(b *testing.B) {
	store, db := openStore(b)
	db.SetMaxOpenConns(1)
	// 40 runs of six stages: summaries and metrics like a real pipeline's.
	summary := "Upstream inventory API answered 503 Service Unavailable for page 7 of 13; the stage retried 3 times before giving up. " + strings.Repeat("Details follow. ", 20)
	for run := int64(1); run <= 40; run++ {
		start := base.Add(time.Duration(run) * time.Hour)
		db.MustExec(`INSERT INTO integration_runs (id, instance_id, mode, status, started_at) VALUES (?, 1, 'apply', 'failed', ?)`, run, start)
		for i, stage := range []string{"validate_setup", "extract", "canonicalize", "reconcile", "decide", "apply"} {
			s := stageRow{stage: stage, status: "completed", started: time.Duration(i) * time.Minute, took: 30 * time.Second,
				metrics: fmt.Sprintf(`{"records_in": %d, "records_out": %d, "dropped": {"missing_serial": 5, "duplicate": 2}, "api_calls": 14, "duration_ms": 830}`, 1200+i, 1190+i)}
			if i == 3 {
				s.status, s.summary = "failed", summary
			}
			insertStage(b, db, 1, run, start, s)
		}
	}
	h := newHandler(b, store, logshttp.Options{}, nil)
	ctx := b.Context()

	b.Run("Store.List", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			res, err := store.List(ctx, 1, sqlstore.ListParams{Limit: 50})
			if err != nil || len(res.Entries) != 50 {
				b.Fatalf("List: %d entries, %v", len(res.Entries), err)
			}
		}
	})
	b.Run("Handler", func(b *testing.B) {
		b.ReportAllocs()
		req := httptest.NewRequestWithContext(ctx, http.MethodGet, "/api/entries?limit=50", nil)
		for b.Loop() {
			w := httptest.NewRecorder()
			h.ServeHTTP(w, req)
			if w.Code != http.StatusOK {
				b.Fatalf("status %d: %s", w.Code, w.Body)
			}
		}
	})
}
