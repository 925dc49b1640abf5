-- The least a first-day scan must do on SQLite under the schema issue 17 proposes, all in SQL:
-- read each open task's inputs (the floor's read plus the newest report filed on time), judge it
-- with a CASE, write its state only (no history row: the history begins from the state), and
-- write the intents the real ladder owes (deadline steps by due date, missing-report steps by
-- streak, to the lead and supporting departments, their leaders, the office and the group) with
-- their key's parts only: no payload ('{}', as new rows would carry after the change).
-- The ladder is judged once per distinct input in Python (bench/scan_lower_bound.py fills
-- bench_due_steps, bench_streak_steps, bench_recipients and bench_weeks from wufei's own ladder)
-- and joined back here. Statements are parted by a line holding only `;`; :day is the scan's day,
-- :week the last closed week (its reminders skip tasks that filed it late), :weeks the number of
-- closed windows, :now the creation time.
CREATE TEMP TABLE scan_input AS
SELECT t.id AS task_id, t.due_date, r.progress, r.week_start,
    (SELECT r3.week_start FROM reports AS r3
     WHERE r3.task_id = t.id AND r3.late = 0 AND r3.status != 'returned'
     ORDER BY r3.week_start DESC LIMIT 1) AS last_on_time,
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
SELECT s.task_id, s.due_date, s.progress, s.week_start, s.milestone_due, s.expected_progress,
    coalesce(w.after, :weeks) AS streak,
    CASE WHEN s.due_date IS NOT NULL AND s.due_date < :day THEN 'red'
         WHEN coalesce(w.after, :weeks) >= 3 THEN 'red'
         WHEN s.expected_progress IS NOT NULL AND coalesce(s.progress, 0) < s.expected_progress THEN 'yellow'
         ELSE 'green' END AS light,
    CASE WHEN s.due_date IS NOT NULL AND s.due_date < :day THEN 'overdue'
         WHEN coalesce(w.after, :weeks) >= 3 THEN 'missing'
         ELSE 'lag' END AS rules
FROM scan_input AS s
LEFT JOIN bench_weeks AS w ON w.week_start = s.last_on_time
;
INSERT INTO light_states (task_id, judged_on, light, rules, recheck_on, inputs, escalate_on)
SELECT task_id, :day, light, rules, milestone_due,
    printf('%s|%s|%s|%s|%s|%s|%d', due_date, progress, week_start, milestone_due, expected_progress, light, streak),
    due_date
FROM judged
;
INSERT INTO notice_intents (key, kind, step, audience, department_id, task_id, period, created_on, created_at, payload)
SELECT o.step || '|task:' || o.task_id || '|' || o.period_name || ':' || o.period || '|' || r.audience
        || '|dept:' || coalesce(td.department_id, '-'),
    o.kind, o.step, r.audience, td.department_id, o.task_id, o.period, :day, :now, '{}'
FROM (
    SELECT j.task_id, d.step, d.kind, 'due' AS period_name, j.due_date AS period
    FROM judged AS j JOIN bench_due_steps AS d ON d.due_date = j.due_date
    UNION ALL
    SELECT j.task_id, m.step, m.kind, 'week', m.period
    FROM judged AS j JOIN bench_streak_steps AS m ON m.streak = j.streak
    WHERE m.reminds = 0 OR NOT EXISTS (
        SELECT 1 FROM reports AS late WHERE late.task_id = j.task_id AND late.week_start = :week AND late.late = 1)
) AS o
JOIN bench_recipients AS r ON r.step = o.step
LEFT JOIN task_departments AS td ON td.task_id = o.task_id AND td.role = r.role
WHERE r.role IS NULL OR td.department_id IS NOT NULL
