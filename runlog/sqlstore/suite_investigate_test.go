package sqlstore_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

func testInvestigate(t *testing.T, d sqlstore.Dialect) {
	clk := newClock()
	store, db := MustOpenStoreWith(t, d, sqlstore.Config{Now: clk.Now})
	ctx := t.Context()

	// A week ago a completed Full Sync, then a preview; today a failed Full
	// Sync whose extract was retried. Another instance runs too.
	good := recordPipeline(t, store, 1, runlog.ModeApply)
	clk.Advance(time.Hour)
	recordPipeline(t, store, 1, runlog.ModePreview)
	clk.Advance(7 * 24 * time.Hour)
	other := recordPipeline(t, store, 2, runlog.ModeApply)
	failed, err := store.StartRun(ctx, 1, runlog.ModeApply, sqlstore.RunOptions{})
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, step := range []struct {
		stage runlog.Stage
		err   error
		fail  bool
	}{
		{runlog.StageValidateSetup, nil, false},
		{runlog.StageExtract, errors.New("timeout"), false},
		{runlog.StageExtract, nil, false},
		{runlog.StageCanonicalize, errors.New("3 duplicates"), true},
	} {
		rec, err := store.BeginStage(ctx, failed.ID, step.stage)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, rec.ID())
		switch {
		case step.fail:
			err = rec.Fail(ctx, step.err, nil)
		case step.err != nil:
			err = rec.SoftError(ctx, step.err, nil)
		default:
			err = rec.Complete(ctx, nil)
		}
		if err != nil {
			t.Fatal(err)
		}
	}

	t.Run("Run", func(t *testing.T) {
		run, entries, err := store.Run(ctx, 1, failed.ID)
		if err != nil {
			t.Fatal(err)
		}
		if run.ID != failed.ID || run.Status != runlog.RunFailed || run.Mode != runlog.ModeApply || run.FinishedAt == nil {
			t.Errorf("Run() run = %+v", run)
		}
		if diff := cmp.Diff(ids, entryIDs(entries)); diff != "" {
			t.Errorf("Run() rows (-want +got):\n%s", diff)
		}
		if entries[3].ErrorPayload == nil || entries[2].Attempt != 2 {
			t.Errorf("Run() rows lack the payload or the attempt: %+v", entries)
		}
		for _, tc := range []struct {
			name            string
			instance, runID int64
		}{
			{"AnotherInstancesRun", 1, other.ID},
			{"Missing", 1, 999999},
			{"WrongInstance", 2, failed.ID},
		} {
			if _, _, err := store.Run(ctx, tc.instance, tc.runID); !errors.Is(err, sqlstore.ErrNotFound) {
				t.Errorf("%s: Run() error = %v, want ErrNotFound", tc.name, err)
			}
		}
	})

	t.Run("FailedStage", func(t *testing.T) {
		e, err := store.FailedStage(ctx, 1, failed.ID)
		if err != nil {
			t.Fatal(err)
		}
		if e.ID != ids[3] || e.Stage != runlog.StageCanonicalize || e.ErrorSummary != "3 duplicates" || e.ErrorPayload == nil {
			t.Errorf("FailedStage() = %+v", e)
		}
		if _, err := store.FailedStage(ctx, 1, good.ID); !errors.Is(err, sqlstore.ErrNotFound) {
			t.Errorf("FailedStage(a completed run) error = %v, want ErrNotFound", err)
		}
		if _, err := store.FailedStage(ctx, 2, failed.ID); !errors.Is(err, sqlstore.ErrNotFound) {
			t.Errorf("FailedStage(another instance) error = %v, want ErrNotFound", err)
		}
		// A broken writer left a second failed row: the latest is returned.
		InsertStages(t, db, sqlstore.Tables{}, StageRow{InstanceID: 1, RunID: failed.ID, Stage: runlog.StageReconcile,
			Status: runlog.StatusFailed, ErrorSummary: ptr("later")})
		if e, err := store.FailedStage(ctx, 1, failed.ID); err != nil || e.ErrorSummary != "later" {
			t.Errorf("FailedStage() with two failed rows = %q, %v; want the later", e.ErrorSummary, err)
		}
	})

	t.Run("LatestRun", func(t *testing.T) {
		weekAgo := clk.Now().Add(-7 * 24 * time.Hour)
		for _, tc := range []struct {
			name string
			f    sqlstore.RunFilter
			want int64
		}{
			{"Newest", sqlstore.RunFilter{}, failed.ID},
			{"LastCompletedApplyBeforeAWeekAgo", sqlstore.RunFilter{Mode: runlog.ModeApply,
				Statuses: []runlog.RunStatus{runlog.RunCompleted}, Before: weekAgo}, good.ID},
			{"LastCompletedApply", sqlstore.RunFilter{Mode: runlog.ModeApply,
				Statuses: []runlog.RunStatus{runlog.RunCompleted}}, good.ID},
			{"FailedOrPreviewReady", sqlstore.RunFilter{Statuses: []runlog.RunStatus{runlog.RunFailed, runlog.RunPreviewReady}}, failed.ID},
		} {
			run, err := store.LatestRun(ctx, 1, tc.f)
			if err != nil || run.ID != tc.want {
				t.Errorf("%s: LatestRun() = run %d, %v; want run %d", tc.name, run.ID, err, tc.want)
			}
		}
		if _, err := store.LatestRun(ctx, 1, sqlstore.RunFilter{Mode: "dry-run"}); !errors.Is(err, sqlstore.ErrNotFound) {
			t.Errorf("LatestRun(no match) error = %v, want ErrNotFound", err)
		}
		if _, err := store.LatestRun(ctx, 1, sqlstore.RunFilter{Before: weekAgo.Add(-24 * time.Hour)}); !errors.Is(err, sqlstore.ErrNotFound) {
			t.Errorf("LatestRun(before the first run) error = %v, want ErrNotFound", err)
		}
		if _, err := store.LatestRun(ctx, 1, sqlstore.RunFilter{Statuses: []runlog.RunStatus{""}}); !errors.Is(err, sqlstore.ErrInvalidValue) {
			t.Errorf("LatestRun(empty status) error = %v, want ErrInvalidValue", err)
		}
		if run, err := store.LatestRun(ctx, 2, sqlstore.RunFilter{}); err != nil || run.ID != other.ID {
			t.Errorf("LatestRun(instance 2) = run %d, %v; want run %d", run.ID, err, other.ID)
		}
	})
}

func testEntries(t *testing.T, d sqlstore.Dialect) {
	store, db := MustOpenStore(t, d)
	ctx := t.Context()
	big := []byte(`{"type":"E","message":"` + strings.Repeat("x", 5000) + `"}`)
	n := Seed(t, db, History{InstanceID: 1, Runs: 40, ErrorPayload: big})
	Seed(t, db, History{InstanceID: 2, FirstRunID: 1000, Runs: 3})

	var got []runlog.Entry
	for e, err := range store.Entries(ctx, 1, sqlstore.ListParams{Limit: 7}) {
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, e)
	}
	if diff := cmp.Diff(OrderedIDs(t, db, 1), entryIDs(got)); diff != "" {
		t.Errorf("Entries() ids (-want +got):\n%s", diff)
	}
	if len(got) != n {
		t.Fatalf("Entries() = %d rows, want %d", len(got), n)
	}
	for _, e := range got {
		full, err := store.Entry(ctx, 1, e.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(full, e); diff != "" {
			t.Fatalf("Entries() row %d differs from Entry() (-want +got):\n%s", e.ID, diff)
		}
	}

	// Filters, and stopping early.
	failed := 0
	for e, err := range store.Entries(ctx, 1, sqlstore.ListParams{Statuses: []runlog.Status{runlog.StatusFailed}}) {
		if err != nil || e.Status != runlog.StatusFailed || e.InstanceID != 1 {
			t.Fatalf("Entries(failed) yielded %+v, %v", e, err)
		}
		failed++
	}
	if failed != 7 { // runs 5, 10 ... 35; run 40, the newest, is still running
		t.Errorf("Entries(failed) = %d rows, want 7", failed)
	}
	// Through partial pages: a scan bound of 10 rows finds a failed row in
	// one page of 5 in about six.
	bounded, err := sqlstore.New(db, sqlstore.Config{ScanLimit: 10})
	if err != nil {
		t.Fatal(err)
	}
	defer bounded.Close()
	var ids []int64
	for e, err := range bounded.Entries(ctx, 1, sqlstore.ListParams{Limit: 5, Statuses: []runlog.Status{runlog.StatusFailed}}) {
		if err != nil {
			t.Fatal(err)
		}
		if e.ErrorPayload == nil || e.Clipped {
			t.Errorf("row %d read through partial pages is not whole", e.ID)
		}
		ids = append(ids, e.ID)
	}
	if len(ids) != 7 {
		t.Errorf("Entries(failed) through partial pages = %d rows, want 7", len(ids))
	}
	count := 0
	for range store.Entries(ctx, 1, sqlstore.ListParams{Limit: 3}) {
		count++
		if count == 5 {
			break
		}
	}
	if count != 5 {
		t.Errorf("stopping after 5 rows: %d", count)
	}

	// An error is yielded once.
	var errs []error
	for _, err := range store.Entries(ctx, 0, sqlstore.ListParams{}) {
		errs = append(errs, err)
	}
	if len(errs) != 1 || !errors.Is(errs[0], sqlstore.ErrInvalidInstance) {
		t.Errorf("Entries(instance 0) yielded %v, want one ErrInvalidInstance", errs)
	}
}
