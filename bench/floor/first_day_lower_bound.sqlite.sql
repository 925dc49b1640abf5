-- The least any first-day scan must do on SQLite, all in SQL (no row passes through Python): read
-- each open task's inputs (the floor's read plus the newest report filed on time, for the missing-
-- report streak), judge it with a CASE, write its state and its first history row, and write an
-- intent with a JSON payload to the lead department of each red or yellow task. The real scan does
-- more (the whole ladder: deadline steps, missing-report steps, supporting departments and the
-- office; 17,345 intents at 20,000 tasks against 8,397 here; the inputs' fingerprint; recovery), so
-- its cost can only be above this one's. bench/scan_lower_bound.py times it against the floor.
-- Statements are parted by a line holding only `;`; :day is the scan's day.
CREATE TEMP TABLE scan_input AS
SELECT t.id AS task_id, t.title, t.due_date, t.completed_on, r.progress, r.week_start,
    (SELECT max(r3.week_start) FROM reports AS r3
     WHERE r3.task_id = t.id AND r3.late = 0 AND r3.status != 'returned') AS last_on_time,
    m.due_date AS milestone_due, m.expected_progress
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
;
CREATE TEMP TABLE judged AS
SELECT task_id, title, due_date,
    CASE WHEN due_date IS NOT NULL AND due_date < :day THEN 'red'
         WHEN last_on_time IS NULL OR julianday(:day) - julianday(last_on_time) > 21 THEN 'red'
         WHEN expected_progress IS NOT NULL AND coalesce(progress, 0) < expected_progress THEN 'yellow'
         ELSE 'green' END AS light,
    CASE WHEN due_date IS NOT NULL AND due_date < :day THEN 'overdue'
         WHEN last_on_time IS NULL OR julianday(:day) - julianday(last_on_time) > 21 THEN 'missing'
         ELSE 'lag' END AS rules,
    printf('进度%d%%，最近报送%s', coalesce(progress, 0), coalesce(week_start, '无')) AS reason,
    CAST(julianday(:day) - julianday(coalesce(last_on_time, '2023-01-02')) AS INTEGER) / 7 AS streak
FROM scan_input
;
INSERT INTO light_states (task_id, judged_on, light, rules, recheck_on, inputs, escalate_on)
SELECT task_id, :day, light, rules, due_date, printf('%d|%s', task_id, light), due_date FROM judged
;
INSERT INTO light_history (task_id, milestone_id, as_of, light, rules, reason, computed_at)
SELECT task_id, NULL, :day, light, rules, reason, :day FROM judged
;
INSERT INTO notice_intents (key, kind, step, audience, department_id, task_id, period, created_on, created_at, payload)
SELECT printf('%s|task:%d|dept:%d|%s', j.rules, j.task_id, td.department_id, :day),
    CASE j.light WHEN 'red' THEN 'red_slip' ELSE 'yellow_slip' END, j.rules, 'liaison', td.department_id,
    j.task_id, coalesce(j.due_date, :day), :day, :day,
    json_object('title', j.title, 'light', j.light, 'reason', j.reason, 'streak', j.streak, 'due', j.due_date)
FROM judged AS j
JOIN task_departments AS td ON td.task_id = j.task_id AND td.role = 'lead'
WHERE j.light IN ('red', 'yellow')
