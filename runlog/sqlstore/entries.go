package sqlstore

import (
	"context"
	"iter"

	"github.com/opsync/integrationlogs/runlog"
)

// Entries returns every stage row of instanceID that p's filters keep, in
// list order (newest run first), read page by page through the keyset as
// List reads them, p.Limit rows a page (0 means DefaultLimit), never all at
// once: for exports and reports over any number of rows. Rows are whole, as
// Entry returns them: summaries and metrics not clipped, payloads included.
// Pages cut short by the scan bound (ListResult.Partial) are followed, so
// every row the filters keep is yielded.
//
// An error ends the sequence: it is yielded once, with a zero Entry.
func (s *Store) Entries(ctx context.Context, instanceID int64, p ListParams) iter.Seq2[runlog.Entry, error] {
	return func(yield func(runlog.Entry, error) bool) {
		p.Cursor = ""
		for {
			page, err := s.list(ctx, instanceID, p, true)
			if err != nil {
				yield(runlog.Entry{}, err)
				return
			}
			for _, e := range page.Entries {
				if !yield(e, nil) {
					return
				}
			}
			if page.Next == "" {
				return
			}
			p.Cursor = page.Next
		}
	}
}
