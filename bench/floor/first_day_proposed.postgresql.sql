-- bench/floor/first_day_proposed.sqlite.sql on PostgreSQL (see there): the least a first-day scan
-- must do under the schema issue 17 proposes, all in SQL: the read, judged by a CASE, the state
-- only, and the real ladder's intents with their key's parts only ('{}' for the payload).
CREATE TEMP TABLE scan_input AS
SELECT t.id AS task_id, t.due_date, r.progress, r.week_start,
    (SELECT r3.week_start FROM reports AS r3
     WHERE r3.task_id = t.id AND NOT r3.late AND r3.status != 'returned'
     ORDER BY r3.week_start DESC LIMIT 1) AS last_on_time,
    m.due_date AS milestone_due, m.expected_progress
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
;
CREATE TEMP TABLE judged AS
SELECT s.task_id, s.due_date, s.progress, s.week_start, s.milestone_due, s.expected_progress,
    coalesce(w.after, CAST(:weeks AS integer)) AS streak,
    CASE WHEN s.due_date IS NOT NULL AND s.due_date < CAST(:day AS date) THEN 'red'
         WHEN coalesce(w.after, CAST(:weeks AS integer)) >= 3 THEN 'red'
         WHEN s.expected_progress IS NOT NULL AND coalesce(s.progress, 0) < s.expected_progress THEN 'yellow'
         ELSE 'green' END AS light,
    CASE WHEN s.due_date IS NOT NULL AND s.due_date < CAST(:day AS date) THEN 'overdue'
         WHEN coalesce(w.after, CAST(:weeks AS integer)) >= 3 THEN 'missing'
         ELSE 'lag' END AS rules
FROM scan_input AS s
LEFT JOIN bench_weeks AS w ON w.week_start = s.last_on_time
;
INSERT INTO light_states (task_id, judged_on, light, rules, recheck_on, inputs, escalate_on)
SELECT task_id, CAST(:day AS date), light, rules, milestone_due,
    concat_ws('|', due_date, progress, week_start, milestone_due, expected_progress, light, streak),
    due_date
FROM judged
;
INSERT INTO notice_intents (key, kind, step, audience, department_id, task_id, period, created_on, created_at, payload)
SELECT o.step || '|task:' || o.task_id || '|' || o.period_name || ':' || o.period || '|' || r.audience
        || '|dept:' || coalesce(CAST(td.department_id AS text), '-'),
    o.kind, o.step, r.audience, td.department_id, o.task_id, o.period, CAST(:day AS date),
    CAST(:now AS timestamptz), CAST('{}' AS json)
FROM (
    SELECT j.task_id, d.step, d.kind, 'due' AS period_name, CAST(j.due_date AS text) AS period
    FROM judged AS j JOIN bench_due_steps AS d ON d.due_date = j.due_date
    UNION ALL
    SELECT j.task_id, m.step, m.kind, 'week', m.period
    FROM judged AS j JOIN bench_streak_steps AS m ON m.streak = j.streak
    WHERE NOT m.reminds OR NOT EXISTS (
        SELECT 1 FROM reports AS late WHERE late.task_id = j.task_id AND late.week_start = CAST(:week AS date) AND late.late)
) AS o
JOIN bench_recipients AS r ON r.step = o.step
LEFT JOIN task_departments AS td ON td.task_id = o.task_id AND td.role = r.role
WHERE r.role IS NULL OR td.department_id IS NOT NULL
