"""`make demo`: the main job on the embedded defaults, start to finish, into out/demo/.

Creates the SQLite database, imports the five seed documents, then replays 2023 for
Hengshui day by day: generated department behaviour (wufei/simulate.py) and every cadence
point (daily scan, weekly reports, monthly dispatch, quarterly circular, half-year review,
annual assessment), and writes what the office would look at.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "examples" / "seeds"
OUT = Path(os.environ.get("WUFEI_DEMO_DIR", ROOT / "out" / "demo"))
START, END = date(2023, 1, 1), date(2024, 1, 31)
LIGHTS_ON = date(2024, 1, 2)


def main() -> int:
    OUT.mkdir(parents=True, exist_ok=True)
    database = OUT / "wufei.db"
    for leftover in OUT.glob("wufei.db*"):
        leftover.unlink()
    os.environ["WUFEI_DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["WUFEI_EVIDENCE_DIR"] = str(OUT / "evidence")

    from wufei import migrate
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
            print(f"    《{plan.plan_title}》任务 {c['tasks']}（待指定牵头 {c['awaiting_assignment']}），"
                  f"指标 {c['indicators']}，无废细胞 {c['cells']}，提示 {len(plan.warnings)} 条")
    for result in failed:
        print(f"    ✗ {result.error}", file=sys.stderr)

    _step("回放督查督办", f"{START.isoformat()} 至 {END.isoformat()}（全部方案，模拟各部门报送与办公室审核）")
    _replay(engine)

    with make_sessionmaker(engine)() as session:
        summary = _write_outputs(session)
    ledger = OUT / "台账.xlsx"
    with transaction(engine) as session:
        export_ledger(session, ledger)
    write_template(OUT / "导入模板.xlsx")

    print()
    print("演示完成。请查看：")
    for label, path in [("数据库", database), ("导入结果", OUT / "import.json"), ("台账", ledger),
                        ("导入模板", OUT / "导入模板.xlsx"), ("周报表（示例部门）", summary["form"]),
                        ("各期数据（月调度、季通报、半年观摩、年终考核、周报送）", OUT / "figures"),
                        ("红黄绿灯", summary["lights_file"]), ("通知意图（待发送）", OUT / "notices.json")]:
        print(f"  {label:<10} {path}")
    print()
    print(f"  {LIGHTS_ON.isoformat()} 红黄绿灯：" + "，".join(f"{_LIGHT_NAMES[k]} {v}" for k, v in summary["lights"].items()))
    print(f"  2023年周报 {summary['reports']} 份（迟报 {summary['late']} 份，退回 {summary['returned']} 份），"
          f"延期申请 {summary['extensions']} 项，通知意图 {summary['notices']} 条")
    print(f"  查询示例  WUFEI_DATABASE_URL=sqlite:///{database} .venv/bin/wufei tasks --as-of {LIGHTS_ON} --light red")
    return 1 if failed else 0


_LIGHT_NAMES = {"green": "绿灯", "yellow": "黄灯", "red": "红灯", "done": "已完成"}


def _replay(engine) -> None:
    from wufei.cadence.commands import replay
    from wufei.calendar.service import load_calendar
    from wufei.db import make_sessionmaker, transaction
    from wufei.simulate import Simulation

    with make_sessionmaker(engine)() as session:
        simulation = Simulation(calendar=load_calendar(session), year=START.year)
    total = (END - START).days + 1

    def play(day: date) -> None:
        with transaction(engine) as session:
            simulation.play_day(session, day)
        done = (day - START).days + 1
        filled = done * 30 // total
        bar = f"    [{'█' * filled}{'·' * (30 - filled)}] {done}/{total} 天  {day.isoformat()}"
        if sys.stdout.isatty():
            print(f"\r{bar}", end="", flush=True)
        elif day.day == 1 or day == END:  # a log file gets one line a month
            print(bar, flush=True)

    replay(engine, START, END, on_day=play)
    if sys.stdout.isatty():
        print()


def _write_outputs(session) -> dict:
    from sqlalchemy import func, select

    from wufei.cadence.models import PeriodFigures
    from wufei.calendar.service import load_calendar
    from wufei.extensions.models import Extension
    from wufei.lights.service import compute_lights, count_lights
    from wufei.notices.models import NoticeIntent
    from wufei.notices.service import intents_as_dicts
    from wufei.reports.form import write_weekly_form
    from wufei.reports.models import Report
    from wufei.tasks.models import Task
    from wufei.tasks.service import list_tasks, task_as_dict

    figures_dir = OUT / "figures"
    figures_dir.mkdir(exist_ok=True)
    for old in figures_dir.glob("*.json"):
        old.unlink()
    for figures in session.scalars(select(PeriodFigures).order_by(PeriodFigures.id)):
        name = f"{figures.kind}-{figures.period}-{figures.scope}.json"
        (figures_dir / name).write_text(json.dumps(figures.figures, ensure_ascii=False, indent=2), encoding="utf-8")

    lights = compute_lights(session, as_of=LIGHTS_ON, calendar=load_calendar(session))
    rows = []
    for task in list_tasks(session, plan_ids=None):
        if task.id in lights:
            result = lights[task.id]
            rows.append({**task_as_dict(task), "light": str(result.light), "reason": result.reason})
    lights_file = f"lights-{LIGHTS_ON.isoformat()}.json"
    _write_json(lights_file, rows)
    intents = list(session.scalars(select(NoticeIntent).order_by(NoticeIntent.id)))
    _write_json("notices.json", intents_as_dicts(session, intents))

    # The weekly form of the department leading the first task still open at year end.
    sample = session.get(Task, next(row["id"] for row in rows if row["light"] != "done"))
    [department_id] = [a.department_id for a in sample.assignments if a.role == "lead"][:1]
    form = OUT / "周报表-示例.xlsx"
    write_weekly_form(session, form, department_id=department_id, week_start=date(2023, 12, 25),
                      as_of=date(2023, 12, 25))
    count = lambda query: session.scalar(select(func.count()).select_from(query.subquery()))
    return {"lights": count_lights(lights), "lights_file": OUT / lights_file, "form": form,
            "reports": count(select(Report.id)), "late": count(select(Report.id).where(Report.late)),
            "returned": count(select(Report.id).where(Report.status == "returned")),
            "extensions": count(select(Extension.id)), "notices": len(intents)}


def _write_json(name: str, data) -> None:
    (OUT / name).write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str), encoding="utf-8")


def _step(what: str, detail: str) -> None:
    print(f"▶ {what}：{detail}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
