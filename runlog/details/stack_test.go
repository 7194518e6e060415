package details_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"strings"
	"testing"

	crdberrors "github.com/cockroachdb/errors"
	"github.com/google/go-cmp/cmp"
	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/details"
	pkgerrors "github.com/pkg/errors"
)

// callers returns the stack of its caller, as a recorder captures it.
func callers() []uintptr {
	pcs := make([]uintptr, 128)
	return pcs[:runtime.Callers(2, pcs)]
}

// frameRE matches one frame of a trace as Go's panics print it.
var frameRE = regexp.MustCompile(`^[^\t\n]+\n\t[^\t\n]+:\d+$`)

// checkTrace fails unless trace is a list of frames, the first of a
// function whose name ends in first.
func checkTrace(t *testing.T, what, trace, first string) {
	t.Helper()
	lines := strings.Split(trace, "\n")
	if len(lines) < 2 || len(lines)%2 != 0 {
		t.Fatalf("%s: trace is not pairs of lines:\n%s", what, trace)
	}
	for i := 0; i < len(lines); i += 2 {
		if !frameRE.MatchString(lines[i] + "\n" + lines[i+1]) {
			t.Errorf("%s: frame %q is not as Go prints it", what, lines[i]+"\n"+lines[i+1])
		}
	}
	if !strings.HasSuffix(lines[0], first) {
		t.Errorf("%s: trace starts at %q, want a function ending in %q:\n%s", what, lines[0], first, trace)
	}
	if strings.Contains(trace, "runtime.goexit") {
		t.Errorf("%s: trace shows runtime.goexit:\n%s", what, trace)
	}
}

func TestNewPayload_WithStack(t *testing.T) {
	pcs := callers()
	err := fmt.Errorf("apply: %w", fmt.Errorf("write: %w", errors.New("refused")))
	p := details.NewPayload(err, details.WithStack(pcs))
	checkTrace(t, "thrown", p.Trace, ".TestNewPayload_WithStack")
	if len(p.Previous) != 2 {
		t.Fatalf("%d previous, want 2", len(p.Previous))
	}
	for i, ex := range p.Previous {
		if ex.Trace != p.Trace {
			t.Errorf("previous %d: trace %q, want the captured one", i, ex.Trace)
		}
	}
	if !strings.Contains(p.Trace, "stack_test.go:") {
		t.Errorf("trace does not name this file:\n%s", p.Trace)
	}

	t.Run("WithoutOption", func(t *testing.T) {
		p := details.NewPayload(pkgerrors.New("own stack"))
		if p.Trace != "" {
			t.Errorf("trace %q without WithStack", p.Trace)
		}
	})
	t.Run("NilStack", func(t *testing.T) {
		p := details.NewPayload(fmt.Errorf("wrap: %w", pkgFail()), details.WithStack(nil))
		if p.Trace != "" {
			t.Errorf("thrown error without a stack of its own has trace %q", p.Trace)
		}
		checkTrace(t, "pkg/errors cause", p.Previous[0].Trace, ".pkgFail")
	})
	t.Run("BadProgramCounters", func(t *testing.T) {
		p := details.NewPayload(errors.New("x"), details.WithStack([]uintptr{0, 1, 2}))
		if p.Message != "x" {
			t.Errorf("Message = %q", p.Message)
		}
	})
	t.Run("CallerMayReuseSlice", func(t *testing.T) {
		pcs := callers()
		opt := details.WithStack(pcs)
		want := details.NewPayload(errors.New("x"), opt).Trace
		clear(pcs)
		if got := details.NewPayload(errors.New("x"), opt).Trace; got != want {
			t.Errorf("trace changed with the caller's slice:\n%s", got)
		}
	})
}

// pkgFail returns an error of github.com/pkg/errors, whose stack starts here.
func pkgFail() error { return pkgerrors.New("device 17 not found") }

// crdbFail returns an error of github.com/cockroachdb/errors, whose stack
// starts here.
func crdbFail() error { return crdberrors.New("device 17 not found") }

func TestNewPayload_OwnStacks(t *testing.T) {
	pcs := callers()
	for _, tc := range []struct {
		name  string
		err   error
		first string // where the own stack starts
	}{
		{"PkgErrorsNew", pkgFail(), ".pkgFail"},
		{"PkgErrorsWrap", pkgerrors.Wrap(errors.New("plain"), "context"), ".TestNewPayload_OwnStacks"},
		{"CockroachNew", crdbFail(), ".crdbFail"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := fmt.Errorf("decide: %w", tc.err)
			p := details.NewPayload(err, details.WithStack(pcs))
			captured := p.Trace
			checkTrace(t, "thrown", captured, ".TestNewPayload_OwnStacks")
			own := 0
			for i, ex := range p.Previous {
				if ex.Trace == captured {
					continue
				}
				own++
				checkTrace(t, fmt.Sprintf("previous %d (%s)", i, ex.Type), ex.Trace, tc.first)
			}
			if own == 0 {
				t.Errorf("no previous exception carries its own stack:\n%+v", p.Previous)
			}
		})
	}
	// The own stack is the error's, not the captured one, even where both
	// start in the same function: pkg/errors' starts at the Wrap call.
	wrapped := pkgerrors.Wrap(errors.New("plain"), "context")
	p := details.NewPayload(wrapped, details.WithStack(pcs))
	if p.Trace == formatOf(pcs) {
		t.Errorf("thrown pkg/errors error got the captured trace, not its own")
	}
}

// formatOf returns the trace NewPayload writes for the captured stack pcs.
func formatOf(pcs []uintptr) string {
	return details.NewPayload(errors.New("x"), details.WithStack(pcs)).Trace
}

// deepStack calls itself n times, then captures the stack.
func deepStack(n int) []uintptr {
	if n == 0 {
		pcs := make([]uintptr, 256)
		return pcs[:runtime.Callers(1, pcs)]
	}
	return deepStack(n - 1)
}

func TestNewPayload_LongTrace(t *testing.T) {
	pcs := deepStack(60)
	trace := formatOf(pcs)
	lines := strings.Split(trace, "\n")
	head, tail := 2*details.TraceFirstFrames, 2*details.TraceLastFrames
	if len(lines) != head+1+tail {
		t.Fatalf("cut trace has %d lines, want %d:\n%s", len(lines), head+1+tail, trace)
	}
	if !regexp.MustCompile(`^… \d+ frames omitted …$`).MatchString(lines[head]) {
		t.Errorf("line %d = %q, want the omitted frames", head, lines[head])
	}
	for i, line := range lines[:head] {
		if i%2 == 0 && !strings.HasSuffix(line, ".deepStack") {
			t.Errorf("frame %d is %q, want deepStack", i/2, line)
		}
	}
	last := strings.Join(lines[head+1:], "\n")
	checkTrace(t, "end", last, "")
	if !strings.Contains(last, ".TestNewPayload_LongTrace\n") || !strings.HasSuffix(lines[len(lines)-2], "testing.tRunner") {
		t.Errorf("the trace does not end where the test started:\n%s", last)
	}
	// The count is right: the omitted frames and the kept ones make the stack.
	var total int
	frames := runtime.CallersFrames(pcs)
	for {
		f, more := frames.Next()
		if f.Function != "runtime.goexit" {
			total++
		}
		if !more {
			break
		}
	}
	want := fmt.Sprintf("… %d frames omitted …", total-details.TraceFirstFrames-details.TraceLastFrames)
	if lines[head] != want {
		t.Errorf("omission line %q, want %q", lines[head], want)
	}

	short := formatOf(deepStack(0))
	if strings.Contains(short, "omitted") {
		t.Errorf("a short trace was cut:\n%s", short)
	}
}

// TestNewPayload_Expand records a failure whose chain is seven errors
// deep, with traces, and checks that the card shows all of it: the thrown
// error, five previous ones and one more counted.
func TestNewPayload_Expand(t *testing.T) {
	err := pkgFail()
	for i := 1; i <= 6; i++ {
		err = fmt.Errorf("layer %d: %w", i, err)
	}
	p := details.NewPayload(err, details.WithStack(callers()))
	p.Redacted, p.OriginalSize = 3, 1_234_567
	payload, jerr := json.Marshal(p)
	if jerr != nil {
		t.Fatal(jerr)
	}
	c := details.Expand(runlog.Entry{RunID: 9, ErrorPayload: payload})
	if c.PayloadErr != nil || len(c.Exceptions) != 1+details.PreviousExceptions || c.MoreExceptions != 1 {
		t.Fatalf("Expand() = %d exceptions, %d more, %v; want 6, 1, nil", len(c.Exceptions), c.MoreExceptions, c.PayloadErr)
	}
	want := append([]details.Exception{{Type: p.Type, Message: p.Message, Trace: p.Trace}}, p.Previous...)
	if diff := cmp.Diff(want, c.Exceptions); diff != "" {
		t.Errorf("Exceptions mismatch (-want +got):\n%s", diff)
	}
	if c.Redacted != 3 || c.OriginalSize != 1_234_567 {
		t.Errorf("Redacted, OriginalSize = %d, %d; want 3, 1234567", c.Redacted, c.OriginalSize)
	}
	text := c.String()
	for _, line := range []string{
		"  *fmt.wrapError: layer 6: layer 5: layer 4: layer 3: layer 2: layer 1: device 17 not found",
		"  caused by *fmt.wrapError: layer 2: layer 1: device 17 not found",
		"  … and 1 more previous exception",
		"  3 values redacted",
		"  payload cut from 1.2 MB",
	} {
		if !strings.Contains(text, line+"\n") {
			t.Errorf("String() lacks line %q:\n%s", line, text)
		}
	}
	if n := strings.Count(text, "stack_test.go:"); n < 1+details.PreviousExceptions {
		t.Errorf("String() shows %d frames of this file, want one per exception at least:\n%s", n, text)
	}
}
