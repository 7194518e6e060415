package reason

import (
	"cmp"
	"slices"
	"strings"

	"github.com/opsync/integrationlogs/runlog"
)

// Count is how many times a reason code was given. The JSON names suit a run
// summary's top_decision_reason_codes.
type Count struct {
	Code  runlog.ReasonCode `json:"code"`
	Count int               `json:"count"`
}

// Top returns the n most frequent codes of counts, count descending, then
// code ascending in byte order so that ties always come out the same. Codes
// with a count of zero or less are left out. An n of zero or less gives none:
// pass len(counts) for all. The slice is never nil, so it encodes to JSON as
// [] when empty.
func Top(counts map[runlog.ReasonCode]int, n int) []Count {
	top := []Count{}
	if n <= 0 {
		return top
	}
	for code, c := range counts {
		if c > 0 {
			top = append(top, Count{Code: code, Count: c})
		}
	}
	slices.SortFunc(top, func(a, b Count) int {
		if a.Count != b.Count {
			return cmp.Compare(b.Count, a.Count)
		}
		return strings.Compare(string(a.Code), string(b.Code))
	})
	return top[:min(n, len(top)):min(n, len(top))]
}
