package sqlstore

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/details"
)

// Fail records that the stage failed with err, and with its metrics: the
// row's status becomes failed and, in the same transaction, its run's
// status failed and its finish time now, as the Logs tab shows a run that
// stopped at a failed stage. SoftError records an error the run goes on
// after.
//
// What is written of err:
//   - error_summary: err's message on one line (line breaks and the white
//     space around them become one space), redacted, cut to
//     Config.SummaryLimit with a note of its size ("… (cut from 9000
//     bytes)").
//   - error_payload: the JSON of details.Payload, which details.Expand
//     reads back: err's type and message, then the chain of its causes
//     (errors.Unwrap, and the trees of errors.Join walked depth first), at
//     most details.PreviousExceptions of them with a count of the rest. In
//     a run started with RunOptions.Debug, each carries a stack trace. Its
//     messages and traces are redacted, and "redacted" counts the values
//     replaced in the row. Over Config.PayloadLimit, the longest texts are
//     cut first, then the deepest causes dropped (and counted), and
//     "original_size" records the size before.
//   - metrics_json as Complete writes it; a metrics object over
//     Config.MetricsLimit keeps the members that fit and ends with
//     "_truncated": {"original_size": ..., "members_omitted": ...}.
//
// Every text is stored the same way on every database: NUL bytes and
// invalid UTF-8 become U+FFFD. A nil err records the failure with no error
// text. The errors are those of Complete.
func (r *StageRecorder) Fail(ctx context.Context, err error, metrics any) error {
	return r.finish(ctx, runlog.StatusFailed, errOrNone(err), metrics)
}

// SoftError records the soft failure of the stage: status error, the error
// written as Fail writes it, and the run going on (its status is not
// changed). The errors are those of Complete.
func (r *StageRecorder) SoftError(ctx context.Context, err error, metrics any) error {
	return r.finish(ctx, runlog.StatusError, errOrNone(err), metrics)
}

// noError stands for a nil error passed to Fail or SoftError.
var noError = errors.New("")

func errOrNone(err error) error {
	if err == nil {
		return noError
	}
	return err
}

// recordedError is an error as the recorder writes it.
type recordedError struct {
	summary any // error_summary: a string, or nil
	payload any // error_payload: a string, or nil
}

// captureError returns what Fail and SoftError write of err.
func (r *StageRecorder) captureError(ctx context.Context, err error) (recordedError, error) {
	if err == noError {
		return recordedError{}, nil
	}
	s := r.s
	summary, n := s.redactText(cleanText(oneLine(err.Error())))
	summary = cutText(summary, s.limits.summary)
	if _, ok := err.(expired); ok {
		// ExpireStale's own note: the summary says it all.
		return recordedError{summary: summary}, nil
	}

	p := details.NewPayload(err)
	cleanPayload(&p)
	doc, err2 := json.Marshal(p)
	if err2 != nil {
		return recordedError{}, err2
	}
	doc, m := s.redactJSON(cleanJSON(doc))
	_ = n + m
	return recordedError{summary: summary, payload: string(doc)}, nil
}

// cleanPayload cleans every text of p as cleanText does.
func cleanPayload(p *details.Payload) {
	p.Type, p.Message, p.Trace = cleanText(p.Type), cleanText(p.Message), cleanText(p.Trace)
	for i := range p.Previous {
		ex := &p.Previous[i]
		ex.Type, ex.Message, ex.Trace = cleanText(ex.Type), cleanText(ex.Message), cleanText(ex.Trace)
	}
}
