package details

import (
	"fmt"
	"math"
	"reflect"
	"runtime"
	"slices"
	"strconv"
	"strings"
)

// Payload is this library's own shape of a stage row's error payload, the
// JSON stored in runlog.Entry.ErrorPayload:
//
//	{
//	  "type": "*pgconn.PgError",
//	  "message": "ERROR: deadlock detected (SQLSTATE 40P01)",
//	  "trace": "store.(*Devices).Lock\n\t/app/store/devices.go:52",
//	  "previous": [
//	    {"type": "*net.OpError", "message": "read tcp 10.0.0.7:5432: i/o timeout"}
//	  ],
//	  "previous_omitted": 0,
//	  "redacted": 2,
//	  "original_size": 1200000
//	}
//
// type, message and trace describe the thrown error; previous lists the
// errors that caused it, nearest first, at most PreviousExceptions of them;
// previous_omitted counts the deeper ones left out. redacted and
// original_size are set by the writer that stores the payload. Every field
// but type and message may be left out when empty. Encode a Payload with
// encoding/json.
//
// Expand also reads payloads that other systems write (see the package
// documentation).
type Payload struct {
	// Type names the thrown error's type or class.
	Type string `json:"type"`
	// Message is the thrown error's message.
	Message string `json:"message"`
	// Trace is the stack trace where the error was thrown, one frame per
	// line pair as Go's panics print them (see WithStack); empty when none
	// was captured.
	Trace string `json:"trace,omitempty"`
	// Previous are the errors that caused the thrown one, nearest first, at
	// most PreviousExceptions of them.
	Previous []Exception `json:"previous,omitempty"`
	// PreviousOmitted counts the causes deeper than Previous goes.
	PreviousOmitted int `json:"previous_omitted,omitempty"`
	// Redacted counts the values the writer replaced before storing the
	// payload, because they looked like secrets. It holds counts, never
	// the values.
	Redacted int `json:"redacted,omitempty"`
	// OriginalSize is the payload's size in bytes before the writer cut it
	// to its size limit; 0 when it was not cut.
	OriginalSize int `json:"original_size,omitempty"`
}

// PayloadOption changes what NewPayload records.
type PayloadOption func(*payloadOptions)

// payloadOptions are the settings PayloadOptions make.
type payloadOptions struct {
	traces bool      // record stack traces
	stack  []uintptr // the stack captured at the failure
}

// WithStack makes NewPayload record a stack trace with the thrown error and
// with each previous one: the error's own, when it carries one, and
// otherwise the stack pcs, the program counters that the caller captured
// where the failure was handled, as runtime.Callers gives them:
//
//	pcs := make([]uintptr, 64)
//	pcs = pcs[:runtime.Callers(1, pcs)]
//	payload := details.NewPayload(err, details.WithStack(pcs))
//
// An error carries its own stack when it has a method StackTrace() that
// returns a slice of program counters of a uintptr kind, as the errors of
// github.com/pkg/errors and github.com/cockroachdb/errors do; it is found
// by reflection, so those modules need not be imported.
//
// A trace is written as Go's panics print one, each frame on two lines:
//
//	store.(*Devices).Lock
//		/app/store/devices.go:52
//
// A trace of more than TraceFirstFrames+TraceLastFrames frames keeps its
// first TraceFirstFrames and last TraceLastFrames, with a line
// "… N frames omitted …" between them. With a nil or empty pcs, only
// errors with stacks of their own get a trace.
func WithStack(pcs []uintptr) PayloadOption {
	pcs = slices.Clone(pcs)
	return func(o *payloadOptions) {
		o.traces = true
		o.stack = pcs
	}
}

// How much of a long stack trace NewPayload keeps (see WithStack).
const (
	// TraceFirstFrames is how many frames a cut trace keeps from its start,
	// where the error happened.
	TraceFirstFrames = 16
	// TraceLastFrames is how many frames a cut trace keeps from its end,
	// where the goroutine started.
	TraceLastFrames = 4
)

// NewPayload returns the payload describing err: its dynamic type (as %T
// prints it) and message, then the errors that caused it, at most
// PreviousExceptions of them, with PreviousOmitted counting the rest.
//
// The causes are the tree that errors.Is walks, taken depth first, each
// error before the errors it wraps: errors.Unwrap's chain, and each of the
// errors of an Unwrap() []error method (as errors.Join and fmt.Errorf with
// several %w make) in order, each followed by its own causes. The walk stops
// after MaxDepth errors, so a chain that loops or a huge tree ends;
// PreviousOmitted then counts those visited.
//
// Without options no trace is recorded; WithStack turns traces on. A nil
// err gives the zero Payload. NewPayload never panics, even when an
// error's methods do: their result is then a message saying so.
func NewPayload(err error, opts ...PayloadOption) Payload {
	if err == nil {
		return Payload{}
	}
	var o payloadOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	var captured string
	if o.traces {
		captured = formatTrace(o.stack)
	}
	thrown := describe(err, o.traces, captured)
	p := Payload{Type: thrown.Type, Message: thrown.Message, Trace: thrown.Trace}

	// The walk keeps the lists of causes still to visit, with where it is
	// in each, so that a wide tree costs no more than what is visited.
	type level struct {
		errs []error
		next int
	}
	levels := []level{{errs: causes(err)}}
	for visited := 0; len(levels) > 0 && visited < MaxDepth; {
		top := &levels[len(levels)-1]
		if top.next == len(top.errs) {
			levels = levels[:len(levels)-1]
			continue
		}
		cause := top.errs[top.next]
		top.next++
		if cause == nil {
			continue
		}
		visited++
		if len(p.Previous) < PreviousExceptions {
			p.Previous = append(p.Previous, describe(cause, o.traces, captured))
		} else {
			p.PreviousOmitted++
		}
		if errs := causes(cause); len(errs) > 0 {
			levels = append(levels, level{errs: errs})
		}
	}
	return p
}

// describe returns err as an exception: its type, its message and, with
// traces, its own stack trace or else captured.
func describe(err error, traces bool, captured string) Exception {
	ex := Exception{Type: fmt.Sprintf("%T", err), Message: messageOf(err)}
	if traces {
		ex.Trace = captured
		if pcs, ok := stackOf(err); ok {
			ex.Trace = formatTrace(pcs)
		}
	}
	return ex
}

// messageOf returns err.Error(), or a message saying that it panicked.
func messageOf(err error) (msg string) {
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprintf("(%T.Error panicked: %v)", err, r)
		}
	}()
	return err.Error()
}

// causes returns the errors err wraps: errors.Unwrap's one, or those of an
// Unwrap() []error method; none when such a method panics.
func causes(err error) (errs []error) {
	defer func() {
		if recover() != nil {
			errs = nil
		}
	}()
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		if cause := u.Unwrap(); cause != nil {
			return []error{cause}
		}
	case interface{ Unwrap() []error }:
		return u.Unwrap()
	}
	return nil
}

// stackOf returns the stack err carries: the program counters its method
// StackTrace() returns, when it has one that returns a slice of a uintptr
// kind (github.com/pkg/errors' StackTrace, a []Frame with Frame a uintptr,
// is one). ok is false when it has none, or the method panics.
func stackOf(err error) (pcs []uintptr, ok bool) {
	defer func() {
		if recover() != nil {
			pcs, ok = nil, false
		}
	}()
	m := reflect.ValueOf(err).MethodByName("StackTrace")
	if !m.IsValid() {
		return nil, false
	}
	if t := m.Type(); t.NumIn() != 0 || t.NumOut() != 1 || t.Out(0).Kind() != reflect.Slice || t.Out(0).Elem().Kind() != reflect.Uintptr {
		return nil, false
	}
	frames := m.Call(nil)[0]
	pcs = make([]uintptr, frames.Len())
	for i := range pcs {
		pcs[i] = uintptr(frames.Index(i).Uint())
	}
	return pcs, true
}

// formatTrace returns the stack pcs as WithStack describes it. Only the
// frames it keeps are held, so a huge stack costs no more memory than a
// short one.
func formatTrace(pcs []uintptr) string {
	if len(pcs) == 0 {
		return ""
	}
	var first []string
	var last [TraceLastFrames]string // a ring of the latest frames past first
	past := 0                        // frames past first
	frames := runtime.CallersFrames(pcs)
	for {
		f, more := frames.Next()
		// runtime.goexit ends every goroutine's stack and says nothing.
		if f.Function != "runtime.goexit" {
			text := frameLine(f)
			if len(first) < TraceFirstFrames {
				first = append(first, text)
			} else {
				last[past%TraceLastFrames] = text
				past++
			}
		}
		if !more {
			break
		}
	}
	lines := first
	kept := min(past, TraceLastFrames)
	if omitted := past - kept; omitted > 0 {
		lines = append(lines, "… "+strconv.Itoa(omitted)+" "+plural(omitted, "frame", "frames")+" omitted …")
	}
	for i := past - kept; i < past; i++ {
		lines = append(lines, last[i%TraceLastFrames])
	}
	return strings.Join(lines, "\n")
}

// frameLine returns one frame as Go's panics print it, on two lines:
// "pkg.Func" and "\t/path/file.go:123".
func frameLine(f runtime.Frame) string {
	function, file := f.Function, f.File
	if function == "" {
		function = "?"
	}
	if file == "" {
		file = "?"
	}
	return function + "\n\t" + file + ":" + strconv.Itoa(f.Line)
}

// valueText returns a field's value as text: a string decoded and cleaned
// by policy p, null or an absent field as "", anything else as compact
// JSON.
func valueText(raw []byte, p policy) string {
	switch {
	case raw == nil || string(raw) == "null":
		return ""
	case raw[0] == '"':
		return decode(raw, p)
	}
	return clean(compact(raw), p)
}

// traceText returns a stack trace field as text, one frame per line: a
// string as it is, a list of frames one per line (see frameText), anything
// else as valueText gives it.
func traceText(raw []byte) string {
	if raw == nil || raw[0] != '[' {
		return valueText(raw, block)
	}
	var b strings.Builder
	var it items
	it.open(raw, '[')
	for {
		if _, more, _ := it.next(nil); !more {
			return b.String()
		}
		frame, _ := it.value(nil)
		if b.Len() > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(frameText(frame))
	}
}

// frameText returns one frame of a stack trace list on one line. A string
// is the frame itself. An object in the shape PHP's debug_backtrace gives
// (file, line, class, type, function) reads
// "App\\Jobs\\Sync->handle() at /app/Jobs/Sync.php:61", with whatever
// parts it has; line_number and method are read as line and function.
// Anything else is shown as compact JSON.
func frameText(raw []byte) string {
	if raw[0] != '{' {
		return valueText(raw, inline)
	}
	var file, line, class, call, function []byte
	var it items
	it.open(raw, '{')
	for {
		key, more, _ := it.next(nil)
		if !more {
			break
		}
		value, _ := it.value(nil)
		var slot *[]byte
		switch strings.ToLower(decode(key, exact)) {
		case "file":
			slot = &file
		case "line", "line_number":
			slot = &line
		case "class":
			slot = &class
		case "type":
			slot = &call
		case "function", "method":
			slot = &function
		}
		if slot != nil && *slot == nil {
			*slot = value
		}
	}
	var where, what string
	if file != nil {
		where = valueText(file, inline)
		if line != nil {
			where += ":" + valueText(line, inline)
		}
	}
	if function != nil {
		what = valueText(function, inline) + "()"
		if class != nil {
			sep := "->"
			if call != nil {
				sep = valueText(call, inline)
			}
			what = valueText(class, inline) + sep + what
		}
	}
	switch {
	case what != "" && where != "":
		return what + " at " + where
	case what != "" || where != "":
		return what + where
	}
	return valueText(raw, inline)
}

// addCount adds n to a count of exceptions, stopping at the largest int
// instead of overflowing.
func addCount(count, n int) int {
	if n > math.MaxInt-count {
		return math.MaxInt
	}
	return count + n
}
