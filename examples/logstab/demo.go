package main

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/jmoiron/sqlx"

	"github.com/opsync/integrationlogs/examples/internal/demodata"
	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/details"
	"github.com/opsync/integrationlogs/runlog/reason"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// demo walks through the Logs tab of demodata.InstanceID.
type demo struct {
	ctx      context.Context
	db       *sqlx.DB
	store    *sqlstore.Store
	w        io.Writer
	color    bool
	pageSize int
}

func (d demo) play() error {
	steps := []func() error{d.paging, d.failedCard, d.decisions, d.purge}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// paging prints the first two pages, then follows Prev back to the first.
func (d demo) paging() error {
	d.printf("Logs tab of instance %d, %d rows a page, newest runs first\n\n", demodata.InstanceID, d.pageSize)
	first, err := d.store.List(d.ctx, demodata.InstanceID, sqlstore.ListParams{Limit: d.pageSize})
	if err != nil {
		return err
	}
	d.page("Page 1", first)

	if first.Next == "" {
		return nil
	}
	second, err := d.store.List(d.ctx, demodata.InstanceID, sqlstore.ListParams{Limit: d.pageSize, Cursor: first.Next})
	if err != nil {
		return err
	}
	d.page("Next → page 2", second)

	back, err := d.store.List(d.ctx, demodata.InstanceID, sqlstore.ListParams{Limit: d.pageSize, Cursor: second.Prev})
	if err != nil {
		return err
	}
	same := slices.EqualFunc(first.Entries, back.Entries, func(a, b runlog.Entry) bool { return a.ID == b.ID })
	d.printf("← Prev from page 2: %d rows, the same as page 1: %v\n\n", len(back.Entries), same)
	return nil
}

// failedCard finds the failed reconcile row with a filter and prints its full
// card, error payload included.
func (d demo) failedCard() error {
	failed, err := d.store.List(d.ctx, demodata.InstanceID, sqlstore.ListParams{
		Stages:   []runlog.Stage{runlog.StageReconcile},
		Statuses: []runlog.Status{runlog.StatusFailed},
		Limit:    1,
	})
	if err != nil {
		return err
	}
	if len(failed.Entries) == 0 {
		return fmt.Errorf("no failed reconcile row in instance %d", demodata.InstanceID)
	}
	e, err := d.store.Entry(d.ctx, demodata.InstanceID, failed.Entries[0].ID)
	if err != nil {
		return err
	}
	d.printf("View full: the failed reconcile row (stage row %d)\n\n%s\n\n", e.ID, indent(details.Expand(e).String()))
	return nil
}

// decisions reads the reason codes of the Sync Preview's decide row and
// prints the most frequent with what each does on apply.
func (d demo) decisions() error {
	page, err := d.store.List(d.ctx, demodata.InstanceID, sqlstore.ListParams{
		Mode:   runlog.ModePreview,
		Stages: []runlog.Stage{runlog.StageDecide},
		Limit:  1,
	})
	if err != nil {
		return err
	}
	if len(page.Entries) == 0 {
		return fmt.Errorf("no decide row of a Sync Preview in instance %d", demodata.InstanceID)
	}
	e := page.Entries[0]
	counts, err := reason.FromMetrics(e.Metrics)
	if err != nil {
		return err
	}
	d.printf("Top decision reason codes of run %s\n", e.RunLabel())
	for _, c := range reason.Top(counts, 3) {
		info, _ := reason.Lookup(c.Code)
		d.printf("  %5d  %-32s  %-8s  %s\n", c.Count, c.Code, info.Outcome, info.Meaning)
	}
	d.printf("\n")
	return nil
}

// purge removes demodata.InstanceID's stage rows and shows what stayed.
func (d demo) purge() error {
	res, err := d.store.Purge(d.ctx, demodata.InstanceID)
	if err != nil {
		return err
	}
	d.printf("Purge instance %d: %d stage rows deleted\n", demodata.InstanceID, res.Deleted)

	for _, id := range []int64{demodata.InstanceID, demodata.NeighbourID} {
		var runs int
		if err := d.db.GetContext(d.ctx, &runs, `SELECT COUNT(*) FROM integration_runs WHERE instance_id = ?`, id); err != nil {
			return err
		}
		page, err := d.store.List(d.ctx, id, sqlstore.ListParams{Limit: sqlstore.MaxLimit})
		if err != nil {
			return err
		}
		d.printf("  instance %d: runs %d, stage rows %d\n", id, runs, len(page.Entries))
	}
	return nil
}

func (d demo) printf(format string, args ...any) {
	fmt.Fprintf(d.w, format, args...)
}
