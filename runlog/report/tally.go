package report

import (
	"fmt"
	"iter"
	"math"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/reason"
)

// Tally sums the reason-code counts of the decide rows among entries, one
// run's rows or many runs', and returns every code counted, ranked as
// reason.Top ranks them: count descending, then code. Rows of other stages
// are passed over. It reads each decide row's metrics with
// reason.FromMetrics and holds only the running totals, so any number of
// rows can be tallied from an iterator such as the store's.
//
// Every decide row counts, retries included: to count only the attempts
// that finished, keep only those rows (filter on their status). A sum
// larger than the largest int stays at the largest int.
//
// A decide row whose reason codes cannot be read is skipped: Tally goes on,
// and returns the counts of the other rows with an error wrapping
// ErrSkippedRows, and the first such row's error, which says how many rows
// were skipped and which was the first. Callers that accept such counts
// test for it with errors.Is. An error from entries stops the tally: Tally
// returns it as it is, and no counts.
func Tally(entries iter.Seq2[runlog.Entry, error]) ([]reason.Count, error) {
	totals := map[runlog.ReasonCode]int{}
	var skipped int
	var first error
	for e, err := range entries {
		if err != nil {
			return nil, err
		}
		if e.Stage != runlog.StageDecide {
			continue
		}
		counts, err := reason.FromMetrics(e.Metrics)
		if err != nil {
			if skipped == 0 {
				clipped := ""
				if e.Clipped {
					clipped = " (read clipped)"
				}
				first = fmt.Errorf("row %d of run %d%s: %w", e.ID, e.RunID, clipped, err)
			}
			skipped++
			continue
		}
		for code, n := range counts {
			totals[code] = addCount(totals[code], n)
		}
	}
	top := reason.Top(totals, len(totals))
	if skipped > 0 {
		return top, fmt.Errorf("%w: %d decide %s with unreadable reason codes, the first %w",
			ErrSkippedRows, skipped, plural(skipped, "row", "rows"), first)
	}
	return top, nil
}

// addCount returns a + b, both at least 0, or the largest int when the sum
// is larger.
func addCount(a, b int) int {
	if a > math.MaxInt-b {
		return math.MaxInt
	}
	return a + b
}
