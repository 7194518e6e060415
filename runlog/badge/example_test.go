package badge_test

import (
	"fmt"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/badge"
)

func ExampleForStatus() {
	for _, s := range []runlog.Status{runlog.StatusFailed, runlog.StatusError, runlog.StatusPreviewReady, "paused"} {
		b := badge.ForStatus(s)
		fmt.Printf("%s [%s]: %s\n", b.Label, b.Tone, b.Meaning)
	}
	// Output:
	// failed [danger]: The stage failed and the run stopped here.
	// error [danger]: The stage hit an error and recorded it, and the run carried on.
	// preview ready [success]: The stage finished as part of a preview; nothing was written.
	// paused [neutral]: Not a stage status this library knows; shown as stored.
}

func ExampleForStage() {
	for _, s := range runlog.Pipeline(runlog.ModeApply) {
		b := badge.ForStage(s)
		fmt.Printf("%-14s %s\n", b.Label, b.Tone)
	}
	// Output:
	// validate setup info
	// extract        primary
	// canonicalize   primary
	// reconcile      primary
	// decide         primary
	// apply          secondary
}

func ExampleForRunStatus() {
	b := badge.ForRunStatus(runlog.RunPreviewReady)
	fmt.Println(b.Label, "/", b.Tone)
	fmt.Println(b.Meaning)
	// Output:
	// preview ready / success
	// The Sync Preview finished and its results are ready to review; nothing was written.
}
