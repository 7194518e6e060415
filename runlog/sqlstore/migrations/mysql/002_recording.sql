-- Recording: a unique key on run, stage and attempt, which the recorder's
-- attempt counter relies on, and two columns it writes.
--
-- Rows written before this version may share a run, stage and attempt
-- (attempt defaulted to 1). Such a group is renumbered 1, 2, 3... in the
-- order of its attempts, then ids, so that the key can be created and no
-- row is lost. The derived table is materialised before the update, so
-- MySQL lets it read the table it updates.
UPDATE {{stages}} AS s JOIN (
    SELECT id, row_number() OVER (PARTITION BY run_id, stage ORDER BY attempt, id) AS rn
    FROM {{stages}}
    WHERE (run_id, stage) IN (
        SELECT run_id, stage FROM {{stages}} GROUP BY run_id, stage, attempt HAVING COUNT(*) > 1
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
ALTER TABLE {{stages}}
    ADD COLUMN mode VARCHAR(64) NULL,
    ADD COLUMN created_at DATETIME(6) NULL,
    ADD UNIQUE INDEX {{attempt_index}} (run_id, stage, attempt),
    ADD INDEX {{unfinished_index}} (instance_id, finished_at);

UPDATE {{stages}} AS s JOIN {{runs}} AS r ON r.id = s.run_id AND r.instance_id = s.instance_id
SET s.mode = r.mode
WHERE s.mode IS NULL;
