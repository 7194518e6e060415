package report_test

import (
	"errors"
	"math"
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/reason"
	"github.com/opsync/integrationlogs/runlog/report"
)

func TestTally(t *testing.T) {
	decide := func(id, run int64, metrics string) runlog.Entry {
		return inRun(run, entry(id, runlog.StageDecide, metrics))
	}
	tests := []struct {
		name    string
		entries []runlog.Entry
		want    []reason.Count
		wantErr string // the error's text; empty for none
	}{
		{
			name: "OneRun",
			entries: append(goodRun.entries(1),
				entry(50, runlog.StageApply, `{"decision_reason_codes": {"NOT_A_DECIDE_ROW": 100}}`)),
			want: []reason.Count{
				{Code: runlog.ReasonLinkFoundByExternalID, Count: 1181},
				{Code: runlog.ReasonNoMatchCreateCandidate, Count: 89},
				{Code: runlog.ReasonMediumMatchRequiresReview, Count: 9},
			},
		},
		{
			name: "ManyRuns",
			entries: []runlog.Entry{
				decide(1, 1, `{"decision_reason_codes": {"B": 2, "A": 1, "HOST_CODE": 5}}`),
				decide(2, 2, `{"decision_reason_codes": ["A", "A", "C"]}`),
				decide(3, 3, `{"decision_reason_codes": {"B": 0}}`),
				decide(4, 3, `{}`),
				decide(5, 4, ``),
			},
			// Ties rank by code; zero counts are left out.
			want: []reason.Count{{Code: "HOST_CODE", Count: 5}, {Code: "A", Count: 3}, {Code: "B", Count: 2}, {Code: "C", Count: 1}},
		},
		{
			name: "Retries",
			entries: []runlog.Entry{
				decide(1, 1, `{"decision_reason_codes": {"A": 2}}`),
				decide(2, 1, `{"decision_reason_codes": {"A": 3}}`),
			},
			want: []reason.Count{{Code: "A", Count: 5}},
		},
		{
			name: "Saturates",
			entries: []runlog.Entry{
				decide(1, 1, `{"decision_reason_codes": {"A": `+strconv.Itoa(math.MaxInt)+`}}`),
				decide(2, 2, `{"decision_reason_codes": {"A": 1}}`),
			},
			want: []reason.Count{{Code: "A", Count: math.MaxInt}},
		},
		{
			name: "Malformed",
			entries: []runlog.Entry{
				decide(1, 1, `{"decision_reason_codes": {"A": 2}}`),
				decide(2, 1, `{"decision_reason_codes": {"A": -1}}`),
				decide(3, 2, `{"decision_reason_codes": `),
				decide(4, 3, `{"decision_reason_codes": {"A": 1}}`),
			},
			want: []reason.Count{{Code: "A", Count: 3}},
			wantErr: `report: rows skipped: 2 decide rows with unreadable reason codes, the first row 2 of run 1: ` +
				`reason: malformed metrics: decision_reason_codes: count of "A" is -1, want a whole number from 0 to the largest int`,
		},
		{
			name:    "None",
			entries: nil,
			want:    []reason.Count{},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := report.Tally(seq(tc.entries...))
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Tally() mismatch (-want +got):\n%s", diff)
			}
			if tc.wantErr == "" {
				if err != nil {
					t.Fatalf("Tally() error: %v", err)
				}
				return
			}
			if err == nil || err.Error() != tc.wantErr {
				t.Fatalf("Tally() error = %v, want %s", err, tc.wantErr)
			}
			if !errors.Is(err, report.ErrSkippedRows) || !errors.Is(err, reason.ErrMalformedMetrics) {
				t.Errorf("Tally() error %v wraps neither ErrSkippedRows nor reason.ErrMalformedMetrics", err)
			}
		})
	}
}

func TestTally_IteratorError(t *testing.T) {
	broken := errors.New("connection reset")
	got, err := report.Tally(failing(broken, goodRun.entries(1)...))
	if err != broken {
		t.Errorf("Tally() error = %v, want %v as it is", err, broken)
	}
	if got != nil {
		t.Errorf("Tally() = %v, want no counts", got)
	}
}

func TestTally_Clipped(t *testing.T) {
	e := entry(8, runlog.StageDecide, `{"decision_reason_codes": {"A": 1, "B`)
	e.Clipped = true
	_, err := report.Tally(seq(e))
	want := `report: rows skipped: 1 decide row with unreadable reason codes, the first row 8 of run 1 (read clipped): ` +
		`reason: malformed metrics: unexpected end of JSON input`
	if err == nil || err.Error() != want {
		t.Errorf("Tally() error = %v, want %s", err, want)
	}
}
