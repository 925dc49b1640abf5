-- bench/floor/first_day_digest.sqlite.sql on PostgreSQL (see there): the proposed bound's intents
-- gathered per step, audience and department for the day.
INSERT INTO notice_intents (key, kind, step, audience, department_id, task_id, period, created_on, created_at, payload)
SELECT 'digest|' || o.step || '|day:' || :day || '|' || r.audience
        || '|dept:' || coalesce(CAST(td.department_id AS text), '-'),
    min(o.kind), o.step, r.audience, td.department_id, NULL, :day, CAST(:day AS date),
    CAST(:now AS timestamptz), CAST('{}' AS json)
FROM (
    SELECT j.task_id, d.step, d.kind
    FROM judged AS j JOIN bench_due_steps AS d ON d.due_date = j.due_date
    UNION ALL
    SELECT j.task_id, m.step, m.kind
    FROM judged AS j JOIN bench_streak_steps AS m ON m.streak = j.streak
    WHERE NOT m.reminds OR NOT EXISTS (
        SELECT 1 FROM reports AS late WHERE late.task_id = j.task_id AND late.week_start = CAST(:week AS date) AND late.late)
) AS o
JOIN bench_recipients AS r ON r.step = o.step
LEFT JOIN task_departments AS td ON td.task_id = o.task_id AND td.role = r.role
WHERE r.role IS NULL OR td.department_id IS NOT NULL
GROUP BY o.step, r.audience, td.department_id
