-- The daily scan's I/O floor on PostgreSQL: read what the scan reads for every open task (the
-- task, its newest report not returned, its next milestone) and write one row per task, in one
-- statement. bench/daily_scan.py times it beside the scan and prints the ratio.
INSERT INTO bench_floor (task_id, as_of, progress, week_start, milestone_due, milestone_expected)
SELECT t.id, CAST(:day AS date), r.progress, r.week_start, m.due_date, m.expected_progress
FROM tasks AS t
LEFT JOIN LATERAL (
    SELECT r2.progress, r2.week_start FROM reports AS r2
    WHERE r2.task_id = t.id AND r2.status != 'returned'
    ORDER BY r2.week_start DESC, r2.version DESC
    LIMIT 1
) AS r ON true
LEFT JOIN LATERAL (
    SELECT m2.due_date, m2.expected_progress FROM milestones AS m2
    WHERE m2.task_id = t.id AND m2.due_date >= CAST(:day AS date)
    ORDER BY m2.due_date
    LIMIT 1
) AS m ON true
WHERE t.completed_on IS NULL OR t.completed_on > CAST(:day AS date)
