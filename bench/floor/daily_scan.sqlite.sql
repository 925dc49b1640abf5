-- The daily scan's I/O floor on SQLite: read what the scan reads for every open task (the task,
-- its newest report not returned, its next milestone) and write one row per task, in one
-- statement. bench/daily_scan.py times it beside the scan and prints the ratio.
-- The day parameter is the scan's day (ISO text, as wufei stores dates).
INSERT INTO bench_floor (task_id, as_of, progress, week_start, milestone_due, milestone_expected)
SELECT t.id, :day, r.progress, r.week_start, m.due_date, m.expected_progress
FROM tasks AS t
LEFT JOIN reports AS r ON r.id = (
    SELECT r2.id FROM reports AS r2
    WHERE r2.task_id = t.id AND r2.status != 'returned'
    ORDER BY r2.week_start DESC, r2.version DESC
    LIMIT 1
)
LEFT JOIN milestones AS m ON m.id = (
    SELECT m2.id FROM milestones AS m2
    WHERE m2.task_id = t.id AND m2.due_date >= :day
    ORDER BY m2.due_date
    LIMIT 1
)
WHERE t.completed_on IS NULL OR t.completed_on > :day
