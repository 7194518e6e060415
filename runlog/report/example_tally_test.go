package report_test

import (
	"encoding/json"
	"fmt"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/report"
)

func ExampleTally() {
	// The decide rows of two runs, as an iterator such as the store's gives
	// them; the extract row is passed over.
	rows := []runlog.Entry{
		{ID: 5, RunID: 101, Stage: runlog.StageDecide, Metrics: json.RawMessage(
			`{"decisions": 1279, "decision_reason_codes": {"LINK_FOUND_BY_EXTERNAL_ID": 1181, "NO_MATCH_CREATE_CANDIDATE": 89, "MEDIUM_MATCH_REQUIRES_REVIEW": 9}}`)},
		{ID: 8, RunID: 102, Stage: runlog.StageExtract, Metrics: json.RawMessage(`{"records_pulled": 1291}`)},
		{ID: 12, RunID: 102, Stage: runlog.StageDecide, Metrics: json.RawMessage(
			`{"decision_reason_codes": {"LINK_FOUND_BY_EXTERNAL_ID": 1185, "NO_MATCH_CREATE_CANDIDATE": 91, "AMBIGUOUS_MATCH_MULTIPLE_DEVICES": 3}}`)},
	}
	entries := func(yield func(runlog.Entry, error) bool) {
		for _, e := range rows {
			if !yield(e, nil) {
				return
			}
		}
	}

	counts, err := report.Tally(entries)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range counts {
		fmt.Printf("%5d  %s\n", c.Count, c.Code)
	}
	// Output:
	//  2366  LINK_FOUND_BY_EXTERNAL_ID
	//   180  NO_MATCH_CREATE_CANDIDATE
	//     9  MEDIUM_MATCH_REQUIRES_REVIEW
	//     3  AMBIGUOUS_MATCH_MULTIPLE_DEVICES
}
