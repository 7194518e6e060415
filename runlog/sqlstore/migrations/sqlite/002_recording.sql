-- Recording: a unique key on run, stage and attempt, which the recorder's
-- attempt counter relies on, and two columns it writes.
--
-- Rows written before this version may share a run, stage and attempt
-- (attempt defaulted to 1). Such a group is renumbered 1, 2, 3... in the
-- order of its attempts, then ids, so that the key can be created and no
-- row is lost.
UPDATE {{stages}} AS s SET attempt = d.rn FROM (
    SELECT id, row_number() OVER (PARTITION BY run_id, stage ORDER BY attempt, id) AS rn
    FROM {{stages}}
    WHERE (run_id, stage) IN (
        SELECT run_id, stage FROM {{stages}} GROUP BY run_id, stage, attempt HAVING COUNT(*) > 1
    )
) AS d
WHERE s.id = d.id AND s.attempt <> d.rn;

-- mode is the mode of the row's run, copied when the row is written so that
-- the mode filter reads it from the stage row; created_at is when the row
-- was written (queued or started), which tells how long a queued row has
-- waited. Both are NULL for rows written before this version by other means.
ALTER TABLE {{stages}} ADD COLUMN mode TEXT;
ALTER TABLE {{stages}} ADD COLUMN created_at DATETIME;

UPDATE {{stages}} AS s SET mode = r.mode
FROM {{runs}} AS r
WHERE r.id = s.run_id AND r.instance_id = s.instance_id AND s.mode IS NULL;

CREATE UNIQUE INDEX {{index_qualifier}}{{attempt_index}} ON {{stages_bare}} (run_id, stage, attempt);

-- Stale finds the rows that have not finished through this index, which
-- holds only them.
CREATE INDEX {{index_qualifier}}{{unfinished_index}} ON {{stages_bare}} (instance_id) WHERE finished_at IS NULL;
