-- Version 1: tables

-- Runs, one row per run of an integration instance. Times are DATETIME(6)
-- in UTC (the driver's default loc). utf8mb4 keeps every character, and
-- utf8mb4_bin compares values byte for byte, as SQLite and PostgreSQL do.
CREATE TABLE IF NOT EXISTS `integration_runs` (
    id           BIGINT      NOT NULL AUTO_INCREMENT,
    instance_id  BIGINT      NOT NULL,
    mode         VARCHAR(64) NOT NULL,
    status       VARCHAR(64) NOT NULL,
    debug        BOOLEAN     NOT NULL DEFAULT FALSE,
    summary_json LONGTEXT,
    created_at   DATETIME(6) NOT NULL DEFAULT (UTC_TIMESTAMP(6)),
    started_at   DATETIME(6) NULL,
    finished_at  DATETIME(6) NULL,
    PRIMARY KEY (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Stage rows, the lines of the Logs tab. Payloads and metrics are LONGTEXT,
-- not JSON, which MySQL stores with its keys reordered. The paging index
-- (read in both directions with no sort; purge finds an instance's rows
-- through it) is declared here because MySQL has no CREATE INDEX IF NOT
-- EXISTS.
-- error_payload is the last column: a list page reads the columns before it,
-- and on SQLite reading a column past a large value walks all its pages.
CREATE TABLE IF NOT EXISTS `integration_run_stages` (
    id            BIGINT      NOT NULL AUTO_INCREMENT,
    instance_id   BIGINT      NOT NULL,
    run_id        BIGINT      NOT NULL,
    stage         VARCHAR(64) NOT NULL,
    status        VARCHAR(64) NOT NULL,
    attempt       INT         NOT NULL DEFAULT 1,
    started_at    DATETIME(6) NULL,
    finished_at   DATETIME(6) NULL,
    error_summary LONGTEXT,
    metrics_json  LONGTEXT,
    error_payload LONGTEXT,
    PRIMARY KEY (id),
    INDEX `integration_run_stages_page_idx` (instance_id, run_id DESC, id ASC)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Version 2: recording

-- Recording: a unique key on run, stage and attempt, which the recorder's
-- attempt counter relies on, and two columns it writes.
--
-- Rows written before this version may share a run, stage and attempt
-- (attempt defaulted to 1). Such a group is renumbered 1, 2, 3... in the
-- order of its attempts, then ids, so that the key can be created and no
-- row is lost. The derived table is materialised before the update, so
-- MySQL lets it read the table it updates.
UPDATE `integration_run_stages` AS s JOIN (
    SELECT id, row_number() OVER (PARTITION BY run_id, stage ORDER BY attempt, id) AS rn
    FROM `integration_run_stages`
    WHERE (run_id, stage) IN (
        SELECT run_id, stage FROM `integration_run_stages` GROUP BY run_id, stage, attempt HAVING COUNT(*) > 1
    )
) AS d ON s.id = d.id
SET s.attempt = d.rn
WHERE s.attempt <> d.rn;

-- mode is the mode of the row's run, copied when the row is written so that
-- the mode filter reads it from the stage row; created_at is when the row
-- was written (queued or started), which tells how long a queued row has
-- waited. Both are NULL for rows written before this version by other means.
-- One ALTER TABLE, so that it applies whole or not at all. Stale finds the
-- rows that have not finished (finished_at NULL) through the second index.
ALTER TABLE `integration_run_stages`
    ADD COLUMN mode VARCHAR(64) NULL,
    ADD COLUMN created_at DATETIME(6) NULL,
    ADD UNIQUE INDEX `integration_run_stages_attempt_idx` (run_id, stage, attempt),
    ADD INDEX `integration_run_stages_unfinished_idx` (instance_id, finished_at);

UPDATE `integration_run_stages` AS s JOIN `integration_runs` AS r ON r.id = s.run_id AND r.instance_id = s.instance_id
SET s.mode = r.mode
WHERE s.mode IS NULL;

-- Version 3: listing

-- Listing: what a list page reads, so that a page never reads the table for
-- the rows it does not show, nor large values.
--
-- summary_head and metrics_head are the first 257 and 513 characters of the
-- error summary and the metrics: what the Details cell needs, and one more
-- to tell that a text was cut. InnoDB reads a long text in full to return
-- any part of it, and MariaDB reads the columns a generated column is made
-- of whenever it reads that column: the heads are plain columns, which two
-- triggers keep, whoever writes the row. (With binary logging on, creating
-- a trigger takes the SUPER privilege or log_bin_trust_function_creators.)
--
-- The paging index now covers what the filters check: a filtered page
-- reads stage, status, the stage row's mode and the start time from index
-- entries.
ALTER TABLE `integration_run_stages`
    ADD COLUMN summary_head VARCHAR(257) NULL,
    ADD COLUMN metrics_head VARCHAR(513) NULL,
    DROP INDEX `integration_run_stages_page_idx`,
    ADD INDEX `integration_run_stages_page_idx` (instance_id, run_id DESC, id ASC, stage, status, mode, started_at);

UPDATE `integration_run_stages` SET summary_head = LEFT(error_summary, 257), metrics_head = LEFT(metrics_json, 513)
WHERE error_summary IS NOT NULL OR metrics_json IS NOT NULL;

CREATE TRIGGER `integration_run_stages_list_insert` BEFORE INSERT ON `integration_run_stages` FOR EACH ROW
SET NEW.summary_head = LEFT(NEW.error_summary, 257), NEW.metrics_head = LEFT(NEW.metrics_json, 513);

CREATE TRIGGER `integration_run_stages_list_update` BEFORE UPDATE ON `integration_run_stages` FOR EACH ROW
SET NEW.summary_head = LEFT(NEW.error_summary, 257), NEW.metrics_head = LEFT(NEW.metrics_json, 513);
