package details_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/details"
)

// exampleRow is a failed reconcile stage, as the store returns it.
func exampleRow() runlog.Entry {
	started := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	finished := started.Add(3 * time.Second)
	return runlog.Entry{
		ID: 1001, InstanceID: 7, RunID: 42, Mode: runlog.ModeApply, RunStatus: runlog.RunFailed,
		Stage: runlog.StageReconcile, Status: runlog.StatusFailed, Attempt: 2,
		StartedAt: started, FinishedAt: &finished,
		ErrorSummary: "reconcile:   3 records matched\nmore than one local device",
		Metrics:      json.RawMessage(`{"matched": 1187, "conflicts": {"ambiguous": 3}, "duration_ms": 3000}`),
		ErrorPayload: json.RawMessage(`{"type":"ReconcileError","message":"3 records matched more than one local device","previous":[{"type":"*pgconn.PgError","message":"deadlock detected"}]}`),
	}
}

func ExampleSummarize() {
	s := details.Summarize(exampleRow())
	fmt.Println(s.Text)
	for _, m := range s.Metrics {
		fmt.Println(m)
	}
	fmt.Println(s)
	// Output:
	// reconcile: 3 records matched more than one local device
	// matched: 1187
	// conflicts: {"ambiguous":3}
	// reconcile: 3 records matched more than one local device · matched: 1187 · conflicts: {"ambiguous":3}
}

// Bad metrics never fail the cell: it shows what it can and says the rest
// is unreadable.
func ExampleSummarize_badInput() {
	e := runlog.Entry{
		ErrorSummary: "bad byte \xff, NUL \x00",
		Metrics:      json.RawMessage(`{"rows": 12, "errors": [1, 2`),
	}
	s := details.Summarize(e)
	fmt.Println(s)
	fmt.Println(errors.Is(s.MetricsErr, details.ErrMalformedJSON))
	// Output:
	// bad byte �, NUL � · rows: 12 · metrics unreadable
	// true
}

func ExampleExpand() {
	c := details.Expand(exampleRow())
	for _, m := range c.Metrics {
		fmt.Println(m)
	}
	for _, ex := range c.Exceptions {
		fmt.Printf("%s: %s\n", ex.Type, ex.Message)
	}
	// Output:
	// matched: 1187
	// conflicts: {
	//   "ambiguous": 3
	// }
	// duration_ms: 3000
	// ReconcileError: 3 records matched more than one local device
	// *pgconn.PgError: deadlock detected
}

// Expand reads the payloads PHP and Laravel systems write too.
func ExampleExpand_laravel() {
	e := runlog.Entry{ErrorPayload: json.RawMessage(`{
		"message": "cURL error 28: Operation timed out",
		"exception": "GuzzleHttp\\Exception\\ConnectException",
		"trace": [{"file": "/app/Jobs/Extract.php", "line": 61, "class": "App\\Jobs\\Extract", "type": "->", "function": "handle"}],
		"previous": {"class": "RuntimeException", "message": "socket timed out"}
	}`)}
	for _, ex := range details.Expand(e).Exceptions {
		fmt.Printf("%s: %s\n", ex.Type, ex.Message)
		if ex.Trace != "" {
			fmt.Println("  " + ex.Trace)
		}
	}
	// Output:
	// GuzzleHttp\Exception\ConnectException: cURL error 28: Operation timed out
	//   App\Jobs\Extract->handle() at /app/Jobs/Extract.php:61
	// RuntimeException: socket timed out
}

func ExampleCard_String() {
	fmt.Print(details.Expand(exampleRow()))
	// Output:
	// Run       #42 · apply / failed
	// Stage     reconcile
	// Status    failed
	// Attempt   2 (retried)
	// Started   2026-11-20T09:00:00Z
	// Finished  2026-11-20T09:00:03Z (took 3s)
	//
	// Summary
	//   reconcile:   3 records matched
	//   more than one local device
	//
	// Metrics
	//   matched: 1187
	//   conflicts: {
	//     "ambiguous": 3
	//   }
	//   duration_ms: 3000
	//
	// Exceptions
	//   ReconcileError: 3 records matched more than one local device
	//   caused by *pgconn.PgError: deadlock detected
}

func ExampleCard_CopyJSON() {
	e := exampleRow()
	e.Metrics = json.RawMessage(`{"matched": 1187, "conflicts": {"ambiguous": 3}`) // cut off
	out, err := details.Expand(e).CopyJSON()
	if err != nil {
		panic(err)
	}
	fmt.Println(string(out))
	// Output:
	// {
	//   "run": "#42 · apply / failed",
	//   "id": 1001,
	//   "instance_id": 7,
	//   "run_id": 42,
	//   "mode": "apply",
	//   "run_status": "failed",
	//   "stage": "reconcile",
	//   "status": "failed",
	//   "attempt": 2,
	//   "started_at": "2026-11-20T09:00:00Z",
	//   "finished_at": "2026-11-20T09:00:03Z",
	//   "summary": "reconcile:   3 records matched\nmore than one local device",
	//   "metrics": "{\"matched\": 1187, \"conflicts\": {\"ambiguous\": 3}",
	//   "metrics_error": "details: malformed JSON at byte 47",
	//   "payload": {
	//     "type": "ReconcileError",
	//     "message": "3 records matched more than one local device",
	//     "previous": [
	//       {
	//         "type": "*pgconn.PgError",
	//         "message": "deadlock detected"
	//       }
	//     ]
	//   }
	// }
}

func ExampleNewPayload() {
	err := fmt.Errorf("apply device 17: %w", errors.New("write refused"))
	payload, _ := json.Marshal(details.NewPayload(err))
	fmt.Println(string(payload))

	c := details.Expand(runlog.Entry{ErrorPayload: payload})
	fmt.Println(len(c.Exceptions), c.Exceptions[1].Message)
	// Output:
	// {"type":"*fmt.wrapError","message":"apply device 17: write refused","previous":[{"type":"*errors.errorString","message":"write refused"}]}
	// 2 write refused
}

// With WithStack, each error of the chain carries a stack trace: its own
// when it has one, otherwise the one the caller captured at the failure.
func ExampleWithStack() {
	pcs := make([]uintptr, 64)
	pcs = pcs[:runtime.Callers(1, pcs)]
	err := fmt.Errorf("apply device 17: %w", errors.New("write refused"))
	p := details.NewPayload(err, details.WithStack(pcs))

	frame, _, _ := strings.Cut(p.Trace, "\n")
	fmt.Println(frame)
	fmt.Println(p.Previous[0].Trace == p.Trace)
	// Output:
	// github.com/opsync/integrationlogs/runlog/details_test.ExampleWithStack
	// true
}
