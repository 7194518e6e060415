package report

import (
	"bytes"
	"encoding/json"
	"math"
	"strconv"
	"strings"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/reason"
)

// The keys of a run summary (Run.Summary) that Insights reads. Each is
// optional; keys it does not know are ignored.
const (
	// SummaryCreates and SummaryUpdates hold the run's create and update
	// decision counts. Insights also reads them from an object under
	// SummaryDecisions, as {"decisions": {"create": 89, "update": 1181}},
	// when the top-level key is absent.
	SummaryCreates   = "creates"
	SummaryUpdates   = "updates"
	SummaryDecisions = "decisions"
	// SummaryOpenProblems holds the run's open problems: a list of them, or
	// their number. A problem is a string, or an object whose "message",
	// "summary", "title", "description" or "code" string (the first there
	// is) says what it is, or any other value, shown as compact JSON.
	// Insights also reads the list under SummaryProblems when this key is
	// absent.
	SummaryOpenProblems = "open_problems"
	SummaryProblems     = "problems"
	// SummaryTopReasonCodes holds the run's most frequent reason codes, as
	// the recorder writes them: a list of reason.Count objects
	// ([{"code": "...", "count": 3}]) or an object of code to count.
	// Insights reads it when the run has no readable decide row.
	SummaryTopReasonCodes = "top_decision_reason_codes"
)

// runSummary is what Insights takes from a run summary.
type runSummary struct {
	creates, updates *int64
	problems         []string // nil when the summary names none
	problemCount     int
	topReasons       map[runlog.ReasonCode]int // nil when absent or unreadable
	notes            []string
}

// readSummary reads a run summary leniently: a value it cannot read is
// noted and skipped, and the rest is still read.
func readSummary(raw []byte) runSummary {
	var s runSummary
	trimmed := trimJSON(raw)
	if len(trimmed) == 0 || string(trimmed) == "null" {
		return s
	}
	var top map[string]json.RawMessage
	if !json.Valid(trimmed) {
		s.notes = append(s.notes, "the run summary is not valid JSON")
		return s
	}
	if trimmed[0] != '{' || json.Unmarshal(trimmed, &top) != nil {
		s.notes = append(s.notes, "the run summary is not a JSON object")
		return s
	}
	var decisions map[string]json.RawMessage
	if raw, ok := top[SummaryDecisions]; ok && json.Unmarshal(raw, &decisions) != nil {
		decisions = nil // not an object: not a source of counts
	}
	s.creates = s.count(top, decisions, SummaryCreates, "create")
	s.updates = s.count(top, decisions, SummaryUpdates, "update")
	s.readProblems(top)
	s.readTopReasons(top[SummaryTopReasonCodes])
	return s
}

// count reads a count from top[key], or else from decisions[inner] (or
// decisions[key]).
func (s *runSummary) count(top, decisions map[string]json.RawMessage, key, inner string) *int64 {
	raw, ok := top[key]
	name := key
	if !ok {
		if raw, ok = decisions[inner]; ok {
			name = SummaryDecisions + "." + inner
		} else if raw, ok = decisions[key]; ok {
			name = SummaryDecisions + "." + key
		}
	}
	if !ok || string(raw) == "null" {
		return nil
	}
	n, ok := wholeNumber(raw)
	if !ok {
		s.notes = append(s.notes, "run summary: "+name+" is "+clip(raw)+", not a count")
		return nil
	}
	return &n
}

// wholeNumber reads a count: a JSON number, or a string holding one, whose
// value is a whole number from 0 to 2^63-1 ("12", "12.0", "1.2e1").
func wholeNumber(raw json.RawMessage) (int64, bool) {
	text := string(raw)
	if s, ok := jsonString(raw); ok {
		text = strings.TrimSpace(s)
	}
	if n, err := strconv.ParseInt(text, 10, 64); err == nil {
		return n, n >= 0
	}
	var num json.Number
	if len(text) > MaxNumberLen || json.Unmarshal([]byte(text), &num) != nil {
		return 0, false
	}
	d, ok := parseDecimal(string(num))
	if !ok {
		return 0, false
	}
	d.sci = true // written without trailing zeros, so a whole number has no point
	n, err := strconv.ParseInt(d.String(), 10, 64)
	return n, err == nil && n >= 0
}

// readProblems reads the open problems.
func (s *runSummary) readProblems(top map[string]json.RawMessage) {
	raw, ok := top[SummaryOpenProblems]
	name := SummaryOpenProblems
	if !ok {
		raw, ok = top[SummaryProblems]
		name = SummaryProblems
	}
	if !ok || string(raw) == "null" {
		return
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		if n, ok := wholeNumber(raw); ok && n <= math.MaxInt32 {
			s.problems, s.problemCount = []string{}, int(n)
			return
		}
		s.notes = append(s.notes, "run summary: "+name+" is "+clip(raw)+", not a list or a count")
		return
	}
	s.problems = make([]string, 0, len(list))
	for _, p := range list {
		s.problems = append(s.problems, problemText(p))
	}
	s.problemCount = len(s.problems)
}

// problemText says what one open problem is.
func problemText(raw json.RawMessage) string {
	if s, ok := jsonString(raw); ok {
		return s
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		for _, k := range []string{"message", "summary", "title", "description", "code"} {
			if s, ok := jsonString(obj[k]); ok && strings.TrimSpace(s) != "" {
				return s
			}
		}
	}
	var b bytes.Buffer
	_ = json.Compact(&b, raw) // raw is valid JSON: it was decoded
	return strings.ToValidUTF8(b.String(), "\uFFFD")
}

// jsonString returns the JSON string raw decoded, and false when raw is not
// a string.
func jsonString(raw json.RawMessage) (string, bool) {
	var s string
	if len(raw) == 0 || raw[0] != '"' || json.Unmarshal(raw, &s) != nil {
		return "", false
	}
	return s, true
}

// readTopReasons reads the summary's top reason codes; an unreadable value
// is noted and left out.
func (s *runSummary) readTopReasons(raw json.RawMessage) {
	if raw == nil || string(raw) == "null" {
		return
	}
	counts := map[runlog.ReasonCode]int{}
	var list []reason.Count
	var obj map[runlog.ReasonCode]int
	switch {
	case json.Unmarshal(raw, &list) == nil:
		for _, c := range list {
			if c.Code != "" && c.Count > 0 {
				counts[c.Code] = addCount(counts[c.Code], c.Count)
			}
		}
	case json.Unmarshal(raw, &obj) == nil:
		for code, n := range obj {
			if code != "" && n > 0 {
				counts[code] = n
			}
		}
	default:
		s.notes = append(s.notes, "run summary: "+SummaryTopReasonCodes+" is "+clip(raw)+", not a list of counts")
		return
	}
	s.topReasons = counts
}

// clip returns the start of a bad value for a note: at most 40 bytes, on
// one line, marked with an ellipsis when cut.
func clip(raw []byte) string {
	const limit = 40
	if len(raw) <= limit {
		return inline(string(raw), 0)
	}
	return inline(string(raw[:limit]), 0) + "…"
}
