"""How near the floor any first-day scan can come: set-based lower bounds, on this schema and on
the one issue 17 proposes.

Issue 17 asks the first-day scan for at most 3x the floor (bench/floor/daily_scan.<dialect>.sql:
read each open task's row, newest report and next milestone; write one row per task). The first
day must also read the newest report filed on time (the missing-report streak) and write the
light's state, its first history row and the escalation's intents. Two bounds, all in SQL, no
task's row passing through Python; whatever the code, a scan costs at least what its bound costs:

- this schema (SQLite only): `bench/floor/first_day_lower_bound.sqlite.sql`: the state, the first
  history row, and an intent with a JSON payload to the lead of each red or yellow task (fewer
  intents than the ladder makes);
- the proposed schema (both databases), `proposed`: `bench/floor/first_day_proposed.<dialect>.sql`: the state
  only (the history begins from it) and the intents the real ladder owes (deadline steps by due
  date, missing-report steps by streak, to lead and supporting departments, leaders, the office
  and the group) with their key's parts only. The ladder is judged in Python once per distinct
  due date and streak, with wufei's own ladder, calendar and cadence (`_ladder_tables`, inside the
  timing), and joined back in SQL. Three variants of it, to show what would fit:
  `digest intents` writes one intent per step, audience and department for the day
  (`bench/floor/first_day_digest.<dialect>.sql`: the same owed rows computed, then grouped), and
  `no intents` none at all (intents made at delivery, from the states); and `lean intents`, the
  proposed bound into a notice_intents without foreign keys or indexes but its id's and its key's
  (`_lean_intents`, before the timing).

Each is timed in turns with the floor (three each, medians) on fresh copies of the daily-scan data
(bench/daily_scan.py's build, kept as WUFEI_BENCH_KEEP=1 keeps it: a file under out/bench/, a
template database on the server), through wufei's own engine (SQLite's foreign keys on). CPU: on
SQLite this process's (SQLite runs in it); on PostgreSQL this process's plus the server backend's
(read from /proc, as bench/daily_scan.py does). WUFEI_BENCH_TASKS sets the size (default 20,000);
WUFEI_BENCH_DATABASES=sqlite (or postgresql) runs one; WUFEI_BENCH_STEPS=1 prints each statement's CPU.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import databases, env_int  # noqa: E402
from daily_scan import (  # noqa: E402
    FIRST_DAY,
    _built,
    _cpu_seconds,
    _serve_connection,
    _server_cpu_seconds,
)
from sqlalchemy import text  # noqa: E402

from wufei.cadence.config import CadenceConfig  # noqa: E402
from wufei.cadence.windows import windows_between  # noqa: E402
from wufei.calendar.workdays import WorkCalendar  # noqa: E402
from wufei.chinese import week_label  # noqa: E402
from wufei.db import make_engine  # noqa: E402
from wufei.escalation.ladder import Ladder, Recipient, missing_steps, steps_due  # noqa: E402

FLOOR_DIR = HERE / "floor"
# recipient → (audience, the role of the departments it goes to; None: no department)
_RECIPIENTS = {
    Recipient.LEAD_LIAISON: ("liaison", "lead"),
    Recipient.SUPPORTING_LIAISON: ("liaison", "supporting"),
    Recipient.LEAD_LEADER: ("leader", "lead"),
    Recipient.OFFICE: ("office", None),
    Recipient.GROUP: ("group", None),
}


def _statements(script: str) -> list[str]:
    body = "\n".join(line for line in script.splitlines() if not line.startswith("--"))
    return [part.strip() for part in body.split("\n;\n") if part.strip()]


def _ladder_tables(connection, day: date) -> dict[str, Any]:
    """The ladder judged once per distinct input, into temporary tables the proposed bound joins:
    bench_due_steps (due date → the deadline steps owed today), bench_streak_steps (streak → the
    missing-report steps and their period), bench_recipients (step → audience and role),
    bench_weeks (closed week → the closed windows after it). Returns the bound's parameters."""
    ladder, calendar, cadence = Ladder.load(), WorkCalendar(), CadenceConfig.load()
    dialect = connection.dialect.name
    flag = "boolean" if dialect == "postgresql" else "integer"

    def as_value(value: date) -> date | str:
        return value if dialect == "postgresql" else value.isoformat()

    for ddl in (
        # date on SQLite too: NUMERIC affinity, as the tables' date columns, or no index is used
        "CREATE TEMP TABLE bench_due_steps (due_date date, step text, kind text)",
        f"CREATE TEMP TABLE bench_streak_steps (streak integer, step text, kind text, period text, reminds {flag})",
        "CREATE TEMP TABLE bench_recipients (step text, audience text, role text)",
        "CREATE TEMP TABLE bench_weeks (week_start date PRIMARY KEY, after integer)",
    ):
        connection.execute(text(ddl))
    open_on = {"day": as_value(day)}
    dues = connection.execute(
        text(
            "SELECT DISTINCT due_date FROM tasks WHERE due_date IS NOT NULL "
            "AND (completed_on IS NULL OR completed_on > :day)"
        ),
        open_on,
    ).scalars()
    due_rows = [
        {"due_date": as_value(due), "step": step.id, "kind": str(step.kind)}
        for due in (d if isinstance(d, date) else date.fromisoformat(d) for d in dues)
        for step in steps_due(due=due, done=False, as_of=day, calendar=calendar, ladder=ladder)
    ]
    start = connection.execute(text("SELECT min(issued_on) FROM plans")).scalar_one()
    start = start if isinstance(start, date) else date.fromisoformat(start)
    # escalation counts the streak as of the day before (a window closed by the scan's morning)
    weeks = [
        window.week_start
        for window in windows_between(start, day - timedelta(days=1), calendar, cadence)
        if window.week_start >= start  # weeks before the plan are not counted
    ]
    streak_rows = [
        {
            "streak": streak,
            "step": step.id,
            "kind": str(step.kind),
            "period": week_label(weeks[-streak] if step.repeat == "once" else weeks[-1]),
            "reminds": step.reminds_of_the_week,
        }
        for streak in range(1, len(weeks) + 1)
        for step in missing_steps(streak, ladder)
    ]
    recipient_rows = [
        {"step": step.id, "audience": _RECIPIENTS[recipient][0], "role": _RECIPIENTS[recipient][1]}
        for step in (*ladder.due_steps, *ladder.missing_steps)
        for recipient in step.audience
    ]
    week_rows = [{"week_start": as_value(week), "after": len(weeks) - i - 1} for i, week in enumerate(weeks)]
    for table, rows in (
        ("bench_due_steps", due_rows),
        ("bench_streak_steps", streak_rows),
        ("bench_recipients", recipient_rows),
        ("bench_weeks", week_rows),
    ):
        if rows:
            columns = list(rows[0])
            connection.execute(
                text(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(':' + c for c in columns)})"),
                rows,
            )
    return {
        "day": as_value(day),
        "week": as_value(weeks[-1]),
        "weeks": len(weeks),
        "now": datetime.now(UTC).isoformat(" "),
    }


def _proposed(dialect: str, name: str) -> list[str]:
    """The proposed bound's statements: as written (`proposed`), with one intent per department
    (`digest intents`), or without intents (`no intents`: intents made at delivery)."""
    statements = _statements((FLOOR_DIR / f"first_day_proposed.{dialect}.sql").read_text(encoding="utf-8"))
    if name == "no intents":
        return statements[:-1]
    if name == "digest intents":
        digest = (FLOOR_DIR / f"first_day_digest.{dialect}.sql").read_text(encoding="utf-8")
        return [*statements[:-1], *_statements(digest)]
    return statements


def _lean_intents(engine) -> None:
    """Before a `lean intents` run (not timed): notice_intents without its foreign keys and with no
    index but its key's and its id's, so that the run shows what the per-task intents' write
    costs in the leanest table that still makes a key's intent exactly once."""
    with engine.connect() as connection:
        connection.execute(text("DROP INDEX ix_notice_intents_department_created"))
        connection.execute(text("DROP INDEX ix_notice_intents_task_id"))
        if engine.dialect.name == "postgresql":
            for constraint in ("fk_notice_intents_department_id_departments", "fk_notice_intents_task_id_tasks"):
                connection.execute(text(f"ALTER TABLE notice_intents DROP CONSTRAINT {constraint}"))
        else:  # SQLite drops a foreign key only with its table: the (empty) table made again without
            ddl = connection.execute(text("SELECT sql FROM sqlite_master WHERE name = 'notice_intents'")).scalar_one()
            parts = [part for part in ddl.split(", \n") if "FOREIGN KEY" not in part]
            connection.commit()
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.execute(text("DROP TABLE notice_intents"))
            connection.execute(text(", \n".join(parts)))
            connection.commit()
            connection.exec_driver_sql("PRAGMA foreign_keys=ON")
        connection.commit()


def _timed(url: str, name: str) -> tuple[float, float, float, dict[str, int]]:
    """Run one script (`floor`, `this schema`, or one of `_proposed`'s) on the fresh copy `url`;
    its CPU (this process's plus, on PostgreSQL, the server backend's), its wall time and the rows
    it wrote."""
    engine = make_engine(url)
    dialect = engine.dialect.name
    if name == "lean intents":
        _lean_intents(engine)
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
        _serve_connection(connection)
        started, cpu, server = time.perf_counter(), _cpu_seconds(), _server_cpu_seconds()
        params: dict[str, Any] = {"day": FIRST_DAY.isoformat()}
        if name == "floor":
            statements = _statements((FLOOR_DIR / f"daily_scan.{dialect}.sql").read_text(encoding="utf-8"))
        elif name == "this schema":
            statements = _statements((FLOOR_DIR / "first_day_lower_bound.sqlite.sql").read_text(encoding="utf-8"))
        else:
            params = _ladder_tables(connection, FIRST_DAY)
            statements = _proposed(dialect, name)
        steps = [("ladder tables", _cpu_seconds() - cpu + _server_cpu_seconds() - server)]
        for statement in statements:
            used = {key: value for key, value in params.items() if f":{key}" in statement}
            before = _cpu_seconds() + _server_cpu_seconds()
            connection.execute(text(statement), used)
            steps.append((" ".join(statement.split()[:3]), _cpu_seconds() + _server_cpu_seconds() - before))
        before = _cpu_seconds() + _server_cpu_seconds()
        connection.commit()
        steps.append(("commit", _cpu_seconds() + _server_cpu_seconds() - before))
        wall = time.perf_counter() - started
        cpu, server = _cpu_seconds() - cpu, _server_cpu_seconds() - server
        if os.environ.get("WUFEI_BENCH_STEPS") == "1":
            print("    " + "; ".join(f"{step} {seconds:.3f}" for step, seconds in steps))
        counts = {
            table: connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
            for table in ("light_states", "light_history", "notice_intents")
        }
    engine.dispose()
    return cpu, server, wall, counts


def run(label: str, url: str, count: int) -> None:
    print(_built(label, url, count), flush=True)
    names = ["floor", *(["this schema"] if label == "SQLite" else [])]
    names += ["proposed", "lean intents", "digest intents", "no intents"]
    runs: dict[str, list[float]] = {name: [] for name in names}
    for _ in range(3):
        for name in names:
            _built(label, url, count)  # a fresh copy of the kept data
            cpu, server, wall, counts = _timed(url, name)
            runs[name].append(cpu + server)
            written = "" if name == "floor" else f"; rows written {counts}"
            on_server = f" (the server's {server:.3f} s)" if label == "PostgreSQL" else ""
            print(f"  {name}: CPU {cpu + server:.3f} s{on_server}, wall {wall:.3f} s{written}", flush=True)
    floor = statistics.median(runs["floor"])
    for name in names[1:]:
        bound = statistics.median(runs[name])
        print(
            f"first-day scan, set-based lower bound, {name}, {count:,} tasks ({label}): CPU {bound:.3f} s "
            f"against the floor's {floor:.3f} s: {bound / floor:.2f}x (issue 17 asks the scan for at most 3x)",
            flush=True,
        )


def main() -> None:
    count = env_int("WUFEI_BENCH_TASKS", 20_000)
    os.environ["WUFEI_BENCH_KEEP"] = "1"
    with databases("sqlite,postgresql") as backends:
        for label, new_url in backends:
            run(label, new_url(), count)


if __name__ == "__main__":
    main()
