package sqlstore

import (
	"context"
	"encoding/json"
	"errors"
	"runtime"
	"slices"

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
	return r.finish(ctx, runlog.StatusFailed, &failure{errOrNone(err), callers()}, metrics)
}

// SoftError records the soft failure of the stage: status error, the error
// written as Fail writes it, and the run going on (its status is not
// changed). The errors are those of Complete.
func (r *StageRecorder) SoftError(ctx context.Context, err error, metrics any) error {
	return r.finish(ctx, runlog.StatusError, &failure{errOrNone(err), callers()}, metrics)
}

// failure is what Fail and SoftError record: the error, and the stack of
// their caller.
type failure struct {
	err error
	pcs []uintptr
}

// callers returns the stack of the caller of the function that calls it.
func callers() []uintptr {
	pcs := make([]uintptr, 64)
	return pcs[:runtime.Callers(3, pcs)]
}

// errNone stands for a nil error passed to Fail or SoftError.
var errNone = errors.New("")

func errOrNone(err error) error {
	if err == nil {
		return errNone
	}
	return err
}

// recordedError is an error as the recorder writes it.
type recordedError struct {
	summary any // error_summary: a string, or nil
	payload any // error_payload: a string, or nil
}

// captureError returns what Fail and SoftError write of f's error.
func (r *StageRecorder) captureError(ctx context.Context, f failure) (recordedError, error) {
	err := f.err
	if err == errNone {
		return recordedError{}, nil
	}
	s := r.s
	summary, redacted := s.redactText(cleanText(oneLine(err.Error())))
	summary = cutText(summary, s.limits.summary)
	if _, ok := err.(expired); ok {
		// ExpireStale's own note: the summary says it all.
		return recordedError{summary: summary}, nil
	}
	var opts []details.PayloadOption
	run, rerr := s.getRun(ctx, r.runID)
	if rerr != nil && !errors.Is(rerr, ErrNotFound) {
		return recordedError{}, rerr
	}
	if run.Debug {
		opts = append(opts, details.WithStack(f.pcs))
	}
	p := details.NewPayload(err, opts...)
	redacted += s.redactPayload(&p)
	p.Redacted = redacted
	return recordedError{summary: summary, payload: string(boundPayload(p, s.limits.payload))}, nil
}

// redactPayload cleans and redacts every text of p in place, and returns
// how many values it redacted.
func (s *Store) redactPayload(p *details.Payload) int {
	n := 0
	texts := []*string{&p.Type, &p.Message, &p.Trace}
	for i := range p.Previous {
		ex := &p.Previous[i]
		texts = append(texts, &ex.Type, &ex.Message, &ex.Trace)
	}
	for _, t := range texts {
		var k int
		*t, k = s.redactText(cleanText(*t))
		n += k
	}
	return n
}

// boundPayload returns p's JSON within limit bytes. Over it, the longest of
// its texts is cut by half (keeping at least 64 bytes of each), again and
// again; when every text is that short, the deepest previous errors are
// dropped and counted in PreviousOmitted; then the thrown error's trace goes
// and its type and message are halved until they fit (escapes make the JSON
// of 64 bytes of text up to 384 bytes). OriginalSize records the size
// before. Every pass makes the document smaller, so the loop ends, and the
// result is valid JSON within the limit: a limit is at least minLimit
// bytes, more than the payload with no text at all needs.
func boundPayload(p details.Payload, limit int) []byte {
	doc, _ := json.Marshal(p)
	if len(doc) <= limit {
		return doc
	}
	p.OriginalSize = len(doc)
	p.Previous = slices.Clone(p.Previous)
	const keep = 64
	ellipsis := "…"
	for len(doc) > limit {
		texts := []*string{&p.Type, &p.Message, &p.Trace}
		for i := range p.Previous {
			ex := &p.Previous[i]
			texts = append(texts, &ex.Type, &ex.Message, &ex.Trace)
		}
		// The longest text that cutting makes shorter: one of keep bytes
		// and the ellipsis would not be.
		var longest *string
		for _, t := range texts {
			if len(*t) > keep+len(ellipsis) && (longest == nil || len(*t) > len(*longest)) {
				longest = t
			}
		}
		switch {
		case longest != nil:
			// The JSON of a text may be longer than the text (escapes):
			// cut by what is over, or by half, whichever is more.
			over := len(doc) - limit
			n := max(keep, min(len(*longest)/2, len(*longest)-over))
			*longest = prefix(*longest, n) + ellipsis
		case len(p.Previous) > 0:
			p.Previous = p.Previous[:len(p.Previous)-1]
			p.PreviousOmitted++
		case p.Type == "" && p.Message == "" && p.Trace == "":
			return doc // no text is left: not reached, as limit >= minLimit
		default:
			// Only the thrown error's short texts are left.
			p.Type, p.Message, p.Trace = prefix(p.Type, len(p.Type)/2), prefix(p.Message, len(p.Message)/2), ""
		}
		doc, _ = json.Marshal(p)
	}
	return doc
}
