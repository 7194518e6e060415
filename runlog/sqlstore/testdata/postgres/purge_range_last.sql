SELECT s.run_id, s.id FROM "integration_run_stages" AS s WHERE s.instance_id = $1 AND s.run_id <= $2 ORDER BY s.run_id DESC, s.id ASC LIMIT 1 OFFSET $3
-- args: int64(7), int64(9223372036854775807), int(4999)
