DELETE FROM "integration_run_stages" AS s WHERE s.instance_id = ? AND s.run_id <= ?
-- args: int64(7), int64(8)
