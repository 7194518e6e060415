DELETE FROM `integration_run_stages` WHERE instance_id = ? ORDER BY run_id DESC, id ASC LIMIT ?
-- args: int64(7), int(5000)
