// Command report answers an operator's questions from the demo history, on
// an embedded SQLite database: the run failed, why? My counts are different
// from last week: how? It finds the latest Full Sync and the last one that
// completed a week before it, prints the failed stage's card, the run's
// insights, the comparison of the two runs' counts and the reason codes of
// the week's decisions, and exports the instance's rows as CSV.
//
//	go run ./examples/report                 # the export goes to a temporary file
//	go run ./examples/report -csv logs.csv   # the export is kept
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/opsync/integrationlogs/examples/internal/demodata"
	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/details"
	"github.com/opsync/integrationlogs/runlog/report"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

func main() {
	csvPath := flag.String("csv", "", "write the export to this file (default: a temporary file, removed afterwards)")
	flag.Parse()
	if err := run(os.Stdout, *csvPath); err != nil {
		fmt.Fprintln(os.Stderr, "report:", err)
		os.Exit(1)
	}
}

// run plays the report on a fresh demo database, writing to w and the
// export to csvPath (a temporary file when empty).
func run(w io.Writer, csvPath string) error {
	ctx := context.Background()
	_, store, done, err := demodata.Open(ctx, "")
	if err != nil {
		return err
	}
	defer done()
	const id = demodata.InstanceID
	p := func(format string, args ...any) { fmt.Fprintf(w, format, args...) }

	// The latest Full Sync that ended, and the last one that completed a
	// week before it.
	latest, err := store.LatestRun(ctx, id, sqlstore.RunFilter{
		Mode:     runlog.ModeApply,
		Statuses: []runlog.RunStatus{runlog.RunCompleted, runlog.RunFailed},
	})
	if err != nil {
		return err
	}
	known, err := store.LatestRun(ctx, id, sqlstore.RunFilter{
		Mode:     runlog.ModeApply,
		Statuses: []runlog.RunStatus{runlog.RunCompleted},
		Before:   latest.StartedAt.Add(-7 * 24 * time.Hour),
	})
	if err != nil {
		return err
	}
	p("Latest Full Sync: run %d, %s, started %s\n", latest.ID, latest.Status, latest.StartedAt.Format(time.RFC3339))
	p("Known good:       run %d, %s, started %s\n\n", known.ID, known.Status, known.StartedAt.Format(time.RFC3339))

	// The run failed, why?
	latestRun, latestRows, err := store.Run(ctx, id, latest.ID)
	if err != nil {
		return err
	}
	p("%s\n", report.Insights(latestRun, latestRows))
	if failed, err := store.FailedStage(ctx, id, latest.ID); err == nil {
		p("The failed stage:\n\n%s\n", details.Expand(failed))
	}

	// My counts are different from last week.
	_, knownRows, err := store.Run(ctx, id, known.ID)
	if err != nil {
		return err
	}
	p("Counts, run %d against run %d:\n\n%s\n", latest.ID, known.ID, report.Compare(knownRows, latestRows))

	// Why were records decided as they were, over all the instance's runs?
	top, err := report.Tally(store.Entries(ctx, id, sqlstore.ListParams{Stages: []runlog.Stage{runlog.StageDecide}}))
	if err != nil {
		return err
	}
	p("Reason codes over every decide row:\n")
	for _, c := range top {
		p("  %6d  %s\n", c.Count, c.Code)
	}

	// Export every row, redacted, for a ticket or a spreadsheet.
	if csvPath == "" {
		dir, err := os.MkdirTemp("", "report-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		csvPath = filepath.Join(dir, "logs.csv")
	}
	f, err := os.Create(csvPath)
	if err != nil {
		return err
	}
	n, err := report.WriteCSV(f, store.Entries(ctx, id, sqlstore.ListParams{}))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	p("\nExported %d rows of instance %d as CSV (%s).\n", n, id, filepath.Base(csvPath))
	return nil
}
