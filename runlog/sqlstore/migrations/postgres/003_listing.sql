-- Listing: what a list page reads, so that a page never reads the table for
-- the rows it does not show, nor large values.
--
-- summary_head and metrics_head are the first 257 and 513 characters of the
-- error summary and the metrics: what the Details cell needs, and one more
-- to tell that a text was cut. A long text is stored out of line (TOAST),
-- and reading even its start costs a lookup per value; the heads are stored
-- in the row. Adding them rewrites the table once.
ALTER TABLE {{stages}}
    ADD COLUMN summary_head TEXT GENERATED ALWAYS AS (left(error_summary, 257)) STORED,
    ADD COLUMN metrics_head TEXT GENERATED ALWAYS AS (left(metrics_json, 513)) STORED;

-- The paging index, now covering what the filters check: a filtered page
-- reads stage, status, the stage row's mode and the start time from index
-- entries (an index-only scan where the visibility map allows).
DROP INDEX {{index_qualifier}}{{stages_index}};
CREATE INDEX {{stages_index}} ON {{stages}} (instance_id, run_id DESC, id ASC) INCLUDE (stage, status, mode, started_at);
