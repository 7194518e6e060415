-- Runs, one row per run of an integration instance. Times are DATETIME(6)
-- in UTC (the driver's default loc). utf8mb4 keeps every character, and
-- utf8mb4_bin compares values byte for byte, as SQLite and PostgreSQL do.
CREATE TABLE IF NOT EXISTS {{runs}} (
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
CREATE TABLE IF NOT EXISTS {{stages}} (
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
    INDEX {{stages_index}} (instance_id, run_id DESC, id ASC)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;
