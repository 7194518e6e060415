-- Listing: what a list page reads, so that a page never reads the table for
-- the rows it does not show, nor large values.
--
-- summary_head and metrics_head are the first 257 and 513 characters of the
-- error summary and the metrics: what the Details cell needs, and one more
-- to tell that a text was cut. InnoDB reads a long text in full to return
-- any part of it; the heads are stored in the row. The paging index now
-- covers what the filters check: a filtered page reads stage, status, the
-- stage row's mode and the start time from index entries. One ALTER TABLE,
-- which rebuilds the table once.
ALTER TABLE {{stages}}
    ADD COLUMN summary_head VARCHAR(257) AS (LEFT(error_summary, 257)) STORED,
    ADD COLUMN metrics_head VARCHAR(513) AS (LEFT(metrics_json, 513)) STORED,
    DROP INDEX {{stages_index}},
    ADD INDEX {{stages_index}} (instance_id, run_id DESC, id ASC, stage, status, mode, started_at);
