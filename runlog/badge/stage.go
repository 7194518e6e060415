package badge

import "github.com/opsync/integrationlogs/runlog"

var stageLooks = map[runlog.Stage]look{
	runlog.StageValidateSetup:  {runlog.ToneInfo, "Checks the instance's configuration and credentials before any data moves."},
	runlog.StageExtract:        {runlog.TonePrimary, "Pulls the inventory from the upstream system."},
	runlog.StageCanonicalize:   {runlog.TonePrimary, "Cleans the extracted records and brings them into one shape."},
	runlog.StageReconcile:      {runlog.TonePrimary, "Matches the records against the devices already held here."},
	runlog.StageDecide:         {runlog.TonePrimary, "Chooses what to do with each record and notes why, as reason codes."},
	runlog.StageApply:          {runlog.ToneSecondary, "Writes the decisions; only a Full Sync runs this stage."},
	runlog.StagePreviewResults: {runlog.ToneSecondary, "Publishes a Sync Preview's results for review; nothing is written."},
}

// ForStage returns the badge of stage s. An unknown stage gets tone neutral
// and its raw text as the label.
func ForStage(s runlog.Stage) Badge {
	return lookup(stageLooks, s, "Not a stage this library knows; shown as stored.")
}
