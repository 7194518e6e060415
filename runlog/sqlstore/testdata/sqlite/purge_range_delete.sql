DELETE FROM "integration_run_stages" AS s WHERE s.instance_id = ? AND s.run_id <= ? AND s.run_id >= ? AND NOT (s.run_id = ? AND s.id > ?)
-- args: int64(7), int64(9223372036854775807), int64(9), int64(9), int64(20)
