package sqlstore

import (
	"container/list"
	"context"
	"database/sql"
	"errors"
	"sync"
)

// StatementCacheSize is how many prepared statements a Store keeps: the
// recorder's dozen, Entry's and Purge's, and the most recently used shapes
// of list request (each combination of filters, and of how many values
// each filter holds, is a statement of its own).
const StatementCacheSize = 64

// stmtCache keeps the prepared statements of a Store by SQL text, the
// least recently used evicted beyond its size. A statement in use is
// pinned: one evicted, or dropped by close, is closed when the last call
// using it releases it, so that no call finds its statement closed under
// it.
//
// It is a list and a map under one mutex rather than a cache library:
// finding an entry and pinning it must be one step with respect to
// eviction, which a cache with its own lock and an eviction callback
// cannot offer without a second lock around it.
type stmtCache struct {
	db   DB
	size int

	mu      sync.Mutex
	byQuery map[string]*cachedStmt
	order   list.List // of *cachedStmt, most recently used first
	closed  bool
}

// cachedStmt is a statement of the cache and its pins.
type cachedStmt struct {
	stmt    *sql.Stmt
	query   string
	refs    int           // calls using stmt
	evicted bool          // no longer in the cache: close stmt when refs is 0
	elem    *list.Element // in order, while cached
}

func newStmtCache(db DB, size int) *stmtCache {
	return &stmtCache{db: db, size: size, byQuery: map[string]*cachedStmt{}}
}

// acquire returns the statement of query, prepared on the database if the
// cache does not hold it, and pinned: release it after use. It returns
// nil, and no error, once the cache is closed: the caller runs the query
// unprepared.
func (c *stmtCache) acquire(ctx context.Context, query string) (*cachedStmt, error) {
	if e := c.lookup(query); e != nil {
		return e, nil
	}
	c.mu.Lock()
	closed := c.closed
	c.mu.Unlock()
	if closed {
		return nil, nil
	}
	stmt, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if e := c.byQuery[query]; e != nil {
		// Another call prepared it meanwhile: use that one.
		e.refs++
		c.order.MoveToFront(e.elem)
		c.mu.Unlock()
		stmt.Close()
		return e, nil
	}
	e := &cachedStmt{stmt: stmt, query: query, refs: 1}
	if c.closed {
		// Closed while preparing: this call uses it once.
		e.evicted = true
		c.mu.Unlock()
		return e, nil
	}
	e.elem = c.order.PushFront(e)
	c.byQuery[query] = e
	var unused []*sql.Stmt
	for c.order.Len() > c.size {
		if old := c.removeLocked(c.order.Back().Value.(*cachedStmt)); old != nil {
			unused = append(unused, old)
		}
	}
	c.mu.Unlock()
	// Closing may talk to the server: not under the lock.
	for _, stmt := range unused {
		stmt.Close()
	}
	return e, nil
}

// lookup returns the statement of query, pinned, if the cache holds it.
func (c *stmtCache) lookup(query string) *cachedStmt {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.byQuery[query]
	if e == nil {
		return nil
	}
	e.refs++
	c.order.MoveToFront(e.elem)
	return e
}

// release unpins e, closing its statement if it was evicted and this was
// its last use.
func (c *stmtCache) release(e *cachedStmt) {
	c.mu.Lock()
	e.refs--
	last := e.refs == 0 && e.evicted
	c.mu.Unlock()
	if last {
		e.stmt.Close()
	}
}

// removeLocked takes e out of the cache and returns its statement if no
// call uses it, for the caller to close after unlocking.
func (c *stmtCache) removeLocked(e *cachedStmt) *sql.Stmt {
	c.order.Remove(e.elem)
	delete(c.byQuery, e.query)
	e.elem, e.evicted = nil, true
	if e.refs == 0 {
		return e.stmt
	}
	return nil
}

// len returns how many statements the cache holds.
func (c *stmtCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.order.Len()
}

// close empties the cache for good: the statements no call uses are closed
// now, the others when their last call ends, and nothing is cached again.
func (c *stmtCache) close() error {
	c.mu.Lock()
	c.closed = true
	var unused []*sql.Stmt
	for c.order.Len() > 0 {
		if stmt := c.removeLocked(c.order.Front().Value.(*cachedStmt)); stmt != nil {
			unused = append(unused, stmt)
		}
	}
	c.mu.Unlock()
	var errs []error
	for _, stmt := range unused {
		errs = append(errs, stmt.Close())
	}
	return errors.Join(errs...)
}
