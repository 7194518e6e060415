SELECT run_id, id FROM "integration_run_stages" WHERE instance_id = $1 AND run_id <= $2 ORDER BY run_id DESC, id ASC LIMIT 1 OFFSET $3
-- args: int64(7), int64(9223372036854775807), int(4999)
