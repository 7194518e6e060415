DELETE FROM "integration_run_stages" AS s WHERE s.instance_id = $1 AND s.run_id <= $2
-- args: int64(7), int64(8)
