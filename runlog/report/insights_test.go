package report_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/reason"
	"github.com/opsync/integrationlogs/runlog/report"
)

// failedSummary is the failed run's summary as a recorder writes it.
const failedSummary = `{"creates": 89, "decisions": {"update": 1181}, ` +
	`"open_problems": [{"message": "3 records matched more than one local device", "code": "AMBIGUOUS"}, "Credentials expire in 2 days"], ` +
	`"top_decision_reason_codes": [{"code": "LINK_FOUND_BY_EXTERNAL_ID", "count": 1181}, {"code": "NO_MATCH_CREATE_CANDIDATE", "count": 89}]}`

func TestInsights_Golden(t *testing.T) {
	stillRunning := fixtureRun{
		id: 104, mode: runlog.ModePreview, status: runlog.RunRunning, start: 8 * 24 * time.Hour,
		rows: []row{
			{stage: runlog.StageValidateSetup, status: runlog.StatusCompleted, took: 2 * time.Second, metrics: `{"checks": 4}`},
			{stage: runlog.StageExtract, status: runlog.StatusRunning, start: 2 * time.Second, metrics: `{"records_pulled": 600`},
			{stage: "enrich", status: "paused", start: 3 * time.Second},
		},
	}
	tests := []struct {
		name    string
		run     runlog.Run
		entries []runlog.Entry
	}{
		{"insights_failed", failedRun.run(failedSummary), failedRun.entries(100)},
		{"insights_completed", goodRun.run(""), goodRun.entries(1)},
		{"insights_running", stillRunning.run(`{"open_problems": 0, "creates": "n/a"}`), stillRunning.entries(200)},
		// Its stage rows were purged; the run and its summary remain.
		{"insights_no_rows", failedRun.run(failedSummary), nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			in := report.Insights(tc.run, tc.entries)
			text := in.String()
			checkText(t, text)
			golden(t, tc.name+".txt", []byte(text))
			js, err := json.MarshalIndent(in, "", "  ")
			if err != nil {
				t.Fatalf("json.MarshalIndent() error: %v", err)
			}
			golden(t, tc.name+".json", append(js, '\n'))
		})
	}
}

// card is what TestInsights_Stages checks of a stage card.
type card struct {
	Stage    runlog.Stage
	Recorded bool
	Status   runlog.Status
	Label    string
	Attempts int
	Rows     int
	EntryID  int64
}

func cardsOf(in report.RunInsights) []card {
	var cards []card
	for _, c := range in.Stages {
		cards = append(cards, card{c.Stage, c.Recorded, c.Status, c.Badge.Label, c.Attempts, c.Rows, c.EntryID})
	}
	return cards
}

func TestInsights_Stages(t *testing.T) {
	done := runlog.StatusCompleted
	rowOf := func(id int64, stage runlog.Stage, status runlog.Status, attempt int) runlog.Entry {
		e := entry(id, stage, "")
		e.Status, e.Attempt = status, attempt
		return e
	}
	tests := []struct {
		name    string
		mode    runlog.Mode
		entries []runlog.Entry
		want    []card
		notes   []string
	}{
		{
			name: "NoRows", mode: runlog.ModePreview,
			want: []card{
				{Stage: runlog.StageValidateSetup, Label: "not recorded"},
				{Stage: runlog.StageExtract, Label: "not recorded"},
				{Stage: runlog.StageCanonicalize, Label: "not recorded"},
				{Stage: runlog.StageReconcile, Label: "not recorded"},
				{Stage: runlog.StageDecide, Label: "not recorded"},
			},
			notes: []string{"the run has no stage rows"},
		},
		{
			name: "MissingStagesRetriesAndExtras", mode: runlog.ModeApply,
			entries: []runlog.Entry{
				rowOf(1, "enrich", done, 1),
				rowOf(2, runlog.StagePreviewResults, done, 1),
				rowOf(3, runlog.StageExtract, runlog.StatusFailed, 1),
				rowOf(4, runlog.StageExtract, runlog.StatusFailed, 2),
				rowOf(5, runlog.StageExtract, done, 3),
				rowOf(6, runlog.StageValidateSetup, done, 1),
				inRun(9, rowOf(7, runlog.StageApply, done, 1)),
			},
			want: []card{
				{runlog.StageValidateSetup, true, done, "completed", 1, 1, 6},
				{runlog.StageExtract, true, done, "completed", 3, 3, 5},
				{Stage: runlog.StageCanonicalize, Label: "not recorded"},
				{Stage: runlog.StageReconcile, Label: "not recorded"},
				{Stage: runlog.StageDecide, Label: "not recorded"},
				{Stage: runlog.StageApply, Label: "not recorded"},
				{runlog.StagePreviewResults, true, done, "completed", 1, 1, 2},
				{"enrich", true, done, "completed", 1, 1, 1},
			},
			notes: []string{"1 row of other runs left out"},
		},
		{
			name: "UnknownMode", mode: "replay",
			entries: []runlog.Entry{
				rowOf(1, runlog.StageDecide, "weird", 1),
				rowOf(2, runlog.StageExtract, done, 1),
			},
			want: []card{
				{runlog.StageExtract, true, done, "completed", 1, 1, 2},
				{runlog.StageDecide, true, "weird", "weird", 1, 1, 1},
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			run := runlog.Run{ID: 1, Mode: tc.mode, Status: runlog.RunCompleted}
			in := report.Insights(run, tc.entries)
			if diff := cmp.Diff(tc.want, cardsOf(in)); diff != "" {
				t.Errorf("stage cards mismatch (-want +got):\n%s", diff)
			}
			if diff := cmp.Diff(tc.notes, in.Notes); diff != "" {
				t.Errorf("Notes mismatch (-want +got):\n%s", diff)
			}
			checkText(t, in.String())
			if _, err := json.Marshal(in); err != nil {
				t.Errorf("json.Marshal() error: %v", err)
			}
		})
	}
}

func TestInsights_Summary(t *testing.T) {
	type summary struct {
		Creates, Updates *int64
		Problems         []string
		ProblemCount     int
		Notes            []string
	}
	n := func(v int64) *int64 { return &v }
	tests := []struct {
		name, summary string
		want          summary
	}{
		{"Absent", ``, summary{}},
		{"Null", `null`, summary{}},
		{"Empty", `{}`, summary{}},
		{"TopLevel", `{"creates": 89, "updates": 1181}`, summary{Creates: n(89), Updates: n(1181)}},
		{"Decisions", `{"decisions": {"create": 3, "updates": 4}}`, summary{Creates: n(3), Updates: n(4)}},
		{"TopLevelWins", `{"creates": 1, "decisions": {"create": 3}}`, summary{Creates: n(1)}},
		{"DecisionsNotAnObject", `{"decisions": 1279}`, summary{}},
		{"Lenient", `{"creates": "12", "updates": 1.2e1}`, summary{Creates: n(12), Updates: n(12)}},
		{"WholeDecimal", `{"creates": 12.0}`, summary{Creates: n(12)}},
		{"Large", `{"creates": 9223372036854775807}`, summary{Creates: n(9223372036854775807)}},
		{
			"NotCounts", `{"creates": -1, "updates": 1.5, "decisions": {"create": 2}}`,
			summary{Notes: []string{"run summary: creates is -1, not a count", "run summary: updates is 1.5, not a count"}},
		},
		{
			"NotCountsInside", `{"decisions": {"create": "lots", "update": 1e30}}`,
			summary{Notes: []string{`run summary: decisions.create is "lots", not a count`, "run summary: decisions.update is 1e30, not a count"}},
		},
		{
			"Problems", `{"open_problems": ["a", {"summary": "b"}, {"title": " ", "code": "C"}, {"id": 4}, 5, null]}`,
			summary{Problems: []string{"a", "b", "C", `{"id":4}`, "5", "null"}, ProblemCount: 6},
		},
		{"ProblemsFallback", `{"problems": ["a"]}`, summary{Problems: []string{"a"}, ProblemCount: 1}},
		{"ProblemsNone", `{"open_problems": []}`, summary{Problems: []string{}}},
		{"ProblemCount", `{"open_problems": 3}`, summary{Problems: []string{}, ProblemCount: 3}},
		{
			"ProblemsBad", `{"open_problems": {"a": 1}}`,
			summary{Notes: []string{`run summary: open_problems is {"a": 1}, not a list or a count`}},
		},
		{"NotJSON", `{"creates": 89`, summary{Notes: []string{"the run summary is not valid JSON"}}},
		{"NotAnObject", `[1]`, summary{Notes: []string{"the run summary is not a JSON object"}}},
		{"NotJSONSpace", "\u00a0{}", summary{Notes: []string{"the run summary is not valid JSON"}}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			run := runlog.Run{ID: 1, Mode: runlog.ModeApply, Status: runlog.RunCompleted}
			if tc.summary != "" {
				run.Summary = json.RawMessage(tc.summary)
			}
			in := report.Insights(run, []runlog.Entry{entry(1, runlog.StageExtract, "")})
			got := summary{in.Creates, in.Updates, in.OpenProblems, in.OpenProblemCount, in.Notes}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("summary mismatch (-want +got):\n%s", diff)
			}
			checkText(t, in.String())
		})
	}
}

func TestInsights_TopReasons(t *testing.T) {
	many := `{"decision_reason_codes": {"A": 1, "B": 2, "C": 3, "D": 4, "E": 5, "F": 6, "G": 0}}`
	tests := []struct {
		name, decide, summary string // decide: "" for no decide row
		want                  []reason.Count
		from                  string
		notes                 []string
	}{
		{
			name: "FromDecide", decide: many,
			summary: `{"top_decision_reason_codes": [{"code": "Z", "count": 99}]}`,
			want:    []reason.Count{{Code: "F", Count: 6}, {Code: "E", Count: 5}, {Code: "D", Count: 4}, {Code: "C", Count: 3}, {Code: "B", Count: 2}},
			from:    "decide",
		},
		{
			name:    "NoDecideRow",
			summary: `{"top_decision_reason_codes": [{"code": "Z", "count": 99}, {"code": "Y", "count": 0}]}`,
			want:    []reason.Count{{Code: "Z", Count: 99}},
			from:    "summary",
		},
		{
			name: "DecideUnreadable", decide: `{"decision_reason_codes": 7}`,
			summary: `{"top_decision_reason_codes": {"Z": 2, "Y": 3}}`,
			want:    []reason.Count{{Code: "Y", Count: 3}, {Code: "Z", Count: 2}},
			from:    "summary",
			notes:   []string{"decide: reason codes not read: reason: malformed metrics: decision_reason_codes is 7, want an object of counts or an array of codes"},
		},
		{
			name: "DecideWithoutCodes", decide: `{"decisions": 0}`,
			want: []reason.Count{},
		},
		{
			name:    "SummaryUnreadable",
			summary: `{"top_decision_reason_codes": "LINK"}`,
			want:    []reason.Count{},
			notes:   []string{`run summary: top_decision_reason_codes is "LINK", not a list of counts`},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			run := runlog.Run{ID: 1, Mode: runlog.ModeApply, Status: runlog.RunCompleted}
			if tc.summary != "" {
				run.Summary = json.RawMessage(tc.summary)
			}
			var entries []runlog.Entry
			if tc.decide != "" {
				entries = append(entries, entry(1, runlog.StageDecide, tc.decide))
			}
			in := report.Insights(run, entries)
			if diff := cmp.Diff(tc.want, in.TopReasons); diff != "" {
				t.Errorf("TopReasons mismatch (-want +got):\n%s", diff)
			}
			if in.TopReasonsFrom != tc.from {
				t.Errorf("TopReasonsFrom = %q, want %q", in.TopReasonsFrom, tc.from)
			}
			notes := in.Notes
			if tc.decide == "" && len(notes) > 0 && notes[0] == "the run has no stage rows" {
				notes = notes[1:]
			}
			if len(notes) == 0 {
				notes = nil
			}
			if diff := cmp.Diff(tc.notes, notes); diff != "" {
				t.Errorf("Notes mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestRunInsights_String(t *testing.T) {
	// Stored text is shown cleaned, whatever the run and its rows hold.
	run := runlog.Run{ID: 1, Mode: "a\nb", Status: "x\x00y",
		Summary: json.RawMessage(`{"open_problems": ["line\nbreak\u0007", "` + strings.Repeat("p", 200) + `"]}`)}
	e := entry(1, "st\x1bage\u202e", `{"k\u0000ey": "v\u0007al", "nested": {"a": "b\nc"}}`)
	e.RunID, e.Status = 1, "stat\rus"
	e.ErrorSummary = "bad\x00summary\nhere"
	got := report.Insights(run, []runlog.Entry{e}).String()
	checkText(t, got)
	for _, want := range []string{"#1 · a b / x\uFFFDy", "st\uFFFDage", "stat\uFFFDus", "bad\uFFFDsummary here", "line break\uFFFD"} {
		if !strings.Contains(got, want) {
			t.Errorf("String() lacks %q:\n%s", want, got)
		}
	}
}
