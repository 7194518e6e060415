package sqlstore_test

import (
	"testing"

	"github.com/opsync/integrationlogs/runlog/sqlstore"
)

// The behaviour suite, written once and run on every database. SQLite always
// runs; PostgreSQL and MySQL run when their DSN is set (see MustOpenDB).

func TestSQLite(t *testing.T) {
	t.Parallel()
	exercise(t, sqlstore.SQLite)
}

func TestPostgreSQL(t *testing.T) {
	t.Parallel()
	exercise(t, sqlstore.PostgreSQL)
}

func TestMySQL(t *testing.T) {
	t.Parallel()
	exercise(t, sqlstore.MySQL)
}

func exercise(t *testing.T, d sqlstore.Dialect) {
	SkipUnlessAvailable(t, d)
	tests := []struct {
		name string
		test func(*testing.T, sqlstore.Dialect)
	}{
		{"Migrate", testMigrate},
		{"Upgrade", testUpgrade},
		{"UpgradeListing", testUpgradeListing},
		{"ConcurrentMigrate", testConcurrentMigrate},
		{"MigrateCancelled", testMigrateCancelled},
		{"MigrateCommitCancelled", testMigrateCommitCancelled},
		{"MigrateResume", testMigrateResume},
		{"RecordPipeline", testRecordPipeline},
		{"RecordAttempts", testRecordAttempts},
		{"RecordTransitions", testRecordTransitions},
		{"RecordPurged", testRecordPurged},
		{"RecordText", testRecordText},
		{"RecordChain", testRecordChain},
		{"RecordSmallLimit", testRecordSmallLimit},
		{"RecordTimes", testRecordTimes},
		{"RecordRedaction", testRecordRedaction},
		{"RecordLogging", testRecordLogging},
		{"RecordLoad", testRecordLoad},
		{"Stale", testStale},
		{"Investigate", testInvestigate},
		{"Entries", testEntries},
		{"Defaults", testDefaults},
		{"CustomTables", testCustomTables},
		{"ListEmpty", testListEmpty},
		{"PageThreeRuns", testPageThreeRuns},
		{"PageThousandRuns", testPageThousandRuns},
		{"ConcurrentInserts", testConcurrentInserts},
		{"Filters", testFilters},
		{"FilterValues", testFilterValues},
		{"PartialPages", testPartialPages},
		{"EmptyPageAfterDeletion", testEmptyPageAfterDeletion},
		{"PrevAfterRowJoinsRun", testPrevAfterRowJoinsRun},
		{"Clipped", testClipped},
		{"TimeForms", testTimeForms},
		{"Unreadable", testUnreadable},
		{"Limits", testLimits},
		{"CursorBinding", testCursorBinding},
		{"TamperedCursors", testTamperedCursors},
		{"InvalidInstance", testInvalidInstance},
		{"CancelledContext", testCancelledContext},
		{"Entry", testEntry},
		{"NullColumns", testNullColumns},
		{"ExplicitIDs", testExplicitIDs},
		{"Times", testTimes},
		{"Unicode", testUnicode},
		{"MetricsOrder", testMetricsOrder},
		{"Purge", testPurge},
		{"PurgeCancelled", testPurgeCancelled},
		{"PurgeConcurrent", testPurgeConcurrent},
		{"PurgeCancelDuringBatch", testPurgeCancelDuringBatch},
		{"PurgeInTxCancelled", testPurgeInTxCancelled},
		{"PurgePause", testPurgePause},
		{"StatementCache", testStatementCache},
		{"NoPrepare", testNoPrepare},
		{"DroppedStore", testDroppedStore},
		{"CloseWhileBusy", testCloseWhileBusy},
		{"WithTxNil", testWithTxNil},
		{"PlainSQL", testPlainSQL},
		{"CancelDuringStatement", testCancelDuringStatement},
		{"DeadlineDuringConnect", testDeadlineDuringConnect},
		{"MigrateChecksTables", testMigrateChecksTables},
		{"WithTx", testWithTx},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.test(t, d) })
	}
}
