DELETE FROM "integration_run_stages" WHERE instance_id = $1 AND run_id <= $2 AND run_id >= $3 AND NOT (run_id = $4 AND id > $5)
-- args: int64(7), int64(9223372036854775807), int64(9), int64(9), int64(20)
