DELETE FROM "integration_run_stages" WHERE instance_id = $1 AND run_id <= $2
-- args: int64(7), int64(8)
