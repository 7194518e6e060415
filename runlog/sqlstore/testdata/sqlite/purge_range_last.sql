SELECT run_id, id FROM "integration_run_stages" WHERE instance_id = ? AND run_id <= ? ORDER BY run_id DESC, id ASC LIMIT 1 OFFSET ?
-- args: int64(7), int64(9223372036854775807), int(4999)
