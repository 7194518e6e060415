package sqlstore_test

import (
	"context"
	"database/sql"
	"fmt"
	"log"
	"os"
	"path/filepath"

	_ "modernc.org/sqlite"

	"github.com/opsync/integrationlogs/runlog"
	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// A host on plain database/sql passes its *sql.DB: the dialect comes from
// the driver.
func ExampleNew_databaseSQL() {
	dir, err := os.MkdirTemp("", "sqlstore-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "logs.db")+
		"?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)&_time_format=sqlite")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)

	store, err := sqlstore.New(db, sqlstore.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	if err := store.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	run, err := store.StartRun(ctx, 7, runlog.ModeApply, sqlstore.RunOptions{})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := store.BeginStage(ctx, run.ID, runlog.StageExtract); err != nil {
		log.Fatal(err)
	}
	page, err := store.List(ctx, 7, sqlstore.ListParams{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(store.Builder().Dialect(), len(page.Entries), page.Entries[0].Stage, page.Entries[0].Status)
	// Output: sqlite 1 extract running
}

// In the host's transaction, a purge counts what the commit will make
// true; here it is rolled back.
func ExampleStore_WithTx() {
	db, cleanup := openExampleDB()
	defer cleanup()
	db.SetMaxOpenConns(1)
	store, err := sqlstore.New(db, sqlstore.Config{})
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()
	ctx := context.Background()
	if err := store.Migrate(ctx); err != nil {
		log.Fatal(err)
	}
	recordRun(db, 1, 42, runlog.ModeApply, runlog.RunCompleted, runlog.StatusCompleted)

	tx, err := db.DB.BeginTx(ctx, nil) // a *sql.Tx; a *sqlx.Tx works the same
	if err != nil {
		log.Fatal(err)
	}
	res, err := store.WithTx(tx).Purge(ctx, 1)
	if err != nil {
		log.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		log.Fatal(err)
	}
	page, err := store.List(ctx, 1, sqlstore.ListParams{})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("deleted %d in the transaction; after rollback %d rows remain\n", res.Deleted, len(page.Entries))
	// Output: deleted 6 in the transaction; after rollback 6 rows remain
}
