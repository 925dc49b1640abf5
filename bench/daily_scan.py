"""The daily scan (lights, history, escalation) over 100,000 tasks with a year of weekly reports.

Builds one jurisdiction, one plan (issued 2023-01-01, period 2021–2025), 50 departments and
WUFEI_BENCH_TASKS tasks (default 100,000: most with fixed deadlines over 2023–2025, some annual,
some ongoing; one lead and one or two supporting departments each), their generated
milestones (`ensure_milestones`) and the weekly reports of 2023 (regular, late, patchy and
silent reporters; some tasks completed), with bulk Core inserts. Then, on SQLite and on
PostgreSQL, measures `wufei.points.runs.daily_scan`:

- first run on 2024-01-02 (writes the first light history and the escalation intents),
- next working day, 2024-01-03 (the steady state),

each in a child process of its own: wall time of the call, its CPU time (on SQLite all of the
work, so a figure a busy machine moves less), and the child's peak RSS, which the child reports
itself from its own address space's high-water mark (VmHWM in /proc/self/status): `os.wait4`
and `ru_maxrss` both carry the parent's peak into a child started by vfork+exec on Linux. The
RSS of the child after its imports and first connection is given alongside.

The floor: a hand-written SQL statement (`bench/floor/daily_scan.<dialect>.sql`) reading the rows
the scan reads for every open task (the task, its newest report, its next milestone) and writing
one row per task, timed in a child process the same way on the same data and day (median of 3),
and the ratio of the scan to it.

On PostgreSQL the server process's CPU is printed beside the client's (read from /proc: the
server runs on this machine), and the ratio of the two together. WUFEI_BENCH_STEPS=1 times each
step of the scan (wall, CPU, the server's CPU, against the floor's CPU); WUFEI_BENCH_DAYS=first (or
next) measures one day only.

PostgreSQL: the server in WUFEI_BENCH_POSTGRES (a server URL, no database name), else the one
`scripts/postgres.sh` starts; a database of its own is created and dropped. Set
WUFEI_BENCH_DATABASES=sqlite (or postgresql) to run one only, WUFEI_BENCH_TASKS=2000 to try it
quickly. The build is timed apart from the measured figures. WUFEI_BENCH_KEEP=1 keeps the built
data for the next run (SQLite: a file under out/bench/; PostgreSQL: a template database on the
server) and measures on a copy of it, to measure again without building again.
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from common import databases, env_int  # noqa: E402
from sqlalchemy import create_engine, event, insert, text  # noqa: E402

from wufei import migrate  # noqa: E402
from wufei.cadence.config import CadenceConfig  # noqa: E402
from wufei.cadence.windows import reporting_window  # noqa: E402
from wufei.calendar.workdays import WorkCalendar  # noqa: E402
from wufei.db import batched, insert_rows, make_engine, transaction  # noqa: E402
from wufei.departments.models import Department  # noqa: E402
from wufei.plans.models import Jurisdiction, Plan  # noqa: E402
from wufei.reports.models import Report  # noqa: E402
from wufei.tasks.milestones import ensure_milestones  # noqa: E402
from wufei.tasks.models import Task, TaskDepartment  # noqa: E402

CHINA = CadenceConfig.load().timezone  # the times of the generated reports

FIRST_DAY = date(2024, 1, 2)  # the first working day of 2024
NEXT_DAY = date(2024, 1, 3)
ISSUED = date(2023, 1, 1)
SEED = 20240102
DEPARTMENTS = 50


# --- the data --------------------------------------------------------------------------------


@dataclass
class _TaskSpec:
    id: int
    kind: str  # fixed / annual / ongoing
    due: date | None
    raw: str
    behaviour: str  # steady / late / patchy / stops / silent
    pace: float  # reported progress against the elapsed share of the task
    completed_on: date | None = None
    stop_week: int = 99  # the week index from which a "stops" task files nothing


def _month_end(year: int, month: int) -> date:
    return (date(year + month // 12, month % 12 + 1, 1)) - timedelta(days=1)


def _due(rng: random.Random) -> tuple[date, str]:
    year = rng.choice((2023, 2024, 2025))
    roll = rng.random()
    if roll < 0.4:
        return date(year, 12, 31), f"{year}年底前"
    if roll < 0.6:
        return date(year, 6, 30), f"{year}年6月底前"
    month = rng.randint(3, 11)
    return _month_end(year, month), f"{year}年{month}月底前"


def _tasks(count: int, weeks: list[date]) -> list[_TaskSpec]:
    rng = random.Random(SEED)
    specs = []
    for task_id in range(1, count + 1):
        roll = rng.random()
        if roll < 0.75:
            kind = "fixed"
            due, raw = _due(rng)
        elif roll < 0.85:
            kind, due, raw = "annual", None, "每年"
        else:
            kind, due, raw = "ongoing", None, "持续推进"
        roll = rng.random()
        behaviour = (
            "steady"
            if roll < 0.70
            else "late"
            if roll < 0.78
            else "patchy"
            if roll < 0.89
            else "stops"
            if roll < 0.97
            else "silent"
        )
        # Three in four keep up with 序时进度 (or run ahead); the rest fall behind by up to half.
        pace = rng.uniform(1.03, 1.3) if rng.random() < 0.75 else rng.uniform(0.5, 1.0)
        spec = _TaskSpec(task_id, kind, due, raw, behaviour, pace=pace)
        if behaviour == "stops":
            spec.stop_week = rng.randint(8, len(weeks) - 1)
        if kind == "fixed" and behaviour not in ("silent",):
            # Most tasks due in 2023 were finished around their deadline; a few later ones early.
            finished = rng.random() < (0.65 if due.year == 2023 else 0.04)
            if finished:
                target = (
                    due - timedelta(days=rng.randint(0, 75))
                    if due.year == 2023
                    else date(2023, 3, 1) + timedelta(days=rng.randint(0, 280))
                )
                target = max(target, date(2023, 2, 1))
                last = max((i for i, w in enumerate(weeks) if w <= target), default=0)
                if last < spec.stop_week:
                    # Completed on the day its 100% report was filed (Wednesday of that week).
                    spec.completed_on = weeks[last] + timedelta(days=2)
                    spec.stop_week = last + 1
        specs.append(spec)
    return specs


def _progress(spec: _TaskSpec, week: date) -> int:
    week = week + timedelta(days=6)  # progress as at the end of the week reported on
    if spec.kind == "fixed":
        share = (week - ISSUED).days / max((spec.due - ISSUED).days, 1)
    elif spec.kind == "annual":
        share = (week - date(week.year, 1, 1)).days / 365
    else:
        share = 0.5
    return max(0, min(99, int(100 * share * spec.pace)))


def _week_rows(
    specs: list[_TaskSpec], leads: dict[int, int], windows: list[Any], index: int, rng: random.Random
) -> Iterator[dict[str, Any]]:
    """The reports filed for the week of `windows[index]`, task by task."""
    window = windows[index]
    recent = index >= len(windows) - 2  # the office has not reviewed the last two weeks yet
    opens = datetime.combine(window.opens_on, dtime(9), tzinfo=CHINA)
    span = max((window.due_at - opens).total_seconds(), 3600)
    for spec in specs:
        if spec.behaviour == "silent" or index >= spec.stop_week:
            continue
        final = spec.completed_on is not None and index == spec.stop_week - 1
        if spec.behaviour == "patchy" and not final and rng.random() < 0.4:
            continue
        if not final and rng.random() < 0.03:  # anybody misses a week now and then
            continue
        if final:
            at = datetime.combine(spec.completed_on, dtime(10, 30), tzinfo=CHINA)
        elif spec.behaviour == "late" and rng.random() < 0.7:
            at = window.due_at + timedelta(days=rng.randint(1, 4), hours=rng.randint(0, 5))
        else:
            at = opens + timedelta(seconds=rng.uniform(0, span))
        progress = 100 if final else _progress(spec, window.week_start)
        reviewed = not recent or final
        base = {
            "task_id": spec.id,
            "department_id": leads[spec.id],
            "week_start": window.week_start,
            "progress": progress,
            "done_text": "按计划推进，完成本周工作。",
            "problems": None,
            "next_steps": "继续推进。",
            "submitted_at": at.astimezone(UTC),
            "submitted_by": "联络员",
            "late": at > window.due_at,
            "review_note": None,
            "reviewed_by": None,
        }
        if not final and rng.random() < 0.003:  # returned by the office and filed again
            yield {
                **base,
                "version": 1,
                "status": "returned",
                "reviewed_at": at + timedelta(days=1),
                "review_note": "请补充佐证材料",
                "reviewed_by": "办公室",
            }
            refiled = at + timedelta(days=2)
            yield {
                **base,
                "version": 2,
                "progress": min(progress + 1, 99),
                "submitted_at": refiled,
                "late": refiled > window.due_at,
                "status": "accepted" if reviewed else "submitted",
                "reviewed_at": refiled + timedelta(days=1) if reviewed else None,
                "reviewed_by": "办公室" if reviewed else None,
            }
            continue
        yield {
            **base,
            "version": 1,
            "status": "accepted" if reviewed else "submitted",
            "reviewed_at": at + timedelta(days=1) if reviewed else None,
            "reviewed_by": "办公室" if reviewed else None,
        }


def _report_rows(
    specs: list[_TaskSpec], leads: dict[int, int], windows: list[Any], rng: random.Random
) -> Iterator[list[dict[str, Any]]]:
    """Each week's reports in the order they were submitted (late ones among the next week's),
    as the table fills in real use: a week's rows together, a task's spread over the table."""
    carried: list[dict[str, Any]] = []
    for index in range(len(windows)):
        rows = carried + list(_week_rows(specs, leads, windows, index, rng))
        rows.sort(key=lambda row: row["submitted_at"])
        if index + 1 < len(windows):
            cut = datetime.combine(windows[index + 1].week_start, dtime(0), tzinfo=CHINA)
            carried = [row for row in rows if row["submitted_at"] >= cut]
            rows = [row for row in rows if row["submitted_at"] < cut]
        yield rows


def build(engine, count: int) -> dict[str, int]:
    """Fill a migrated, empty database; returns row counts."""
    calendar = WorkCalendar()
    cadence = CadenceConfig.load()
    mondays = [date(2023, 1, 2) + timedelta(weeks=i) for i in range(52)]
    windows = [w for w in (reporting_window(m, calendar, cadence) for m in mondays) if w is not None]
    weeks = [w.week_start for w in windows]
    specs = _tasks(count, weeks)
    rng = random.Random(SEED + 1)
    counts = {"tasks": count}

    with engine.begin() as connection:
        jurisdiction_id = connection.execute(
            insert(Jurisdiction.__table__).values(name="基准市", level="city").returning(Jurisdiction.__table__.c.id)
        ).scalar_one()
        plan_id = connection.execute(
            insert(Plan.__table__)
            .values(
                jurisdiction_id=jurisdiction_id,
                title="基准市“无废城市”建设实施方案（2021—2025年）",
                kind="plan",
                doc_number="基政办字〔2023〕1号",
                issuer="基准市人民政府办公室",
                issued_on=ISSUED,
                period_start=2021,
                period_end=2025,
            )
            .returning(Plan.__table__.c.id)
        ).scalar_one()
        connection.execute(
            insert(Department.__table__),
            [
                {"id": i, "jurisdiction_id": jurisdiction_id, "name": f"基准市第{i}局", "kind": "bureau"}
                for i in range(1, DEPARTMENTS + 1)
            ],
        )
        for batch in batched(
            {
                "id": s.id,
                "plan_id": plan_id,
                "list_kind": "main",
                "list_name": "主要任务",
                "category": f"第{(s.id - 1) % 6 + 1}类",
                "number": str(s.id),
                "title": f"推进第{s.id}项无废城市建设任务",
                "content": "按方案要求组织实施。",
                "owners_raw": None,
                "responsible_entity": None,
                "implementers_raw": None,
                "deadline_raw": s.raw,
                "deadline_kind": s.kind,
                "due_date": s.due,
                "deadline_note": None,
                "awaiting_assignment": False,
                "source_line": s.id,
                "completed_on": s.completed_on,
            }
            for s in specs
        ):
            insert_rows(connection, Task.__table__, batch)

        leads: dict[int, int] = {}
        links = []
        for spec in specs:
            departments = rng.sample(range(1, DEPARTMENTS + 1), 3 if rng.random() < 0.4 else 2)
            leads[spec.id] = departments[0]
            links += [
                {
                    "task_id": spec.id,
                    "department_id": d,
                    "role": "lead" if i == 0 else "supporting",
                    "position": i,
                    "source_name": f"基准市第{d}局",
                }
                for i, d in enumerate(departments)
            ]
        for batch in batched(links):
            insert_rows(connection, TaskDepartment.__table__, batch)
        counts["task_departments"] = len(links)
    # in order with the ids above on PostgreSQL, whose sequences the explicit ids did not move
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            for table in ("departments", "tasks"):
                connection.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
                )

    with transaction(engine) as session:
        counts["milestones"] = ensure_milestones(session, actor="bench")

    reports = 0
    for week_rows in _report_rows(specs, leads, windows, rng):
        with engine.begin() as connection:
            for batch in batched(week_rows):
                insert_rows(connection, Report.__table__, batch)
                reports += len(batch)
    counts["reports"] = reports

    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    return counts


# --- measuring -------------------------------------------------------------------------------

FLOOR_DIR = ROOT / "bench" / "floor"
DATA_VERSION = 1  # bump when the generated data changes: kept databases of another version are rebuilt


def _floor_table(engine) -> None:
    """The table the floor statement writes its row per task into (not wufei's)."""
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE bench_floor (task_id integer NOT NULL, as_of date NOT NULL, progress integer, "
                "week_start date, milestone_due date, milestone_expected integer)"
            )
        )


_SERVER_PIDS: list[int] = []  # the PostgreSQL server process serving the measured connection


def _cpu_seconds() -> float:
    """This process's CPU time so far (user and system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _server_cpu_seconds() -> float:
    """The CPU time so far of the PostgreSQL server process serving the measured connection (read
    from /proc: the server runs on this machine), 0 on SQLite or when it cannot be read."""
    total = 0.0
    for pid in _SERVER_PIDS:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return total


def _serve_connection(connection) -> None:
    """Remember which server process serves `connection` (PostgreSQL), for `_server_cpu_seconds`."""
    if connection.dialect.name == "postgresql":
        _SERVER_PIDS[:] = [connection.execute(text("SELECT pg_backend_pid()")).scalar_one()]


def _peak_rss_kib() -> int:
    """This process's own peak RSS in KiB: the high-water mark of its address space (VmHWM), which
    exec starts afresh. `getrusage(RUSAGE_SELF).ru_maxrss` would not do: Linux keeps the peak of
    the address space the process had before exec, and after subprocess's vfork that is the
    parent's (a 350 MiB parent made every child report 350 MiB)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # not Linux: the best there is


# The scan's steps timed one by one with WUFEI_BENCH_STEPS=1: (module, function) → the step's
# name, the outer steps first; an inner step's time is part of its outer one's.
_STEPS = (
    ("wufei.points.runs", "ensure_milestones", "milestones"),
    ("wufei.points.runs", "tasks_to_judge", "read: fingerprints (floor-like read)"),
    ("wufei.points.runs", "escalation_due", "read: escalation due"),
    ("wufei.points.runs", "missing_streaks_on", "read: missing-report streaks"),
    ("wufei.points.runs", "scan_lights", "lights"),
    ("wufei.lights.service", "task_states", "  lights: read states"),
    ("wufei.lights.service", "_judge_states", "  lights: judge"),
    ("wufei.lights.service", "record_lights", "  lights: write history"),
    ("wufei.lights.service", "_write_states", "  lights: write states"),
    ("wufei.lights.service", "_count_lights", "  lights: count"),
    ("wufei.points.runs", "scan", "escalation"),
    ("wufei.escalation.service", "_open_tasks", "  escalation: read open tasks"),
    ("wufei.escalation.service", "_recover", "  escalation: recover"),
    ("wufei.escalation.service", "_add_departments", "  escalation: read departments"),
    ("wufei.escalation.service", "_deadline_intents", "  escalation: deadline intents"),
    ("wufei.escalation.service", "_missing_intents", "  escalation: missing intents"),
    ("wufei.escalation.service", "create_intents_bulk", "    escalation: write intents"),
    ("wufei.escalation.service", "_next_on", "  escalation: next days"),
    ("wufei.points.runs", "schedule_escalation", "schedule escalation"),
    ("wufei.points.runs", "_indicators_and_cells", "indicators and cells"),
)


def _time_steps() -> dict[str, list[float]]:
    """Wrap the scan's steps (`_STEPS`, those present) with timers; returns step → [wall, CPU,
    server CPU], filled in as the scan runs."""
    import functools
    import importlib

    figures: dict[str, list[float]] = {}
    for module_name, name, label in _STEPS:
        owner = importlib.import_module(module_name)
        function = getattr(owner, name, None)
        if function is None:
            continue

        def timed(*args, __function=function, __label=label, **kwargs):
            started, cpu, server = time.perf_counter(), _cpu_seconds(), _server_cpu_seconds()
            try:
                return __function(*args, **kwargs)
            finally:
                figure = figures.setdefault(__label, [0.0, 0.0, 0.0])
                figure[0] += time.perf_counter() - started
                figure[1] += _cpu_seconds() - cpu
                figure[2] += _server_cpu_seconds() - server

        setattr(owner, name, functools.wraps(function)(timed))
    return figures


def measure_in_child() -> None:
    """Child side: `daily_scan(url, day)` (mode `scan`) or the floor statement (mode `floor`);
    prints one JSON line with the elapsed time and this process's own peak RSS."""
    mode, url, day = sys.argv[2], sys.argv[3], date.fromisoformat(sys.argv[4])
    engine = make_engine(url)
    if mode == "floor":
        statement = text((FLOOR_DIR / f"daily_scan.{engine.dialect.name}.sql").read_text(encoding="utf-8"))
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM bench_floor"))
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            _serve_connection(connection)
            before = _peak_rss_kib()
            started, cpu, server = time.perf_counter(), _cpu_seconds(), _server_cpu_seconds()
            written = connection.execute(statement, {"day": day.isoformat()}).rowcount
            connection.commit()
            elapsed, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
            server = _server_cpu_seconds() - server
            result: Any = {"rows": written}
    else:
        from wufei.points.runs import daily_scan
        from wufei.ruleset import Ruleset

        rules = Ruleset.load()
        steps = _time_steps() if os.environ.get("WUFEI_BENCH_STEPS") == "1" else None
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
            _serve_connection(connection)  # the pool's one connection: the scan's
        before = _peak_rss_kib()
        started, cpu, server = time.perf_counter(), _cpu_seconds(), _server_cpu_seconds()
        result = daily_scan(engine, day, rules=rules)
        elapsed, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
        server = _server_cpu_seconds() - server
        if steps is not None:
            result["steps"] = steps
    engine.dispose()
    figures = {
        "elapsed": elapsed,
        "cpu": cpu,
        "server_cpu": server,
        "rss_before_kib": before,
        "rss_peak_kib": _peak_rss_kib(),
        "result": result,
    }
    print(json.dumps(figures, ensure_ascii=False))


def _child(mode: str, url: str, day: date) -> dict[str, Any]:
    """Run one scan (or the floor) in a child process of its own; its JSON line."""
    done = subprocess.run(
        [sys.executable, __file__, "--measure", mode, url, day.isoformat()], stdout=subprocess.PIPE, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"the {mode} of {day} failed (exit {done.returncode})")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _floor(url: str, day: date) -> dict[str, Any]:
    """The floor on `day`: the median of three runs, each in a child process of its own."""
    runs = sorted((_child("floor", url, day) for _ in range(3)), key=lambda figures: figures["elapsed"])
    return runs[1]


def _build_engine(url: str):
    """The engine the data is loaded with. SQLite: a 1 GiB page cache (the reports' task indexes
    are updated in random order; with the default 2 MiB cache the load took minutes longer) and
    no fsync, for the load only; the measured runs use the application's own engine."""
    engine = make_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _load_pragmas(dbapi_connection, _record) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA cache_size=-1048576")
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.close()

    return engine


def _built(label: str, url: str, count: int) -> str:
    """Build the data into the empty database `url`; with WUFEI_BENCH_KEEP=1, copy it from the kept
    one (built there first when missing, under a temporary name until complete) and bring the copy
    to the current schema. Returns the build's summary line."""
    keep = os.environ.get("WUFEI_BENCH_KEEP") == "1"
    name = f"daily_scan_{count}_v{DATA_VERSION}"
    if keep and url.startswith("sqlite:///"):
        kept = ROOT / "out" / "bench" / f"{name}.db"
        if not kept.exists():
            kept.parent.mkdir(parents=True, exist_ok=True)
            partial = kept.with_suffix(".partial.db")
            partial.unlink(missing_ok=True)
            line = _build_into(label, f"sqlite:///{partial}", count)
            partial.rename(kept)
        else:
            line = f"  build ({label}): kept data {kept} (WUFEI_BENCH_KEEP=1)"
        shutil.copyfile(kept, url.removeprefix("sqlite:///"))
    elif keep:
        server, database = url.rsplit("/", 1)
        template = f"wufei_bench_{name}"
        admin = create_engine(
            server.replace("postgresql://", "postgresql+psycopg://", 1) + "/postgres", isolation_level="AUTOCOMMIT"
        )
        with admin.connect() as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": template}).first()
        if exists is None:
            partial = f"{template}_partial"
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{partial}"'))
                connection.execute(text(f'CREATE DATABASE "{partial}"'))
            line = _build_into(label, f"{server}/{partial}", count)
            with admin.connect() as connection:
                connection.execute(text(f'ALTER DATABASE "{partial}" RENAME TO "{template}"'))
        else:
            line = f"  build ({label}): kept data in database {template} (WUFEI_BENCH_KEEP=1)"
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{database}"'))
            connection.execute(text(f'CREATE DATABASE "{database}" TEMPLATE "{template}"'))
        admin.dispose()
    else:
        return _build_into(label, url, count)
    engine = make_engine(url)
    migrate.upgrade(engine)  # data kept under an older schema
    engine.dispose()
    return line


def _build_into(label: str, url: str, count: int) -> str:
    engine = _build_engine(url)
    migrate.upgrade(engine)
    started = time.perf_counter()
    counts = build(engine, count)
    _floor_table(engine)
    built = time.perf_counter() - started
    engine.dispose()
    return (
        f"  build ({label}): {built:.1f} s for {counts['tasks']:,} tasks, {counts['task_departments']:,} "
        f"department links, {counts['milestones']:,} milestones, {counts['reports']:,} reports "
        f"(not part of the figures)"
    )


def run(label: str, url: str, count: int) -> None:
    print(_built(label, url, count), flush=True)
    mib = 1024
    wanted = os.environ.get("WUFEI_BENCH_DAYS", "first,next").split(",")
    for name, day in (("first day", FIRST_DAY), ("next day", NEXT_DAY)):
        if name.split()[0] not in wanted:
            continue
        floor = _floor(url, day)
        scan = _child("scan", url, day)
        result = scan["result"]
        escalation = result["escalation"]
        print(
            f"  {name} ({result['as_of']}): lights {result['lights']}, {result.get('lights_judged', '?')} judged, "
            f"{result['lights_changed']:,} light records written, {escalation['created']:,} intents created, "
            f"{escalation['already_existing']:,} already stored, {escalation['resolved']:,} resolved",
            flush=True,
        )
        print(
            f"daily scan, {count:,} tasks ({label}), {name}: {scan['elapsed']:.2f} s, peak RSS "
            f"{scan['rss_peak_kib'] / mib:.0f} MiB ({scan['rss_before_kib'] / mib:.0f} MiB after imports); "
            f"floor {floor['elapsed']:.2f} s ({floor['result']['rows']:,} rows, peak RSS "
            f"{floor['rss_peak_kib'] / mib:.0f} MiB); ratio {scan['elapsed'] / floor['elapsed']:.1f}x; "
            f"CPU of the measuring process {scan['cpu']:.2f} s / {floor['cpu']:.2f} s"
            + (  # on SQLite all the work is the process's; on PostgreSQL the floor's is the server's
                f" ({scan['cpu'] / floor['cpu']:.1f}x)" if label == "SQLite" and floor["cpu"] > 0 else ""
            )
            + (  # PostgreSQL: the server process's CPU too, read from /proc (the server runs here)
                f"; with the server's CPU {scan['cpu'] + scan['server_cpu']:.2f} s / "
                f"{floor['cpu'] + floor['server_cpu']:.2f} s "
                f"({(scan['cpu'] + scan['server_cpu']) / (floor['cpu'] + floor['server_cpu']):.1f}x)"
                if label == "PostgreSQL" and floor["server_cpu"] > 0
                else ""
            ),
            flush=True,
        )
        _print_steps(result.get("steps"), scan, floor)


def _print_steps(steps: dict[str, list[float]] | None, scan: dict[str, Any], floor: dict[str, Any]) -> None:
    """The steps' figures (WUFEI_BENCH_STEPS=1): wall, CPU (and the server's), CPU against the floor's."""
    if not steps:
        return
    floor_cpu = floor["cpu"] + floor["server_cpu"]
    top = [figure for label, figure in steps.items() if not label.startswith(" ")]
    rest = [
        scan["elapsed"] - sum(f[0] for f in top),
        scan["cpu"] - sum(f[1] for f in top),
        scan["server_cpu"] - sum(f[2] for f in top),
    ]
    print(f"    {'step':40} {'wall s':>7} {'CPU s':>7} {'server':>7} {'x floor CPU':>11}")
    order = {label: i for i, (_module, _name, label) in enumerate(_STEPS)}
    for label, (wall, cpu, server) in [
        *sorted(steps.items(), key=lambda s: order[s[0]]),
        ("rest (commit, set-up)", rest),
    ]:
        ratio = f"{(cpu + server) / floor_cpu:.2f}" if floor_cpu > 0 else "-"
        print(f"    {label:40} {wall:7.2f} {cpu:7.2f} {server:7.2f} {ratio:>11}")
    print(f"    {'the floor':40} {floor['elapsed']:7.2f} {floor['cpu']:7.2f} {floor['server_cpu']:7.2f}", flush=True)


def main() -> None:
    count = env_int("WUFEI_BENCH_TASKS", 100_000)
    with databases("sqlite,postgresql") as backends:
        for label, new_url in backends:
            run(label, new_url(), count)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--measure":
        measure_in_child()
    else:
        main()
