package sqlstore

import (
	"context"
	"errors"
	"os"
	"time"
)

// deadlineSlack is how close to ctx's deadline a driver's timeout may fire
// and still count as the deadline: a dialer or a connection whose deadline
// is ctx's reports an i/o timeout at that instant, possibly before ctx
// itself has recorded that it expired.
const deadlineSlack = 5 * time.Millisecond

// ctxErr returns err, the error of a statement run under ctx, as callers
// test it: when ctx has ended (or err is a timeout at ctx's deadline), an
// error that errors.Is finds both as ctx's error and as the driver's,
// which says what the statement was doing. Drivers report a cancelled
// statement each in their own words, and some not in terms of ctx at all.
func ctxErr(ctx context.Context, err error) error {
	if err == nil {
		return nil
	}
	cerr := ctx.Err()
	if cerr == nil && isTimeout(err) {
		if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) <= deadlineSlack {
			cerr = context.DeadlineExceeded
		}
	}
	if cerr == nil || errors.Is(err, cerr) {
		return err
	}
	return &contextError{ctx: cerr, err: err}
}

// isTimeout reports whether err says that an I/O deadline passed.
func isTimeout(err error) bool {
	var t interface{ Timeout() bool }
	return errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, context.DeadlineExceeded) ||
		errors.As(err, &t) && t.Timeout()
}

// contextError is a driver's error on a statement whose context ended.
type contextError struct {
	ctx error // context.Canceled or context.DeadlineExceeded
	err error // the driver's
}

func (e *contextError) Error() string { return e.ctx.Error() + ": " + e.err.Error() }

// Unwrap returns both errors, for errors.Is and errors.As.
func (e *contextError) Unwrap() []error { return []error{e.ctx, e.err} }
