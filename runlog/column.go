package runlog

import "slices"

// Column is a column of the Logs table.
type Column string

// The Logs table's columns, in display order.
const (
	ColumnRun      Column = "Run"      // Entry.RunLabel
	ColumnStage    Column = "Stage"    // the stage badge
	ColumnStatus   Column = "Status"   // the status badge
	ColumnAttempt  Column = "Attempt"  // Entry.Attempt
	ColumnStarted  Column = "Started"  // Entry.StartedAt
	ColumnFinished Column = "Finished" // Entry.FinishedAt, blank while unfinished
	ColumnDetails  Column = "Details"  // the Details cell (package details)
)

var columns = []Column{
	ColumnRun, ColumnStage, ColumnStatus, ColumnAttempt, ColumnStarted, ColumnFinished, ColumnDetails,
}

// Columns returns the Logs table's columns in display order. The slice is a copy.
func Columns() []Column { return slices.Clone(columns) }
