"""`make demo`: the main job on the embedded defaults, start to finish, into out/demo/.

Creates the SQLite database, imports the five seed documents, then replays 2023 day by day:
generated department behaviour (wufei/simulate.py), the daily scan and weekly reports, each
day's notification digests into the outbox, and the monthly dispatch, quarterly circular,
half-year review and annual assessment as real Prefect flow runs on their working days (an
ephemeral Prefect server under out/demo/prefect), each writing its bulletins. Then it writes
what the office would look at and portal accounts with sign-in links.

The daily scan and weekly report run through the same functions their flows call, not as
flow runs: a flow run costs about a second, and there are some 500 of them in a year.

WUFEI_DEMO_SHORT=1 (`make demo-short`, what CI runs) replays January 2023 only, up to the
monthly dispatch of 3 February: the same set-up, flows, charts, outbox and portal links in a
fraction of the time. The demo prints how long it took.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import threading
import time as clock
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
OTHER_PLANS = ROOT / "examples" / "plans"  # other places' plans as published: Word, PDF, a web page
OUT = Path(os.environ.get("WUFEI_DEMO_DIR", ROOT / "out" / "demo"))
SHORT = os.environ.get("WUFEI_DEMO_SHORT", "") not in ("", "0")
START = date(2023, 1, 1)
if SHORT:  # the days the office looks at fall inside the replayed weeks
    END, LIGHTS_ON, PORTAL_TODAY, FORM_WEEK = date(2023, 2, 3), date(2023, 2, 3), date(2023, 2, 1), date(2023, 1, 30)
else:
    END, LIGHTS_ON, FORM_WEEK = date(2024, 1, 31), date(2024, 1, 2), date(2023, 12, 25)
    PORTAL_TODAY = date(2023, 12, 27)  # a working day of the replayed year's last reporting week


def main() -> int:
    started, cpu_started = clock.perf_counter(), clock.process_time()
    _settle_heap()  # the set-up's imports are collected less often too
    OUT.mkdir(parents=True, exist_ok=True)
    database = OUT / "wufei.db"
    for leftover in OUT.glob("wufei.db*"):
        leftover.unlink()
    os.environ["WUFEI_DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["WUFEI_EVIDENCE_DIR"] = str(OUT / "evidence")
    _discard([OUT / folder for folder in ("outbox", "bulletins", "prefect", "backup")])
    os.environ["WUFEI_OUTBOX_DIR"] = str(OUT / "outbox")
    os.environ["WUFEI_BULLETIN_DIR"] = str(OUT / "bulletins")
    os.environ["WUFEI_PORTAL_URL"] = PORTAL
    os.environ["PREFECT_HOME"] = str(OUT / "prefect")
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    # Prefect gives its ephemeral server 20 s to start; a busy 2-core machine can take longer.
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
    prefect_server = _start_prefect_server()

    from wufei import migrate
    from wufei.backup import backup_database
    from wufei.db import make_engine, make_sessionmaker, transaction
    from wufei.exporters.ledger import export_ledger, write_template
    from wufei.importers.service import import_paths
    from wufei.simulate import office_config

    os.environ["WUFEI_CONFIG_DIR"] = str(office_config(OUT / "config", reporting_since=START))
    engine = make_engine()
    _step("创建数据库", str(database))
    migrate.upgrade(engine)

    seeds = sorted(SEEDS.glob("*.txt"))
    _step("导入种子文件", f"{len(seeds)} 个")
    results = import_paths(engine, seeds)
    _write_json("import.json", [r.as_dict() for r in results])
    failed = [r for r in results if not r.ok]
    for result in results:
        for plan in result.plans:
            c = plan.counts
            print(
                f"    《{plan.plan_title}》任务 {c['tasks']}（待指定牵头 {c['awaiting_assignment']}），"
                f"指标 {c['indicators']}，无废细胞 {c['cells']}，待确认 {c['doubts']} 项"
            )
    for result in failed:
        print(f"    ✗ {result.error}", file=sys.stderr)
    previews = _preview_other_plans(engine)

    _step(
        "回放督查督办",
        f"{START.isoformat()} 至 {END.isoformat()}（全部方案，模拟各部门报送与办公室审核；"
        "月调度、季通报、半年观摩、年终考核经 Prefect 流程运行并生成通报，每日提醒写入发件箱）",
    )
    _settle_heap()
    flow_runs = _replay(engine, prefect_server)

    with make_sessionmaker(engine)() as session:
        summary = _write_outputs(session)
    ledger = OUT / "台账.xlsx"
    with transaction(engine) as session:
        export_ledger(session, ledger)
    write_template(OUT / "导入模板.xlsx")
    with transaction(engine) as session:
        links = _portal_accounts(session)
    (OUT / "backup").mkdir()
    backup = backup_database(engine, OUT / "backup" / f"wufei-{END.isoformat()}.db").path

    bulletins = sorted((OUT / "bulletins").rglob("*.docx"))
    outbox = list((OUT / "outbox").glob("*.json"))
    print()
    print("演示完成。请查看：")
    for label, path in [
        ("数据库", database),
        ("数据库备份", backup),
        ("导入结果", OUT / "import.json"),
        ("台账", ledger),
        ("导入模板", OUT / "导入模板.xlsx"),
        ("其他地区方案预览", previews),
        ("周报表（示例部门）", summary["form"]),
        ("通报（Markdown、HTML、Word、Excel）", OUT / "bulletins"),
        ("发件箱（每日提醒与督办）", OUT / "outbox"),
        ("各期数据（月调度、季通报、半年观摩、年终考核、周报送）", OUT / "figures"),
        ("红黄绿灯", summary["lights_file"]),
        ("通知与发送记录", OUT / "notices.json"),
    ]:
        print(f"  {label:<10} {path}")
    print()
    print(
        f"  {LIGHTS_ON.isoformat()} 红黄绿灯："
        + "，".join(f"{_LIGHT_NAMES[k]} {v}" for k, v in summary["lights"].items())
    )
    print(
        f"  2023年周报 {summary['reports']} 份（迟报 {summary['late']} 份，退回 {summary['returned']} 份），"
        f"延期申请 {summary['extensions']} 项，通知 {summary['notices']} 条"
    )
    print(
        f"  指标填报 {summary['indicator_values']} 条（已采纳 {summary['indicator_accepted']} 条），"
        f"无废细胞登记 {summary['cells']} 个（已命名 {summary['cells_named']} 个）"
    )
    reminded = summary["indicator_reminders"]
    print(
        f"  指标提醒 {sum(reminded.values())} 条（报送提醒 {reminded['indicator_due']} 条、"
        f"逾期未报 {reminded['indicator_overdue']} 条、落后序时进度 {reminded['indicator_behind']} 条），"
        f"细胞滞留提醒 {summary['cells_stalled']} 条"
    )
    print(
        f"  Prefect 流程运行 {len(flow_runs)} 次，通报 {len(bulletins)} 份（每份另有 .md/.html/.xlsx），"
        f"发件箱消息 {len(outbox)} 条"
    )
    annual = OUT / "bulletins" / "衡水市" / "annual-2023.docx"
    if annual.exists():
        print(f"  年终考核  {annual}")
    print(f"  查询示例  WUFEI_DATABASE_URL=sqlite:///{database} .venv/bin/wufei tasks --as-of {LIGHTS_ON} --light red")
    print(
        f"  门户网站  WUFEI_DATABASE_URL=sqlite:///{database} WUFEI_CONFIG_DIR={OUT / 'config'} "
        f"WUFEI_TODAY={PORTAL_TODAY} WUFEI_BULLETIN_DIR={OUT / 'bulletins'} .venv/bin/wufei web --port {PORTAL_PORT}"
    )
    for role, link in links.items():
        print(f"    {role}登录链接（72小时内有效，仅可使用一次）：{link}")
    print()
    print(_took(clock.perf_counter() - started, clock.process_time() - cpu_started))
    return 1 if failed else 0


def _preview_other_plans(engine) -> Path:
    """Other places' plans as they were published, previewed as `wufei import --preview --out`
    would: what would be stored, each doubt flagged for the office; nothing is written."""
    from wufei.exporters.preview import write_preview_workbook
    from wufei.importers.service import preview_paths

    paths = sorted(OTHER_PLANS.iterdir())
    _step("预览其他地区方案", f"{len(paths)} 个（Word、PDF、网页；仅预览，不写入数据库）")
    previews = preview_paths(engine, paths)
    for preview in previews:
        if not preview.ok:
            print(f"    ✗ {preview.error}", file=sys.stderr)
        for plan in preview.plans:
            place = next((f.value for f in plan.fields if f.key == "jurisdiction"), None) or "地区待确认"
            print(
                f"    《{plan.title}》（{place}，{Path(preview.file).suffix.lstrip('.')}）任务 {len(plan.tasks)}，"
                f"指标 {len(plan.indicators)}，待确认 {plan.open_doubts} 项"
            )
    workbook = OUT / "其他地区方案预览.xlsx"
    write_preview_workbook(workbook, previews)
    return workbook


def _took(wall: float, cpu: float) -> str:
    """The demo's time, with what else the machine was doing (figures are noisy on a shared machine)."""
    load = "、".join(f"{value:.1f}" for value in os.getloadavg())
    span = "（简短演示：2023年1月）" if SHORT else ""
    return f"演示用时{span}：{_minutes(wall)}（本进程 CPU {_minutes(cpu)}；{os.cpu_count()} 核，系统负载 {load}）"


def _minutes(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    return f"{minutes}分{seconds:02d}秒" if minutes else f"{seconds}秒"


PORTAL_PORT = 8000
PORTAL = f"http://127.0.0.1:{PORTAL_PORT}"


_LIGHT_NAMES = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "done": "已完成"}


def _discard(folders: list[Path]) -> None:
    """Move an earlier run's folders aside and delete them, and any an interrupted run left, in the
    background: its outbox alone holds some 7,000 files, seconds of deleting on a busy disk."""
    for folder in folders:
        if folder.exists():
            folder.rename(folder.with_name(f".{folder.name}-old-{clock.time_ns()}"))
    for old in OUT.glob(".*-old-*"):
        threading.Thread(target=shutil.rmtree, args=(old,), kwargs={"ignore_errors": True}, daemon=True).start()


def _start_prefect_server() -> threading.Thread | None:
    """Start Prefect's ephemeral server now, beside the set-up, as the first flow run would (when
    no PREFECT_API_URL names a server): it creates and migrates its database, some 10 s of the
    second core, which the first flow run would otherwise wait for."""
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL

    if PREFECT_API_URL.value():
        return None
    # The first flow run finds the server started (the same instance: one per port) and uses it.
    starting = threading.Thread(target=SubprocessASGIServer().start, name="prefect-server-start", daemon=True)
    starting.start()
    return starting


def _replay(engine, prefect_server: threading.Thread | None = None) -> list[str]:
    """The year, day by day; returns the ids of the Prefect flow runs (the first waits for
    `prefect_server` to have started)."""
    from flows import points as point_flows
    from wufei.calendar.service import load_calendar
    from wufei.db import make_sessionmaker, transaction
    from wufei.notify.runs import scheduled_delivery
    from wufei.points import registry
    from wufei.points.commands import command_runner, replay
    from wufei.ruleset import Ruleset
    from wufei.simulate import Simulation

    rules = Ruleset.load()
    with make_sessionmaker(engine)() as session:
        calendar = load_calendar(session)
    simulation = Simulation(
        calendar=calendar, cadence=rules.cadence, year=START.year, tracking=rules.tracking, cell_rules=rules.cells
    )
    run_point = command_runner()
    period_flows = {
        point.command: (point, point_flows.POINT_FLOWS[point.command])
        for point in registry.scheduled()
        if point.command is not None
    }
    flow_runs: list[str] = []
    total = (END - START).days + 1

    def run(name: str, engine_, day: date) -> dict:
        if name not in period_flows:
            return run_point(name, engine_, day)
        point, period_flow = period_flows[name]
        if not point.runs_on(day, calendar, rules.cadence):
            return {"skipped": "不是运行日"}
        if prefect_server is not None:
            prefect_server.join()  # a failed start is tried again, and reported, by the flow run
        state: Any = period_flow(as_of=day.isoformat(), return_state=True)
        flow_runs.append(str(state.state_details.flow_run_id))
        return state.result()

    def play(day: date) -> None:
        if day.weekday() == 0:
            _settle_heap()
        # The digests follow the morning's scan (deliver-notices runs at 09:15); the
        # departments then go about their day.
        scheduled_delivery(
            engine,
            day,
            cadence=rules.cadence,
            now=datetime.combine(day, time(9, 15), tzinfo=rules.cadence.timezone),
            concurrency=1,
        )
        with transaction(engine) as session:
            simulation.play_day(session, day)
        done = (day - START).days + 1
        filled = done * 30 // total
        bar = f"    [{'█' * filled}{'·' * (30 - filled)}] {done}/{total} 天  {day.isoformat()}"
        if sys.stdout.isatty():
            print(f"\r{bar}", end="", flush=True)
        elif day.day == 1 or day == END:  # a log file gets one line a month
            print(bar, flush=True)

    replay(engine, START, END, on_day=play, runner=run)
    if sys.stdout.isatty():
        print()
    return flow_runs


def _settle_heap() -> None:
    """Collect what is garbage now and exempt everything still alive from later collections.

    The replay keeps some 600,000 objects alive (Prefect, matplotlib, SQLAlchemy, the caches);
    Python's full collection walks all of them each time the survivors grow by a quarter: some
    70 times in a year's replay, 0.45 s each, a fifth of the demo's CPU. Frozen each week, a full
    collection walks only what the week added. Most objects live for one day's transaction, so
    the youngest generation is collected every 7,000 allocations rather than 700 (half the
    remaining collection time)."""
    import gc

    gc.set_threshold(7000, 10, 10)
    gc.collect()
    gc.freeze()


def _portal_accounts(session) -> dict[str, str]:
    """An office account, a leader and the liaison of the department with the most red tasks
    on the portal's day, each with a single-use sign-in link."""
    from wufei.accounts.service import add_user, sign_in_link
    from wufei.db import utcnow

    department_id = _busiest_department(session)
    users = {
        "办公室": add_user(session, username="office", role="office", display_name="领导小组办公室", actor="demo"),
        "领导": add_user(session, username="leader", role="leader", display_name="领导小组", actor="demo"),
        "部门联系人": add_user(
            session,
            username="liaison",
            role="liaison",
            display_name="专班联系人",
            department_id=department_id,
            actor="demo",
        ),
    }
    return {role: sign_in_link(session, user_id=user.id, at=utcnow(), actor="demo") for role, user in users.items()}


def _busiest_department(session) -> int:
    from collections import Counter

    from sqlalchemy import select

    from wufei.calendar.service import load_calendar
    from wufei.lights.service import compute_lights
    from wufei.ruleset import Ruleset
    from wufei.tasks.models import Role, TaskDepartment

    rules = Ruleset.load()
    lights = compute_lights(
        session, as_of=PORTAL_TODAY, calendar=load_calendar(session), cadence=rules.cadence, rules=rules.lights
    )
    red = [task_id for task_id, result in lights.items() if str(result.light) == "red"]
    leads = Counter(
        session.scalars(
            select(TaskDepartment.department_id).where(
                TaskDepartment.role == Role.LEAD, TaskDepartment.task_id.in_(red)
            )
        )
    )
    return leads.most_common(1)[0][0]


def _write_outputs(session) -> dict:
    from sqlalchemy import func, select

    from wufei.calendar.service import load_calendar
    from wufei.cells.models import Cell
    from wufei.cells.rules import CellState
    from wufei.extensions.models import Extension
    from wufei.figures.models import PeriodFigures
    from wufei.indicators.models import IndicatorReport, IndicatorReportStatus
    from wufei.lights.service import compute_lights, count_lights
    from wufei.notices.models import NoticeIntent, NoticeKind
    from wufei.notices.service import intents_as_dicts
    from wufei.notify.service import dispatch_views
    from wufei.reports.form import write_weekly_form
    from wufei.reports.models import Report
    from wufei.ruleset import Ruleset
    from wufei.tasks.models import Task
    from wufei.tasks.service import list_tasks, task_as_dict

    figures_dir = OUT / "figures"
    figures_dir.mkdir(exist_ok=True)
    for old in figures_dir.glob("*.json"):
        old.unlink()
    for figures in session.scalars(select(PeriodFigures).order_by(PeriodFigures.id)):
        name = f"{figures.kind}-{figures.period}-{figures.scope}.json"
        (figures_dir / name).write_text(json.dumps(figures.figures, ensure_ascii=False, indent=2), encoding="utf-8")

    rules = Ruleset.load()
    calendar = load_calendar(session)
    lights = compute_lights(session, as_of=LIGHTS_ON, calendar=calendar, cadence=rules.cadence, rules=rules.lights)
    rows = []
    for task in list_tasks(session, plan_ids=None):
        if task.id in lights:
            result = lights[task.id]
            rows.append({**task_as_dict(task), "light": str(result.light), "reason": result.reason})
    lights_file = f"lights-{LIGHTS_ON.isoformat()}.json"
    _write_json(lights_file, rows)
    intents = list(session.scalars(select(NoticeIntent).order_by(NoticeIntent.id)))
    notices = intents_as_dicts(session, intents)
    views = dispatch_views(session, [row["id"] for row in notices])
    _write_json("notices.json", [{**row, "dispatches": views.get(row["id"], [])} for row in notices])

    # The weekly form of the department leading the first task still open at year end.
    sample = session.get(Task, next(row["id"] for row in rows if row["light"] != "done"))
    [department_id] = [a.department_id for a in sample.assignments if a.role == "lead"][:1]
    form = OUT / "周报表-示例.xlsx"
    write_weekly_form(
        session,
        form,
        department_id=department_id,
        week_start=FORM_WEEK,
        as_of=FORM_WEEK,
        calendar=calendar,
        cadence=rules.cadence,
    )

    def count(query):
        return session.scalar(select(func.count()).select_from(query.subquery()))

    return {
        "lights": count_lights(lights),
        "lights_file": OUT / lights_file,
        "form": form,
        "reports": count(select(Report.id)),
        "late": count(select(Report.id).where(Report.late)),
        "returned": count(select(Report.id).where(Report.status == "returned")),
        "extensions": count(select(Extension.id)),
        "notices": len(intents),
        "indicator_values": count(select(IndicatorReport.id)),
        "indicator_accepted": count(
            select(IndicatorReport.id).where(IndicatorReport.status == IndicatorReportStatus.ACCEPTED)
        ),
        "cells": count(select(Cell.id)),
        "cells_named": count(select(Cell.id).where(Cell.state == CellState.NAMED)),
        "indicator_reminders": {
            str(kind): count(select(NoticeIntent.id).where(NoticeIntent.kind == kind))
            for kind in (NoticeKind.INDICATOR_DUE, NoticeKind.INDICATOR_OVERDUE, NoticeKind.INDICATOR_BEHIND)
        },
        "cells_stalled": count(select(NoticeIntent.id).where(NoticeIntent.kind == NoticeKind.CELL_STALLED)),
    }


def _write_json(name: str, data) -> None:
    (OUT / name).write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")


def _step(what: str, detail: str) -> None:
    print(f"▶ {what}：{detail}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
