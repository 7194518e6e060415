-- Runs, one row per run of an integration instance. SQLite has no time
-- type: times are TEXT in UTC, as "2006-01-02 15:04:05.999999999+00:00"
-- (what modernc.org/sqlite writes for a UTC time.Time with
-- _time_format=sqlite), so that they compare as text in time order.
CREATE TABLE IF NOT EXISTS {{runs}} (
    id           INTEGER  PRIMARY KEY AUTOINCREMENT,
    instance_id  INTEGER  NOT NULL,
    mode         TEXT     NOT NULL,
    status       TEXT     NOT NULL,
    debug        BOOLEAN  NOT NULL DEFAULT FALSE,
    summary_json TEXT,
    created_at   DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')),
    started_at   DATETIME,
    finished_at  DATETIME
);

-- Stage rows, the lines of the Logs tab. Payloads and metrics are TEXT so
-- that they keep their exact text, keys in document order.
-- error_payload is the last column: a list page reads the columns before it,
-- and on SQLite reading a column past a large value walks all its pages.
CREATE TABLE IF NOT EXISTS {{stages}} (
    id            INTEGER  PRIMARY KEY AUTOINCREMENT,
    instance_id   INTEGER  NOT NULL,
    run_id        INTEGER  NOT NULL,
    stage         TEXT     NOT NULL,
    status        TEXT     NOT NULL,
    attempt       INTEGER  NOT NULL DEFAULT 1,
    started_at    DATETIME,
    finished_at   DATETIME,
    error_summary TEXT,
    metrics_json  TEXT,
    error_payload TEXT
);

-- Paging reads it in both directions with no sort; purge finds an
-- instance's rows through it.
CREATE INDEX IF NOT EXISTS {{index_qualifier}}{{stages_index}} ON {{stages_bare}} (instance_id, run_id DESC, id ASC);
