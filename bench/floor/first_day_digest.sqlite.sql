-- The intents of bench/floor/first_day_proposed.sqlite.sql gathered per department instead of per
-- task: one intent per step, audience and department (the office's and the group's: one each) for
-- the day, what it is about left to delivery to read from the states. The same owed rows are
-- computed and grouped; only the write is smaller. bench/scan_lower_bound.py runs it in place of
-- the proposed bound's last statement, to show what a digest's intent would cost the scan.
INSERT INTO notice_intents (key, kind, step, audience, department_id, task_id, period, created_on, created_at, payload)
SELECT 'digest|' || o.step || '|day:' || :day || '|' || r.audience || '|dept:' || coalesce(td.department_id, '-'),
    min(o.kind), o.step, r.audience, td.department_id, NULL, :day, :day, :now, '{}'
FROM (
    SELECT j.task_id, d.step, d.kind
    FROM judged AS j JOIN bench_due_steps AS d ON d.due_date = j.due_date
    UNION ALL
    SELECT j.task_id, m.step, m.kind
    FROM judged AS j JOIN bench_streak_steps AS m ON m.streak = j.streak
    WHERE m.reminds = 0 OR NOT EXISTS (
        SELECT 1 FROM reports AS late WHERE late.task_id = j.task_id AND late.week_start = :week AND late.late = 1)
) AS o
JOIN bench_recipients AS r ON r.step = o.step
LEFT JOIN task_departments AS td ON td.task_id = o.task_id AND td.role = r.role
WHERE r.role IS NULL OR td.department_id IS NOT NULL
GROUP BY o.step, r.audience, td.department_id
