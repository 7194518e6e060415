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

-- Version 3: listing

-- Listing: what a list page reads, held by the paging index, so that a
-- filtered page checks its filters on index entries and never reads the
-- table for the rows it does not show, and a page never reads large values.
--
-- The index holds, besides stage, status and the stage row's mode:
--
--   - started_key, a comparable key of started_at, which the time filters
--     compare: the stored time in UTC, to the nanosecond, for any of the
--     forms a driver writes: this schema's own
--     ("2006-01-02 15:04:05.999999999+00:00", in any zone), none
--     ("2006-01-02 15:04:05", as SQLite's functions write), RFC 3339 with
--     its T and Z, time.Time.String() (modernc.org/sqlite without
--     _time_format), and years past 9999. The key is the seconds since 1970
--     plus 10^11 as 18 digits, a dot and the nanoseconds as 9 digits; NULL
--     for text that is no time. strftime reads the date, the time and the
--     offset of the year moved into 2000-2399 (the calendar repeats every
--     400 years), the 400-year cycles are added back, and the fraction is
--     taken from the text (julianday would lose microseconds and stop at
--     year 9999). Two triggers keep it, whoever writes started_at.
--   - the first 257 characters of the error summary and the first 513 of
--     the metrics: what the Details cell needs, and one more to tell that a
--     text was cut. SQLite reads a value in full to return any part of it.
--     They are expressions, which the list spells the same way: SQLite
--     reads an indexed expression from the index, but computes a generated
--     column from the row.
--
-- The key is a column kept by triggers, not an indexed expression: SQLite
-- compiles an index's expressions into every statement that writes any
-- column of the index (a stage's finish, which sets its status), and the
-- key's is long (some 0.2 ms to compile); a trigger on started_at is
-- compiled into the statements that write started_at only. Filling the key
-- and building the index read every row once.
ALTER TABLE "integration_run_stages" ADD COLUMN started_key TEXT;

UPDATE "integration_run_stages" SET started_key = CASE WHEN (instr(started_at, '-')) BETWEEN 5 AND 10 AND CAST(substr(started_at, 1, (instr(started_at, '-')) - 1) AS TEXT) NOT GLOB '*[^0-9]*' AND (CAST(substr(started_at, 1, (instr(started_at, '-')) - 1) AS INTEGER)) >= 1 AND datetime((printf('%04d', 2000 + (CAST(substr(started_at, 1, (instr(started_at, '-')) - 1) AS INTEGER)) % 400) || CAST(substr(started_at, (instr(started_at, '-')), 15) AS TEXT))) = replace((printf('%04d', 2000 + (CAST(substr(started_at, 1, (instr(started_at, '-')) - 1) AS INTEGER)) % 400) || CAST(substr(started_at, (instr(started_at, '-')), 15) AS TEXT)), 'T', ' ') AND ((substr((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT)), 1, length((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT))) - length((ltrim((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT)), '.0123456789'))))) = '' OR substr((substr((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT)), 1, length((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT))) - length((ltrim((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT)), '.0123456789'))))), 1, 1) = '.' AND length((substr((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT)), 1, length((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT))) - length((ltrim((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT)), '.0123456789')))))) BETWEEN 2 AND 10 AND substr((substr((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT)), 1, length((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT))) - length((ltrim((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT)), '.0123456789'))))), 2) NOT GLOB '*[^0-9]*') THEN substr('00000000000000000' || (CAST(strftime('%s', (printf('%04d', 2000 + (CAST(substr(started_at, 1, (instr(started_at, '-')) - 1) AS INTEGER)) % 400) || CAST(substr(started_at, (instr(started_at, '-')), 15) AS TEXT)) || (CASE WHEN (ltrim((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT)), '.0123456789')) IN ('', 'Z') OR (ltrim((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT)), '.0123456789')) GLOB '[+-][0-9][0-9]:[0-9][0-9]' THEN (ltrim((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT)), '.0123456789')) WHEN (ltrim((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT)), '.0123456789')) GLOB '[+-][0-9][0-9][0-9][0-9]' THEN substr((ltrim((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT)), '.0123456789')), 1, 3) || ':' || substr((ltrim((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT)), '.0123456789')), 4) WHEN (ltrim((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT)), '.0123456789')) GLOB ' [+-][0-9][0-9][0-9][0-9]' OR (ltrim((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT)), '.0123456789')) GLOB ' [+-][0-9][0-9][0-9][0-9] *' THEN substr((ltrim((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT)), '.0123456789')), 2, 3) || ':' || substr((ltrim((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT)), '.0123456789')), 5, 2) END)) AS INTEGER) + ((CAST(substr(started_at, 1, (instr(started_at, '-')) - 1) AS INTEGER)) / 400 - 5) * 12622780800 + 100000000000), -18) || '.' || substr(substr((substr((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT)), 1, length((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT))) - length((ltrim((CAST(substr(started_at, (instr(started_at, '-')) + 15) AS TEXT)), '.0123456789'))))), 2) || '000000000', 1, 9) END WHERE started_at IS NOT NULL;

CREATE TRIGGER "integration_run_stages_list_insert" AFTER INSERT ON "integration_run_stages" BEGIN
    UPDATE "integration_run_stages" SET started_key = CASE WHEN (instr(NEW.started_at, '-')) BETWEEN 5 AND 10 AND CAST(substr(NEW.started_at, 1, (instr(NEW.started_at, '-')) - 1) AS TEXT) NOT GLOB '*[^0-9]*' AND (CAST(substr(NEW.started_at, 1, (instr(NEW.started_at, '-')) - 1) AS INTEGER)) >= 1 AND datetime((printf('%04d', 2000 + (CAST(substr(NEW.started_at, 1, (instr(NEW.started_at, '-')) - 1) AS INTEGER)) % 400) || CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')), 15) AS TEXT))) = replace((printf('%04d', 2000 + (CAST(substr(NEW.started_at, 1, (instr(NEW.started_at, '-')) - 1) AS INTEGER)) % 400) || CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')), 15) AS TEXT)), 'T', ' ') AND ((substr((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), 1, length((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT))) - length((ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789'))))) = '' OR substr((substr((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), 1, length((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT))) - length((ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789'))))), 1, 1) = '.' AND length((substr((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), 1, length((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT))) - length((ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789')))))) BETWEEN 2 AND 10 AND substr((substr((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), 1, length((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT))) - length((ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789'))))), 2) NOT GLOB '*[^0-9]*') THEN substr('00000000000000000' || (CAST(strftime('%s', (printf('%04d', 2000 + (CAST(substr(NEW.started_at, 1, (instr(NEW.started_at, '-')) - 1) AS INTEGER)) % 400) || CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')), 15) AS TEXT)) || (CASE WHEN (ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789')) IN ('', 'Z') OR (ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789')) GLOB '[+-][0-9][0-9]:[0-9][0-9]' THEN (ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789')) WHEN (ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789')) GLOB '[+-][0-9][0-9][0-9][0-9]' THEN substr((ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789')), 1, 3) || ':' || substr((ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789')), 4) WHEN (ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789')) GLOB ' [+-][0-9][0-9][0-9][0-9]' OR (ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789')) GLOB ' [+-][0-9][0-9][0-9][0-9] *' THEN substr((ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789')), 2, 3) || ':' || substr((ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789')), 5, 2) END)) AS INTEGER) + ((CAST(substr(NEW.started_at, 1, (instr(NEW.started_at, '-')) - 1) AS INTEGER)) / 400 - 5) * 12622780800 + 100000000000), -18) || '.' || substr(substr((substr((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), 1, length((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT))) - length((ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789'))))), 2) || '000000000', 1, 9) END WHERE rowid = NEW.rowid; END;

CREATE TRIGGER "integration_run_stages_list_update" AFTER UPDATE OF started_at ON "integration_run_stages" BEGIN
    UPDATE "integration_run_stages" SET started_key = CASE WHEN (instr(NEW.started_at, '-')) BETWEEN 5 AND 10 AND CAST(substr(NEW.started_at, 1, (instr(NEW.started_at, '-')) - 1) AS TEXT) NOT GLOB '*[^0-9]*' AND (CAST(substr(NEW.started_at, 1, (instr(NEW.started_at, '-')) - 1) AS INTEGER)) >= 1 AND datetime((printf('%04d', 2000 + (CAST(substr(NEW.started_at, 1, (instr(NEW.started_at, '-')) - 1) AS INTEGER)) % 400) || CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')), 15) AS TEXT))) = replace((printf('%04d', 2000 + (CAST(substr(NEW.started_at, 1, (instr(NEW.started_at, '-')) - 1) AS INTEGER)) % 400) || CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')), 15) AS TEXT)), 'T', ' ') AND ((substr((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), 1, length((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT))) - length((ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789'))))) = '' OR substr((substr((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), 1, length((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT))) - length((ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789'))))), 1, 1) = '.' AND length((substr((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), 1, length((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT))) - length((ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789')))))) BETWEEN 2 AND 10 AND substr((substr((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), 1, length((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT))) - length((ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789'))))), 2) NOT GLOB '*[^0-9]*') THEN substr('00000000000000000' || (CAST(strftime('%s', (printf('%04d', 2000 + (CAST(substr(NEW.started_at, 1, (instr(NEW.started_at, '-')) - 1) AS INTEGER)) % 400) || CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')), 15) AS TEXT)) || (CASE WHEN (ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789')) IN ('', 'Z') OR (ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789')) GLOB '[+-][0-9][0-9]:[0-9][0-9]' THEN (ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789')) WHEN (ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789')) GLOB '[+-][0-9][0-9][0-9][0-9]' THEN substr((ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789')), 1, 3) || ':' || substr((ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789')), 4) WHEN (ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789')) GLOB ' [+-][0-9][0-9][0-9][0-9]' OR (ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789')) GLOB ' [+-][0-9][0-9][0-9][0-9] *' THEN substr((ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789')), 2, 3) || ':' || substr((ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789')), 5, 2) END)) AS INTEGER) + ((CAST(substr(NEW.started_at, 1, (instr(NEW.started_at, '-')) - 1) AS INTEGER)) / 400 - 5) * 12622780800 + 100000000000), -18) || '.' || substr(substr((substr((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), 1, length((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT))) - length((ltrim((CAST(substr(NEW.started_at, (instr(NEW.started_at, '-')) + 15) AS TEXT)), '.0123456789'))))), 2) || '000000000', 1, 9) END WHERE rowid = NEW.rowid; END;

DROP INDEX "integration_run_stages_page_idx";
CREATE INDEX "integration_run_stages_page_idx" ON "integration_run_stages" (instance_id, run_id DESC, id ASC, stage, status, mode, started_key, substr(CAST(error_summary AS TEXT), 1, 257), substr(CAST(metrics_json AS TEXT), 1, 513));
