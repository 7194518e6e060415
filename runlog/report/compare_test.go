package report_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/report"
)

func TestCompare_Golden(t *testing.T) {
	c := report.Compare(goodRun.entries(1), failedRun.entries(100))
	golden(t, "compare.txt", []byte(c.String()))
	js, err := json.MarshalIndent(c, "", "  ")
	if err != nil {
		t.Fatalf("json.MarshalIndent() error: %v", err)
	}
	golden(t, "compare.json", append(js, '\n'))
}

// entry is a stage row of run 1 with the given metrics.
func entry(id int64, stage runlog.Stage, metrics string) runlog.Entry {
	e := runlog.Entry{ID: id, RunID: 1, Mode: runlog.ModeApply, RunStatus: runlog.RunCompleted,
		Stage: stage, Status: runlog.StatusCompleted, Attempt: 1}
	if metrics != "" {
		e.Metrics = json.RawMessage(metrics)
	}
	return e
}

// inRun returns e moved to run id.
func inRun(id int64, e runlog.Entry) runlog.Entry { e.RunID = id; return e }

func TestCompare_Metrics(t *testing.T) {
	tests := []struct {
		name          string
		before, after string // the extract row's metrics
		want          []report.MetricDelta
		skipped       []string
		notes         []string
	}{
		{
			name:   "Counts",
			before: `{"processed": 10, "valid": 9, "invalid": 1}`,
			after:  `{"processed": 12, "valid": 12, "invalid": 0}`,
			want: []report.MetricDelta{
				{Key: "processed", Presence: report.InBoth, Before: "10", After: "12", Delta: "2"},
				{Key: "valid", Presence: report.InBoth, Before: "9", After: "12", Delta: "3"},
				{Key: "invalid", Presence: report.InBoth, Before: "1", After: "0", Delta: "-1"},
			},
		},
		{
			name:   "KeysInOneRun",
			before: `{"a": 1, "gone": 5}`,
			after:  `{"new": 7, "a": 1}`,
			want: []report.MetricDelta{
				{Key: "a", Presence: report.InBoth, Before: "1", After: "1", Delta: "0"},
				{Key: "gone", Presence: report.BeforeOnly, Before: "5"},
				{Key: "new", Presence: report.AfterOnly, After: "7"},
			},
		},
		{
			name:   "Nested",
			before: `{"dropped": {"missing_serial": 5, "vendor": {"unknown": 2}}, "empty": {}}`,
			after:  `{"dropped": {"missing_serial": 2, "vendor": {"unknown": 4}}}`,
			want: []report.MetricDelta{
				{Key: "dropped.missing_serial", Presence: report.InBoth, Before: "5", After: "2", Delta: "-3"},
				{Key: "dropped.vendor.unknown", Presence: report.InBoth, Before: "2", After: "4", Delta: "2"},
			},
			skipped: []string{"empty"}, // an empty object is a key of the run
		},
		{
			name:   "EmptyObject",
			before: `{"dropped": {}}`,
			after:  `{"dropped": 5}`,
			want: []report.MetricDelta{
				{Key: "dropped", Presence: report.InBoth, After: "5"},
			},
		},
		{
			name:    "NotNumbers",
			before:  `{"credentials": "ok", "ok": true, "none": null, "ids": [1, 2], "pages": 3, "rate": "n/a"}`,
			after:   `{"credentials": "expired", "ok": false, "ids": [1, 2, 3], "pages": "3", "rate": 0.5}`,
			skipped: []string{"credentials", "ok", "none", "ids"},
			want: []report.MetricDelta{
				{Key: "pages", Presence: report.InBoth, Before: "3"},
				{Key: "rate", Presence: report.InBoth, After: "0.5"},
			},
		},
		{
			name:   "NumbersAsWritten",
			before: `{"a": 1.50, "b": 1e3, "c": -0, "d": 0.1, "e": 1E2}`,
			after:  `{"a": 2.75, "b": 1, "c": 0, "d": 0.3, "e": 100.0}`,
			want: []report.MetricDelta{
				{Key: "a", Presence: report.InBoth, Before: "1.50", After: "2.75", Delta: "1.25"},
				{Key: "b", Presence: report.InBoth, Before: "1e3", After: "1", Delta: "-999"},
				{Key: "c", Presence: report.InBoth, Before: "-0", After: "0", Delta: "0"},
				{Key: "d", Presence: report.InBoth, Before: "0.1", After: "0.3", Delta: "0.2"},
				{Key: "e", Presence: report.InBoth, Before: "1E2", After: "100.0", Delta: "0"},
			},
		},
		{
			name:   "BeyondFloat64",
			before: `{"bytes": 9007199254740993, "huge": 123456789012345678901234567890}`,
			after:  `{"bytes": 9007199254740995, "huge": -123456789012345678901234567890}`,
			want: []report.MetricDelta{
				{Key: "bytes", Presence: report.InBoth, Before: "9007199254740993", After: "9007199254740995", Delta: "2"},
				{Key: "huge", Presence: report.InBoth, Before: "123456789012345678901234567890",
					After: "-123456789012345678901234567890", Delta: "-246913578024691357802469135780"},
			},
		},
		{
			name:   "DuplicateKeys",
			before: `{"a": 1, "b": 2, "a": 3, "c.d": 1, "c": {"d": 4}}`,
			after:  `{"a": 5}`,
			want: []report.MetricDelta{
				{Key: "a", Presence: report.InBoth, Before: "3", After: "5", Delta: "2"},
				{Key: "b", Presence: report.BeforeOnly, Before: "2"},
				{Key: "c.d", Presence: report.BeforeOnly, Before: "4"},
			},
			notes: []string{"before: members whose keys join to the same dotted key (a key holds a dot) are compared as one, the last"},
		},
		{
			name:   "DottedKeys",
			before: `{"http.requests": 3, "http": {"errors": 1}, "a.b": {"c.d": 1, "e": 2}}`,
			after:  `{"http": {"requests": 4}, "http.errors": 1, "a": {"b.c": {"d": 2}}}`,
			want: []report.MetricDelta{
				{Key: "http.requests", Presence: report.InBoth, Before: "3", After: "4", Delta: "1"},
				{Key: "http.errors", Presence: report.InBoth, Before: "1", After: "1", Delta: "0"},
				{Key: "a.b.c.d", Presence: report.InBoth, Before: "1", After: "2", Delta: "1"},
				{Key: "a.b.e", Presence: report.BeforeOnly, Before: "2"},
			},
		},
		{
			name:   "OddKeys",
			before: `{"": 1, "a.b": 2, "line\nbreak": 3}`,
			after:  `{"": 2, "a": {"b": 3}, "line\nbreak": 3}`,
			want: []report.MetricDelta{
				{Key: "", Presence: report.InBoth, Before: "1", After: "2", Delta: "1"},
				{Key: "a.b", Presence: report.InBoth, Before: "2", After: "3", Delta: "1"},
				{Key: "line\nbreak", Presence: report.InBoth, Before: "3", After: "3", Delta: "0"},
			},
		},
		{
			name:   "NotAnObject",
			before: `[1, 2, 3]`,
			after:  `{"a": 1}`,
			want:   []report.MetricDelta{{Key: "a", Presence: report.AfterOnly, After: "1"}},
			notes:  []string{"before: metrics are not a JSON object"},
		},
		{
			name:   "NotJSON",
			before: `{"a": 1}`,
			after:  `{"a": 2,`,
			want:   []report.MetricDelta{{Key: "a", Presence: report.BeforeOnly, Before: "1"}},
			notes:  []string{"after: metrics are not valid JSON"},
		},
		{
			name:   "NotJSONWhiteSpace",
			before: "\u00a0{\"a\": 1}", // no-break space is not JSON's white space
			after:  " \t\r\n{\"a\": 1}\n",
			want:   []report.MetricDelta{{Key: "a", Presence: report.AfterOnly, After: "1"}},
			notes:  []string{"before: metrics are not valid JSON"},
		},
		{
			name:   "InvalidUTF8",
			before: "{\"caf\xe9\": 1}",
			after:  "{\"caf\xe9\": 2}",
			want:   []report.MetricDelta{{Key: "caf\uFFFD", Presence: report.InBoth, Before: "1", After: "2", Delta: "1"}},
		},
		{
			name:   "Absent",
			before: ``,
			after:  `null`,
		},
		{
			name:   "TooDeep",
			before: strings.Repeat(`{"a":`, report.MaxKeyDepth) + `1` + strings.Repeat(`}`, report.MaxKeyDepth),
			after:  strings.Repeat(`{"a":`, report.MaxKeyDepth+1) + `1` + strings.Repeat(`}`, report.MaxKeyDepth+1),
			want: []report.MetricDelta{{Key: strings.Repeat("a.", report.MaxKeyDepth-1) + "a",
				Presence: report.BeforeOnly, Before: "1"}},
			notes: []string{"after: members nested more than 32 levels deep are not compared"},
		},
		{
			name:   "TooLongKey",
			before: `{"` + strings.Repeat("k", report.MaxKeyBytes+1) + `": 1, "a": 1}`,
			after:  `{"a": 2}`,
			want:   []report.MetricDelta{{Key: "a", Presence: report.InBoth, Before: "1", After: "2", Delta: "1"}},
			notes:  []string{"before: members with keys longer than 1024 bytes are not compared"},
		},
		{
			// Its members' keys would be longer still: the object is
			// skipped whole, none of their keys built (each cost the
			// parent's length, quadratic in the object's size).
			name:   "TooLongObjectKey",
			before: `{"` + strings.Repeat("k", 50_000) + `": {` + manyMembers(20_000) + `}, "a": 1}`,
			after:  `{"a": 2}`,
			want:   []report.MetricDelta{{Key: "a", Presence: report.InBoth, Before: "1", After: "2", Delta: "1"}},
			notes:  []string{"before: members with keys longer than 1024 bytes are not compared"},
		},
		{
			name:   "NearlyTooLongObjectKey",
			before: `{"` + strings.Repeat("k", report.MaxKeyBytes-3) + `": {"ab": 1, "abc": 2}}`,
			after:  `{}`,
			want:   []report.MetricDelta{{Key: strings.Repeat("k", report.MaxKeyBytes-3) + ".ab", Presence: report.BeforeOnly, Before: "1"}},
			notes:  []string{"before: members with keys longer than 1024 bytes are not compared"},
		},
		{
			name:   "TooLongNumber",
			before: `{"a": ` + strings.Repeat("9", report.MaxNumberLen+1) + `}`,
			after:  `{"a": 1}`,
			want: []report.MetricDelta{{Key: "a", Presence: report.InBoth,
				Before: json.Number(strings.Repeat("9", report.MaxNumberLen+1)), After: "1"}},
			notes: []string{"some numbers are too long or too large to subtract (1000 characters at most); their delta is empty"},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := report.Compare(
				[]runlog.Entry{entry(1, runlog.StageExtract, tc.before)},
				[]runlog.Entry{inRun(2, entry(2, runlog.StageExtract, tc.after))})
			if len(c.Stages) != 1 {
				t.Fatalf("Compare() gave %d stages, want 1", len(c.Stages))
			}
			s := c.Stages[0]
			want := tc.want
			if want == nil {
				want = []report.MetricDelta{}
			}
			if diff := cmp.Diff(want, s.Metrics); diff != "" {
				t.Errorf("Metrics mismatch (-want +got):\n%s", diff)
			}
			skipped := tc.skipped
			if skipped == nil {
				skipped = []string{}
			}
			if diff := cmp.Diff(skipped, s.Skipped); diff != "" {
				t.Errorf("Skipped mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.notes, s.Notes); diff != "" {
				t.Errorf("Notes mismatch (-want +got):\n%s", diff)
			}
			if _, err := json.Marshal(c); err != nil {
				t.Errorf("json.Marshal() error: %v", err)
			}
			checkText(t, c.String())
		})
	}
}

// checkText fails unless s is valid UTF-8 text whose only control
// character is the line feed, and holds no bidirectional formatting
// character.
func checkText(t *testing.T, s string) {
	t.Helper()
	if !utf8.ValidString(s) {
		t.Errorf("text is not valid UTF-8: %q", s)
	}
	for _, r := range s {
		if r < ' ' && r != '\n' || r >= 0x7f && r < 0xa0 || unicode.Is(unicode.Bidi_Control, r) {
			t.Errorf("text holds control or bidi character %U: %q", r, s)
			return
		}
	}
}

func TestCompare_Stages(t *testing.T) {
	retried := func(id int64, attempt int, metrics string) runlog.Entry {
		e := entry(id, runlog.StageExtract, metrics)
		e.Attempt = attempt
		e.Status = runlog.StatusFailed
		if attempt == 2 {
			e.Status = runlog.StatusCompleted
		}
		return e
	}
	before := []runlog.Entry{
		entry(1, "custom_b", `{"n": 1}`),
		entry(2, runlog.StageDecide, `{"n": 1}`),
		entry(3, runlog.StageValidateSetup, `{"n": 1}`),
		entry(4, runlog.StageApply, `{"n": 1}`),
		retried(5, 2, `{"n": 20}`), // the last attempt, recorded before the first
		retried(6, 1, `{"n": 10}`),
		inRun(9, entry(7, runlog.StageCanonicalize, `{"n": 1}`)), // another run: left out
	}
	after := []runlog.Entry{
		inRun(2, entry(10, "custom_a", `{"n": 1}`)),
		inRun(2, entry(11, runlog.StageValidateSetup, `{"n": 2}`)),
		inRun(2, retried(12, 1, `{"n": 5}`)),
		inRun(2, retried(13, 1, `{"n": 6}`)), // same attempt, higher ID: the last
		inRun(2, entry(14, runlog.StagePreviewResults, `{"n": 1}`)),
		inRun(2, entry(15, "custom_b", `{"n": 1}`)),
	}
	c := report.Compare(before, after)

	type stage struct {
		Stage         runlog.Stage
		Presence      report.Presence
		Before, After *report.StageRow
		Delta         string
	}
	var got []stage
	for _, s := range c.Stages {
		got = append(got, stage{s.Stage, s.Presence, s.Before, s.After, string(s.Metrics[0].Delta)})
	}
	row := func(id int64, status runlog.Status, attempt, rows int) *report.StageRow {
		return &report.StageRow{ID: id, Status: status, Attempt: attempt, Rows: rows}
	}
	done := runlog.StatusCompleted
	want := []stage{
		{runlog.StageValidateSetup, report.InBoth, row(3, done, 1, 1), row(11, done, 1, 1), "1"},
		{runlog.StageExtract, report.InBoth, row(5, done, 2, 2), row(13, runlog.StatusFailed, 1, 2), "-14"},
		{runlog.StageDecide, report.BeforeOnly, row(2, done, 1, 1), nil, ""},
		{runlog.StageApply, report.BeforeOnly, row(4, done, 1, 1), nil, ""},
		{runlog.StagePreviewResults, report.AfterOnly, nil, row(14, done, 1, 1), ""},
		{"custom_b", report.InBoth, row(1, done, 1, 1), row(15, done, 1, 1), "0"},
		{"custom_a", report.AfterOnly, nil, row(10, done, 1, 1), ""},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("stages mismatch (-want +got):\n%s", diff)
	}
	wantRuns := []*report.RunRef{
		{ID: 1, Mode: runlog.ModeApply, Status: runlog.RunCompleted},
		{ID: 2, Mode: runlog.ModeApply, Status: runlog.RunCompleted},
	}
	if diff := cmp.Diff(wantRuns, []*report.RunRef{c.Before, c.After}); diff != "" {
		t.Errorf("runs mismatch (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"before: 1 row of other runs left out"}, c.Notes); diff != "" {
		t.Errorf("Notes mismatch (-want +got):\n%s", diff)
	}
}

func TestCompare_Empty(t *testing.T) {
	tests := []struct {
		name          string
		before, after []runlog.Entry
		wantText      string
	}{
		{"Neither", nil, nil, "Before  no rows\nAfter   no rows\n\nNo stages to compare.\n"},
		{"NoBefore", nil, []runlog.Entry{entry(1, runlog.StageExtract, `{"n": 1}`)}, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := report.Compare(tc.before, tc.after)
			if c.Before != nil {
				t.Errorf("Before = %+v, want nil", c.Before)
			}
			if tc.wantText != "" {
				if diff := cmp.Diff(tc.wantText, c.String()); diff != "" {
					t.Errorf("String() mismatch (-want +got):\n%s", diff)
				}
			}
			js, err := json.Marshal(c)
			if err != nil {
				t.Fatalf("json.Marshal() error: %v", err)
			}
			if !strings.Contains(string(js), `"before":null`) || !strings.Contains(string(js), `"stages":[`) {
				t.Errorf("json = %s, want before null and a stages list", js)
			}
		})
	}
}

func TestComparison_JSON(t *testing.T) {
	c := report.Compare(
		[]runlog.Entry{entry(1, runlog.StageExtract, `{"a": 9007199254740993, "b": 1.50, "gone": 1}`)},
		[]runlog.Entry{inRun(2, entry(2, runlog.StageExtract, `{"a": 9007199254740994, "b": "x"}`))})
	js, err := json.Marshal(c.Stages[0].Metrics)
	if err != nil {
		t.Fatalf("json.Marshal() error: %v", err)
	}
	want := `[{"key":"a","presence":"both","before":9007199254740993,"after":9007199254740994,"delta":1},` +
		`{"key":"b","presence":"both","before":1.50,"after":null,"delta":null},` +
		`{"key":"gone","presence":"before_only","before":1,"after":null,"delta":null}]`
	if diff := cmp.Diff(want, string(js)); diff != "" {
		t.Errorf("JSON mismatch (-want +got):\n%s", diff)
	}

	// It decodes back to what it was.
	var back report.Comparison
	full, err := json.Marshal(c)
	if err != nil {
		t.Fatalf("json.Marshal() error: %v", err)
	}
	if err := json.Unmarshal(full, &back); err != nil {
		t.Fatalf("json.Unmarshal() error: %v", err)
	}
	if diff := cmp.Diff(c, back); diff != "" {
		t.Errorf("round trip mismatch (-want +got):\n%s", diff)
	}
}

func TestComparison_String(t *testing.T) {
	// Stored text is shown on one line, cleaned and cut.
	long := strings.Repeat("k", 100)
	c := report.Compare(
		[]runlog.Entry{entry(1, "bad\x00stage\nname", `{"line\nbreak\u0007": 1, "`+long+`": 1, "rtl\u202eflip": 1}`)},
		[]runlog.Entry{inRun(2, entry(2, "bad\x00stage\nname", `{"line\nbreak\u0007": 2}`))})
	got := c.String()
	checkText(t, got)
	for _, want := range []string{"bad\uFFFDstage name", "line break\uFFFD", strings.Repeat("k", 59) + "…", "+1"} {
		if !strings.Contains(got, want) {
			t.Errorf("String() lacks %q:\n%s", want, got)
		}
	}
}

// manyMembers returns n members of an object, "a0": 0, "a1": 1...
func manyMembers(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, `"a%d": %d`, i, i)
	}
	return b.String()
}
