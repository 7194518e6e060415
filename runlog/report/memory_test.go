package report_test

import (
	"encoding/json"
	"fmt"
	"io"
	"iter"
	"runtime"
	"runtime/metrics"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/report"
)

// synthetic returns n stage rows made on the fly, as a store reading page by
// page would give them: each row is built when asked for and dropped after.
func synthetic(n int) iter.Seq2[runlog.Entry, error] {
	return func(yield func(runlog.Entry, error) bool) {
		stages := runlog.Pipeline(runlog.ModeApply)
		for i := range n {
			started := base.Add(time.Duration(i) * time.Second)
			finished := started.Add(1500 * time.Millisecond)
			id := strconv.Itoa(i)
			e := runlog.Entry{
				ID: int64(i + 1), InstanceID: 7, RunID: int64(i/6 + 1), Mode: runlog.ModeApply,
				RunStatus: runlog.RunFailed, Stage: stages[i%len(stages)], Status: runlog.StatusFailed,
				Attempt: 1, StartedAt: started, FinishedAt: &finished,
				ErrorSummary: "Reconcile stopped: record " + id + " matched more than one local device, " +
					"and the device lock could not be taken (deadlock detected). No changes were applied.",
				Metrics: json.RawMessage(`{"matched": ` + id + `, "unmatched": 96, "ambiguous": 3, ` +
					`"dropped": {"missing_serial": 2, "bad_vendor": 0}, "match_rate": 0.9224, "host": "db-` + id + `"}`),
				ErrorPayload: json.RawMessage(`{"type":"ReconcileError","message":"reconcile: record ` + id +
					` matched more than one local device","trace":"reconcile.(*Matcher).Run\n\tmatcher.go:88\n` +
					`sync.(*Pipeline).Step\n\tpipeline.go:141","previous":[{"type":"*pgconn.PgError",` +
					`"message":"ERROR: deadlock detected (SQLSTATE 40P01)","trace":"store.(*Devices).Lock\n\tdevices.go:52"}]}`),
			}
			if !yield(e, nil) {
				return
			}
		}
	}
}

// The runtime metrics the memory test samples.
var heapMetrics = []metrics.Sample{
	{Name: "/memory/classes/heap/objects:bytes"}, // heap objects, live and not yet swept
	{Name: "/gc/heap/live:bytes"},                // the live heap marked by the last collection
}

// heapPeaks is what measure saw of the heap during an export.
type heapPeaks struct {
	total uint64 // the largest heap, live objects and garbage not yet swept
	live  uint64 // the largest live heap after a full collection
}

// measure runs export over n synthetic rows and samples the heap while it
// runs: the whole heap every millisecond, from another goroutine, and the
// live heap after a full collection (runtime.GC) every tenth of the rows,
// from within the iterator.
func measure(t *testing.T, n int, export func(iter.Seq2[runlog.Entry, error]) (int64, error)) heapPeaks {
	t.Helper()
	var mu sync.Mutex
	var p heapPeaks
	read := func(live bool) {
		sample := slices.Clone(heapMetrics)
		metrics.Read(sample)
		mu.Lock()
		defer mu.Unlock()
		p.total = max(p.total, sample[0].Value.Uint64())
		if live {
			p.live = max(p.live, sample[1].Value.Uint64())
		}
	}
	// A bound on time, not a speed check: an export that has not finished
	// in a minute has gone wrong.
	deadline := time.Now().Add(time.Minute)
	rows := func(yield func(runlog.Entry, error) bool) {
		i := 0
		for e, err := range synthetic(n) {
			if i++; i%(n/10) == 0 {
				runtime.GC()
				read(true)
			}
			if time.Now().After(deadline) {
				yield(runlog.Entry{}, fmt.Errorf("export of %d rows did not finish in a minute", n))
				return
			}
			if !yield(e, err) {
				return
			}
		}
	}

	runtime.GC()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-done:
				return
			case <-tick.C:
				read(false)
			}
		}
	})
	written, err := export(rows)
	close(done)
	wg.Wait()
	if err != nil || written != int64(n) {
		t.Fatalf("export of %d rows = %d, %v", n, written, err)
	}
	return p
}

// TestExport_Memory checks that an export's memory stays flat however many
// rows it writes: while 100,000 rows are exported, the heap stays under 32
// MiB, and the live heap within twice that of a 1,000-row export.
//
// The 32 MiB bound holds for the whole heap, garbage not yet collected
// included, sampled every millisecond. The comparison with the small export
// is of the live heap after full collections during the export: the whole
// heap of a 1,000-row export stays under the collector's first goal (4
// MiB), while a long export's swings up to it with garbage however little
// it holds, so only the live heap tells whether an export holds on to its
// rows. Under the race detector, which slows every row down many times,
// the large export has 10,000 rows, still ten times the small one.
func TestExport_Memory(t *testing.T) {
	if testing.Short() {
		t.Skip("exports 100,000 rows; skipped with -short")
	}
	const limit = 32 << 20
	rows := 100_000
	if raceEnabled {
		rows = 10_000
	}
	exports := []struct {
		name  string
		write func(io.Writer, iter.Seq2[runlog.Entry, error]) (int64, error)
	}{
		{"CSV", report.WriteCSV},
		{"JSONL", report.WriteJSONL},
	}
	for _, x := range exports {
		t.Run(x.name, func(t *testing.T) {
			export := func(rows iter.Seq2[runlog.Entry, error]) (int64, error) { return x.write(io.Discard, rows) }
			small := measure(t, 1_000, export)
			large := measure(t, rows, export)
			t.Logf("1,000 rows: heap %.2f MiB, live %.2f MiB", mib(small.total), mib(small.live))
			t.Logf("%d rows: heap %.2f MiB, live %.2f MiB", rows, mib(large.total), mib(large.live))
			if large.total > limit {
				t.Errorf("heap reached %.2f MiB exporting %d rows, want under 32 MiB", mib(large.total), rows)
			}
			if large.live > 2*small.live {
				t.Errorf("live heap reached %.2f MiB exporting %d rows, more than twice the %.2f MiB of 1,000 rows",
					mib(large.live), rows, mib(small.live))
			}
		})
	}
}

func mib(n uint64) float64 { return float64(n) / (1 << 20) }
