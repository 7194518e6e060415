-- Version 1: tables

-- Runs, one row per run of an integration instance. SQLite has no time
-- type: times are TEXT in UTC, as "2006-01-02 15:04:05.999999999+00:00"
-- (what modernc.org/sqlite writes for a UTC time.Time with
-- _time_format=sqlite), so that they compare as text in time order.
CREATE TABLE IF NOT EXISTS "integration_runs" (
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
CREATE TABLE IF NOT EXISTS "integration_run_stages" (
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
CREATE INDEX IF NOT EXISTS "integration_run_stages_page_idx" ON "integration_run_stages" (instance_id, run_id DESC, id ASC);

-- Version 2: recording

-- Recording: a unique key on run, stage and attempt, which the recorder's
-- attempt counter relies on, and two columns it writes.
--
-- Rows written before this version may share a run, stage and attempt
-- (attempt defaulted to 1). Such a group is renumbered 1, 2, 3... in the
-- order of its attempts, then ids, so that the key can be created and no
-- row is lost.
UPDATE "integration_run_stages" AS s SET attempt = d.rn FROM (
    SELECT id, row_number() OVER (PARTITION BY run_id, stage ORDER BY attempt, id) AS rn
    FROM "integration_run_stages"
    WHERE (run_id, stage) IN (
        SELECT run_id, stage FROM "integration_run_stages" GROUP BY run_id, stage, attempt HAVING COUNT(*) > 1
    )
) AS d
WHERE s.id = d.id AND s.attempt <> d.rn;

-- mode is the mode of the row's run, copied when the row is written so that
-- the mode filter reads it from the stage row; created_at is when the row
-- was written (queued or started), which tells how long a queued row has
-- waited. Both are NULL for rows written before this version by other means.
ALTER TABLE "integration_run_stages" ADD COLUMN mode TEXT;
ALTER TABLE "integration_run_stages" ADD COLUMN created_at DATETIME;

UPDATE "integration_run_stages" AS s SET mode = r.mode
FROM "integration_runs" AS r
WHERE r.id = s.run_id AND r.instance_id = s.instance_id AND s.mode IS NULL;

CREATE UNIQUE INDEX "integration_run_stages_attempt_idx" ON "integration_run_stages" (run_id, stage, attempt);

-- Stale finds the rows that have not finished through this index, which
-- holds only them.
CREATE INDEX "integration_run_stages_unfinished_idx" ON "integration_run_stages" (instance_id) WHERE finished_at IS NULL;
