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

// A value the library does not know is shown as stored, made safe to print:
// control and bidirectional formatting characters become U+FFFD.
func ExampleForStage_unknown() {
	b := badge.ForStage("export\x1b[2J\u202e")
	fmt.Printf("%+q %s\n", b.Label, b.Tone)
	// Output: "export\ufffd[2J\ufffd" neutral
}
