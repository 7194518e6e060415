package sqlstore_test

import (
	"context"
	"database/sql"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// BenchmarkRecordStage measures recording one stage row: BeginStage and
// Complete with two metrics ("recorder"), beside the two plain prepared
// statements it replaces, an INSERT of the running row and an UPDATE that
// completes it with the same metrics ("baseline"), on the same tables. Each
// run gets six rows, as a Full Sync does; a new run is started outside the
// timer.
//
//	go test ./runlog/sqlstore -run '^$' -bench BenchmarkRecordStage -benchmem -count 5
func BenchmarkRecordStage(b *testing.B) {
	for _, d := range sqlstore.Dialects() {
		b.Run("db="+string(d), func(b *testing.B) {
			SkipUnlessAvailable(b, d)
			store, db := MustOpenStore(b, d)
			if d == sqlstore.SQLite {
				db.SetMaxOpenConns(1)
			}
			ctx := context.Background()
			stages := runlog.Pipeline(runlog.ModeApply)
			b.Run("recorder", func(b *testing.B) {
				b.ReportAllocs()
				var run runlog.Run
				i := 0
				for b.Loop() {
					if i%len(stages) == 0 {
						b.StopTimer()
						var err error
						if run, err = store.StartRun(ctx, 1, runlog.ModeApply, sqlstore.RunOptions{}); err != nil {
							b.Fatal(err)
						}
						b.StartTimer()
					}
					rec, err := store.BeginStage(ctx, run.ID, stages[i%len(stages)])
					if err != nil {
						b.Fatal(err)
					}
					if err := rec.Complete(ctx, benchMetrics{Processed: 1200, Invalid: 3}); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
			b.Run("baseline", func(b *testing.B) {
				insert, update := baselineStatements(b, db, d)
				b.ReportAllocs()
				var runID int64
				i := 0
				for b.Loop() {
					if i%len(stages) == 0 {
						b.StopTimer()
						run, err := store.StartRun(ctx, 1, runlog.ModeApply, sqlstore.RunOptions{})
						if err != nil {
							b.Fatal(err)
						}
						runID = run.ID
						b.StartTimer()
					}
					var err error
					now := time.Now().UTC()
					var start, end any = now, now
					if d == sqlstore.SQLite {
						start, end = now.Format("2006-01-02 15:04:05.999999-07:00"), now.Format("2006-01-02 15:04:05.999999-07:00")
					}
					args := []any{1, runID, "apply", string(stages[i%len(stages)]), "running", 1, start, start}
					var id int64
					if d == sqlstore.PostgreSQL {
						err = insert.QueryRowxContext(ctx, args...).Scan(&id)
					} else {
						var res sql.Result
						if res, err = insert.ExecContext(ctx, args...); err == nil {
							id, err = res.LastInsertId()
						}
					}
					if err != nil {
						b.Fatal(err)
					}
					if _, err := update.ExecContext(ctx, "completed", end, `{"processed":1200,"invalid":3}`, id, 1); err != nil {
						b.Fatal(err)
					}
					i++
				}
			})
		})
	}
}

// benchMetrics are the metrics both sides write.
type benchMetrics struct {
	Processed int `json:"processed"`
	Invalid   int `json:"invalid"`
}

// baselineStatements prepares the plain INSERT and UPDATE a host would
// write without the recorder; on PostgreSQL the INSERT returns the new id
// (RETURNING), elsewhere the driver's LastInsertId gives it.
func baselineStatements(b *testing.B, db *sqlx.DB, d sqlstore.Dialect) (insert, update *sqlx.Stmt) {
	b.Helper()
	q := `INSERT INTO integration_run_stages
		(instance_id, run_id, mode, stage, status, attempt, created_at, started_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`
	if d == sqlstore.PostgreSQL {
		q += " RETURNING id"
	}
	var err error
	insert, err = db.Preparex(db.Rebind(q))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { insert.Close() })
	update, err = db.Preparex(db.Rebind(`UPDATE integration_run_stages
		SET status = ?, finished_at = ?, metrics_json = ? WHERE id = ? AND instance_id = ?`))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { update.Close() })
	return insert, update
}
