package badge

import "github.com/opsync/integrationlogs/runlog"

var statusLooks = map[runlog.Status]look{
	runlog.StatusQueued:       {runlog.ToneWarning, "The stage is waiting to start."},
	runlog.StatusRunning:      {runlog.ToneWarning, "The stage has started and not finished yet."},
	runlog.StatusCompleted:    {runlog.ToneSuccess, "The stage finished, and any changes it made were written."},
	runlog.StatusPreviewReady: {runlog.ToneSuccess, "The stage finished as part of a preview; nothing was written."},
	runlog.StatusFailed:       {runlog.ToneDanger, "The stage failed and the run stopped here."},
	runlog.StatusError:        {runlog.ToneDanger, "The stage hit an error and recorded it, and the run carried on."},
}

// ForStatus returns the badge of stage status s. An unknown status gets tone
// neutral and its raw text as the label.
func ForStatus(s runlog.Status) Badge {
	return lookup(statusLooks, s, "Not a stage status this library knows; shown as stored.")
}
