SELECT s.run_id, s.id FROM `integration_run_stages` AS s FORCE INDEX (`integration_run_stages_page_idx`) WHERE s.instance_id = ? AND s.run_id <= ? ORDER BY s.run_id DESC, s.id ASC LIMIT 1 OFFSET ?
-- args: int64(7), int64(9223372036854775807), int(4999)
