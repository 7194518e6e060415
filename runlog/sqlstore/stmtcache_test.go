package sqlstore

import (
	"fmt"
	"testing"

	"github.com/DATA-DOG/go-sqlmock"
)

func TestStmtCache(t *testing.T) {
	db, mock, err := sqlmock.New(sqlmock.QueryMatcherOption(sqlmock.QueryMatcherEqual))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c := newStmtCache(db, 2)
	ctx := t.Context()
	prep := map[string]*sqlmock.ExpectedPrepare{}
	for _, q := range []string{"q1", "q2", "q3"} {
		prep[q] = mock.ExpectPrepare(q)
	}
	acquire := func(q string) *cachedStmt {
		t.Helper()
		e, err := c.acquire(ctx, q)
		if err != nil || e == nil {
			t.Fatalf("acquire(%s) = %v, %v", q, e, err)
		}
		return e
	}
	q1 := acquire("q1")
	c.release(acquire("q2"))
	c.release(acquire("q1")) // q2 is now the least recently used
	prep["q2"].WillBeClosed()
	// q3 evicts q2, which no call uses: closed at once.
	q3 := acquire("q3")
	if err := mock.ExpectationsWereMet(); err != nil {
		t.Errorf("after evicting q2: %v", err)
	}
	if got := c.len(); got != 2 {
		t.Errorf("cache holds %d statements, want 2", got)
	}
	// q1 is in use when Close empties the cache: closed on release only.
	prep["q3"].WillBeClosed()
	c.release(q3)
	if err := c.close(); err != nil {
		t.Fatal(err)
	}
	if err := mock.ExpectationsWereMet(); err != nil {
		t.Errorf("after close: %v", err)
	}
	prep["q1"].WillBeClosed()
	c.release(q1)
	if err := mock.ExpectationsWereMet(); err != nil {
		t.Errorf("after the last release of q1: %v", err)
	}
	// Closed: nothing is prepared any more.
	if e, err := c.acquire(ctx, "q4"); e != nil || err != nil {
		t.Errorf("acquire after close = %v, %v; want nil, nil (run unprepared)", e, err)
	}
	if err := mock.ExpectationsWereMet(); err != nil {
		t.Error(err)
	}
}

func TestStmtCache_Size(t *testing.T) {
	db, mock, err := sqlmock.New(sqlmock.QueryMatcherOption(sqlmock.QueryMatcherEqual))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	mock.MatchExpectationsInOrder(false)
	c := newStmtCache(db, StatementCacheSize)
	for i := range 3 * StatementCacheSize {
		q := fmt.Sprintf("q%d", i)
		p := mock.ExpectPrepare(q)
		if i < 2*StatementCacheSize {
			p.WillBeClosed()
		}
		e, err := c.acquire(t.Context(), q)
		if err != nil {
			t.Fatal(err)
		}
		c.release(e)
		if got := c.len(); got > StatementCacheSize {
			t.Fatalf("after %d statements the cache holds %d, want at most %d", i+1, got, StatementCacheSize)
		}
	}
	if err := mock.ExpectationsWereMet(); err != nil {
		t.Error(err)
	}
}
