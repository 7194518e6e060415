package report

import (
	"strconv"
	"time"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/badge"
	"github.com/opsync/integrationlogs/runlog/details"
	"github.com/opsync/integrationlogs/runlog/reason"
)

// TopReasonCodes is how many reason codes RunInsights.TopReasons holds at
// most.
const TopReasonCodes = 5

// RunInsights is the view of one run that sits beside the Logs tab: how it
// went, stage by stage, and what it decided. It encodes to JSON with the
// names of its tags.
type RunInsights struct {
	RunID      int64            `json:"run_id"`
	InstanceID int64            `json:"instance_id"`
	Mode       runlog.Mode      `json:"mode"`
	Status     runlog.RunStatus `json:"status"`
	// Badge is the run status's badge.
	Badge badge.Badge `json:"badge"`
	// StartedAt is nil while the run has not started, FinishedAt while it
	// has not finished.
	StartedAt  *time.Time `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at"`
	// Duration is how long the run took, zero unless it has started and
	// finished.
	Duration time.Duration `json:"duration_ns"`
	// Creates and Updates are the run's create and update decision counts,
	// read from the run summary (see SummaryCreates); nil when it has none.
	Creates *int64 `json:"creates"`
	Updates *int64 `json:"updates"`
	// OpenProblems are the run summary's open problems, each said in one
	// string (see SummaryOpenProblems); nil when the summary names none.
	// OpenProblemCount is how many there are: len(OpenProblems), or the
	// number the summary gives in place of a list.
	OpenProblems     []string `json:"open_problems"`
	OpenProblemCount int      `json:"open_problem_count"`
	// Stages has one card per stage: the stages of runlog.Pipeline(Mode)
	// in order, recorded or not, then the other stages the run recorded,
	// the known ones in the order of runlog.Stages and the unknown ones in
	// the order recorded.
	Stages []StageCard `json:"stages"`
	// TopReasons are the TopReasonCodes most frequent reason codes of the
	// decide stage's last attempt, ranked as reason.Top ranks them. When
	// the run has no decide row, or its reason codes cannot be read, they
	// are those of the run summary (SummaryTopReasonCodes), and
	// TopReasonsFrom says which: "decide", "summary", or "" when neither
	// has any.
	TopReasons     []reason.Count `json:"top_reasons"`
	TopReasonsFrom string         `json:"top_reasons_from"`
	// Notes say what could not be read: rows of other runs left out, a run
	// summary or reason codes that are not what Insights reads.
	Notes []string `json:"notes,omitempty"`
}

// StageCard is one stage of a run in RunInsights.
type StageCard struct {
	Stage runlog.Stage `json:"stage"`
	// Recorded reports that the run has a row for the stage. A stage of the
	// pipeline the run has not recorded (it failed before, or has not got
	// there yet) has a card with Recorded false, an empty Status, and a
	// neutral badge labelled "not recorded".
	Recorded bool          `json:"recorded"`
	Status   runlog.Status `json:"status"`
	// Badge is the status's badge.
	Badge badge.Badge `json:"badge"`
	// Attempts is the Attempt of the stage's last attempt (the row with the
	// highest Attempt, then the highest ID), whose row the card shows; Rows
	// is how many rows the run recorded for the stage.
	Attempts int   `json:"attempts"`
	Rows     int   `json:"rows"`
	EntryID  int64 `json:"entry_id"`
	// StartedAt is nil when the row has no start time, FinishedAt while the
	// stage has not finished; Duration is zero unless it has both.
	StartedAt  *time.Time    `json:"started_at"`
	FinishedAt *time.Time    `json:"finished_at"`
	Duration   time.Duration `json:"duration_ns"`
	// Error is the start of the error summary, as the Details cell shows it
	// (details.Summarize), ending in "…" when cut; empty when none.
	Error string `json:"error"`
	// Metrics are every metric of the row, as the full card shows them
	// (details.Expand). MetricsError says why they could not all be read.
	Metrics      []details.Metric `json:"metrics"`
	MetricsError string           `json:"metrics_error,omitempty"`
}

// notRecorded is the badge of a stage the run has no row for.
var notRecorded = badge.Badge{Label: "not recorded", Tone: runlog.ToneNeutral, Meaning: "The run has no row for this stage."}

// Insights returns the view of run given its stage rows, entries, in any
// order; rows of other runs are left out, and noted. It never fails: a run
// with no rows gives a card per stage of its pipeline, none recorded, and
// values it cannot read are noted.
func Insights(run runlog.Run, entries []runlog.Entry) RunInsights {
	in := RunInsights{
		RunID: run.ID, InstanceID: run.InstanceID, Mode: run.Mode, Status: run.Status,
		Badge:      badge.ForRunStatus(run.Status),
		StartedAt:  timeOrNil(run.StartedAt),
		FinishedAt: run.FinishedAt,
		Stages:     []StageCard{},
		TopReasons: []reason.Count{},
	}
	in.Duration = took(run.StartedAt, run.FinishedAt)
	entries, others := ofRun(entries, run.ID)
	if others > 0 {
		in.Notes = append(in.Notes, strconv.Itoa(others)+" "+plural(others, "row", "rows")+" of other runs left out")
	}
	if len(entries) == 0 {
		in.Notes = append(in.Notes, "the run has no stage rows")
	}

	sum := readSummary(run.Summary)
	in.Creates, in.Updates = sum.creates, sum.updates
	in.OpenProblems, in.OpenProblemCount = sum.problems, sum.problemCount
	in.Notes = append(in.Notes, sum.notes...)

	groups, seen := byStage(entries)
	for _, s := range stageOrder(runlog.Pipeline(run.Mode), seen) {
		in.Stages = append(in.Stages, stageCard(s, groups[s]))
	}

	if g := groups[runlog.StageDecide]; g != nil {
		counts, err := reason.FromMetrics(g.last.Metrics)
		if err != nil {
			in.Notes = append(in.Notes, "decide: reason codes not read: "+err.Error())
		} else if len(counts) > 0 {
			in.TopReasons, in.TopReasonsFrom = reason.Top(counts, TopReasonCodes), "decide"
		}
	}
	if in.TopReasonsFrom == "" && len(sum.topReasons) > 0 {
		in.TopReasons, in.TopReasonsFrom = reason.Top(sum.topReasons, TopReasonCodes), "summary"
	}
	return in
}

// stageCard returns the card of stage s, whose rows g are nil when the run
// has none.
func stageCard(s runlog.Stage, g *stageRows) StageCard {
	if g == nil {
		return StageCard{Stage: s, Badge: notRecorded, Metrics: []details.Metric{}}
	}
	e := g.last
	card := details.Expand(e)
	c := StageCard{
		Stage: s, Recorded: true, Status: e.Status, Badge: badge.ForStatus(e.Status),
		Attempts: e.Attempt, Rows: g.rows, EntryID: e.ID,
		StartedAt: timeOrNil(e.StartedAt), FinishedAt: e.FinishedAt,
		Duration: took(e.StartedAt, e.FinishedAt),
		Metrics:  card.Metrics,
	}
	if sum := details.Summarize(e); sum.Text != "" {
		c.Error = sum.Text
		if sum.Truncated {
			c.Error += "…"
		}
	}
	if c.Metrics == nil {
		c.Metrics = []details.Metric{}
	}
	if card.MetricsErr != nil {
		c.MetricsError = card.MetricsErr.Error()
	}
	return c
}

// timeOrNil returns &t, or nil for the zero time.
func timeOrNil(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// took returns finished − started, or zero unless both are known and in
// order.
func took(started time.Time, finished *time.Time) time.Duration {
	if started.IsZero() || finished == nil || finished.Before(started) {
		return 0
	}
	return finished.Sub(started)
}
