DELETE FROM "integration_run_stages" WHERE instance_id = ? AND run_id <= ?
-- args: int64(7), int64(8)
