DELETE FROM "integration_run_stages" AS s WHERE s.instance_id = $1 AND s.run_id <= $2 AND s.run_id >= $3 AND NOT (s.run_id = $4 AND s.id > $5)
-- args: int64(7), int64(9223372036854775807), int64(9), int64(9), int64(20)
