package reason_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/reason"
)

func TestTop(t *testing.T) {
	some := counts{
		runlog.ReasonLinkFoundByExternalID:         97,
		runlog.ReasonNoMatchCreateCandidate:        20,
		runlog.ReasonMediumMatchRequiresReview:     3,
		runlog.ReasonAmbiguousMatchMultipleDevices: 3,
		"SERIAL_MATCH": 20,
	}
	tests := []struct {
		name   string
		counts counts
		n      int
		want   []reason.Count
	}{
		{
			name: "TopThreeTiesByCode", counts: some, n: 3,
			want: []reason.Count{
				{runlog.ReasonLinkFoundByExternalID, 97},
				{runlog.ReasonNoMatchCreateCandidate, 20},
				{"SERIAL_MATCH", 20},
			},
		},
		{
			name: "MoreThanThereAre", counts: some, n: 10,
			want: []reason.Count{
				{runlog.ReasonLinkFoundByExternalID, 97},
				{runlog.ReasonNoMatchCreateCandidate, 20},
				{"SERIAL_MATCH", 20},
				{runlog.ReasonAmbiguousMatchMultipleDevices, 3},
				{runlog.ReasonMediumMatchRequiresReview, 3},
			},
		},
		{name: "One", counts: some, n: 1, want: []reason.Count{{runlog.ReasonLinkFoundByExternalID, 97}}},
		{name: "Zero", counts: some, n: 0, want: []reason.Count{}},
		{name: "Negative", counts: some, n: -1, want: []reason.Count{}},
		{name: "NilCounts", counts: nil, n: 3, want: []reason.Count{}},
		{
			name: "ZeroAndNegativeCountsLeftOut", counts: counts{"A": 0, "B": -4, "C": 1}, n: 3,
			want: []reason.Count{{"C", 1}},
		},
		{
			name: "CodesInByteOrder", counts: counts{"b": 1, "B": 1, "a": 1, "": 1}, n: 4,
			want: []reason.Count{{"", 1}, {"B", 1}, {"a", 1}, {"b", 1}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := reason.Top(tt.counts, tt.n)
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Top(_, %d) mismatch (-want +got):\n%s", tt.n, diff)
			}
		})
	}
}

func TestTop_JSON(t *testing.T) {
	for n, want := range map[int]string{
		0: `[]`,
		1: `[{"code":"NO_MATCH_CREATE_CANDIDATE","count":2}]`,
	} {
		got, err := json.Marshal(reason.Top(counts{runlog.ReasonNoMatchCreateCandidate: 2}, n))
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != want {
			t.Errorf("Top(_, %d) as JSON = %s, want %s", n, got, want)
		}
	}
}
