package details

import (
	"errors"
	"fmt"
	"math"
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
