package badge

import "github.com/opsync/integrationlogs/runlog"

var runStatusLooks = map[runlog.RunStatus]look{
	runlog.RunQueued:       {runlog.ToneWarning, "The run is waiting to start."},
	runlog.RunRunning:      {runlog.ToneWarning, "The run has started and not finished yet."},
	runlog.RunPreviewReady: {runlog.ToneSuccess, "The Sync Preview finished and its results are ready to review; nothing was written."},
	runlog.RunCompleted:    {runlog.ToneSuccess, "The Full Sync finished and wrote its decisions."},
	runlog.RunFailed:       {runlog.ToneDanger, "The run stopped at a stage that failed."},
}

// ForRunStatus returns the badge of run status s. An unknown run status gets
// tone neutral and its raw text as the label.
func ForRunStatus(s runlog.RunStatus) Badge {
	return lookup(runStatusLooks, s, "Not a run status this library knows; shown as stored.")
}
