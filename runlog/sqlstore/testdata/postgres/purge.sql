DELETE FROM "integration_run_stages" WHERE id = ANY (ARRAY(SELECT id FROM "integration_run_stages" WHERE instance_id = $1 ORDER BY run_id DESC, id ASC LIMIT $2))
-- args: int64(7), int(5000)
