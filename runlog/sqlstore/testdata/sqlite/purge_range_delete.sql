DELETE FROM "integration_run_stages" WHERE instance_id = ? AND run_id <= ? AND run_id >= ? AND NOT (run_id = ? AND id > ?)
-- args: int64(7), int64(9223372036854775807), int64(9), int64(9), int64(20)
