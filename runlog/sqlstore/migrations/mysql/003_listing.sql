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
ALTER TABLE {{stages}}
    ADD COLUMN summary_head VARCHAR(257) NULL,
    ADD COLUMN metrics_head VARCHAR(513) NULL,
    DROP INDEX {{stages_index}},
    ADD INDEX {{stages_index}} (instance_id, run_id DESC, id ASC, stage, status, mode, started_at);

UPDATE {{stages}} SET summary_head = LEFT(error_summary, 257), metrics_head = LEFT(metrics_json, 513)
WHERE error_summary IS NOT NULL OR metrics_json IS NOT NULL;

CREATE TRIGGER {{index_qualifier}}{{list_insert}} BEFORE INSERT ON {{stages}} FOR EACH ROW
SET NEW.summary_head = LEFT(NEW.error_summary, 257), NEW.metrics_head = LEFT(NEW.metrics_json, 513);

CREATE TRIGGER {{index_qualifier}}{{list_update}} BEFORE UPDATE ON {{stages}} FOR EACH ROW
SET NEW.summary_head = LEFT(NEW.error_summary, 257), NEW.metrics_head = LEFT(NEW.metrics_json, 513);
