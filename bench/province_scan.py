"""The daily scan of a province, its roll-up and its notification fan-out.

14 generated cities × 300 tasks with five years of weekly reports
(wufei.generate: imported from the plan workbooks, reports loaded in bulk), on SQLite and
PostgreSQL. Three working days after the reports end:

1. the whole province in one run (the first scan: writes the first lights and every intent owed),
2. one run per city (`daily_scan(..., jurisdiction=city)`), two at a time, as two workers of a
   work pool would run the `fan-out/daily-scan-by-city` fan-out: wall time of the lot, slowest city,
3. the whole province in one run again (the steady state, to compare with 2).

then 4. the province roll-up of the month before (`province_figures`), 5. every intent owed
delivered as digests through Apprise to the outbox (`wufei.notify.runs.deliver_day`, the shipped
apprise.yaml, outbox in a temporary folder). They share the build, which takes minutes.

Each run is a child process of its own: wall time of the call and the child's peak RSS. The
reference is a plain SQL aggregate on the same data: overdue open tasks per city (median of 5).

    .venv/bin/python bench/province_scan.py     # WUFEI_BENCH_CITIES, WUFEI_BENCH_CITY_TASKS, WUFEI_BENCH_REPORTS_UNTIL
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import province as bench
from sqlalchemy import text

from wufei import migrate
from wufei.calendar.workdays import WorkCalendar
from wufei.db import make_engine

PARALLEL = 2  # workers


def child(url: str, day: str, jurisdiction: str = "") -> None:
    from wufei.points.runs import daily_scan
    from wufei.ruleset import Ruleset

    rules = Ruleset.load()
    engine = make_engine(url)
    with engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    work = {"rollup": _rollup, "notify": _notify}.get(jurisdiction)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    if work is not None:
        result = work(engine, date.fromisoformat(day), rules)
    else:
        result = daily_scan(engine, date.fromisoformat(day), rules=rules, jurisdiction=jurisdiction or None)
    elapsed = time.perf_counter() - started
    engine.dispose()
    print(json.dumps({"elapsed": elapsed, "rss_before_kib": before, "result": result}, ensure_ascii=False))


def _rollup(engine, day: date, rules) -> dict:
    """The province roll-up of the month before `day` (the province_monthly point: the province's
    world, then wufei.figures.province.province_figures)."""
    from wufei.calendar.service import load_calendar
    from wufei.db import transaction
    from wufei.generate.names import PROVINCE
    from wufei.points import registry
    from wufei.points.issue import world_for

    point = registry.point("province_monthly")
    with transaction(engine) as session:
        calendar = load_calendar(session)
        period = point.due_period(day)
        world = world_for(session, point, scope=PROVINCE, period=period, as_of=day, calendar=calendar, rules=rules)
        figures = point.figures(session, world)
    return {"cities": len(figures.cities), "period": period.label}


def _notify(engine, day: date, rules) -> dict:
    """Every intent owed by `day` delivered as digests to the outbox (wufei.notify.runs.deliver_day:
    claim, record, send through Apprise's outbox:// service, one file per message)."""
    from wufei.notify.channels import Channels, config_file
    from wufei.notify.runs import deliver_day

    channels = Channels(config_file().read_text(encoding="utf-8"))  # the shipped config: all to the outbox
    summary = deliver_day(engine, day, cadence=rules.cadence, channels=channels)
    return {key: summary[key] for key in ("digests", "claimed", "sent", "failed") if key in summary}


def _outbox_reference(count: int) -> float:
    """Writing `count` message files of a digest's size with plain open().write()."""
    body = "各成员单位：\n" + "任务进展情况。" * 200
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        for index in range(count):
            Path(folder, f"{index}.txt").write_text(body, encoding="utf-8")
        return time.perf_counter() - started


def _working_days_after(day: date, count: int) -> list[date]:
    calendar, days = WorkCalendar(), []
    while len(days) < count:
        day += timedelta(days=1)
        if calendar.is_workday(day):
            days.append(day)
    return days


def _reference(engine, day: date) -> float:
    query = text(
        "SELECT j.name, count(*) FROM tasks t JOIN plans p ON p.id = t.plan_id "
        "JOIN jurisdictions j ON j.id = p.jurisdiction_id "
        "WHERE t.due_date < :day AND (t.completed_on IS NULL OR t.completed_on > :day) GROUP BY j.name"
    )
    times = []
    with engine.connect() as connection:
        for _ in range(5):
            started = time.perf_counter()
            connection.execute(query, {"day": day}).all()
            times.append(time.perf_counter() - started)
    return sorted(times)[2]


def _rollup_reference(engine) -> float:
    query = text(
        "SELECT j.name, t.completed_on IS NULL, count(*) FROM tasks t JOIN plans p ON p.id = t.plan_id "
        "JOIN jurisdictions j ON j.id = p.jurisdiction_id GROUP BY j.name, t.completed_on IS NULL"
    )
    times = []
    with engine.connect() as connection:
        for _ in range(5):
            started = time.perf_counter()
            connection.execute(query).all()
            times.append(time.perf_counter() - started)
    return sorted(times)[2]


def _summary(result: dict) -> str:
    escalation = result["escalation"]
    return (
        f"{sum(result['lights'].values()):,} lights, {result['lights_changed']:,} records written, "
        f"{escalation['created']:,} intents created, {escalation['already_existing']:,} already stored"
    )


def run(label: str, url: str, size: dict) -> None:
    from wufei.generate.load import load_province

    engine = make_engine(url)
    migrate.upgrade(engine)
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as folder:
        loaded = load_province(
            engine, Path(folder), cities=size["cities"], tasks=size["tasks"], reports_until=size["reports_until"]
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"))
    reports = loaded.get("reports", {})
    print(
        f"  build ({label}): {time.perf_counter() - started:.0f} s for {len(loaded['cities'])} cities, "
        f"{loaded['tasks']:,} tasks, {reports.get('reports', 0):,} weekly reports over {reports.get('weeks', 0)} "
        f"weeks (import and bulk load; not part of the figures)",
        flush=True,
    )
    first, second, third = _working_days_after(size["reports_until"] or date(2025, 12, 31), 3)

    whole, whole_rss = bench.wait_child(bench.in_child(__file__, url, first.isoformat()))
    print(f"  whole province, first scan ({first}): {_summary(whole['result'])}", flush=True)

    started = time.perf_counter()
    cities, pending, running = {}, list(loaded["cities"]), []
    while pending or running:
        while pending and len(running) < PARALLEL:
            city = pending.pop(0)
            running.append((city, bench.in_child(__file__, url, second.isoformat(), city)))
        city, process = running.pop(0)
        cities[city] = bench.wait_child(process)
    fan_out = time.perf_counter() - started
    slowest = max(cities, key=lambda c: cities[c][0]["elapsed"])
    calls = sum(figures["elapsed"] for figures, _ in cities.values())
    per_city_rss = max(rss for _, rss in cities.values())
    written = sum(f["result"]["lights_changed"] for f, _ in cities.values())
    created = sum(f["result"]["escalation"]["created"] for f, _ in cities.values())

    steady, steady_rss = bench.wait_child(bench.in_child(__file__, url, third.isoformat()))
    reference = _reference(engine, first)
    rollup, rollup_rss = bench.wait_child(bench.in_child(__file__, url, third.isoformat(), "rollup"))
    rollup_reference = _rollup_reference(engine)
    with tempfile.TemporaryDirectory() as outbox:
        os.environ["WUFEI_OUTBOX_DIR"] = outbox
        try:
            notify, notify_rss = bench.wait_child(bench.in_child(__file__, url, third.isoformat(), "notify"))
        finally:
            del os.environ["WUFEI_OUTBOX_DIR"]
        files = sum(1 for _ in Path(outbox).rglob("*") if _.is_file())
    engine.dispose()
    print(f"  per city ({second}): {written:,} records written, {created:,} intents created in all", flush=True)
    print(
        f"province daily scan, {len(loaded['cities'])} cities, {loaded['tasks']:,} tasks ({label}): whole province "
        f"first scan {whole['elapsed']:.1f} s (peak RSS {whole_rss / bench.MIB:.0f} MiB), next day one run per "
        f"city {PARALLEL} at a time {fan_out:.1f} s wall, {calls:.1f} s in the scans themselves "
        f"(slowest {slowest} {cities[slowest][0]['elapsed']:.2f} s, "
        f"peak RSS {per_city_rss / bench.MIB:.0f} MiB, process start included in the wall time), whole province "
        f"steady state {steady['elapsed']:.1f} s (peak RSS {steady_rss / bench.MIB:.0f} MiB); reference SQL "
        f"count of overdue tasks per city {reference:.4f} s",
        flush=True,
    )
    print(
        f"province roll-up (province_figures, monthly, {rollup['result']['period']}), {rollup['result']['cities']} "
        f"cities ({label}): {rollup['elapsed']:.1f} s, peak RSS {rollup_rss / bench.MIB:.0f} MiB; reference SQL "
        f"tasks per city and state {rollup_reference:.4f} s",
        flush=True,
    )
    sent = notify["result"]
    print(
        f"notification fan-out (deliver_day to the outbox, {third}), {sent.get('digests', 0):,} digests, "
        f"{sent.get('sent', 0):,} sent, {files:,} files ({label}): {notify['elapsed']:.1f} s, peak RSS "
        f"{notify_rss / bench.MIB:.0f} MiB; reference plain write of {files:,} files "
        f"{_outbox_reference(files):.2f} s",
        flush=True,
    )


def main() -> None:
    size = bench.sizes()
    with bench.databases() as backends:
        for label, new_url in backends:
            run(label, new_url(), size)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:])
    else:
        main()
