package runlog

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// entryJSON is the JSON shape of an Entry: its fields, in order, with the
// names of its tags, and with the types that make any stored row encode.
type entryJSON struct {
	ID           int64        `json:"id"`
	InstanceID   int64        `json:"instance_id"`
	RunID        int64        `json:"run_id"`
	Mode         Mode         `json:"mode"`
	RunStatus    RunStatus    `json:"run_status"`
	Stage        Stage        `json:"stage"`
	Status       Status       `json:"status"`
	Attempt      int          `json:"attempt"`
	StartedAt    jsonTime     `json:"started_at"`
	FinishedAt   jsonTime     `json:"finished_at"`
	ErrorSummary string       `json:"error_summary"`
	ErrorPayload storedJSON   `json:"error_payload"`
	Metrics      storedJSON   `json:"metrics"`
	Clipped      bool         `json:"clipped,omitempty"`
	Unreadable   []Unreadable `json:"unreadable,omitempty"`
}

// MarshalJSON encodes e with the names of its field tags. It never fails,
// whatever the row holds:
//
//   - ErrorPayload and Metrics are embedded as JSON when they hold valid
//     JSON (members in stored order, white space between tokens dropped),
//     as a JSON string of the stored text when they do not (or nest deeper
//     than encoding/json reads), and as null when they hold nothing (no
//     text, white space or null);
//   - StartedAt is null when it is the zero time (a queued row, or a value
//     that could not be read), and so is FinishedAt when nil or zero;
//   - times are RFC 3339 with fractional seconds, as time.Time encodes
//     them; one that RFC 3339 cannot hold (a year past 9999) is written as
//     a string in the same layout with its longer year, in UTC;
//   - invalid UTF-8, in strings and in stored JSON, becomes U+FFFD, a
//     replacement for each bad byte, as encoding/json does for strings.
func (e Entry) MarshalJSON() ([]byte, error) {
	return json.Marshal(entryJSON{
		ID: e.ID, InstanceID: e.InstanceID, RunID: e.RunID,
		Mode: e.Mode, RunStatus: e.RunStatus, Stage: e.Stage, Status: e.Status, Attempt: e.Attempt,
		StartedAt: jsonTime(e.StartedAt), FinishedAt: jsonTimeOf(e.FinishedAt),
		ErrorSummary: e.ErrorSummary, ErrorPayload: storedJSON(e.ErrorPayload), Metrics: storedJSON(e.Metrics),
		Clipped: e.Clipped, Unreadable: e.Unreadable,
	})
}

// UnmarshalJSON decodes what MarshalJSON encodes: null gives nil JSON, the
// zero StartedAt and a nil FinishedAt. Stored text that was not valid JSON
// was encoded as a JSON string, and comes back as that JSON string.
func (e *Entry) UnmarshalJSON(data []byte) error {
	var j entryJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*e = Entry{
		ID: j.ID, InstanceID: j.InstanceID, RunID: j.RunID,
		Mode: j.Mode, RunStatus: j.RunStatus, Stage: j.Stage, Status: j.Status, Attempt: j.Attempt,
		StartedAt: time.Time(j.StartedAt), FinishedAt: j.FinishedAt.ptr(),
		ErrorSummary: j.ErrorSummary, ErrorPayload: json.RawMessage(j.ErrorPayload), Metrics: json.RawMessage(j.Metrics),
		Clipped: j.Clipped, Unreadable: j.Unreadable,
	}
	return nil
}

// runJSON is the JSON shape of a Run, as entryJSON is of an Entry.
type runJSON struct {
	ID         int64        `json:"id"`
	InstanceID int64        `json:"instance_id"`
	Mode       Mode         `json:"mode"`
	Status     RunStatus    `json:"status"`
	Debug      bool         `json:"debug"`
	Summary    storedJSON   `json:"summary"`
	CreatedAt  jsonTime     `json:"created_at"`
	StartedAt  jsonTime     `json:"started_at"`
	FinishedAt jsonTime     `json:"finished_at"`
	Unreadable []Unreadable `json:"unreadable,omitempty"`
}

// MarshalJSON encodes r with the names of its field tags. It never fails,
// whatever the row holds: Summary is encoded as Entry's stored JSON is, and
// CreatedAt, StartedAt and FinishedAt are null when zero or nil (see
// Entry.MarshalJSON).
func (r Run) MarshalJSON() ([]byte, error) {
	return json.Marshal(runJSON{
		ID: r.ID, InstanceID: r.InstanceID, Mode: r.Mode, Status: r.Status, Debug: r.Debug,
		Summary:   storedJSON(r.Summary),
		CreatedAt: jsonTime(r.CreatedAt), StartedAt: jsonTime(r.StartedAt), FinishedAt: jsonTimeOf(r.FinishedAt),
		Unreadable: r.Unreadable,
	})
}

// UnmarshalJSON decodes what MarshalJSON encodes, as Entry.UnmarshalJSON
// does.
func (r *Run) UnmarshalJSON(data []byte) error {
	var j runJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*r = Run{
		ID: j.ID, InstanceID: j.InstanceID, Mode: j.Mode, Status: j.Status, Debug: j.Debug,
		Summary:   json.RawMessage(j.Summary),
		CreatedAt: time.Time(j.CreatedAt), StartedAt: time.Time(j.StartedAt), FinishedAt: j.FinishedAt.ptr(),
		Unreadable: j.Unreadable,
	}
	return nil
}

// storedJSON is JSON text as a database stored it, which may be anything.
type storedJSON []byte

// MarshalJSON returns s as JSON: itself when it is valid JSON (invalid
// UTF-8 in it replaced), null when it holds nothing, and otherwise the
// stored text as a JSON string.
func (s storedJSON) MarshalJSON() ([]byte, error) {
	trimmed := bytes.TrimSpace(s)
	switch {
	case len(trimmed) == 0 || string(trimmed) == "null":
		return []byte("null"), nil
	case json.Valid(trimmed):
		return validUTF8(trimmed), nil
	}
	return json.Marshal(string(s))
}

// UnmarshalJSON keeps a copy of data; null gives nil.
func (s *storedJSON) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		*s = nil
		return nil
	}
	*s = bytes.Clone(data)
	return nil
}

// validUTF8 returns p with each byte that is not part of valid UTF-8
// replaced by U+FFFD. In valid JSON such bytes can only stand inside
// strings, so the result is the same JSON.
func validUTF8(p []byte) []byte {
	if utf8.Valid(p) {
		return p
	}
	out := make([]byte, 0, len(p)+8)
	for len(p) > 0 {
		r, size := utf8.DecodeRune(p)
		if r == utf8.RuneError && size == 1 {
			out = append(out, "\uFFFD"...)
		} else {
			out = append(out, p[:size]...)
		}
		p = p[size:]
	}
	return out
}

// jsonTime is a time that encodes as null when zero and never fails to
// encode.
type jsonTime time.Time

// jsonTimeOf returns *t as a jsonTime, the zero time for nil.
func jsonTimeOf(t *time.Time) jsonTime {
	if t == nil {
		return jsonTime{}
	}
	return jsonTime(*t)
}

// ptr returns the time, or nil for the zero time.
func (t jsonTime) ptr() *time.Time {
	if time.Time(t).IsZero() {
		return nil
	}
	v := time.Time(t)
	return &v
}

// MarshalJSON returns null for the zero time, the time as time.Time
// encodes it when it can, and otherwise the time in UTC in the layout of
// RFC 3339 with however many digits its year takes.
func (t jsonTime) MarshalJSON() ([]byte, error) {
	tt := time.Time(t)
	if tt.IsZero() {
		return []byte("null"), nil
	}
	if b, err := tt.MarshalJSON(); err == nil {
		return b, nil
	}
	if b, err := tt.UTC().MarshalJSON(); err == nil {
		return b, nil // the zone's offset was what RFC 3339 cannot hold
	}
	return json.Marshal(tt.UTC().Format(time.RFC3339Nano))
}

// UnmarshalJSON reads what MarshalJSON writes.
func (t *jsonTime) UnmarshalJSON(data []byte) error {
	if string(data) == "null" {
		*t = jsonTime{}
		return nil
	}
	var s string
	if err := json.Unmarshal(data, &s); err != nil {
		return err
	}
	tt, err := parseTime(s)
	if err != nil {
		return err
	}
	*t = jsonTime(tt)
	return nil
}

// parseTime parses s in RFC 3339, allowing a year of more than four digits
// or with a sign, as time.Time.Format writes years outside 0 to 9999.
func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err == nil {
		return t, nil
	}
	// Parse the rest with year 2000, a leap year, then move to the year.
	sign, digits := 1, s
	if strings.HasPrefix(digits, "-") || strings.HasPrefix(digits, "+") {
		if digits[0] == '-' {
			sign = -1
		}
		digits = digits[1:]
	}
	yearText, rest, ok := strings.Cut(digits, "-")
	year, yerr := strconv.Atoi(yearText)
	if !ok || yerr != nil || len(yearText) < 4 || (sign == 1 && len(yearText) == 4) {
		return time.Time{}, err
	}
	t, perr := time.Parse(time.RFC3339Nano, "2000-"+rest)
	if perr != nil {
		return time.Time{}, err
	}
	return t.AddDate(sign*year-2000, 0, 0), nil
}
