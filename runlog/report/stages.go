package report

import (
	"slices"

	"github.com/opsync/integrationlogs/runlog"
)

// stageRows is what one run recorded for one stage: the row of its last
// attempt and how many rows there are.
type stageRows struct {
	last runlog.Entry
	rows int
}

// byStage groups one run's rows by stage, keeping each stage's last attempt
// (see later), and returns the stages in the order they were first seen.
func byStage(entries []runlog.Entry) (map[runlog.Stage]*stageRows, []runlog.Stage) {
	groups := make(map[runlog.Stage]*stageRows)
	var seen []runlog.Stage
	for _, e := range entries {
		g, ok := groups[e.Stage]
		if !ok {
			groups[e.Stage] = &stageRows{last: e, rows: 1}
			seen = append(seen, e.Stage)
			continue
		}
		g.rows++
		if later(e, g.last) {
			g.last = e
		}
	}
	return groups, seen
}

// later reports whether a is a later attempt of its stage than b: a higher
// Attempt, or the same Attempt and a higher ID (the row recorded after).
func later(a, b runlog.Entry) bool {
	if a.Attempt != b.Attempt {
		return a.Attempt > b.Attempt
	}
	return a.ID > b.ID
}

// stageOrder returns first, then the stages of seen that first leaves out:
// the known ones in the order of runlog.Stages, then the unknown ones in the
// order seen. Each stage appears once.
func stageOrder(first []runlog.Stage, seen []runlog.Stage) []runlog.Stage {
	order := slices.Clone(first)
	present := make(map[runlog.Stage]bool, len(seen))
	for _, s := range seen {
		present[s] = true
	}
	for _, s := range runlog.Stages() {
		if present[s] && !slices.Contains(order, s) {
			order = append(order, s)
		}
	}
	for _, s := range seen {
		if !s.Valid() && !slices.Contains(order, s) {
			order = append(order, s)
		}
	}
	return order
}

// oneRun returns the rows of entries that belong to the run of the first
// one, and how many rows of other runs it left out.
func oneRun(entries []runlog.Entry) (kept []runlog.Entry, others int) {
	if len(entries) == 0 {
		return nil, 0
	}
	return ofRun(entries, entries[0].RunID)
}

// ofRun returns the rows of entries that belong to run id, and how many rows
// of other runs it left out.
func ofRun(entries []runlog.Entry, id int64) (kept []runlog.Entry, others int) {
	kept = make([]runlog.Entry, 0, len(entries))
	for _, e := range entries {
		if e.RunID == id {
			kept = append(kept, e)
		} else {
			others++
		}
	}
	return kept, others
}
