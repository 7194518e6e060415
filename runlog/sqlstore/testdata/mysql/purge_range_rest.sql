DELETE s FROM `integration_run_stages` AS s FORCE INDEX (`integration_run_stages_page_idx`) WHERE s.instance_id = ? AND s.run_id <= ?
-- args: int64(7), int64(8)
