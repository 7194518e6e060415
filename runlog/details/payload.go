package details

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Payload is this library's own shape of a stage row's error payload, the
// JSON stored in runlog.Entry.ErrorPayload:
//
//	{
//	  "type": "*pgconn.PgError",
//	  "message": "ERROR: deadlock detected (SQLSTATE 40P01)",
//	  "trace": "store.(*Devices).Lock\n\tdevices.go:52",
//	  "previous": [
//	    {"type": "*net.OpError", "message": "read tcp 10.0.0.7:5432: i/o timeout"}
//	  ],
//	  "previous_omitted": 0
//	}
//
// type, message and trace describe the thrown error; previous lists the
// errors that caused it, nearest first, at most PreviousExceptions of them;
// previous_omitted counts the deeper ones left out. trace, previous and
// previous_omitted may be left out when empty. Encode a Payload with
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
	// line; empty when none was captured.
	Trace string `json:"trace,omitempty"`
	// Previous are the errors that caused the thrown one, nearest first, at
	// most PreviousExceptions of them.
	Previous []Exception `json:"previous,omitempty"`
	// PreviousOmitted counts the causes deeper than Previous goes.
	PreviousOmitted int `json:"previous_omitted,omitempty"`
}

// NewPayload returns the payload describing err: its dynamic type (as %T
// prints it) and message, then the chain errors.Unwrap walks, nearest
// cause first, at most PreviousExceptions of it, with PreviousOmitted
// counting the rest. Go errors carry no stack trace, so Trace is empty; a
// caller that captured one may set it. An error that wraps several errors
// (such as errors.Join makes) ends the chain; its message already holds
// theirs. A nil err gives the zero Payload.
func NewPayload(err error) Payload {
	if err == nil {
		return Payload{}
	}
	p := Payload{Type: fmt.Sprintf("%T", err), Message: err.Error()}
	// The walk is bounded so that a chain that loops ends.
	cause := errors.Unwrap(err)
	for i := 0; cause != nil && i < MaxDepth; i++ {
		if len(p.Previous) < PreviousExceptions {
			p.Previous = append(p.Previous, Exception{Type: fmt.Sprintf("%T", cause), Message: cause.Error()})
		} else {
			p.PreviousOmitted++
		}
		cause = errors.Unwrap(cause)
	}
	return p
}

// readPayload reads the exception chain of an error payload: the thrown
// exception, at most PreviousExceptions previous ones, and how many deeper
// ones are left out.
func readPayload(payload []byte) ([]Exception, int, error) {
	// Validating first means the walk below meets only valid JSON, nested
	// at most MaxDepth deep, and costs time in proportion to the payload.
	if err := validate(payload); err != nil {
		return nil, 0, err
	}
	s := scanner{data: payload}
	s.space()
	top, ok := readException(payload[s.pos:], true)
	if !ok {
		return nil, 0, ErrNoException
	}
	chain := []Exception{top.Exception}
	more := top.omitted
	// link adds one previous exception, or only counts it when the chain
	// is full; it returns the exception's own previous field.
	link := func(raw []byte, follow bool) []byte {
		if len(chain) > PreviousExceptions {
			more = addCount(more, 1)
			if follow && raw[0] == '{' {
				return previousOf(raw) // read nothing else
			}
			return nil
		}
		ex, ok := readException(raw, follow)
		if !ok {
			// Not an exception's shape: show the JSON rather than nothing.
			ex.Message = clean(compact(raw), block)
		}
		chain = append(chain, ex.Exception)
		more = addCount(more, ex.omitted)
		return ex.previous
	}
	for next := top.previous; next != nil && string(next) != "null"; {
		if next[0] != '[' {
			next = link(next, true)
			continue
		}
		// A list holds the rest of the chain, nearest first.
		var list items
		list.open(next, '[')
		for {
			if _, ok, _ := list.next(nil); !ok {
				break
			}
			raw, _ := list.value(nil)
			link(raw, false)
		}
		next = nil
	}
	return chain, more, nil
}

// exception is one level of a payload's chain as read.
type exception struct {
	Exception
	previous []byte // the raw previous field; nil when none or not followed
	omitted  int    // the previous_omitted field
}

// fields are the raw values of the fields of an exception object that
// readException knows, each the first of its name; nil when absent.
type fields struct {
	typ, class, exception, message, trace, stack, stacktrace, previous, omitted []byte
}

// slot returns where the value of the field named key (raw, quotes
// included) goes, or nil for a field readException does not know. Names
// are matched without regard to case.
func (f *fields) slot(key []byte) *[]byte {
	switch strings.ToLower(decode(key, exact)) {
	case "type":
		return &f.typ
	case "class":
		return &f.class
	case "exception":
		return &f.exception
	case "message":
		return &f.message
	case "trace":
		return &f.trace
	case "stack":
		return &f.stack
	case "stacktrace":
		return &f.stacktrace
	case "previous":
		return &f.previous
	case "previous_omitted":
		return &f.omitted
	}
	return nil
}

// readException reads the exception described by raw, a valid JSON value:
// an object by its fields, a string as a message; anything else describes
// no exception, and ok is false. With follow, the exception's previous
// field is returned for the caller to follow.
//
// Laravel's logger puts the exception object under an "exception" field of
// the record; such an object is read in place of its wrapper, only once, so
// the work stays in proportion to the payload.
func readException(raw []byte, follow bool) (ex exception, ok bool) {
	ex, f, ok := readFields(raw, follow)
	if ok && f.exception != nil && f.exception[0] == '{' {
		if inner, _, ok := readFields(f.exception, follow); ok {
			return inner, true
		}
	}
	return ex, ok
}

// readFields reads one exception from raw, as readException does, and also
// returns the raw fields it found.
func readFields(raw []byte, follow bool) (ex exception, f fields, ok bool) {
	switch raw[0] {
	case '"':
		return exception{Exception: Exception{Message: decode(raw, block)}}, f, true
	case '{':
	default:
		return ex, f, false
	}
	var it items
	it.open(raw, '{')
	for {
		key, more, _ := it.next(nil)
		if !more {
			break
		}
		value, _ := it.value(nil)
		if slot := f.slot(key); slot != nil && *slot == nil {
			*slot = value
			ok = true
		}
	}
	if !ok {
		return ex, f, false
	}
	for _, v := range [][]byte{f.typ, f.class, f.exception} {
		if v != nil && v[0] != '{' {
			ex.Type = valueText(v, inline)
			break
		}
	}
	ex.Message = valueText(f.message, block)
	ex.Trace = traceText(firstOf(f.trace, f.stack, f.stacktrace))
	if follow {
		ex.previous = f.previous
	}
	if f.omitted != nil {
		if n, err := strconv.Atoi(string(f.omitted)); err == nil && n > 0 {
			ex.omitted = n
		}
	}
	return ex, f, true
}

// previousOf returns the raw previous field of the exception object raw,
// reading no further than that field; nil when it has none.
func previousOf(raw []byte) []byte {
	var it items
	it.open(raw, '{')
	for {
		key, more, _ := it.next(nil)
		if !more {
			return nil
		}
		if strings.EqualFold(decode(key, exact), "previous") {
			value, _ := it.value(nil)
			return value
		}
		if _, err := it.value(nil); err != nil {
			return nil
		}
	}
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

// firstOf returns the first of vs that is not nil.
func firstOf(vs ...[]byte) []byte {
	for _, v := range vs {
		if v != nil {
			return v
		}
	}
	return nil
}

// addCount adds n to a count of exceptions, stopping at the largest int
// instead of overflowing.
func addCount(count, n int) int {
	if n > math.MaxInt-count {
		return math.MaxInt
	}
	return count + n
}
