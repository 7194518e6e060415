package sqlstore

import (
	"context"
	"errors"
	"net"
	"os"
	"testing"
	"time"
)

// lateContext has a deadline that has passed but does not report it yet,
// as a context does until its timer's goroutine has run.
type lateContext struct {
	context.Context
	deadline time.Time
}

func (c lateContext) Deadline() (time.Time, bool) { return c.deadline, true }

// driverError stands for a driver's error of its own type.
type driverError struct{ msg string }

func (e *driverError) Error() string { return e.msg }

func TestCtxErr(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	expired, cancel2 := context.WithDeadline(context.Background(), time.Now().Add(-time.Millisecond))
	defer cancel2()
	// A deadline that has just passed, though the context does not say so
	// yet: what a dialer whose deadline is ctx's sees.
	justNow := lateContext{context.Background(), time.Now()}
	later, cancel4 := context.WithTimeout(context.Background(), time.Hour)
	defer cancel4()

	drv := &driverError{"driver: bad connection"}
	dial := &net.OpError{Op: "dial", Net: "tcp", Err: os.ErrDeadlineExceeded}
	tests := []struct {
		name    string
		ctx     context.Context
		err     error
		want    []error // errors.Is targets that must match
		notWant []error
	}{
		{"Cancelled", canceled, drv, []error{context.Canceled, drv}, []error{context.DeadlineExceeded}},
		{"Expired", expired, drv, []error{context.DeadlineExceeded, drv}, []error{context.Canceled}},
		{"DialTimeoutAtDeadline", justNow, dial, []error{context.DeadlineExceeded, os.ErrDeadlineExceeded}, nil},
		{"DialTimeoutLongBeforeDeadline", later, dial, []error{os.ErrDeadlineExceeded}, []error{context.DeadlineExceeded}},
		{"DriverSaysCanceled", canceled, context.Canceled, []error{context.Canceled}, nil},
		{"Live", context.Background(), drv, []error{drv}, []error{context.Canceled, context.DeadlineExceeded}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ctxErr(tt.ctx, tt.err)
			for _, w := range tt.want {
				if !errors.Is(got, w) {
					t.Errorf("ctxErr() = %v; errors.Is(%v) = false, want true", got, w)
				}
			}
			for _, w := range tt.notWant {
				if errors.Is(got, w) {
					t.Errorf("ctxErr() = %v; errors.Is(%v) = true, want false", got, w)
				}
			}
			var d *driverError
			if errors.Is(tt.err, drv) && (!errors.As(got, &d) || d != drv) {
				t.Errorf("ctxErr() = %v; errors.As does not find the driver's error", got)
			}
		})
	}
	if ctxErr(canceled, nil) != nil {
		t.Error("ctxErr(nil) != nil")
	}
}

// sqlState is a driver error with an SQLSTATE, as pgx reports one.
type sqlState string

func (s sqlState) Error() string    { return "ERROR: SQLSTATE " + string(s) }
func (s sqlState) SQLState() string { return string(s) }

// TestRetry_Cancelled checks that a retry stopped by its context between
// two tries returns an error that matches both the context's error and the
// conflict that made it try again.
func TestRetry_Cancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	conflict := sqlState("40001")
	tries := 0
	err := (&Store{}).retry(ctx, func() error {
		tries++
		cancel()
		return conflict
	})
	if tries != 1 {
		t.Errorf("%d tries, want 1: the context ended before the second", tries)
	}
	if !errors.Is(err, context.Canceled) || !errors.Is(err, conflict) {
		t.Errorf("retry = %v; want an error that is both context.Canceled and the conflict", err)
	}
}
