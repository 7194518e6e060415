package reason_test

import (
	"encoding/json"
	"fmt"
	"log"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/reason"
)

func ExampleLookup() {
	info, ok := reason.Lookup(runlog.ReasonMediumMatchRequiresReview)
	fmt.Println(ok, info.Outcome, "writes:", info.Writes, "review:", info.NeedsReview)
	fmt.Println(info.Meaning)

	_, ok = reason.Lookup("SERIAL_MATCH")
	fmt.Println(ok)
	// Output:
	// true conflict writes: false review: true
	// The record looks like a local device, but not surely enough to link them; apply writes nothing until someone reviews it.
	// false
}

func ExampleFromMetrics() {
	metrics := json.RawMessage(`{
		"records": 120,
		"decision_reason_codes": {"LINK_FOUND_BY_EXTERNAL_ID": 97, "NO_MATCH_CREATE_CANDIDATE": 20}
	}`)
	counts, err := reason.FromMetrics(metrics)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(counts[runlog.ReasonLinkFoundByExternalID], counts[runlog.ReasonNoMatchCreateCandidate])

	// An array of codes counts each once.
	counts, _ = reason.FromMetrics(json.RawMessage(`{"decision_reason_codes": ["SERIAL_MATCH", "SERIAL_MATCH"]}`))
	fmt.Println(counts["SERIAL_MATCH"])

	_, err = reason.FromMetrics(json.RawMessage(`{"decision_reason_codes": {"SERIAL_MATCH": -2}}`))
	fmt.Println(err)
	// Output:
	// 97 20
	// 2
	// reason: malformed metrics: decision_reason_codes: count of "SERIAL_MATCH" is -2, want a whole number from 0 to the largest int
}

func ExampleTop() {
	counts := map[runlog.ReasonCode]int{
		runlog.ReasonLinkFoundByExternalID:     97,
		runlog.ReasonNoMatchCreateCandidate:    20,
		runlog.ReasonMediumMatchRequiresReview: 3,
		"SERIAL_MATCH":                         20,
	}
	for _, c := range reason.Top(counts, 3) {
		fmt.Println(c.Code, c.Count)
	}
	// Output:
	// LINK_FOUND_BY_EXTERNAL_ID 97
	// NO_MATCH_CREATE_CANDIDATE 20
	// SERIAL_MATCH 20
}

func ExampleNewCatalog() {
	catalog, err := reason.NewCatalog(reason.Info{
		Code:    "RETIRED_UPSTREAM",
		Meaning: "The device is retired upstream; apply leaves it alone.",
		Outcome: reason.OutcomeSkip,
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, info := range catalog.All() {
		fmt.Println(info.Code, info.Outcome)
	}

	_, err = reason.NewCatalog(reason.Info{
		Code:    runlog.ReasonNoMatchCreateCandidate,
		Meaning: "Our own take.",
		Outcome: reason.OutcomeCreate,
	})
	fmt.Println(err)
	// Output:
	// LINK_FOUND_BY_EXTERNAL_ID update
	// MEDIUM_MATCH_REQUIRES_REVIEW conflict
	// AMBIGUOUS_MATCH_MULTIPLE_DEVICES conflict
	// NO_MATCH_CREATE_CANDIDATE create
	// RETIRED_UPSTREAM skip
	// reason: duplicate code: "NO_MATCH_CREATE_CANDIDATE"
}
