package report

import (
	"strconv"
	"strings"
	"time"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/reason"
)

// String renders the insights as plain text for a terminal or a log, for
// example:
//
//	Run       #103 · apply / failed
//	Status    failed: The run stopped at a stage that failed.
//	Started   2026-11-27T09:00:00Z
//	Finished  2026-11-27T09:03:00Z (took 3m0s)
//	Creates   89
//	Updates   1181
//	Problems  1 open
//	  - 3 records matched more than one local device
//
//	Stages
//	  validate_setup  completed     attempt 1  2s
//	      checks: 4
//	  extract         completed     attempt 2  1m11s  2 rows
//	      records_pulled: 1302
//	  reconcile       failed        attempt 1  1m5s
//	      error: Reconcile stopped: 3 upstream records matched more than one local device
//	      matched: 1201
//	  decide          not recorded
//	  apply           not recorded
//
//	Top reason codes (from the run summary)
//	  1181  LINK_FOUND_BY_EXTERNAL_ID  update
//	    89  NO_MATCH_CREATE_CANDIDATE  create
//
// Counts and problems the run summary does not give are shown as "not in
// the run summary". A stage's metrics come one per line; a value over
// several lines (an object) continues under its key. Stored text is shown
// cleaned: one line where the layout needs one, control characters as
// U+FFFD.
func (in RunInsights) String() string {
	var b strings.Builder
	label := runlog.Entry{RunID: in.RunID, Mode: in.Mode, RunStatus: in.Status}.RunLabel()
	finished := "not finished"
	if in.FinishedAt != nil {
		finished = timeText(in.FinishedAt)
		if in.Duration > 0 || (in.StartedAt != nil && !in.FinishedAt.Before(*in.StartedAt)) {
			finished += " (took " + in.Duration.String() + ")"
		}
	}
	problems := "not in the run summary"
	if in.OpenProblems != nil {
		problems = strconv.Itoa(in.OpenProblemCount) + " open"
	}
	table(&b, [][]string{
		{"Run", inline(label, 0)},
		{"Status", inline(in.Badge.Label, cellRunes) + ": " + in.Badge.Meaning},
		{"Started", timeText(in.StartedAt)},
		{"Finished", finished},
		{"Creates", countText(in.Creates)},
		{"Updates", countText(in.Updates)},
		{"Problems", problems},
	})
	for _, p := range in.OpenProblems {
		b.WriteString("  - " + inline(p, 0) + "\n")
	}

	b.WriteString("\nStages\n")
	var heads [][]string
	for _, c := range in.Stages {
		heads = append(heads, stageHead(c))
	}
	var aligned strings.Builder
	table(&aligned, heads)
	lines := strings.Split(strings.TrimSuffix(aligned.String(), "\n"), "\n")
	for i, c := range in.Stages {
		b.WriteString("  " + lines[i] + "\n")
		if c.Error != "" {
			b.WriteString("      error: " + c.Error + "\n")
		}
		for _, m := range c.Metrics {
			for _, line := range strings.Split(m.String(), "\n") {
				b.WriteString("      " + line + "\n")
			}
		}
		if c.MetricsError != "" {
			b.WriteString("      (metrics unreadable: " + c.MetricsError + ")\n")
		}
	}

	if len(in.TopReasons) > 0 {
		b.WriteString("\nTop reason codes")
		if in.TopReasonsFrom == "summary" {
			b.WriteString(" (from the run summary)")
		}
		b.WriteByte('\n')
		var rows [][]string
		for _, c := range in.TopReasons {
			outcome := ""
			if info, ok := reason.Lookup(c.Code); ok {
				outcome = string(info.Outcome)
			}
			rows = append(rows, []string{"", strconv.Itoa(c.Count), inline(string(c.Code), cellRunes), outcome})
		}
		table(&b, rows, 1)
	}
	if len(in.Notes) > 0 {
		b.WriteString("\nNotes\n")
		for _, n := range in.Notes {
			b.WriteString("  - " + inline(n, 0) + "\n")
		}
	}
	return b.String()
}

// stageHead is the columns of a stage card's first line.
func stageHead(c StageCard) []string {
	name := inline(string(c.Stage), cellRunes)
	if !c.Recorded {
		return []string{name, c.Badge.Label}
	}
	head := []string{name, inline(c.Badge.Label, cellRunes), "attempt " + strconv.Itoa(c.Attempts), "not finished"}
	if c.FinishedAt != nil {
		head[3] = "finished"
		if c.StartedAt != nil && !c.FinishedAt.Before(*c.StartedAt) {
			head[3] = c.Duration.String()
		}
	}
	if c.Rows > 1 {
		head = append(head, strconv.Itoa(c.Rows)+" rows")
	}
	return head
}

// countText shows a count from the run summary.
func countText(n *int64) string {
	if n == nil {
		return "not in the run summary"
	}
	return strconv.FormatInt(*n, 10)
}

// timeText shows a time in RFC 3339, UTC, or "unknown" for none.
func timeText(t *time.Time) string {
	if t == nil {
		return "unknown"
	}
	return t.UTC().Format(time.RFC3339)
}
